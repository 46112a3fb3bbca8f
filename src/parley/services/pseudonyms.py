"""Stand-ins for personal data that only the server's secret can link back to a person.

An avatar is an HMAC of the author's email: the same for every comment of one address, but no
one without the secret can confirm a guessed address from it. What is kept of an IP address is
an HMAC of its network (the /24 of IPv4, the /48 of IPv6) and the day: enough to see several
comments came from one place on one day, never which address, and never linked across days.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from datetime import date

NETWORK_TAG_DAYS = 30  # how long a comment keeps its network tag
_IPV4_PREFIX = 24
_IPV6_PREFIX = 48


class Pseudonyms:
    def __init__(self, secret: str) -> None:
        self._avatar_key = _subkey(secret, "avatar")
        self._network_key = _subkey(secret, "network")

    def avatar(self, email: str | None, name: str | None, comment_id: int) -> str:
        """16 hex digits to draw an identicon from: per email, else per name, else per comment."""
        seed = (email or name or f"anonymous-{comment_id}").strip().lower()
        return _mac(self._avatar_key, seed)[:16]

    def network_tag(self, remote_addr: str | None, day: date) -> str | None:
        if not remote_addr:
            return None
        return _mac(self._network_key, f"{day.isoformat()} {network_of(remote_addr)}")[:32]


def network_of(remote_addr: str) -> str:
    """The network an address belongs to; an address that does not parse stands for itself."""
    try:
        address = ipaddress.ip_address(remote_addr)
    except ValueError:
        return remote_addr
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    prefix = _IPV4_PREFIX if address.version == 4 else _IPV6_PREFIX
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


def _subkey(secret: str, purpose: str) -> bytes:
    return hmac.new(secret.encode(), f"parley.{purpose}".encode(), hashlib.sha256).digest()


def _mac(key: bytes, text: str) -> str:
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()
