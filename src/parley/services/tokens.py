"""Author tokens: signed, expiring proofs that a browser wrote certain comments."""

from __future__ import annotations

import secrets

from itsdangerous import BadSignature, URLSafeTimedSerializer


class AuthorTokens:
    def __init__(self, secret: str, max_age: int) -> None:
        self._serializer = URLSafeTimedSerializer(secret, salt="parley.author")
        self._max_age = max_age

    def issue(self, author_key: str | None = None) -> tuple[str, str]:
        """Return (author_key, token): a new identity unless one is given."""
        key = author_key or secrets.token_hex(16)
        return key, self._serializer.dumps(key)

    def author_key(self, token: str | None) -> str | None:
        """The identity a valid, unexpired token proves; None for anything else."""
        if not token:
            return None
        try:
            key = self._serializer.loads(token, max_age=self._max_age)
        except BadSignature:  # also covers SignatureExpired
            return None
        return key if isinstance(key, str) else None
