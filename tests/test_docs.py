"""What the README promises a site owner: every setting is documented with its default."""

from __future__ import annotations

import dataclasses
import re

from parley.settings import Settings
from tests.conftest import REPO

README = (REPO / "README.md").read_text()


def settings_rows() -> dict[str, str]:
    """The settings table's rows: setting name -> the default column, as written."""
    rows: dict[str, str] = {}
    for line in README.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) < 3:
            continue
        for name in re.findall(r"`([a-z_]+)`", cells[0]):
            rows[name] = cells[1]
    return rows


def test_every_setting_is_in_the_readme_with_its_default() -> None:
    rows = settings_rows()
    missing = [f.name for f in dataclasses.fields(Settings) if f.name not in rows]
    assert not missing, f"settings missing from README's settings table: {missing}"
    wrong = []
    for field in dataclasses.fields(Settings):
        default = field.default
        written = f"`{str(default).lower()}`"
        if isinstance(default, bool | int) and written not in rows[field.name]:
            wrong.append((field.name, default, rows[field.name]))
    assert not wrong, f"README's default differs from settings.py: {wrong}"
