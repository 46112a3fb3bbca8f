"""Parley: a self-hosted comment engine whose moderation runs on the owner's machine."""

__version__ = "0.1.0"
