"""What text Parley takes from anyone: no control characters, bar tabs and line breaks in a body."""

from __future__ import annotations

import re

# Unicode's control characters (category Cc): C0, DEL and C1.
_ANY_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_BUT_LAYOUT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def control_character(text: str, multiline: bool = False) -> str | None:
    """The first control character in `text`, if any.

    Multi-line text (a comment's body) may hold tabs and line breaks; one-line text nothing.
    PostgreSQL cannot store NUL at all and SQLite stores anything, so both refuse the same.
    """
    found = (_CONTROL_BUT_LAYOUT if multiline else _ANY_CONTROL).search(text)
    return found.group() if found else None
