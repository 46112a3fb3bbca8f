"""`parley health thread --plot`: a thread's tree as SVG, topicality and heat per comment.

One row per comment in reading order (each reply under its parent), indented by depth and joined
to its parent by an elbow line. The dot's fill is the comment's off-topic score (teal on topic,
through grey, to purple off topic), the bar beside it its heat (toxicity, insult or identity
attack, whichever is highest), and an alerted branch is framed from its root to its last reply,
with the alert's reasons written under the frame's title. Plain SVG, no plotting library.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING

from parley.moderation.thread_eval import LabelledThread
from parley.moderation.thread_health import Alert, CommentId, ThreadWatch

if TYPE_CHECKING:
    from rich.table import Table

ROW = 26
INDENT = 22
LEFT = 16
TEXT_X = 380
WIDTH = 1000
EXCERPT = 84


@dataclass(frozen=True, slots=True)
class PlottedComment:
    id: CommentId
    parent: CommentId | None
    author: str
    text: str
    off_topic: float | None
    heat: float


def reading_order(comments: Sequence[PlottedComment]) -> list[tuple[PlottedComment, int]]:
    """(comment, depth) with each reply right under its parent, siblings in posting order."""
    children: dict[CommentId | None, list[PlottedComment]] = {}
    known = {c.id for c in comments}
    for comment in comments:
        parent = comment.parent if comment.parent in known else None
        children.setdefault(parent, []).append(comment)
    ordered: list[tuple[PlottedComment, int]] = []
    stack = [(c, 0) for c in reversed(children.get(None, []))]
    while stack:
        comment, depth = stack.pop()
        ordered.append((comment, depth))
        stack.extend((c, depth + 1) for c in reversed(children.get(comment.id, [])))
    return ordered


def thread_svg(title: str, comments: Sequence[PlottedComment], alerts: Sequence[Alert]) -> str:
    rows = reading_order(comments)
    position = {comment.id: i for i, (comment, _) in enumerate(rows)}
    depth_of = {comment.id: depth for comment, depth in rows}
    top = 64
    notes_y = top + ROW * len(rows) + 24
    height = notes_y + 20 * len(alerts) + 16
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" font-family="system-ui, sans-serif" font-size="12">',
        f"<title>{escape(title)}: topicality and heat per comment</title>",
        f'<rect width="{WIDTH}" height="{height}" fill="#fff"/>',
        f'<text x="{LEFT}" y="24" font-size="16" font-weight="600">{escape(title)}</text>',
        *_legend(),
    ]
    for alert in alerts:
        parts.extend(_alert_frame(alert, rows, position, depth_of, top))
    for comment, depth in rows:
        parts.extend(_row(comment, depth, position, depth_of, top))
    for i, alert in enumerate(alerts):
        parts.append(
            f'<text x="{LEFT}" y="{notes_y + 20 * i}" fill="#a35a00">{escape(_note(alert))}</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _row(
    comment: PlottedComment,
    depth: int,
    position: Mapping[CommentId, int],
    depth_of: Mapping[CommentId, int],
    top: int,
) -> list[str]:
    y = top + ROW * position[comment.id] + ROW // 2
    x = LEFT + 8 + INDENT * depth
    parts = []
    if comment.parent in position:
        parent_x = LEFT + 8 + INDENT * depth_of[comment.parent]
        parent_y = top + ROW * position[comment.parent] + ROW // 2
        parts.append(
            f'<path d="M{parent_x} {parent_y + 7} V{y} H{x - 7}" fill="none" stroke="#bbb"/>'
        )
    score = "n/a" if comment.off_topic is None else f"{comment.off_topic:.2f}"
    label = f"#{comment.id} {comment.author}: off-topic {score}, heat {comment.heat:.2f}"
    parts.append(
        f'<circle cx="{x}" cy="{y}" r="7" fill="{_topic_colour(comment.off_topic)}" '
        f'stroke="#333" stroke-width="0.5"><title>{escape(label)}</title></circle>'
    )
    bar_x = 270
    parts.append(f'<rect x="{bar_x}" y="{y - 5}" width="80" height="10" fill="#eee"/>')
    parts.append(
        f'<rect x="{bar_x}" y="{y - 5}" width="{80 * min(comment.heat, 1.0):.1f}" height="10" '
        f'fill="{_heat_colour(comment.heat)}"/>'
    )
    parts.append(
        f'<text x="{x + 12}" y="{y + 4}">#{comment.id} {escape(comment.author[:18])}</text>'
    )
    excerpt = " ".join(comment.text.split())
    if len(excerpt) > EXCERPT:
        excerpt = excerpt[: EXCERPT - 1] + "…"
    parts.append(f'<text x="{TEXT_X}" y="{y + 4}" fill="#444">{escape(excerpt)}</text>')
    return parts


def _alert_frame(
    alert: Alert,
    rows: Sequence[tuple[PlottedComment, int]],
    position: Mapping[CommentId, int],
    depth_of: Mapping[CommentId, int],
    top: int,
) -> list[str]:
    if alert.branch_root not in position:
        return []
    first = position[alert.branch_root]
    last = first
    root_depth = depth_of[alert.branch_root]
    for index in range(first + 1, len(rows)):
        if rows[index][1] <= root_depth:
            break
        last = index
    x = LEFT + INDENT * root_depth - 4
    y = top + ROW * first + 1
    height = ROW * (last - first + 1) - 2
    return [
        f'<rect x="{x}" y="{y}" width="{WIDTH - x - 8}" height="{height}" rx="6" '
        f'fill="#fff4e5" stroke="#d9822b" stroke-width="1.5">'
        f"<title>{escape(_note(alert))}</title></rect>"
    ]


def _note(alert: Alert) -> str:
    return f"Derailment from #{alert.branch_root}, seen at #{alert.at_comment}: " + "; ".join(
        alert.reasons
    )


def _legend() -> list[str]:
    parts = ['<text x="16" y="46" fill="#555">off-topic:</text>']
    for i, value in enumerate((0.0, 0.25, 0.5, 0.75, 1.0)):
        x = 80 + i * 44
        parts.append(f'<circle cx="{x}" cy="42" r="6" fill="{_topic_colour(value)}"/>')
        parts.append(f'<text x="{x + 9}" y="46" fill="#555">{value:g}</text>')
    parts.append('<text x="330" y="46" fill="#555">heat: bar (0 to 1)</text>')
    parts.append(
        '<rect x="440" y="36" width="14" height="10" rx="2" fill="#fff4e5" stroke="#d9822b"/>'
        '<text x="460" y="46" fill="#555">derailment alert (branch)</text>'
    )
    return parts


def _topic_colour(off_topic: float | None) -> str:
    """Teal (on topic) through light grey to purple (off topic): readable to most colour-blind
    eyes, unlike green to red."""
    if off_topic is None:
        return "#ffffff"
    on, mid, off = (0x1B, 0x9E, 0x77), (0xDD, 0xDD, 0xDD), (0x75, 0x3D, 0xA8)
    t = max(0.0, min(1.0, off_topic))
    a, b, f = (on, mid, t * 2) if t < 0.5 else (mid, off, t * 2 - 1)
    return "#" + "".join(f"{round(x + (y - x) * f):02x}" for x, y in zip(a, b, strict=True))


def _heat_colour(heat: float) -> str:
    return "#c0392b" if heat >= 0.5 else "#e67e22" if heat >= 0.25 else "#95a5a6"


def plotted(thread: LabelledThread, watched: ThreadWatch) -> list[PlottedComment]:
    return [
        PlottedComment(
            comment.id,
            comment.parent,
            comment.author or "anonymous",
            comment.body,
            watched.states[comment.id].off_topic,
            watched.states[comment.id].heat,
        )
        for comment in thread.comments
    ]


def health_svg(thread: LabelledThread, watched: ThreadWatch) -> str:
    return thread_svg(thread.title or thread.name, plotted(thread, watched), watched.alerts)


def health_tables(thread: LabelledThread, watched: ThreadWatch) -> list[Table]:
    """One table per top-level branch: its comments in posting order, indented by depth."""
    from rich.table import Table

    alerted = {alert.at_comment: alert for alert in watched.alerts}
    roots = {alert.branch_root for alert in watched.alerts}
    tables: dict[CommentId, Table] = {}
    for comment in thread.comments:
        state = watched.states[comment.id]
        table = tables.get(state.top_id)
        if table is None:
            table = tables[state.top_id] = Table(
                title=f"branch #{state.top_id}", title_justify="left"
            )
            for column in ("comment", "author", "posted", "off-topic", "heat", "drift"):
                table.add_column(
                    column, justify="right" if column not in ("comment", "author") else "left"
                )
            for column in ("run", "pair", "alert"):
                table.add_column(column)
        mark = "root of alert" if comment.id in roots else ""
        if comment.id in alerted:
            mark = (
                mark + "; " if mark else ""
            ) + f"ALERT (from #{alerted[comment.id].branch_root})"
        table.add_row(
            "  " * state.depth + f"#{comment.id}",
            (comment.author or "")[:16],
            comment.created_at.strftime("%Y-%m-%d %H:%M"),
            f"{state.off_topic:.2f}",
            f"{state.heat:.2f}",
            f"{state.drift:.2f}",
            str(state.run),
            str(state.pair),
            mark,
        )
    return list(tables.values())
