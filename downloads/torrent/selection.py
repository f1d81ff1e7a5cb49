"""Which files of a torrent to download, and what each one becomes.

A single-episode release usually holds one video (sometimes with a sample,
an .nfo or subtitles beside it): its largest media file is the episode. A
batch holds many episodes: the files whose names carry a wanted episode
number are downloaded (priority > 0), the others are skipped (priority 0),
so a user who wants episode 5 of a 12-episode batch downloads one file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import libtorrent as lt

from downloads.errors import PermanentError
from downloads.files import MEDIA_EXTENSIONS, media_extension

SKIP = 0
WANTED = 4  # libtorrent's default priority

# Resolutions, codecs and years look like numbers but are never episodes.
_NOT_EPISODES = re.compile(r"\b(?:\d{3,4}p|[xh]\.?26[45]|(?:19|20)\d\d|\d{3,4}x\d{3,4}|10.?bit|8.?bit)\b", re.I)
# Checksums and tags in brackets: "[ABCD1234]", "(BD 1080p)".
_HEX_TAG = re.compile(r"[\[(][0-9a-f]{8}[\])]", re.I)
_EPISODE_PATTERNS = (
    re.compile(r"\bS\d{1,2}[ ._-]?E(\d{1,4})(?:v\d)?\b", re.I),  # S01E05
    re.compile(r"\b(?:ep|episode|e)[ ._-]?(\d{1,4})(?:v\d)?\b", re.I),  # Ep05, Episode 5, E05
    re.compile(r"(?:^|[ _])-[ _](\d{1,4})(?:v\d)?(?=$|[ _.\[(])"),  # "Show - 05 [1080p]"
    re.compile(r"[\[(](\d{1,4})(?:v\d)?[\])]"),  # "[05]"
)
_LAST_NUMBER = re.compile(r"(?<![\d.])(\d{1,4})(?:v\d)?(?![\d])")


@dataclass(frozen=True)
class TorrentFile:
    index: int
    path: str  # inside the torrent, "/"-separated
    size: int

    @property
    def name(self) -> str:
        return PurePosixPath(self.path).name

    @property
    def extension(self) -> str:
        return PurePosixPath(self.path).suffix.lower()

    @property
    def is_media(self) -> bool:
        return self.extension in MEDIA_EXTENSIONS


def files_of(info: lt.torrent_info) -> list[TorrentFile]:
    layout = info.layout()
    result = []
    for index in range(layout.num_files()):
        if layout.file_flags(index) & lt.file_storage.flag_pad_file:
            continue  # alignment padding (BEP 47), never a real file
        result.append(TorrentFile(index, layout.file_path(index).replace("\\", "/"), layout.file_size(index)))
    return result


def episode_in_name(name: str) -> int | None:
    """The episode number a file name carries, or None."""
    stem = PurePosixPath(name).stem
    stem = _HEX_TAG.sub(" ", stem)
    stem = _NOT_EPISODES.sub(" ", stem)
    for pattern in _EPISODE_PATTERNS:
        match = pattern.search(stem)
        if match:
            return int(match.group(1))
    numbers = _LAST_NUMBER.findall(stem)
    return int(numbers[-1]) if numbers else None


def choose(files: list[TorrentFile], episodes: tuple[int, ...]) -> list[TorrentFile]:
    """The files to download, in episode order when episodes were asked for.

    No episodes asked for, or a torrent with one media file: the largest
    media file. Otherwise, for each wanted episode the largest media file
    whose name carries that number.
    """
    media = [f for f in files if f.is_media and "sample" not in f.name.lower()] or [f for f in files if f.is_media]
    if not media:
        shown = ", ".join(f.name for f in files[:5])
        raise PermanentError(f"The torrent holds no video file (it has: {shown}).")
    if not episodes or len(media) == 1:
        return [max(media, key=lambda f: f.size)]
    chosen = []
    for episode in episodes:
        holding = [f for f in media if episode_in_name(f.name) == episode]
        if not holding:
            raise PermanentError(f"The torrent has no file for episode {episode} ({len(media)} video files in it).")
        chosen.append(max(holding, key=lambda f: f.size))
    return chosen


def library_path(destination: Path, file_name: str) -> Path:
    """The library path: the planned one, with the torrent file's own media
    extension (the plan guessed it from the release's name)."""
    ext = media_extension(file_name)
    return destination if ext is None else destination.with_suffix(ext)


def priorities(files_count: int, chosen: list[TorrentFile]) -> list[int]:
    wanted = {f.index for f in chosen}
    return [WANTED if index in wanted else SKIP for index in range(files_count)]
