"""The provider interface: turn a source URL into the episodes it offers."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar, Protocol


class SourceRef(Protocol):
    """What a provider needs to know about a source (a `Source` row fits).

    ``etag`` and ``last_modified`` are the validators of the previous fetch
    ("" when there was none); only `refresh` reads them.
    """

    url: str
    lang: str
    etag: str
    last_modified: str


@dataclass(frozen=True)
class EpisodeInfo:
    """One release of one episode, as a source lists it."""

    # The series-wide (absolute) number when the release gives one, else the
    # number it gives (the per-season one for "S02E05").
    episode: int
    url: str
    title: str = ""
    season: int | None = None
    resolution: int | None = None  # vertical pixels: 1080, 720, ...
    version: int = 1
    language: str = ""  # a tag of watchlist.releases ("vostfr", "en"...); "" when untagged
    published_at: datetime | None = None
    size: int | None = None  # bytes
    release_name: str = ""
    # Added fields. Providers list regular episodes only unless built with
    # include_extras=True; then batches and specials come flagged (an
    # unnumbered special as episode 0).
    season_episode: int | None = None  # the "05" of "S02E05 (E17)", for file names
    episode_end: int | None = None  # last episode of a batch
    is_special: bool = False
    group: str = ""
    # Torrent releases (tracker feeds, indexers). ``url`` is then the
    # .torrent link or a ``magnet:`` URI; the swarm figures are the tracker's
    # at listing time (None when the listing does not say).
    infohash: str = ""  # v1 info-hash, 40 lower-case hex digits
    seeders: int | None = None
    leechers: int | None = None
    trusted: bool = False  # the tracker marks the uploader as trusted
    remake: bool = False  # the tracker marks the upload as a remake (re-encode/re-upload)
    # The listing types the link as a torrent (an enclosure of type
    # application/x-bittorrent) though nothing in the URL says so
    # ("download.php?id=123"): without it, such a link went to the HTTP
    # backend, which saved the .torrent file as the episode's video.
    typed_torrent: bool = False

    @property
    def is_batch(self) -> bool:
        return self.episode_end is not None


@dataclass(frozen=True)
class Refresh:
    """The outcome of a (conditional) refresh of a source.

    ``not_modified`` means the upstream answered 304: nothing was parsed and
    ``episodes`` is empty, so the caller keeps what it recorded last time.
    ``etag``/``last_modified`` are the validators to store for next time.
    """

    not_modified: bool
    episodes: list[EpisodeInfo]
    etag: str = ""
    last_modified: str = ""


@dataclass(frozen=True)
class SearchResult:
    title: str
    url: str
    poster_image: str = ""
    synopsis: str = ""
    genres: list[str] = field(default_factory=list)


class ProviderError(Exception):
    """The source answered, but not with something this provider can read
    (not a feed, too large, an extractor error). ``permanent`` tells the
    checker whether retrying later may help."""

    def __init__(self, message: str, *, permanent: bool = True) -> None:
        super().__init__(message)
        self.permanent = permanent


class Provider(ABC):
    id: ClassVar[str]
    name: ClassVar[str]
    supports_search: ClassVar[bool] = False
    # True when refresh() sends the stored validators and can answer
    # "not modified" without downloading and parsing the listing again.
    conditional_requests: ClassVar[bool] = False

    def __init__(self, *, include_extras: bool = False) -> None:
        # Batches and specials have no place in "the next episode after N";
        # the checker gets regular episodes only unless asked otherwise.
        self.include_extras = include_extras

    @abstractmethod
    def can_handle(self, url: str) -> bool:
        """True when this provider can read the given source URL."""

    @abstractmethod
    def list_episodes(self, source: SourceRef) -> list[EpisodeInfo]:
        """Every episode release the source currently lists."""

    def refresh(self, source: SourceRef) -> Refresh:
        """Like `list_episodes`, but may skip the work when the source has
        not changed since the validators stored on ``source``. Providers
        that cannot tell (the default) always list."""
        return Refresh(not_modified=False, episodes=self.list_episodes(source))

    def search(self, query: str) -> list[SearchResult]:
        raise NotImplementedError(f"provider {self.id!r} cannot search")
