"""The `parley` command: serve, migrate, import, export, site."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import Callable, Coroutine
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, Any, TypeVar

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from parley.cli_articles import site_article_from_page, thread_article
from parley.cli_moderation import eval_command, export_encoder, health, moderate, train
from parley.domain.accounts import Role, StaffUser
from parley.domain.comments import Site
from parley.domain.review import AuditEntry
from parley.domain.scoring import ApiKey, KeyChanges, KeyUsage, StoredSuggestion
from parley.domain.thread_health import StoredAlert
from parley.importers.wordpress import ImportFileError
from parley.services.accounts import AccountService
from parley.services.errors import InvalidInput, NotFound, ServiceError
from parley.services.exporting import export_site
from parley.services.importing import ImportReport, import_wordpress
from parley.services.importing import Progress as ImportProgress
from parley.services.moderation import PublishEverything, checked_policy
from parley.services.pseudonyms import NETWORK_TAG_DAYS
from parley.services.runtime import NotMigrated, Runtime, check_migrated, migrate_database
from parley.services.sites import add_site, checked_origin, remove_site
from parley.settings import Settings, SettingsError, ensure_secret, load_settings
from parley.storage.store import StoreError

T = TypeVar("T")


def _settings(ctx: click.Context) -> Settings:
    return ctx.ensure_object(dict)["settings"]  # type: ignore[no-any-return]


def _run(
    work: Callable[[Runtime], Coroutine[Any, Any, T]],
    settings: Settings,
    moderated: bool = False,
) -> T:
    """Run one use case against the configured database; `moderated` loads the engine."""

    async def main() -> T:
        moderator = None if moderated else PublishEverything()
        runtime = await Runtime.open(settings, moderator)
        try:
            return await work(runtime)
        finally:
            await runtime.close()

    try:
        check_migrated(settings)
        return asyncio.run(main())
    except (NotMigrated, StoreError, LookupError, ServiceError) as error:
        raise click.ClickException(str(error)) from error


async def _audit(
    rt: Runtime,
    site_id: int,
    action: str,
    target: str,
    before: dict[str, object],
    after: dict[str, object],
) -> None:
    """A setting changed from the command line, in the audit log (no user: the CLI)."""
    assert rt.audit is not None
    await rt.audit.record(AuditEntry(None, site_id, action, target, before, after))


@click.group()
@click.option(
    "--database",
    "database_url",
    envvar="PARLEY_DATABASE_URL",
    help="Database URL (default: sqlite:///var/parley.db).",
)
@click.pass_context
def main(ctx: click.Context, database_url: str | None) -> None:
    """Parley: comments with moderation that runs on your own machine."""
    try:
        settings = load_settings(database_url=database_url)
    except SettingsError as error:
        raise click.ClickException(str(error)) from error
    ctx.ensure_object(dict)["settings"] = settings


@main.command()
@click.pass_context
def migrate(ctx: click.Context) -> None:
    """Create or upgrade the database schema."""
    settings = _settings(ctx)
    try:
        revision = migrate_database(settings)
    except StoreError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"database {settings.database_url} is at schema revision {revision}")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8080, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64))
@click.option(
    "--scoring-only", is_flag=True, help="Serve only the Perspective-compatible scoring API."
)
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, workers: int, scoring_only: bool) -> None:
    """Serve the API, the widget and the demo pages."""
    import uvicorn

    settings = ensure_secret(_settings(ctx))
    try:
        check_migrated(settings)
    except (NotMigrated, StoreError) as error:
        raise click.ClickException(str(error)) from error
    if workers > 1 and settings.events_backend == "memory" and not scoring_only:
        click.echo(
            "warning: live updates reach only readers on the same worker with "
            "events_backend=memory; set PARLEY_EVENTS_BACKEND=postgres or redis://… "
            "for several workers",
            err=True,
        )
    # Workers are separate processes: they read the same settings from the environment.
    os.environ["PARLEY_DATABASE_URL"] = settings.database_url
    os.environ["PARLEY_SECRET"] = settings.secret
    uvicorn.run(
        "parley.web.app:"
        + ("scoring_app_from_environment" if scoring_only else "app_from_environment"),
        factory=True,
        host=host,
        port=port,
        workers=workers,
        loop="uvloop",
        http="httptools",
        access_log=settings.debug,
        timeout_graceful_shutdown=5,  # live-update streams never end by themselves
        proxy_headers=False,  # X-Forwarded-For is read by the app, from trusted_proxies only
        log_level="info",
    )


class _RichImportProgress(ImportProgress):
    def __init__(self, progress: Progress) -> None:
        self._progress = progress

    def parsing(self, total_bytes: int) -> Callable[[int], None]:
        task = self._progress.add_task("reading", total=total_bytes)
        return lambda n: self._progress.advance(task, n)

    def storing(self, total_comments: int) -> Callable[[], None]:
        task = self._progress.add_task("importing", total=total_comments)
        return lambda: self._progress.advance(task)


@main.group(name="import")
def import_group() -> None:
    """Import comments from another system."""


@import_group.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--site", default=None, help="Site to import into (default: the configured site).")
@click.pass_context
def wordpress(ctx: click.Context, file: Path, site: str | None) -> None:
    """Import a WordPress export (WXR) FILE, keeping each comment's parent. Idempotent."""
    settings = _settings(ctx)
    columns = (TextColumn("{task.description:>9}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, transient=True, disable=not sys.stderr.isatty()) as bar:
        try:
            report = _run(
                lambda rt: import_wordpress(
                    rt.store,
                    site or settings.site,
                    file,
                    moderator=rt.moderator,
                    progress=_RichImportProgress(bar),
                    max_name=settings.max_name,
                    health=rt.health,
                ),
                settings,
                moderated=True,
            )
        except ImportFileError as error:
            raise click.ClickException(f"{error}; nothing was imported") from error
    click.echo(
        f"{file}: {report.threads} thread(s), {report.comments_in_file} comment(s) in the "
        f"file, {report.comments_added} new"
    )
    click.echo(_filled(report))
    if report.pages_skipped:
        click.echo(f"{report.pages_skipped} page(s) whose link is no path on the site left out")
    if report.fields_dropped:
        click.echo(
            f"{report.fields_dropped} invalid author field(s) left out "
            "(a name too long, an email that is no address, a website that is no http(s) URL)"
        )


def _filled(report: ImportReport) -> str:
    """Which site and threads an import filled: "imported 13 comments into site default
    (thread /reviews/nanking/)"."""
    keys = report.thread_keys
    where = f"thread {keys[0]}" if len(keys) == 1 else f"threads {', '.join(keys[:3])}"
    if len(keys) > 3:
        where += f" and {len(keys) - 3} more"
    noun = "comment" if report.comments_added == 1 else "comments"
    text = f"imported {report.comments_added} {noun} into site {report.site}"
    return f"{text} ({where})" if keys else f"{text} (no threads in the file)"


@main.group(name="export")
def export_group() -> None:
    """Export comments."""


@export_group.command(name="json")
@click.option("--site", default=None, help="Site to export (default: the configured site).")
@click.option("-o", "--output", type=click.File("w"), default="-", show_default=True)
@click.pass_context
def export_json(ctx: click.Context, site: str | None, output: Any) -> None:
    """Write every thread with all its comments as one JSON document."""
    settings = _settings(ctx)

    async def collect(rt: Runtime) -> list[dict[str, Any]]:
        return [thread async for thread in export_site(rt.store, site or settings.site)]

    threads = _run(collect, settings)
    json.dump(
        {"site": site or settings.site, "threads": threads}, output, ensure_ascii=False, indent=2
    )
    output.write("\n")


@main.group(name="site")
def site_group() -> None:
    """Sites: which origins may embed Parley."""


def _origins(_: click.Context, __: click.Parameter, values: tuple[str, ...]) -> tuple[str, ...]:
    try:
        return tuple(checked_origin(value) for value in values)
    except InvalidInput as error:
        raise click.BadParameter(str(error)) from error


@site_group.command(name="add")
@click.argument("name")
@click.option(
    "--origin",
    "origins",
    multiple=True,
    callback=_origins,
    help="scheme://host[:port], e.g. https://example.org (repeatable)",
)
@click.pass_context
def site_add(ctx: click.Context, name: str, origins: tuple[str, ...]) -> None:
    """Create a site, or add origins to one. Running servers apply it within seconds."""

    async def add(rt: Runtime) -> Site:
        try:
            return await add_site(rt.store, name, origins)
        except InvalidInput as error:
            raise click.UsageError(str(error)) from error

    site = _run(add, _settings(ctx))
    click.echo(f"site {site.name}: {', '.join(site.origins) or 'no origins'}")


@site_group.command(name="remove")
@click.argument("name")
@click.option(
    "--force", is_flag=True, help="Also delete the site's threads and all their comments."
)
@click.pass_context
def site_remove(ctx: click.Context, name: str, force: bool) -> None:
    """Remove a site that holds no threads (with --force: and its threads and comments).

    The default site (setting `site`) is never removed. Export first: `parley export json
    --site NAME`.
    """
    settings = _settings(ctx)
    removal = _run(
        lambda rt: remove_site(rt.store, name, force=force, default_name=settings.site), settings
    )
    click.echo(
        f"site {name} removed, with {removal.threads} thread(s) and {removal.comments} comment(s)"
    )


@site_group.command(name="policy")
@click.argument("name")
@click.argument("file", required=False, type=click.File("rb"))
@click.pass_context
def site_policy(ctx: click.Context, name: str, file: IO[bytes] | None) -> None:
    """Show a site's moderation policy, or set it from a JSON FILE ('-': stdin).

    Missing keys keep their defaults; `report_threshold` (default 3) is how many readers'
    reports put a comment in the moderators' reported queue. Running servers apply it within
    seconds.
    """
    settings = _settings(ctx)
    if file is None:
        sites = {site.name: site for site in _run(lambda rt: rt.store.list_sites(), settings)}
        if name not in sites:
            raise click.ClickException(f"no site named {name!r}")
        click.echo(json.dumps(checked_policy(sites[name].policy), indent=2))
        return
    try:
        policy = checked_policy(json.load(file))
    except ValueError as error:  # not JSON
        raise click.ClickException(f"{file.name}: not JSON ({error})") from error
    except ServiceError as error:
        raise click.ClickException(f"{file.name}: {error}") from error

    async def change(rt: Runtime) -> None:
        sites = {s.name: s for s in await rt.store.list_sites()}
        if name not in sites:
            raise LookupError(f"no site named {name!r}")
        site = await rt.store.set_site_policy(name, policy)
        await _audit(rt, site.id, "site.policy", f"site:{site.id}", sites[name].policy, policy)

    _run(change, settings)
    click.echo(f"site {name}: policy updated; running servers apply it within seconds")


@site_group.command(name="list")
@click.pass_context
def site_list(ctx: click.Context) -> None:
    """List the sites and their origins."""
    for site in _run(lambda rt: rt.store.list_sites(), _settings(ctx)):
        click.echo(f"{site.name}\t{', '.join(site.origins)}")


@main.group(name="thread")
def thread_group() -> None:
    """Threads: lock a discussion or open it again."""


def _set_locked(ctx: click.Context, key: str, site: str | None, locked: bool) -> None:
    settings = _settings(ctx)
    site_name = site or settings.site

    async def change(rt: Runtime) -> bool:
        sites = {s.name: s for s in await rt.store.list_sites()}
        if site_name not in sites:
            raise LookupError(f"no site named {site_name!r}")
        site_id = sites[site_name].id
        thread = await rt.store.get_thread(site_id, key)
        if thread is None or not await rt.store.set_thread_locked(site_id, key, locked):
            return False
        action, target = f"thread.{'lock' if locked else 'unlock'}", f"thread:{thread.id}"
        await _audit(rt, site_id, action, target, {"locked": thread.locked}, {"locked": locked})
        return True

    if not _run(change, settings):
        raise click.ClickException(f"no thread {key!r} on site {site_name!r}")
    click.echo(f"{key}: {'locked' if locked else 'open'}")


@thread_group.command(name="lock")
@click.argument("key")
@click.option("--site", default=None, help="Site of the thread (default: the configured site).")
@click.pass_context
def thread_lock(ctx: click.Context, key: str, site: str | None) -> None:
    """Stop new comments on the thread KEY (its page path); existing ones stay."""
    _set_locked(ctx, key, site, True)


@thread_group.command(name="unlock")
@click.argument("key")
@click.option("--site", default=None, help="Site of the thread (default: the configured site).")
@click.pass_context
def thread_unlock(ctx: click.Context, key: str, site: str | None) -> None:
    """Take comments on the thread KEY again."""
    _set_locked(ctx, key, site, False)


@health.command(name="alerts")
@click.option("--site", default=None, help="Site of the alerts (default: the configured site).")
@click.option("--thread", "thread_key", default=None, help="Only this thread's (its page path).")
@click.option(
    "--status",
    type=click.Choice(["open", "dismissed", "resolved", "all"]),
    default="open",
    show_default=True,
)
@click.pass_context
def health_alerts(
    ctx: click.Context, site: str | None, thread_key: str | None, status: str
) -> None:
    """List the derailment alerts stored for a site's threads, newest first."""
    settings = _settings(ctx)
    site_name = site or settings.site

    async def listing(rt: Runtime) -> list[StoredAlert]:
        assert rt.health is not None
        sites = {s.name: s for s in await rt.store.list_sites()}
        if site_name not in sites:
            raise LookupError(f"no site named {site_name!r}")
        site_id = sites[site_name].id
        if thread_key is not None:
            found = await rt.health.thread_alerts(site_id, thread_key)
            return [a for a in found if status in ("all", a.status)]
        return await rt.health.alerts([site_id], None if status == "all" else status, limit=200)

    alerts = _run(listing, settings)
    for alert in alerts:
        click.echo(
            f"#{alert.id} {alert.status:<9} {alert.created_at:%Y-%m-%d %H:%M} {alert.thread_key} "
            f"branch #{alert.branch_root} (seen at #{alert.at_comment}), step {alert.step}: "
            + "; ".join(alert.reasons)
        )
    if not alerts:
        click.echo(f"no {'' if status == 'all' else status + ' '}alerts on {site_name}")


@main.command()
@click.pass_context
def purge(ctx: click.Context) -> None:
    """Forget what is kept of posters' addresses once it is 30 days old.

    `parley serve` does this hourly by itself; run it from cron where no server runs.
    """

    async def forget(rt: Runtime) -> int:
        assert rt.comments is not None
        return await rt.comments.forget_old_network_tags()

    forgotten = _run(forget, _settings(ctx))
    click.echo(f"{forgotten} network tag(s) older than {NETWORK_TAG_DAYS} days forgotten")


@main.group(name="apikey")
def apikey_group() -> None:
    """Keys for the Perspective-compatible scoring API."""


class _DailyQuota(click.ParamType[int]):
    """A daily quota: a number of requests, or `none` for no daily quota (0 for `none`)."""

    name = "N|none"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int) or str(value).strip().lower() != "none":
            count: int = click.IntRange(min=1).convert(value, param, ctx)
            return count
        return 0


_DAILY = _DailyQuota()


def _quota_options(create: bool) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The options `apikey create` and `apikey set-quota` share."""

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        options = [
            click.option(
                "--qps",
                default=10.0 if create else None,
                show_default=create,
                type=click.FloatRange(min=0, min_open=True),
                help="Queries per second, for each method apart.",
            ),
            click.option(
                "--per-day",
                type=_DAILY,
                help="comments:analyze requests per UTC day; `none`: no daily quota.",
            ),
            click.option(
                "--suggest-per-day",
                type=_DAILY,
                help="comments:suggestscore requests per UTC day; `none`: no daily quota.",
            ),
            click.option(
                "--site",
                default=None,
                help="The site whose moderators review its suggestions"
                + (" [default: the configured site]." if create else "."),
            ),
            click.option(
                "--cors-origin",
                "cors_origins",
                multiple=True,
                help="An origin whose pages may call with this key from a browser "
                "(repeatable)" + ("." if create else "; replaces the key's origins."),
            ),
        ]
        if not create:
            options.append(
                click.option("--no-cors", is_flag=True, help="Remove the key's CORS origins.")
            )
        for option in reversed(options):
            command = option(command)
        return command

    return decorate


def _key_changes(
    per_day: int | None, suggest_per_day: int | None, cors_origins: tuple[str, ...] | None
) -> KeyChanges:
    return KeyChanges(
        per_day=per_day or None,
        suggest_per_day=suggest_per_day or None,
        no_per_day=per_day == 0,
        no_suggest_per_day=suggest_per_day == 0,
        cors_origins=cors_origins,
    )


def _quota_text(key: ApiKey) -> str:
    daily = ", ".join(
        f"{method} {key.daily_quota(method) or 'unlimited'}/day"
        for method in ("analyze", "suggestscore")
    )
    return f"{key.qps:g} qps per method, {daily}"


def _used_today(key: ApiKey, used: dict[tuple[int, str], int]) -> str:
    """Today's requests against each daily quota the key has."""
    parts = [
        f"{method} {used.get((key.id, method), 0)}/{quota}"
        for method in ("analyze", "suggestscore")
        if (quota := key.daily_quota(method)) is not None
    ]
    return "today: " + ", ".join(parts) if parts else "no daily quota"


@apikey_group.command(name="create")
@click.argument("name")
@_quota_options(create=True)
@click.pass_context
def apikey_create(
    ctx: click.Context,
    name: str,
    qps: float,
    per_day: int | None,
    suggest_per_day: int | None,
    site: str | None,
    cors_origins: tuple[str, ...],
) -> None:
    """Create a key; it is printed once and stored only as a hash."""
    settings = _settings(ctx)
    changes = _key_changes(per_day, suggest_per_day, cors_origins)
    created = _run(
        lambda rt: rt.api_keys.create(name, qps, site or settings.site, changes), settings
    )
    click.echo(created.secret)
    click.echo(
        f"key {created.key.name!r} created ({_quota_text(created.key)}); keep it: it is shown "
        "only once",
        err=True,
    )


@apikey_group.command(name="set-quota")
@click.argument("name")
@_quota_options(create=False)
@click.pass_context
def apikey_set_quota(
    ctx: click.Context,
    name: str,
    qps: float | None,
    per_day: int | None,
    suggest_per_day: int | None,
    site: str | None,
    cors_origins: tuple[str, ...],
    no_cors: bool,
) -> None:
    """Change a key's quotas, site or CORS origins (what is not given stays); running servers
    apply it within seconds."""
    origins = () if no_cors else (cors_origins or None)
    changes = replace(_key_changes(per_day, suggest_per_day, origins), qps=qps)
    key = _run(lambda rt: rt.api_keys.change(name, changes, site), _settings(ctx))
    click.echo(f"key {key.name!r}: {_quota_text(key)}")


@apikey_group.command(name="list")
@click.pass_context
def apikey_list(ctx: click.Context) -> None:
    """List keys with their state, quotas, today's use against them and requests per day."""

    async def listing(
        rt: Runtime,
    ) -> tuple[list[ApiKey], list[KeyUsage], dict[tuple[int, str], int]]:
        return await rt.api_keys.all(), await rt.api_keys.usage(), await rt.api_keys.used_today()

    keys, usage, used = _run(listing, _settings(ctx))
    for key in keys:
        state = f"revoked {key.revoked_at:%Y-%m-%d}" if key.revoked_at else "active"
        days = ", ".join(f"{u.day}: {u.requests}" for u in usage if u.key_name == key.name)
        click.echo(
            f"{key.name}\t{key.prefix}…\t{key.qps:g} qps\t{state}\t{_used_today(key, used)}"
            f"\t{days or 'unused'}"
        )


@apikey_group.command(name="usage")
@click.argument("name", required=False)
@click.option(
    "--days", default=7, show_default=True, type=click.IntRange(1, 3660), help="Days back."
)
@click.pass_context
def apikey_usage(ctx: click.Context, name: str | None, days: int) -> None:
    """Requests per key and day over the last DAYS days (today included), with each key's
    quotas and today's use against them; NAME: that key only."""

    async def listing(
        rt: Runtime,
    ) -> tuple[list[ApiKey], list[KeyUsage], dict[tuple[int, str], int], dict[int, str]]:
        keys = await rt.api_keys.all()
        return (
            keys,
            await rt.api_keys.usage(),
            await rt.api_keys.used_today(),
            await rt.api_keys.sites(),
        )

    keys, usage, used, sites = _run(listing, _settings(ctx))
    if name is not None:
        keys = [key for key in keys if key.name == name]
        if not keys:
            raise click.ClickException(f"no key named {name!r}")
    since = datetime.now(UTC).date() - timedelta(days=days - 1)
    for key in keys:
        state = f"revoked {key.revoked_at:%Y-%m-%d}" if key.revoked_at else "active"
        site = sites.get(key.site_id, "-") if key.site_id is not None else "-"
        click.echo(f"{key.name}\t{key.prefix}…\t{key.qps:g} qps per method\t{state}\tsite {site}")
        click.echo(f"  {_used_today(key, used)}")
        counted = [u for u in usage if u.key_name == key.name and u.day >= since]
        for day in counted:
            click.echo(f"  {day.day}\t{day.requests}")
        click.echo(f"  total, {days} day(s)\t{sum(u.requests for u in counted)}")


@apikey_group.command(name="suggestions")
@click.option("--site", default=None, help="That site's keys only (default: every key's).")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 10_000))
@click.pass_context
def apikey_suggestions(ctx: click.Context, site: str | None, limit: int) -> None:
    """The newest scores callers suggested (comments:suggestscore), one JSON object a line."""
    found = _run(lambda rt: rt.api_keys.suggestions(site, limit), _settings(ctx))
    for suggestion in found:
        click.echo(json.dumps(_suggestion_json(suggestion), ensure_ascii=False))


