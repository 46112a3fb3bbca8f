"""The composition of Parley's services for one process."""

from __future__ import annotations

from dataclasses import dataclass

from parley.moderation.language import LanguageDetector as ShippedLanguageDetector
from parley.services.apikeys import ApiKeyService
from parley.services.comments import CommentService
from parley.services.events import EventSink
from parley.services.limits import RateLimits
from parley.services.moderation import Moderator, SiteModerators, load_moderator
from parley.services.perspective import LanguageDetector, PerspectiveService
from parley.services.sites import SiteDirectory
from parley.settings import Settings
from parley.storage.factory import check_writable, is_migrated, migrate, open_store
from parley.storage.store import Store


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
            PerspectiveService(store, moderator, languages),
        )
        if not scoring_only:
            default = await store.ensure_site(settings.site, settings.origins)
            sites = await store.list_sites()
            runtime.sites = SiteDirectory(sites, default.name, settings.origins)
            moderators = SiteModerators(moderator, sites)
            runtime.comments = CommentService(store, settings, moderators, events)
            runtime.limits = RateLimits(store, settings.rate_limit, settings.rate_period)
        return runtime

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
