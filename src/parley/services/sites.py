"""Which site a request belongs to, from its Origin header."""

from __future__ import annotations

from collections.abc import Iterable

from parley.domain.comments import Site


class SiteDirectory:
    """The sites known at start-up; a request's Origin picks one, no Origin means the default."""

    def __init__(self, sites: Iterable[Site], default_name: str, own_origins: Iterable[str] = ()):
        self._by_name = {site.name: site for site in sites}
        self.default = self._by_name[default_name]
        self._by_origin: dict[str, Site] = {}
        for site in self._by_name.values():
            for origin in site.origins:
                self._by_origin.setdefault(_clean(origin), site)
        for origin in own_origins:
            self._by_origin.setdefault(_clean(origin), self.default)

    def for_origin(self, origin: str | None) -> Site | None:
        """The site an Origin belongs to; the default for none; None for a foreign origin."""
        if not origin:
            return self.default
        return self._by_origin.get(_clean(origin))

    def allows(self, origin: str) -> bool:
        return _clean(origin) in self._by_origin


def _clean(origin: str) -> str:
    return origin.strip().rstrip("/").lower()
