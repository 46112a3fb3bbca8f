"""The console's services out of the runtime, for the admin API's handlers (a full server wires
every one of them; a scoring-only server has no console routes)."""

from __future__ import annotations

from typing import Any, TypeVar

from litestar import Request

from parley.services.audit import AuditService
from parley.services.authors import AuthorService
from parley.services.overview import OverviewService
from parley.services.policies import PolicyService
from parley.services.review import ReviewService
from parley.services.sanctions import SanctionService
from parley.web.context import runtime

T = TypeVar("T")


def _wired(service: T | None) -> T:
    assert service is not None
    return service


def review(request: Request[Any, Any, Any]) -> ReviewService:
    return _wired(runtime(request).review)


def audit(request: Request[Any, Any, Any]) -> AuditService:
    return _wired(runtime(request).audit)


def authors(request: Request[Any, Any, Any]) -> AuthorService:
    return _wired(runtime(request).authors)


def sanctions(request: Request[Any, Any, Any]) -> SanctionService:
    return _wired(runtime(request).sanctions)


def policies(request: Request[Any, Any, Any]) -> PolicyService:
    return _wired(runtime(request).policies)


def overview(request: Request[Any, Any, Any]) -> OverviewService:
    return _wired(runtime(request).overview)
