"""Torrents the tests make: payload files with known checksums and the
`.torrent` bytes libtorrent builds for them.

    made = make_torrent(tmp_path / "seed", {"Show - 01.mkv": 300_000})
    made.torrent        # bencoded .torrent (v1, as nyaa serves them)
    made.infohash       # 40 hex digits
    made.magnet()       # magnet:?xt=urn:btih:...
    made.files[0].sha256

With `name=` the torrent is a multi-file one whose files live in a folder of
that name (a batch); without it, one file is the whole torrent. The payload
is written under `root` exactly where a seeder's save path expects it
(`root / file.path`), so `root` is the seeder's save path.

Bytes are pseudo-random from a seed: two payloads never share pieces by
accident, and the same call gives the same bytes (a benchmark can rebuild a
1 GiB payload without keeping it).
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import libtorrent as lt

DEFAULT_PIECE_LENGTH = 16 * 1024
_WRITE_CHUNK = 4 * 1024 * 1024


@dataclass(frozen=True)
class PayloadFile:
    path: str  # inside the torrent, "/"-separated, including the batch folder if any
    size: int
    sha256: str


@dataclass(frozen=True)
class MadeTorrent:
    root: Path  # the seeder's save path: payload files are root / file.path
    name: str
    files: tuple[PayloadFile, ...]
    torrent: bytes
    infohash: str
    piece_length: int
    web_seeds: tuple[str, ...] = ()
    trackers: tuple[str, ...] = ()

    @property
    def total_size(self) -> int:
        return sum(f.size for f in self.files)

    def payload_path(self, index: int = 0) -> Path:
        return self.root / self.files[index].path

    def file(self, suffix: str) -> PayloadFile:
        """The payload file whose path ends with suffix (e.g. "- 05.mkv")."""
        matches = [f for f in self.files if f.path.endswith(suffix)]
        if len(matches) != 1:
            raise KeyError(f"{len(matches)} files end with {suffix!r}")
        return matches[0]

    def torrent_info(self) -> lt.torrent_info:
        return lt.torrent_info(self.torrent)

    def magnet(self, *, peers: Iterable[str] = (), with_trackers: bool = True, with_web_seeds: bool = False) -> str:
        """A magnet URI for the torrent.

        `peers` ("127.0.0.1:6881") are written as `x.pe`, the BEP 9 way of
        naming a peer to fetch the metadata from: with DHT off in tests,
        that (or a loopback tracker) is how the engine finds the seeder.
        """
        parts = [f"xt=urn:btih:{self.infohash}", f"dn={quote(self.name, safe='')}"]
        if with_trackers:
            parts += [f"tr={quote(t, safe='')}" for t in self.trackers]
        if with_web_seeds:
            parts += [f"ws={quote(w, safe='')}" for w in self.web_seeds]
        parts += [f"x.pe={p}" for p in peers]
        return "magnet:?" + "&".join(parts)


def write_payload(path: Path, size: int, seed: int) -> str:
    """Write size pseudo-random bytes to path; return their sha256."""
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    digest = hashlib.sha256()
    with path.open("wb") as fh:
        left = size
        while left:
            chunk = rng.randbytes(min(_WRITE_CHUNK, left))
            digest.update(chunk)
            fh.write(chunk)
            left -= len(chunk)
    return digest.hexdigest()


def make_torrent(
    root: Path,
    files: Mapping[str, int],
    *,
    name: str | None = None,
    piece_length: int = DEFAULT_PIECE_LENGTH,
    web_seed: str | None = None,
    trackers: Iterable[str] = (),
    seed: int = 0,
) -> MadeTorrent:
    """Write the payload under root and build its v1 torrent.

    files: file name (may contain "/" for subfolders) -> size in bytes, in
    the order they go into the torrent. name: the batch folder of a
    multi-file torrent; None for a single-file torrent (exactly one file).
    web_seed: a BEP 19 url-list entry; for a single-file torrent it is the
    file's own URL, for a multi-file one the folder URL ending in "/" under
    which `<name>/<file path>` is served.
    """
    if not files:
        raise ValueError("a torrent needs at least one file")
    if name is None and len(files) != 1:
        raise ValueError("a torrent of several files needs a name (its folder)")
    root = Path(root)
    made: list[PayloadFile] = []
    entries = []
    for i, (relative, size) in enumerate(files.items()):
        inside = relative if name is None else f"{name}/{relative}"
        sha = write_payload(root / inside, size, seed=seed * 1_000_003 + i)
        made.append(PayloadFile(path=inside, size=size, sha256=sha))
        entries.append(lt.create_file_entry(inside, size))

    creator = lt.create_torrent(entries, piece_length, lt.create_torrent.v1_only)
    creator.set_creator("tests")
    tracker_list = tuple(trackers)
    for tier, url in enumerate(tracker_list):
        creator.add_tracker(url, tier)
    if web_seed:
        creator.add_url_seed(web_seed)
    lt.set_piece_hashes(creator, str(root))
    data = lt.bencode(creator.generate())
    info = lt.torrent_info(data)
    return MadeTorrent(
        root=root,
        name=info.name(),
        files=tuple(made),
        torrent=data,
        infohash=str(info.info_hashes().v1),
        piece_length=piece_length,
        web_seeds=(web_seed,) if web_seed else (),
        trackers=tracker_list,
    )
