"""Moderation engine: normalise, match word lists, score, apply a site policy (DESIGN.md §5)."""
