"""The widget's files under /widget/: parley.js and parley.css minified, the catalogues as they are.

parley.js and parley.css stay readable in the package (no build step); the server minifies them
once, when the app is created, and serves the same bytes on every request, so the widget a reader
downloads stays within its size budget (bench/widget.py measures these bytes).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from importlib.resources import files
from importlib.resources.abc import Traversable

import rcssmin  # type: ignore[import-untyped]
import rjsmin  # type: ignore[import-untyped]
from litestar import Response, Router, get
from litestar.datastructures import CacheControlHeader
from litestar.exceptions import NotFoundException
from litestar.params import FromPath

MINIFIERS: dict[str, Callable[[str], str]] = {".js": rjsmin.jsmin, ".css": rcssmin.cssmin}
MEDIA_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
}
CACHE = CacheControlHeader(max_age=300, public=True)


def _walk(folder: Traversable, prefix: str = "") -> Iterator[tuple[str, Traversable]]:
    for entry in folder.iterdir():
        if entry.is_dir():
            yield from _walk(entry, f"{prefix}{entry.name}/")
        else:
            yield f"{prefix}{entry.name}", entry


def widget_files() -> dict[str, bytes]:
    """Every servable file of the widget by its path under /widget/, scripts and styles minified."""
    served = {}
    for name, entry in _walk(files("parley.widget") / "static"):
        suffix = name[name.rfind(".") :]
        if suffix not in MEDIA_TYPES:
            continue
        minify = MINIFIERS.get(suffix)
        served[name] = minify(entry.read_text("utf-8")).encode() if minify else entry.read_bytes()
    return served


def widget_router() -> Router:
    """/widget/NAME from the files read (and minified) now, once."""
    served = widget_files()

    @get("/{name:path}", include_in_schema=False, cache_control=CACHE)
    async def widget_file(name: FromPath[str]) -> Response[bytes]:
        body = served.get(name.lstrip("/"))
        if body is None:
            raise NotFoundException(f"no widget file {name}")
        return Response(body, media_type=MEDIA_TYPES[name[name.rfind(".") :]])

    return Router(path="/widget", route_handlers=[widget_file])
