"""The provider registry: built-ins, plug-ins found through a real
installed distribution's entry points, broken plug-ins skipped."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest

from watchlist.providers import (
    UnknownProvider,
    all_providers,
    detect_provider,
    get_provider,
    provider_ids,
)
from watchlist.providers.directory import DirectoryProvider
from watchlist.providers.feed import FeedProvider
from watchlist.providers.registry import ENTRY_POINT_GROUP
from watchlist.providers.ytdlp import YtDlpProvider


@pytest.fixture(autouse=True)
def _fresh_registry():
    # The registry is built once per process; a test that installs plug-ins
    # must rebuild it, and must not leave its plug-ins to the next test.
    all_providers.cache_clear()
    yield
    all_providers.cache_clear()
    sys.modules.pop("acme_watchlist_plugin", None)


PLUGIN_MODULE = """
from watchlist.providers.base import EpisodeInfo, Provider


class AcmeProvider(Provider):
    id = "acme"
    name = "Acme Streams"
    supports_search = True

    def can_handle(self, url):
        return url.startswith("https://acme.test/")

    def list_episodes(self, source):
        return [EpisodeInfo(episode=1, url=source.url + "/1")]


class ExplodingProvider(Provider):
    id = "exploding"
    name = "Explodes when built"

    def __init__(self):
        raise RuntimeError("missing API key")

    def can_handle(self, url):
        return False

    def list_episodes(self, source):
        return []


class NotAProvider:
    id = "not-a-provider"


class FeedImpostor(AcmeProvider):
    id = "feed"


class BuggyDetector(AcmeProvider):
    id = "buggy"

    def can_handle(self, url):
        raise ValueError("bug")
"""


def install_distribution(root: Path, monkeypatch, name: str, entry_points: dict[str, str]) -> None:
    """A real installed distribution: a module and a ``.dist-info`` folder with
    METADATA and entry_points.txt on sys.path, found by importlib.metadata
    exactly as a pip-installed plug-in would be."""
    (root / "acme_watchlist_plugin.py").write_text(PLUGIN_MODULE)
    dist_info = root / f"{name.replace('-', '_')}-1.0.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    lines = "\n".join(f"{ep_name} = {target}" for ep_name, target in entry_points.items())
    (dist_info / "entry_points.txt").write_text(f"[{ENTRY_POINT_GROUP}]\n{lines}\n")
    monkeypatch.syspath_prepend(str(root))


def test_builtin_providers():
    assert provider_ids() == ["directory", "feed", "torznab", "ytdlp"]
    assert isinstance(get_provider("feed"), FeedProvider)
    assert isinstance(get_provider("directory"), DirectoryProvider)
    assert isinstance(get_provider("ytdlp"), YtDlpProvider)
    assert get_provider("feed") is get_provider("feed")  # built once
    assert get_provider("feed").conditional_requests is True
    assert get_provider("ytdlp").conditional_requests is False


def test_unknown_provider():
    with pytest.raises(UnknownProvider):
        get_provider("anime-sama")


def test_a_plugin_from_an_installed_distribution(tmp_path, monkeypatch):
    install_distribution(tmp_path, monkeypatch, "acme-watchlist", {"acme": "acme_watchlist_plugin:AcmeProvider"})

    assert provider_ids() == ["acme", "directory", "feed", "torznab", "ytdlp"]
    acme = get_provider("acme")
    assert acme.name == "Acme Streams"
    assert acme.supports_search is True
    # Plug-ins are asked first: they know their sites better than the built-ins.
    assert detect_provider("https://acme.test/series/42/") is acme


def test_broken_plugins_are_logged_and_skipped(tmp_path, monkeypatch, caplog):
    install_distribution(
        tmp_path,
        monkeypatch,
        "acme-watchlist",
        {
            "acme": "acme_watchlist_plugin:AcmeProvider",
            "missing-module": "no_such_module_anywhere:Provider",
            "missing-class": "acme_watchlist_plugin:NoSuchClass",
            "exploding": "acme_watchlist_plugin:ExplodingProvider",
            "not-a-provider": "acme_watchlist_plugin:NotAProvider",
            "impostor": "acme_watchlist_plugin:FeedImpostor",
        },
    )

    with caplog.at_level(logging.WARNING, logger="watchlist.providers.registry"):
        ids = provider_ids()

    assert ids == ["acme", "directory", "feed", "torznab", "ytdlp"]
    assert isinstance(get_provider("feed"), FeedProvider)  # a plug-in cannot take a built-in's id
    logged = caplog.text
    for ep_name in ("missing-module", "missing-class", "exploding", "not-a-provider", "impostor"):
        assert f"plug-in {ep_name}" in logged
    assert "missing API key" in logged  # the traceback is in the log


def test_a_plugin_failing_in_can_handle_does_not_stop_detection(tmp_path, monkeypatch, caplog):
    install_distribution(tmp_path, monkeypatch, "acme-watchlist", {"buggy": "acme_watchlist_plugin:BuggyDetector"})

    with caplog.at_level(logging.ERROR, logger="watchlist.providers.registry"):
        provider = detect_provider("https://example.com/feed.rss")

    assert provider is get_provider("feed")
    assert "failed in can_handle" in caplog.text


@pytest.mark.parametrize(
    ("url", "provider_id"),
    [
        ("https://nyaa.si/?page=rss&q=frieren", "feed"),
        ("https://example.com/shows/frieren.xml", "feed"),
        ("https://files.example.com/anime/Frieren/", "directory"),
        ("https://www.youtube.com/playlist?list=PL0123456789abcdefghijklmnopqrstuv", "ytdlp"),
        ("https://example.com/watch/frieren", None),
        ("not a url", None),
    ],
)
def test_detect_provider(url: str, provider_id: str | None):
    provider = detect_provider(url)
    assert (provider.id if provider else None) == provider_id
