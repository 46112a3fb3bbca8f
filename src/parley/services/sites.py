"""Which site a request belongs to, from its Origin header; what a site's origin may be."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol
from urllib.parse import urlsplit

from parley.domain.comments import Site
from parley.services.errors import InvalidInput, NotAllowed, NotFound, StorageUnavailable
from parley.storage.sites import SiteRemoval, site_store
from parley.storage.store import Store, StoreError

# How often a server re-reads the sites (names, origins, policies) another process may change.
SITES_REFRESH_SECONDS = 2.0


def checked_origin(origin: str) -> str:
    """An origin as a browser sends it: http(s)://host[:port], lower-case, nothing after.

    A path, query, fragment or user name would never match a browser's Origin header, so the
    site would silently refuse every write: they are refused here instead.
    """
    text = origin.strip()
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as error:
        raise InvalidInput(f"{origin!r} is not an origin: {error}", field="origin") from None
    problem = None
    if parts.scheme.lower() not in ("http", "https") or not text.lower().startswith(
        f"{parts.scheme.lower()}://"
    ):
        problem = "it must start with http:// or https://"
    elif "@" in parts.netloc:
        problem = "it must not hold a user name or password"
    elif not parts.hostname:
        problem = "it names no host"
    elif parts.path not in ("", "/") or parts.query or parts.fragment or text.endswith(("?", "#")):
        problem = "an origin has no path, query or fragment"
    elif any(c.isspace() for c in text):
        problem = "it holds a space"
    if problem:
        raise InvalidInput(
            f"{origin!r} is not an origin ({problem}); write it as https://example.org or "
            "http://host:8080",
            field="origin",
        )
    host = parts.hostname or ""
    if ":" in host:  # an IPv6 address keeps its brackets
        host = f"[{host}]"
    return f"{parts.scheme.lower()}://{host}" + (f":{port}" if port is not None else "")


class SiteDirectory:
    """The sites as last read; a request's Origin picks one, no Origin means the default.

    A server calls `update` every SITES_REFRESH_SECONDS with the sites in the database, so a
    site, origin or policy added with `parley site ...` applies without a restart.
    """

    def __init__(self, sites: Iterable[Site], default_name: str, own_origins: Iterable[str] = ()):
        self._default_name = default_name
        self._own_origins = tuple(own_origins)
        self._sites: tuple[Site, ...] = ()
        self.update(sites)

    def update(self, sites: Iterable[Site]) -> bool:
        """Take the sites as now stored; whether anything changed. LookupError (and nothing
        changes) when the default site is not among them."""
        sites = tuple(sites)
        if sites == self._sites:
            return False
        by_name = {site.name: site for site in sites}
        if self._default_name not in by_name:
            raise LookupError(f"the default site {self._default_name!r} is gone")
        default = by_name[self._default_name]
        by_origin: dict[str, Site] = {}
        for site in by_name.values():
            for origin in site.origins:
                by_origin.setdefault(_clean(origin), site)
        for origin in self._own_origins:
            by_origin.setdefault(_clean(origin), default)
        # Replaced whole, never changed in place: a request reads one consistent directory.
        self._sites, self.default, self._by_origin = sites, default, by_origin
        return True

    @property
    def sites(self) -> Sequence[Site]:
        return self._sites

    def for_origin(self, origin: str | None) -> Site | None:
        """The site an Origin belongs to; the default for none; None for a foreign origin."""
        if not origin:
            return self.default
        return self._by_origin.get(_clean(origin))

    def allows(self, origin: str) -> bool:
        return _clean(origin) in self._by_origin


def _clean(origin: str) -> str:
    return origin.strip().rstrip("/").lower()


class SiteStore(Protocol):
    async def ensure_site(self, name: str, origins: Sequence[str] = ()) -> Site: ...

    async def list_sites(self) -> list[Site]: ...


def checked_site_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > 100 or any(c.isspace() or not c.isprintable() for c in name):
        raise InvalidInput(
            f"{name!r} is not a site name: 1 to 100 characters, no spaces", field="name"
        )
    return name


async def add_site(store: SiteStore, name: str, origins: Sequence[str]) -> Site:
    """Create the site, or add origins to it. InvalidInput for a malformed name or origin, and
    for an origin of another site: a browser's Origin header must name one site."""
    name = checked_site_name(name)
    checked = [checked_origin(origin) for origin in origins]
    owners = {_clean(o): site.name for site in await store.list_sites() for o in site.origins}
    for origin in checked:
        owner = owners.get(_clean(origin), name)
        if owner != name:
            raise InvalidInput(
                f"{origin} is an origin of site {owner!r} already (an Origin names one site)",
                field="origin",
            )
    return await store.ensure_site(name, checked)


async def remove_site(store: Store, name: str, *, force: bool, default_name: str) -> SiteRemoval:
    """Remove a site. Never the default site (the one requests without a known Origin get);
    a site holding threads only with `force`, which deletes them and all their comments.
    NotAllowed says why not; NotFound for an unknown site."""
    if name == default_name:
        raise NotAllowed(f"{name!r} is the default site (setting `site`): it cannot be removed")
    try:
        removal = await site_store(store).remove_site(name, with_threads=force)
    except StoreError as error:
        raise StorageUnavailable(str(error)) from error
    if removal is None:
        raise NotFound(f"no site named {name!r}")
    if not removal.removed:
        raise NotAllowed(
            f"site {name!r} holds {removal.threads} thread(s) with {removal.comments} "
            f"comment(s): export them first (`parley export json --site {name}`), then remove "
            "it with --force to delete them with the site"
        )
    return removal
