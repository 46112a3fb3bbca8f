"""Choosing the moderator a process uses: the built-in engine, or none."""

from __future__ import annotations

from parley.moderation.engine import Engine
from parley.services.comments import Moderator, PublishEverything
from parley.settings import Settings


def load_moderator(settings: Settings) -> Moderator:
    """The engine with the model shipped in the package (loads in well under 2 s)."""
    if not settings.moderation:
        return PublishEverything()
    return Engine.load()
