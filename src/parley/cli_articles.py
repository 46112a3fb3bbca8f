"""`parley thread article` and `parley site article-from-page`: the article a thread's comments
are judged against, and whether a site keeps the page text its widget sends."""

from __future__ import annotations

from pathlib import Path

import click

from parley.services.articles import ArticleService, ArticleSource, article_service
from parley.services.runtime import Runtime


async def _site_id(rt: Runtime, name: str) -> int:
    sites = {s.name: s for s in await rt.store.list_sites()}
    if name not in sites:
        raise LookupError(f"no site named {name!r}")
    return sites[name].id


def _service(rt: Runtime) -> ArticleService:
    assert rt.audit is not None
    return article_service(rt.store, rt.audit)


@click.command(name="article")
@click.argument("key")
@click.option("--site", default=None, help="Site of the thread (default: the configured site).")
@click.option(
    "--file",
    "file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The article: an .html file (sanitised) or a text file (blank lines part paragraphs).",
)
@click.option("--text", default=None, help="The article as plain text.")
@click.option("--title", default=None, help="The thread's title (default: kept as it is).")
@click.pass_context
def thread_article(
    ctx: click.Context,
    key: str,
    site: str | None,
    file: Path | None,
    text: str | None,
    title: str | None,
) -> None:
    """Set the article of the thread KEY (its page path), creating the thread if need be."""
    from parley.cli import _run, _settings  # parley.cli imports this module: here, not above

    if (file is None) == (text is None):
        raise click.UsageError("give the article with either --file or --text")
    if file is not None:
        content = file.read_text(encoding="utf-8")
        is_html = file.suffix.lower() in (".html", ".htm")
        source = ArticleSource(title, content if is_html else None, None if is_html else content)
    else:
        source = ArticleSource(title, None, text)
    settings = _settings(ctx)
    site_name = site or settings.site

    async def change(rt: Runtime) -> int:
        site_id = await _site_id(rt, site_name)
        thread = await _service(rt).set_article(None, site_id, key, source)
        return len(thread.article_html)

    size = _run(change, settings)
    click.echo(f"{key}: article set ({size} characters of HTML) on site {site_name}")


@click.command(name="article-from-page")
@click.argument("name")
@click.argument("state", type=click.Choice(["on", "off"]), required=False)
@click.pass_context
def site_article_from_page(ctx: click.Context, name: str, state: str | None) -> None:
    """Show, or set (on/off), whether site NAME keeps the page text its widget sends with a
    thread's first comment (the embed's `data-article`) as the thread's article."""
    from parley.cli import _run, _settings  # parley.cli imports this module: here, not above

    async def change(rt: Runtime) -> bool:
        site_id = await _site_id(rt, name)
        service = _service(rt)
        if state is not None:
            await service.set_article_from_page(None, site_id, state == "on")
        return await service.article_from_page(site_id)

    on = _run(change, _settings(ctx))
    click.echo(f"site {name}: article from page {'on' if on else 'off'}")
