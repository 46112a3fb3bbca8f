"""Readers' reports of published comments."""

from __future__ import annotations

import enum


class ReportReason(enum.StrEnum):
    """The fixed reasons a reader may give; the widget shows them translated."""

    SPAM = "spam"
    HARASSMENT = "harassment"  # abuse aimed at a person
    HATE = "hate"  # attacks a group for who they are
    THREAT = "threat"
    PERSONAL_DATA = "personal_data"  # someone's address, phone number, ...
    OFF_TOPIC = "off_topic"
    OTHER = "other"
