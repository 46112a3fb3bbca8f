"""The audit log: every moderator's decision and every setting change, who, when, before and
after; listed newest first and exported as CSV.

Decisions write their entries themselves (services/review.py, in the decision's transaction);
other changes (a site's policy, accounts) call `AuditService.record`.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from parley.domain.accounts import Staff
from parley.domain.review import AuditEntry, AuditFilter, AuditRecord
from parley.services.errors import InvalidInput, NotAllowed, storing

DEFAULT_PAGE = 100
MAX_PAGE = 500
CSV_LIMIT = 100_000  # entries in one export; narrow the filter for more
CSV_COLUMNS = (
    "id",
    "created_at",
    "user_id",
    "site_id",
    "action",
    "target",
    "model_version",
    "threshold",
    "undo_id",
    "before",
    "after",
)


class AuditStorage(Protocol):
    async def add_audit(self, entry: AuditEntry, at: datetime) -> None: ...

    async def audit(self, wanted: AuditFilter, limit: int) -> list[AuditRecord]: ...


@dataclass(frozen=True, slots=True)
class AuditPage:
    records: list[AuditRecord]
    next: int | None  # pass as `before` for the next page


class AuditService:
    def __init__(
        self, storage: AuditStorage, clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    ) -> None:
        self._storage = storage
        self._clock = clock

    async def record(self, entry: AuditEntry) -> None:
        await storing(self._storage.add_audit(entry, self._clock()))

    async def page(self, staff: Staff, wanted: AuditFilter, limit: int = DEFAULT_PAGE) -> AuditPage:
        if not 1 <= limit <= MAX_PAGE:
            raise InvalidInput(f"limit is 1 to {MAX_PAGE}", "limit")
        found = await storing(self._storage.audit(self._scoped(staff, wanted), limit + 1))
        more = len(found) > limit
        found = found[:limit]
        return AuditPage(found, found[-1].id if more and found else None)

    async def csv(self, staff: Staff, wanted: AuditFilter) -> AsyncIterator[str]:
        """The entries as CSV text, a chunk at a time (header first), newest first."""
        wanted = self._scoped(staff, wanted)
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(CSV_COLUMNS)
        yield _drain(out)
        sent = 0
        while sent < CSV_LIMIT:
            batch = await storing(self._storage.audit(wanted, min(1000, CSV_LIMIT - sent)))
            if not batch:
                return
            for record in batch:
                writer.writerow(_csv_row(record))
            yield _drain(out)
            sent += len(batch)
            wanted = AuditFilter(
                wanted.user_id,
                wanted.action,
                wanted.site_ids,
                wanted.since,
                wanted.until,
                before_id=batch[-1].id,
            )

    def _scoped(self, staff: Staff, wanted: AuditFilter) -> AuditFilter:
        """A moderator reads the entries of their sites alone; an owner reads every entry."""
        if wanted.since and wanted.until and wanted.since >= wanted.until:
            raise InvalidInput("since must be before until", "since")
        if staff.site_ids is None:
            return wanted
        if wanted.site_ids is None:
            sites = staff.site_ids
        else:
            refused = sorted(wanted.site_ids - staff.site_ids)
            if refused:
                raise NotAllowed(f"you do not moderate site {refused[0]}")
            sites = wanted.site_ids
        return AuditFilter(
            wanted.user_id, wanted.action, frozenset(sites), wanted.since, wanted.until,
            wanted.before_id,
        )  # fmt: skip


def _csv_row(record: AuditRecord) -> list[object]:
    def as_json(value: object) -> str:
        return "" if value is None else json.dumps(value, sort_keys=True, ensure_ascii=False)

    return [
        record.id,
        record.created_at.isoformat(),
        "" if record.user_id is None else record.user_id,
        "" if record.site_id is None else record.site_id,
        record.action,
        record.target,
        record.model_version or "",
        "" if record.threshold is None else record.threshold,
        record.undo_id or "",
        as_json(record.before),
        as_json(record.after),
    ]


def _drain(out: io.StringIO) -> str:
    text = out.getvalue()
    out.seek(0)
    out.truncate()
    return text
