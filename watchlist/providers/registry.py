"""Which providers exist: the built-in ones plus third-party plug-ins
registered under the ``watchlist.providers`` entry-point group."""

from __future__ import annotations

import logging
from functools import cache
from importlib import import_module
from importlib.metadata import entry_points

from .base import Provider

logger = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "watchlist.providers"
BUILTIN_PROVIDERS = {
    "feed": "watchlist.providers.feed:FeedProvider",
    "directory": "watchlist.providers.directory:DirectoryProvider",
    "ytdlp": "watchlist.providers.ytdlp:YtDlpProvider",
    "torznab": "watchlist.providers.torznab:TorznabProvider",
}


class UnknownProvider(LookupError):
    pass


def _load(target: str) -> type[Provider]:
    module_name, _, attr = target.partition(":")
    return getattr(import_module(module_name), attr)


@cache
def all_providers() -> dict[str, Provider]:
    """Every provider by id, built once per process (``all_providers.cache_clear()``
    reloads, e.g. in tests that install a plug-in)."""
    providers: dict[str, Provider] = {}
    for provider_id, target in BUILTIN_PROVIDERS.items():
        # Sources are shared: they keep every release, batches and specials
        # included; each item's release matching decides what is its own.
        providers[provider_id] = _load(target)(include_extras=True)
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        try:
            cls = ep.load()
            provider = cls()
        except Exception:  # a broken plug-in must not take the service down
            logger.exception("provider plug-in %s (%s) failed to load; skipped", ep.name, ep.value)
            continue
        if not isinstance(provider, Provider) or not isinstance(getattr(provider, "id", None), str):
            logger.error("provider plug-in %s (%s) is not a Provider with an id; skipped", ep.name, ep.value)
            continue
        if provider.id in providers:
            logger.warning("provider plug-in %s reuses id %r; ignored", ep.name, provider.id)
            continue
        providers[provider.id] = provider
    return providers


def provider_ids() -> list[str]:
    return sorted(all_providers())


def get_provider(provider_id: str) -> Provider:
    try:
        return all_providers()[provider_id]
    except KeyError:
        raise UnknownProvider(provider_id) from None


def detect_provider(url: str) -> Provider | None:
    """The first provider that says it can read ``url``: plug-ins first (they
    know particular sites), then yt-dlp (it matches known sites only), then
    the URL-shape guesses of feed and directory (a torznab: search address
    is the indexers' and nothing else's)."""
    providers = all_providers()
    ordered = [p for pid, p in providers.items() if pid not in BUILTIN_PROVIDERS]
    ordered += [providers[pid] for pid in ("torznab", "ytdlp", "feed", "directory") if pid in providers]
    for provider in ordered:
        try:
            if provider.can_handle(url):
                return provider
        except Exception:  # a plug-in's bug must not stop detection by the others
            logger.exception("provider %r failed in can_handle(%r)", provider.id, url)
    return None