def _suggestion_json(suggestion: StoredSuggestion) -> dict[str, object]:
    return {
        "id": suggestion.id,
        "created_at": suggestion.created_at.isoformat(),
        "site": suggestion.site_name,
        "key": suggestion.key_name,
        "attributeScores": suggestion.attribute_scores,
        "text": suggestion.text,
        "languages": list(suggestion.languages),
        "communityId": suggestion.community_id,
        "clientToken": suggestion.client_token,
    }


@apikey_group.command(name="revoke")
@click.argument("name")
@click.pass_context
def apikey_revoke(ctx: click.Context, name: str) -> None:
    """Revoke a key; running servers refuse it within seconds."""
    _run(lambda rt: rt.api_keys.revoke(name), _settings(ctx))
    click.echo(f"key {name!r} revoked")


@main.group(name="admin")
def admin_group() -> None:
    """Accounts of the moderator console (/admin/): owners and moderators."""


def _read_password(confirm: bool = True) -> str:
    """From a prompt with confirmation on a terminal, else the first line of stdin."""
    if sys.stdin.isatty():
        return str(click.prompt("Password", hide_input=True, confirmation_prompt=confirm))
    return sys.stdin.readline().rstrip("\r\n")


def _run_admin(work: Callable[[AccountService], Coroutine[Any, Any, T]], ctx: click.Context) -> T:
    """Run an account use case; a bad name, site or password is a usage error (exit 2)."""

    async def with_accounts(rt: Runtime) -> T:
        assert rt.accounts is not None
        try:
            return await work(rt.accounts)
        except (InvalidInput, NotFound) as error:
            raise click.UsageError(str(error)) from error

    return _run(with_accounts, _settings(ctx))


