"""The composition of Parley's services for one process: store, sites, comments."""

from __future__ import annotations

from dataclasses import dataclass

from parley.services.comments import CommentService, Moderator
from parley.services.events import EventSink
from parley.services.sites import SiteDirectory
from parley.settings import Settings
from parley.storage.factory import is_migrated, migrate, open_store
from parley.storage.store import Store


class NotMigrated(RuntimeError):
    pass


@dataclass(slots=True)
class Runtime:
    settings: Settings
    store: Store
    sites: SiteDirectory
    comments: CommentService

    @classmethod
    async def open(
        cls,
        settings: Settings,
        moderator: Moderator | None = None,
        events: EventSink | None = None,
    ) -> Runtime:
        store = open_store(settings.database_url)
        default = await store.ensure_site(settings.site, settings.origins)
        sites = SiteDirectory(await store.list_sites(), default.name, settings.origins)
        return cls(settings, store, sites, CommentService(store, settings, moderator, events))

    async def close(self) -> None:
        await self.store.close()


def check_migrated(settings: Settings) -> None:
    """Refuse to serve an old schema, with the command that fixes it."""
    if not is_migrated(settings.database_url):
        raise NotMigrated(
            f"the database {settings.database_url} is not at the current schema: "
            "run `parley migrate` first"
        )


def migrate_database(settings: Settings) -> str:
    """Bring the schema up to date; return the revision it is now at."""
    return migrate(settings.database_url)
