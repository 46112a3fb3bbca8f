"""HTML for the console: Jinja2 templates under templates/admin, each page told who is signed in."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from litestar import MediaType, Response

from parley.services.accounts import StaffSession

# Console pages are never cached, framed or sent with a referrer.
PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
    "Referrer-Policy": "same-origin",
}


@lru_cache(maxsize=1)
def templates() -> Environment:
    return Environment(
        loader=PackageLoader("parley.web", "templates"),
        autoescape=select_autoescape(["html"]),
    )


def admin_page(
    template: str,
    session: StaffSession | None,
    status_code: int = 200,
    **context: Any,
) -> Response[str]:
    """Render `admin/<template>`; its base names the user and carries the CSRF token."""
    html = (
        templates()
        .get_template(f"admin/{template}")
        .render(
            staff=session.staff if session else None,
            csrf_token=session.csrf_token if session else "",
            **context,
        )
    )
    return Response(
        html, media_type=MediaType.HTML, status_code=status_code, headers=dict(PAGE_HEADERS)
    )
