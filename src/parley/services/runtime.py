"""The composition of Parley's services for one process."""

from __future__ import annotations

from dataclasses import dataclass

from parley.moderation.language import LanguageDetector as ShippedLanguageDetector
from parley.services.accounts import AccountService
from parley.services.apikeys import ApiKeyService
from parley.services.audit import AuditService
from parley.services.authors import AuthorService
from parley.services.comments import CommentService
from parley.services.events import EventSink, NoEvents
from parley.services.limits import RateLimits
from parley.services.moderation import (
    Moderator,
    SiteModerators,
    load_moderator,
    load_scorer,
    load_watch,
)
from parley.services.overview import OverviewService
from parley.services.perspective import LanguageDetector, PerspectiveService
from parley.services.policies import PolicyService
from parley.services.reports import ReportService
from parley.services.review import ReviewService
from parley.services.sanctions import SanctionService
from parley.services.sites import SiteDirectory
from parley.services.thread_health import ThreadHealthService
from parley.services.tokens import AuthorTokens
from parley.settings import Settings
from parley.storage.accounts import open_accounts
from parley.storage.factory import check_writable, is_migrated, migrate, open_store
from parley.storage.insights import insights_store
from parley.storage.reports import report_store
from parley.storage.review import review_store
from parley.storage.sanctions import sanction_store
from parley.storage.store import Store
from parley.storage.thread_health import health_store


class NotMigrated(RuntimeError):
    pass


@dataclass(slots=True)
class Runtime:
    settings: Settings
    store: Store
    moderator: Moderator
    api_keys: ApiKeyService
    perspective: PerspectiveService
    # Absent when serving the scoring API alone (`parley serve --scoring-only`).
    sites: SiteDirectory | None = None
    comments: CommentService | None = None
    limits: RateLimits | None = None
    accounts: AccountService | None = None  # the moderator console's
    reports: ReportService | None = None
    review: ReviewService | None = None  # the moderators' queues and decisions
    audit: AuditService | None = None
    site_moderators: SiteModerators | None = None
    policies: PolicyService | None = None  # the console's policy editor
    overview: OverviewService | None = None
    sanctions: SanctionService | None = None  # on authors, branches and threads
    authors: AuthorService | None = None  # the author drawer
    health: ThreadHealthService | None = None  # off-topic scores, derailment alerts

    @classmethod
    async def open(
        cls,
        settings: Settings,
        moderator: Moderator | None = None,
        events: EventSink | None = None,
        scoring_only: bool = False,
        languages: LanguageDetector | None = None,
    ) -> Runtime:
        store = open_store(settings.database_url)
        moderator = moderator or load_moderator(settings)
        # Loaded once per process and shared with the moderation engine's own.
        languages = languages or ShippedLanguageDetector.load()
        runtime = cls(
            settings,
            store,
            moderator,
            ApiKeyService(store),
            PerspectiveService(store, load_scorer(settings, moderator), languages),
        )
        if not scoring_only:
            default = await store.ensure_site(settings.site, settings.origins)
            sites = await store.list_sites()
            runtime.sites = SiteDirectory(sites, default.name, settings.origins)
            moderators = runtime.site_moderators = SiteModerators(moderator, sites)
            runtime.comments = CommentService(store, settings, moderators, events)
            runtime.limits = RateLimits(store, settings.rate_limit, settings.rate_period)
            runtime.accounts = AccountService(open_accounts(store), store, settings)
            runtime.reports = ReportService(
                store,
                report_store(store),
                AuthorTokens(settings.secret, settings.author_token_ttl),
                events or NoEvents(),
            )
            review = review_store(store)
            runtime.review = ReviewService(review, store, settings.max_body, events)
            runtime.audit = AuditService(review)
            sanction_storage = sanction_store(store)
            runtime.sanctions = SanctionService(
                sanction_storage, store, runtime.audit, runtime.review, settings.secret, events
            )
            runtime.authors = AuthorService(
                sanction_storage, runtime.audit, runtime.sanctions.emails
            )
            runtime.comments.enforce(runtime.sanctions)
            runtime.health = ThreadHealthService(
                health_store(store),
                store,
                sanction_storage,
                runtime.audit,
                moderators.policy_for,
                load_watch(settings, moderator),  # loaded once per process, as the moderator
                events,
            )
            runtime.comments.watch_health(runtime.health)
            runtime.reports.enforce(runtime.sanctions)
            insights = insights_store(store)
            runtime.policies = PolicyService(store, insights, runtime.audit, runtime.refresh_sites)
            runtime.overview = OverviewService(store, insights)
        return runtime

    async def refresh_sites(self) -> bool:
        """Re-read the sites, so that what `parley site ...` changed applies while serving;
        whether anything changed. LookupError when the default site is gone."""
        if self.sites is None or self.site_moderators is None:
            return False
        sites = await self.store.list_sites()
        if not self.sites.update(sites):
            return False
        self.site_moderators.update(sites)
        return True

    async def close(self) -> None:
        await self.api_keys.flush_usage()
        await self.store.close()


def check_migrated(settings: Settings) -> None:
    """Refuse to serve an old schema, or a SQLite database that cannot be written."""
    check_writable(settings.database_url)
    if not is_migrated(settings.database_url):
        raise NotMigrated(
            f"the database {settings.database_url} is not at the current schema: "
            "run `parley migrate` first"
        )


def migrate_database(settings: Settings) -> str:
    """Bring the schema up to date; return the revision it is now at."""
    return migrate(settings.database_url)
