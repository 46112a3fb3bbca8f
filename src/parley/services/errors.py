"""What a use case can refuse, in words a reader understands. The web maps each to a code."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TypeVar

from parley.storage.store import StoreError

T = TypeVar("T")


class ServiceError(Exception):
    """Base of every refusal; `str(error)` is safe to show to the caller."""


class InvalidInput(ServiceError):
    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class MarkupTooComplex(InvalidInput):
    """The text's Markdown would take longer to render than any comment should."""


class NotFound(ServiceError):
    pass


class ThreadLocked(ServiceError):
    pass


class NotAllowed(ServiceError):
    """The caller is not who may do this (wrong or missing author token, unknown site)."""


class EditWindowClosed(ServiceError):
    pass


class CommentRejected(ServiceError):
    def __init__(self, message: str, reasons: list[str]) -> None:
        super().__init__(message)
        self.reasons = reasons


class StorageUnavailable(ServiceError):
    pass


async def storing(work: Awaitable[T]) -> T:
    """The store's answer; a database that fails or refuses is StorageUnavailable (503)."""
    try:
        return await work
    except StoreError as error:
        raise StorageUnavailable(str(error)) from error
