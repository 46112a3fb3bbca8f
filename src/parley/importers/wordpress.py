"""WordPress eXtended RSS (WXR) exports: posts with their comment trees."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

WP = "{http://wordpress.org/export/1.2/}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
_SKIPPED_TYPES = {"pingback", "trackback"}
_SKIPPED_APPROVALS = {"spam", "trash"}


class ImportFileError(ValueError):
    """The file cannot be imported; the message names the line where known."""


@dataclass(frozen=True, slots=True)
class ImportedComment:
    source_id: str
    parent_source_id: str | None
    author_name: str | None
    author_email: str | None
    author_website: str | None
    author_ip: str | None
    body: str
    created_at: datetime
    approved: bool


@dataclass(slots=True)
class ImportedPost:
    key: str
    title: str
    url: str
    article_html: str
    comments: list[ImportedComment] = field(default_factory=list)


@dataclass(slots=True)
class ImportedSite:
    base_url: str | None
    posts: list[ImportedPost] = field(default_factory=list)

    @property
    def origin(self) -> str | None:
        if not self.base_url:
            return None
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None

    @property
    def comment_count(self) -> int:
        return sum(len(post.comments) for post in self.posts)


def _text(element: ET.Element, tag: str) -> str:
    found = element.find(tag)
    return (found.text or "").strip() if found is not None else ""


def _when(comment: ET.Element) -> datetime:
    raw = _text(comment, f"{WP}comment_date_gmt") or _text(comment, f"{WP}comment_date")
    if not raw or raw.startswith("0000"):
        raw = _text(comment, f"{WP}comment_date")
    try:
        return datetime.strptime(raw, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    except ValueError as error:
        raise ValueError(f"comment date {raw!r} is not YYYY-MM-DD HH:MM:SS") from error


def _comment(element: ET.Element) -> ImportedComment | None:
    if _text(element, f"{WP}comment_type") in _SKIPPED_TYPES:
        return None
    approval = _text(element, f"{WP}comment_approved")
    if approval in _SKIPPED_APPROVALS:
        return None
    source_id = _text(element, f"{WP}comment_id")
    if not source_id:
        raise ValueError("a comment has no wp:comment_id")
    parent = _text(element, f"{WP}comment_parent")
    return ImportedComment(
        source_id=source_id,
        parent_source_id=parent if parent not in ("", "0") else None,
        author_name=_text(element, f"{WP}comment_author") or None,
        author_email=_text(element, f"{WP}comment_author_email") or None,
        author_website=_text(element, f"{WP}comment_author_url") or None,
        author_ip=_text(element, f"{WP}comment_author_IP") or None,
        body=_text(element, f"{WP}comment_content"),
        created_at=_when(element),
        approved=approval == "1",
    )


def _post(item: ET.Element) -> ImportedPost | None:
    link = _text(item, "link")
    comments = [c for c in map(_comment, item.iter(f"{WP}comment")) if c is not None]
    if not link or (not comments and _text(item, f"{WP}post_type") == "attachment"):
        return None
    path = urlsplit(link).path or "/"
    return ImportedPost(
        key=path,
        title=_text(item, "title"),
        url=link,
        article_html=_text(item, CONTENT),
        comments=comments,
    )


def _items(path: Path, on_bytes: Callable[[int], None]) -> Iterator[tuple[str, ET.Element]]:
    with path.open("rb") as handle:
        parser = ET.XMLPullParser(events=("end",))
        while chunk := handle.read(1 << 16):
            parser.feed(chunk)
            on_bytes(len(chunk))
            yield from parser.read_events()  # type: ignore[misc]
        parser.close()
        yield from parser.read_events()  # type: ignore[misc]


def parse_wxr(path: Path, on_bytes: Callable[[int], None] = lambda n: None) -> ImportedSite:
    """Read the whole file first, so a malformed one imports nothing."""
    site = ImportedSite(base_url=None)
    try:
        for _, element in _items(path, on_bytes):
            if element.tag == f"{WP}base_site_url":
                site.base_url = (element.text or "").strip() or None
            elif element.tag == "item":
                post = _post(element)
                if post is not None:
                    site.posts.append(post)
                element.clear()
    except ET.ParseError as error:
        line, column = error.position
        raise ImportFileError(
            f"{path}: line {line}, column {column}: not well-formed XML ({error.msg})"
        ) from error
    except ValueError as error:
        raise ImportFileError(f"{path}: {error}") from error
    except OSError as error:
        raise ImportFileError(f"{path}: {error.strerror or error}") from error
    if not site.posts:
        raise ImportFileError(f"{path}: no WordPress items with a link found; is this a WXR file?")
    return site


def parents_first(comments: list[ImportedComment]) -> list[tuple[ImportedComment, int]]:
    """Order a post's comments so each comes after its parent, with its depth.

    A comment whose parent is missing from the file is treated as top-level.
    """
    by_id = {c.source_id: c for c in comments}
    children: dict[str | None, list[ImportedComment]] = {}
    for comment in comments:
        parent = comment.parent_source_id if comment.parent_source_id in by_id else None
        children.setdefault(parent, []).append(comment)
    ordered: list[tuple[ImportedComment, int]] = []
    stack = [(c, 0) for c in reversed(children.get(None, []))]
    while stack:
        comment, depth = stack.pop()
        ordered.append((comment, depth))
        stack.extend((child, depth + 1) for child in reversed(children.get(comment.source_id, [])))
    return ordered
