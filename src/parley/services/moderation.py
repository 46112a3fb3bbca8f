"""Choosing the moderator (and the thread health watch) a process uses, and each site's."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Protocol

from parley.domain.comments import Site
from parley.domain.moderation import PUBLISH_ALL, ModerationContext, Verdict
from parley.moderation.engine import Engine
from parley.moderation.policy import Policy
from parley.moderation.thread_health import BranchWatch
from parley.services.errors import InvalidInput
from parley.settings import Settings


class Moderator(Protocol):
    """Judges a comment before it is stored; the moderation engine is one."""

    def assess(self, text: str, context: ModerationContext) -> Verdict: ...


class PublishEverything:
    """The moderator used when moderation is turned off."""

    def assess(self, text: str, context: ModerationContext) -> Verdict:
        return PUBLISH_ALL


class EngineOnDemand:
    """The shipped engine, loaded on its first use.

    The scoring API scores text whether or not the site moderates its own comments; with
    moderation off, a server that is never asked for scores never loads the model.
    """

    def __init__(self) -> None:
        self._engine: Engine | None = None
        self._loading = threading.Lock()

    def assess(self, text: str, context: ModerationContext) -> Verdict:
        if self._engine is None:
            with self._loading:
                if self._engine is None:
                    self._engine = Engine.load()
        return self._engine.assess(text, context)


def load_scorer(settings: Settings, moderator: Moderator) -> Moderator:
    """What the scoring API scores with: the comments' engine, or the shipped one on demand."""
    off = not settings.moderation or isinstance(moderator, PublishEverything)
    return EngineOnDemand() if off else moderator


def load_moderator(settings: Settings) -> Moderator:
    """The engine with the model shipped in the package (loads in well under 2 s)."""
    if not settings.moderation:
        return PublishEverything()
    return Engine.load()


def load_watch(settings: Settings, moderator: Moderator) -> BranchWatch | None:
    """The thread health watch (sentence encoder and topic model, loads in well under a
    second) when comments are moderated and the setting `thread_health` keeps it on."""
    if not settings.moderation or not settings.thread_health:
        return None
    if isinstance(moderator, PublishEverything):
        return None
    return BranchWatch.load()


def checked_policy(data: object) -> dict[str, object]:
    """A site policy as stored: complete, and refused with the reason when malformed."""
    if not isinstance(data, dict):
        raise InvalidInput("a policy is a JSON object")
    try:
        return Policy.from_dict(data).to_dict()
    except ValueError as error:
        raise InvalidInput(f"invalid policy: {error}") from error


def moderator_for(base: Moderator, site: Site) -> Moderator:
    """The built-in engine under the site's own policy; any other moderator as it is."""
    if isinstance(base, Engine) and site.policy:
        return base.with_policy(Policy.from_dict(site.policy))
    return base


class SiteModerators:
    """Each site's moderator: the model is shared, the policies differ (re-read with `update`)."""

    def __init__(self, base: Moderator, sites: Sequence[Site]) -> None:
        self._base = base
        self.update(sites)

    def update(self, sites: Sequence[Site]) -> None:
        """Take the sites' policies as now stored (a server re-reads them while it runs)."""
        self._by_site = {site.id: moderator_for(self._base, site) for site in sites}
        self._policies = {site.id: Policy.from_dict(site.policy) for site in sites}
        self._holds_first_time = {
            site_id for site_id, policy in self._policies.items() if policy.hold_first_time
        }

    def for_site(self, site_id: int) -> Moderator:
        return self._by_site.get(site_id, self._base)

    def holds_first_time(self, site_id: int) -> bool:
        return site_id in self._holds_first_time

    def policy_for(self, site: Site) -> Policy:
        """The site's policy as last read (a site created since: as it is now)."""
        found = self._policies.get(site.id)
        return found if found is not None else Policy.from_dict(site.policy)
