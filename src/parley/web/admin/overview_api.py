"""The overview: per site and day, what was posted and what became of it, as JSON under
/api/v1/admin/overview and as a page of server-rendered SVG charts (each with its title, its
description and a table of the same numbers) under /admin/overview. See services/overview.py
for what each number counts."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Annotated, Any

import msgspec
from litestar import Request, Response, get
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import QueryParameter

from parley.services.overview import (
    DEFAULT_DAYS,
    MAX_DAYS,
    OUTCOMES,
    DayStats,
    Overview,
)
from parley.web.admin import services
from parley.web.admin.auth import SessionStaff, accounts, require_session
from parley.web.admin.policy_api import PAGE_ERRORS
from parley.web.admin.render import admin_page
from parley.web.schemas import MAX_ID, ProblemDetail

DAY_CHOICES = (7, 30, 90)
_PROBLEMS = {
    401: ResponseSpec(ProblemDetail, description="No valid session"),
    403: ResponseSpec(ProblemDetail, description="Not your site"),
    404: ResponseSpec(ProblemDetail, description="No such site"),
}
SiteFilter = Annotated[
    int | None,
    QueryParameter(ge=1, le=MAX_ID, description="A site's id; left out: every site of yours"),
]
Days = Annotated[
    int, QueryParameter(ge=1, le=MAX_DAYS, description="Days up to today (UTC), today included")
]


class DayOut(msgspec.Struct):
    day: str  # YYYY-MM-DD (UTC); for the total, the first day of the period
    posted: int
    published: int
    flagged: int
    held: int
    rejected: int
    deleted: int
    reported: int  # reader reports filed
    decided: int  # comments a moderator decided on (first decision)
    median_decision_seconds: float | None  # from posting to that decision
    alerts: int  # verdicts with a derailment alert


class LabelCount(msgspec.Struct):
    label: str
    count: int


class SiteOut(msgspec.Struct):
    id: int
    name: str


class OverviewOut(msgspec.Struct):
    site_id: int | None  # None: every site of the caller's, summed
    sites: list[SiteOut]  # the sites counted
    days: list[DayOut]  # oldest first, empty days included
    total: DayOut
    top_labels: list[LabelCount]  # the labels behind verdicts that were not a plain publish


def _day(stats: DayStats) -> DayOut:
    return DayOut(
        day=stats.day,
        posted=stats.posted,
        reported=stats.reported,
        decided=stats.decided,
        median_decision_seconds=stats.median_decision_seconds,
        alerts=stats.alerts,
        **stats.outcomes,
    )


def _out(found: Overview) -> OverviewOut:
    return OverviewOut(
        site_id=found.site.id if found.site else None,
        sites=[SiteOut(s.id, s.name) for s in found.sites],
        days=[_day(d) for d in found.days],
        total=_day(found.total),
        top_labels=[LabelCount(label, n) for label, n in found.top_labels],
    )


@get(
    "/overview",
    summary="Per site and day: posted, outcomes, reports, decisions, alerts",
    responses=_PROBLEMS,
)
async def overview(
    request: Request[Any, Any, Any],
    staff: SessionStaff,
    site: SiteFilter = None,
    days: Days = DEFAULT_DAYS,
) -> OverviewOut:
    return _out(await services.overview(request).overview(staff, site, days))


OVERVIEW_API_HANDLERS = [overview]


# -- charts ---------------------------------------------------------------------------------
WIDTH, HEIGHT = 720, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 12, 28


@dataclass(frozen=True, slots=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    css: str
    title: str


@dataclass(frozen=True, slots=True)
class Tick:
    at: float  # the y (or x) coordinate
    text: str


@dataclass(frozen=True, slots=True)
class Chart:
    bars: list[Bar]
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    bottom: int = HEIGHT - BOTTOM


def _axis(value: float, whole: bool) -> tuple[float, float]:
    """The axis' top and tick step: a step of 1, 2 or 5 times a power of ten, at most five
    steps, the top a whole number of steps at least `value` (counts get whole ticks)."""
    if value <= 0:
        return 1.0, 1.0 if whole else 0.25
    power = 10 ** math.floor(math.log10(value / 5))
    step: float = next(s * power for s in (1, 2, 5, 10) if value / (s * power) <= 5)
    step = max(step, 1) if whole else step
    return math.ceil(value / step) * step, step


def _chart(
    days: list[DayStats],
    stacks: list[list[tuple[str, float, str]]],
    top: float,
    whole: bool = False,
) -> Chart:
    """Bars per day (each a stack of (css class, value, title) from the bottom up)."""
    top, step = _axis(top, whole)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(days), 1)
    bars = []
    for i, stack in enumerate(stacks):
        base = float(HEIGHT - BOTTOM)
        for css, value, title in stack:
            if value <= 0:
                continue
            height = value / top * plot_h
            base -= height
            bars.append(Bar(LEFT + i * slot + slot * 0.1, base, slot * 0.8, height, css, title))
    y_ticks = [
        Tick(HEIGHT - BOTTOM - plot_h * n * step / top, f"{n * step:g}")
        for n in range(round(top / step) + 1)
    ]
    every = max(1, math.ceil(len(days) / 10))
    x_ticks = [
        Tick(LEFT + i * slot + slot / 2, d.day[5:]) for i, d in enumerate(days) if i % every == 0
    ]
    return Chart(bars, y_ticks, x_ticks)


def outcome_chart(days: list[DayStats]) -> Chart:
    stacks = [
        [(f"o-{o}", float(d.outcomes[o]), f"{d.day}: {d.outcomes[o]} {o}") for o in OUTCOMES]
        for d in days
    ]
    return _chart(days, stacks, max((d.posted for d in days), default=0), whole=True)


def wait_unit(longest: float) -> tuple[str, float]:
    for unit, seconds in (("seconds", 1.0), ("minutes", 60.0), ("hours", 3600.0)):
        if longest < 120 * seconds:
            return unit, seconds
    return "days", 86400.0


def wait_chart(days: list[DayStats]) -> tuple[Chart, str]:
    longest = max((d.median_decision_seconds or 0.0 for d in days), default=0.0)
    unit, seconds = wait_unit(longest)
    stacks = [
        [
            (
                "o-wait",
                (d.median_decision_seconds or 0.0) / seconds,
                f"{d.day}: median {(d.median_decision_seconds or 0.0) / seconds:.1f} {unit}",
            )
        ]
        for d in days
    ]
    return _chart(days, stacks, longest / seconds), unit


def duration(seconds: float | None) -> str:
    if seconds is None:
        return "none"
    unit, size = wait_unit(seconds)
    return f"{seconds / size:.1f} {unit}" if unit != "seconds" else f"{seconds:.0f} seconds"


# -- the page -------------------------------------------------------------------------------
@get("/overview", include_in_schema=False, exception_handlers=PAGE_ERRORS)
async def overview_page(
    request: Request[Any, Any, Any],
    staff: SessionStaff,
    site: Annotated[int | None, QueryParameter(ge=1, le=MAX_ID)] = None,
    days: Annotated[int, QueryParameter(ge=1, le=MAX_DAYS)] = DEFAULT_DAYS,
) -> Response[str]:
    current = await require_session(request)
    found = await services.overview(request).overview(staff, site, days)
    waits, unit = wait_chart(found.days)
    return admin_page(
        "overview.html",
        current,
        active="overview",
        found=found,
        choices=await accounts(request).sites_of(staff),
        site_id=site,
        days=days,
        day_choices=sorted({*DAY_CHOICES, days}),
        outcomes=OUTCOMES,
        outcome_chart=outcome_chart(found.days),
        wait_chart=waits,
        wait_unit=unit,
        duration=duration,
    )


OVERVIEW_PAGE_HANDLERS = [overview_page]