@admin_group.command(name="create-user")
@click.argument("name")
@click.option(
    "--role", type=click.Choice([r.value for r in Role]), required=True, help="owner or moderator"
)
@click.option("--site", "sites", multiple=True, help="A site a moderator moderates (repeatable).")
@click.pass_context
def admin_create_user(ctx: click.Context, name: str, role: str, sites: tuple[str, ...]) -> None:
    """Create an account; the password is prompted for (or read from stdin)."""
    password = _read_password()
    user = _run_admin(lambda accounts: accounts.create_user(name, password, Role(role), sites), ctx)
    where = ", ".join(sites) if sites else "every site"
    click.echo(f"user {user.name!r} created: {user.role.value} of {where}")


@admin_group.command(name="list-users")
@click.pass_context
def admin_list_users(ctx: click.Context) -> None:
    """List accounts: name, role, sites, state."""

    async def listing(accounts: AccountService) -> list[tuple[StaffUser, str]]:
        users = await accounts.list_users()
        names = await accounts.site_names()
        return [(u, ",".join(sorted(names.get(i, str(i)) for i in u.site_ids))) for u in users]

    for user, sites in _run_admin(listing, ctx):
        state = "disabled" if user.disabled else "active"
        click.echo(f"{user.name}\t{user.role.value}\t{sites or '*'}\t{state}")


@admin_group.command(name="set-password")
@click.argument("name")
@click.pass_context
def admin_set_password(ctx: click.Context, name: str) -> None:
    """Set an account's password; signs out its sessions."""
    password = _read_password()
    _run_admin(lambda accounts: accounts.set_password(name, password), ctx)
    click.echo(f"password of {name!r} set; its sessions are signed out")


@admin_group.command(name="disable-user")
@click.argument("name")
@click.pass_context
def admin_disable_user(ctx: click.Context, name: str) -> None:
    """Disable an account and sign out its sessions."""
    _run_admin(lambda accounts: accounts.disable_user(name), ctx)
    click.echo(f"user {name!r} disabled")


main.add_command(moderate)
thread_group.add_command(thread_article)
site_group.add_command(site_article_from_page)
main.add_command(health)
main.add_command(train)
main.add_command(eval_command)
main.add_command(export_encoder)

if __name__ == "__main__":
    main()
