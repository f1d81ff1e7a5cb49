"""Which files of a torrent are an episode's."""

from __future__ import annotations

import pytest

from downloads.errors import PermanentError
from downloads.torrent.selection import TorrentFile, choose, episode_in_name, priorities


@pytest.mark.parametrize(
    ("name", "episode"),
    [
        ("[SubsPlease] Frieren - 05 (1080p) [ABCD1234].mkv", 5),
        ("Frieren.S01E12.1080p.WEB.x264.mkv", 12),
        ("[Group] Show - 07v2 [720p].mkv", 7),
        ("Show Episode 3.mp4", 3),
        ("Show_-_11_[BD_1080p_FLAC].mkv", 11),
        ("[Group] Show [09][1080p].mkv", 9),
        ("Show 2023 - 04.mkv", 4),
        ("Opening.mkv", None),
    ],
)
def test_episode_numbers_in_file_names(name, episode):
    assert episode_in_name(name) == episode


def test_a_batch_gives_only_the_wanted_episodes_file():
    files = [
        TorrentFile(0, "Batch/[G] Show - 01 [1080p].mkv", 100),
        TorrentFile(1, "Batch/[G] Show - 02 [1080p].mkv", 100),
        TorrentFile(2, "Batch/Extras/NCOP.mkv", 50),
        TorrentFile(3, "Batch/readme.txt", 1),
    ]

    chosen = choose(files, (2,))

    assert [f.index for f in chosen] == [1]
    assert priorities(4, chosen) == [0, 4, 0, 0]


def test_a_single_episode_release_is_its_largest_video():
    files = [
        TorrentFile(0, "Show - 05/Show - 05 sample.mkv", 10),
        TorrentFile(1, "Show - 05/Show - 05.mkv", 100),
        TorrentFile(2, "Show - 05/Show - 05.ass", 1),
    ]
    assert [f.index for f in choose(files, (5,))] == [1]


def test_missing_episode_and_no_video_are_said_plainly():
    batch = [TorrentFile(0, "B/Show - 01.mkv", 1), TorrentFile(1, "B/Show - 02.mkv", 1)]
    with pytest.raises(PermanentError, match="no file for episode 7"):
        choose(batch, (7,))
    with pytest.raises(PermanentError, match="no video file"):
        choose([TorrentFile(0, "notes.txt", 1)], (1,))
