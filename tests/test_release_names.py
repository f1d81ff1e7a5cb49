"""Release-name parsing and release choice (watchlist/releases.py).

The names are synthetic but each has the shape of real releases seen on
trackers, fansub sites and index pages; one row per shape.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from watchlist.providers.base import EpisodeInfo
from watchlist.releases import (
    ReleaseName,
    best_per_episode,
    better_release,
    language_matches,
    normalize_language,
    parse_release,
    pick_release,
    release_rank,
)
from watchlist.releases.parse import LONGEST_NAME, bounded_name

# (name, the fields that must come out; unlisted fields are not checked)
SHAPES: list[tuple[str, dict]] = [
    # fansub brackets
    ("[SubsPlease] Sousou no Frieren - 05 (1080p) [ABCD1234].mkv",
     {"title": "Sousou no Frieren", "episode": 5, "resolution": 1080, "group": "SubsPlease", "language": ""}),
    ("[Erai-raws] Sousou no Frieren - 05 [1080p][Multiple Subtitle][ABCD1234].mkv",
     {"episode": 5, "resolution": 1080, "language": "multi", "group": "Erai-raws"}),
    ("Sousou no Frieren - 05 (1080p)", {"title": "Sousou no Frieren", "episode": 5, "resolution": 1080}),
    ("[Group] Title 05 [1080p]", {"title": "Title", "episode": 5}),
    ("[Group] Title - 05 - The Episode Title [1080p].mkv", {"title": "Title", "episode": 5}),
    ("[Group] Title - 12 (of 24) [1080p]", {"episode": 12, "is_batch": False}),
    ("[Group] Title - 05 END [1080p].mkv", {"episode": 5, "is_batch": False}),
    ("[Group] Title - 05 [Complete]", {"episode": 5, "is_batch": False}),
    # scene style
    ("Sousou no Frieren S01E05 1080p WEB-DL AAC2.0 H.264-VARYG",
     {"title": "Sousou no Frieren", "season": 1, "episode": 5, "resolution": 1080, "group": "VARYG"}),
    ("Sousou.no.Frieren.S01E05.720p.x264-GRP",
     {"title": "Sousou no Frieren", "season": 1, "episode": 5, "resolution": 720, "group": "GRP"}),
    ("Title.2024.S01E05.1080p.WEB-DL", {"title": "Title", "season": 1, "episode": 5}),
    ("Title 1x05 720p", {"season": 1, "episode": 5, "resolution": 720}),
    ("Show S02E05 (E17) 1080p", {"season": 2, "episode": 5, "absolute_episode": 17, "number": 17, "group": ""}),
    ("[Group] Show S02E05 (17) [1080p]", {"season": 2, "episode": 5, "absolute_episode": 17, "number": 17}),
    ("Title.S01E05E06.1080p.WEB-DL-GRP", {"season": 1, "episode": 5, "episode_end": 6, "is_batch": True}),
    # seasons written the anime way
    ("[Group] Title S2 - 05 [1080p].mkv", {"title": "Title", "season": 2, "episode": 5}),
    ("[Group] Title 2nd Season - 05 [1080p].mkv", {"title": "Title", "season": 2, "episode": 5}),
    ("[Group] Title Season 2 - 05 [1080p].mkv", {"title": "Title", "season": 2, "episode": 5}),
    # versions
    ("[Group] Title - E05v2 [720p].mkv", {"episode": 5, "version": 2, "resolution": 720}),
    ("[Group] Title - 05v2 [720p].mkv", {"episode": 5, "version": 2}),
    ("[Group] Title - 05 (H.264 1080p AAC) (v2)", {"episode": 5, "version": 2, "resolution": 1080}),
    ("[Group] Title - 05 [1080p].mkv", {"episode": 5, "version": 1}),
    # batches
    ("[Group] Title - 01-12 [1080p] [Batch]", {"episode": 1, "episode_end": 12, "is_batch": True}),
    ("[Group] Title (01-12) [1080p]", {"episode": 1, "episode_end": 12, "is_batch": True}),
    ("[Group] Title - 01~12 [1080p]", {"episode": 1, "episode_end": 12, "is_batch": True}),
    ("[Group] Title [Batch] [1080p]", {"title": "Title", "episode": None, "is_batch": True}),
    ("[Group] Title S01 [1080p] [Batch]", {"season": 1, "episode": None, "is_batch": True}),
    ("[Group] Title Vol.2 [1080p]", {"episode": None, "is_batch": True}),
    ("Title - S01E01-E12 [1080p]", {"season": 1, "episode": 1, "episode_end": 12, "is_batch": True}),
    # specials
    ("[Group] Title - OVA [1080p].mkv", {"title": "Title", "is_special": True, "episode": None}),
    ("[Group] Title - OVA 2 [1080p].mkv", {"title": "Title", "is_special": True, "episode": 2}),
    ("[Group] Title - SP1 [1080p].mkv", {"is_special": True, "episode": 1}),
    ("[Group] Title - Special 2 [1080p].mkv", {"title": "Title", "is_special": True, "episode": 2}),
    ("[Group] Title - 05.5 [1080p].mkv", {"is_special": True, "episode": 5}),
    ("[Group] Title - NCOP [1080p]", {"is_special": True}),
    ("[Group] Title - Movie [1080p].mkv", {"title": "Title", "is_special": True}),
    ("Show - Trailer 2", {"title": "Show", "is_special": True}),
    # long runners and numbers in titles
    ("[Erai-raws] One Piece - 1085 [1080p][Multiple Subtitle].mkv", {"title": "One Piece", "episode": 1085}),
    ("[Group] Title - 1080 [1080p]", {"episode": 1080, "resolution": 1080}),
    ("[Group] Title (2024) - 03 [1080p].mkv", {"title": "Title", "episode": 3, "season": None}),
    ("[SubsPlease] 86 - Eighty Six - 05 (1080p) [ABCD1234].mkv", {"title": "86 - Eighty Six", "episode": 5}),
    ("[Group] Mob Psycho 100 - 03 [1080p].mkv", {"title": "Mob Psycho 100", "episode": 3}),
    ("[Group] Mob Psycho 100 III - 03 [1080p].mkv", {"title": "Mob Psycho 100 III", "episode": 3}),
    ("[Group] Re:Zero kara Hajimeru Isekai Seikatsu - 05 [1080p]", {"episode": 5}),
    ("[Group] Title (TV) - 05 [1080p]", {"title": "Title", "episode": 5, "is_special": False}),
    # "Episode 12", "Ep 12", "#12"
    ("Title - Episode 12 [1080p]", {"title": "Title", "episode": 12}),
    ("Title Ep 12 1080p", {"title": "Title", "episode": 12}),
    ("[Group] Title Ep.12 [1080p].mkv", {"title": "Title", "episode": 12}),
    ("Title #12 1080p", {"title": "Title", "episode": 12}),
    ("Episode 03.mkv", {"episode": 3}),
    # file names in index pages
    ("show-03.mp4", {"title": "show", "episode": 3}),
    ("Show_Ep03_720p.mp4", {"episode": 3, "resolution": 720}),
    ("Show.Name.E03.1080p.mkv", {"title": "Show Name", "episode": 3}),
    ("03.mkv", {"episode": 3}),
    # resolutions and codecs
    ("[Group] Title - 05 [2160p].mkv", {"resolution": 2160}),
    ("[Group] Title - 05 [4K].mkv", {"resolution": 2160}),
    ("[Group] Title - 05 [UHD HDR].mkv", {"resolution": 2160}),
    ("[Group] Title - 05 [480p].mkv", {"resolution": 480}),
    ("[Group] Title - 05 [1080p x265 10bit].mkv", {"episode": 5, "resolution": 1080}),
    ("[Group] Title - 05 [1920x1080].mkv", {"resolution": 1080}),
    ("[Group] Title - 05 [BD 1080p FLAC].mkv", {"resolution": 1080}),
    ("[Group] Title - 05 [1080].mkv", {"resolution": 1080}),
    ("[Group] Title - 05 (BD 1080p HEVC x265 10bit AAC) [Dual Audio]", {"resolution": 1080, "language": "multi"}),
    # languages
    ("[Team] Title - 05 VOSTFR [1080p].mkv", {"episode": 5, "language": "vostfr"}),
    ("[Group] Title - 03 [720p] [VOSTFR]", {"language": "vostfr"}),
    ("[Team] Title - 05 VF [720p].mkv", {"episode": 5, "language": "vf"}),
    ("[Group] Title - 05 [VF] [1080p]", {"language": "vf"}),
    ("[Team kissaten][Title][05][1080p][JPSC].mp4", {"episode": 5, "language": "zh"}),
    ("[Team kissaten][Title][05][1080p][JPTC].mp4", {"episode": 5, "language": "zh"}),
    ("[Team] Title - 05 [Chinese][1080p].mkv", {"episode": 5, "language": "zh"}),
    ("Title.S01E05.SUBFRENCH.1080p.WEB.x264-GRP", {"language": "vostfr"}),
    ("Title.S01E05.MULTi.1080p.WEB.x264-GRP", {"language": "multi"}),
    ("Title.S01E05.FRENCH.720p.HDTV.x264-GRP", {"language": "vf"}),
    ("Title.S01E05.TRUEFRENCH.720p.HDTV.x264-GRP", {"language": "vf"}),
    ("Title Episode 5 VOSTFR 1080p", {"episode": 5, "language": "vostfr"}),
    ("[Group] Title - 05 [Multi-Subs][1080p]", {"language": "multi"}),
    ("[Group] Title - 05 (1080p) [VOSTFR] [Multi]", {"language": "multi"}),
    ("Title - 05 [Eng Sub] 720p", {"language": "en"}),
    ("[Group] Title - 05 [ENG] [1080p]", {"language": "en"}),
    ("Title - 05 English Dub 720p", {"language": "en-dub"}),
    ("[Group] Title - 05 (Dub) [1080p]", {"language": "en-dub"}),
    ("Title - 05 [JPN] [1080p]", {"language": "ja", "group": ""}),
    ("[Group] Title - 05 [RAW] [1080p]", {"language": "ja"}),
    ("Title - 05 [1080p] [GER SUB]", {"language": "de"}),
    ("The French Chef - 05 [1080p]", {"title": "The French Chef", "language": ""}),
]  # fmt: skip


def test_the_table_covers_enough_shapes():
    assert len(SHAPES) >= 40


@pytest.mark.parametrize(("name", "expected"), SHAPES, ids=[name for name, _ in SHAPES])
def test_release_name_shapes(name: str, expected: dict):
    parsed = parse_release(name)
    got = {key: getattr(parsed, key) for key in expected}
    assert got == expected


def test_empty_and_junk_names_give_an_empty_release():
    assert parse_release("") == ReleaseName()
    assert parse_release("   ").episode is None
    assert parse_release("index.html").episode is None
    assert parse_release("12345.torrent").episode is None


def test_documented_unhandled_shapes():
    """The shapes listed as NOT handled in watchlist/releases/parse.py, with
    what the parser does to them today. When one of these starts passing,
    move it to the table and out of the docstring."""
    # A short number ending the title, then an unpadded episode with no separator.
    assert parse_release("Harbor Lights 2 3 1080p").episode == 2
    # An absolute number after SxxEyy without parentheses.
    bare = parse_release("Show S02E05 17 1080p")
    assert (bare.episode, bare.absolute_episode) == (5, None)
    # A bare FR is no language tag.
    assert parse_release("[Group] Title - 05 [FR] [1080p]").language == ""
    # A number in a video title that is no episode.
    assert parse_release("Top 10 Anime Openings").episode == 10


def test_shapes_that_used_to_be_unhandled():
    # A number ending the title, then the zero-padded episode with no separator.
    mob = parse_release("Mob Psycho 100 03 1080p")
    assert (mob.title, mob.episode) == ("Mob Psycho 100", 3)
    # A title that starts with a decimal number keeps it.
    ririsa = parse_release("[Group] 2.5 Jigen no Ririsa - 05 [1080p]")
    assert (ririsa.title, ririsa.episode, ririsa.is_special) == ("2.5 Jigen no Ririsa", 5, False)
    # Japanese episode markers.
    assert parse_release("[Group] Title 第05話 [1080p].mkv").episode == 5
    # FHD is 1080p, and no group when it is the only bracket.
    fhd = parse_release("Title - 05 [FHD]")
    assert (fhd.resolution, fhd.group) == (1080, "")


# --- languages -----------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "tag"),
    [
        ("VOSTFR", "vostfr"),
        ("vostfr", "vostfr"),
        ("SUBFRENCH", "vostfr"),
        ("VF", "vf"),
        ("French", "vf"),
        ("MULTI", "multi"),
        ("[Multi-Subs]", "multi"),
        ("ENG", "en"),
        ("Eng Sub", "en"),
        ("English", "en"),
        ("DUB", "en-dub"),
        ("en-dub", "en-dub"),
        ("JPN", "ja"),
        ("pt-BR", "pt-br"),
        ("", ""),
        ("  Klingon ", "klingon"),  # unknown labels are kept, so equal ones still match
    ],
)
def test_normalize_language(label: str, tag: str):
    assert normalize_language(label) == tag


@pytest.mark.parametrize(
    ("wanted", "release", "matches"),
    [
        ("vostfr", "vostfr", True),
        ("VOSTFR", "vostfr", True),
        ("vostfr", "vf", False),
        ("vf", "vostfr", False),
        ("vostfr", "", True),  # untagged releases match any language
        ("", "vf", True),  # an item with no language takes everything
        ("vf", "multi", True),  # a MULTI release serves every language
        ("en", "en-dub", False),
        ("English Dub", "en-dub", True),
    ],
)
def test_language_matches(wanted: str, release: str, matches: bool):
    assert language_matches(wanted, release) is matches


# --- choosing a release ----------------------------------------------------


def _release(resolution: int | None, version: int = 1, *, url: str = "", published: int | None = None) -> EpisodeInfo:
    return EpisodeInfo(
        episode=5,
        url=url or f"http://files.test/{resolution}-v{version}-{published}.mkv",
        resolution=resolution,
        version=version,
        published_at=datetime(2024, 1, published, tzinfo=UTC) if published else None,
    )


@pytest.mark.parametrize(
    ("available", "preference", "chosen"),
    [
        ([480, 720, 1080], "auto", 1080),
        ([480, 2160, 1080], "auto", 2160),
        ([480, 720, 1080], "1080p", 1080),
        ([480, 720, 1080], "720p", 720),
        ([480, 720, 1080], "480p", 480),
        ([480, 1080], "720p", 480),  # missing: the nearest lower one
        ([360, 480, 1080], "720p", 480),
        ([1080, 2160], "720p", 1080),  # none lower: the nearest higher one
        ([1080, 2160], "480p", 1080),
        ([None, 720], "auto", 720),  # unknown resolution is a last resort
        ([None, 1080], "480p", 1080),
        ([None], "1080p", None),
    ],
)
def test_pick_release_by_quality(available: list[int | None], preference: str, chosen: int | None):
    releases = [_release(height) for height in available]
    assert pick_release(releases, preference).resolution == chosen


def test_a_v2_beats_the_v1_of_the_same_resolution():
    v1, v2 = _release(1080, 1), _release(1080, 2)
    assert pick_release([v2, v1], "1080p") is v2
    assert pick_release([v1, v2], "auto") is v2
    assert better_release(v1, v2) is v2
    assert release_rank(v2) > release_rank(v1)


def test_resolution_comes_before_version():
    # A fixed v2 at 720p does not replace the 1080p the user asked for.
    assert pick_release([_release(720, 2), _release(1080, 1)], "1080p").resolution == 1080
    # ...but among 720p releases (1080p missing) the v2 wins.
    chosen = pick_release([_release(720, 1), _release(720, 2), _release(480, 3)], "1080p")
    assert (chosen.resolution, chosen.version) == (720, 2)


def test_ties_go_to_the_newest_then_to_the_listing_order():
    older, newer = _release(1080, published=1), _release(1080, published=9)
    assert pick_release([newer, older]) is newer
    first, second = _release(1080, url="http://files.test/a.mkv"), _release(1080, url="http://files.test/b.mkv")
    assert pick_release([first, second]) is first


def test_pick_release_refuses_nothing_and_junk_preferences():
    with pytest.raises(ValueError):
        pick_release([])
    with pytest.raises(ValueError):
        pick_release([_release(1080)], "best-ever")


def test_best_per_episode_keeps_one_release_per_episode_in_order():
    releases = [
        EpisodeInfo(episode=2, url="http://f.test/2-720.mkv", resolution=720),
        EpisodeInfo(episode=1, url="http://f.test/1-1080.mkv", resolution=1080),
        EpisodeInfo(episode=2, url="http://f.test/2-1080.mkv", resolution=1080),
        EpisodeInfo(episode=1, url="http://f.test/1-720.mkv", resolution=720),
    ]
    chosen = best_per_episode(releases, "720p")
    assert [(r.episode, r.resolution) for r in chosen] == [(1, 720), (2, 720)]


@pytest.mark.parametrize(
    "name",
    [
        "Show²",
        "Show - ²",
        "\x00",
        "[" * 100,
        "Show - 05.5.5",
        "Show - 1.2.3",
        "\uff33how - \uff10\uff15",  # full-width letters and digits
        "a b " * 2000,
    ],
)
def test_odd_names_never_raise(name: str):
    parse_release(name)  # a bad name in a feed must not break the whole listing


def test_only_a_names_first_kilobyte_is_read_and_a_long_paths_last_one():
    # A feed entry can be any size; the stages cost seconds on long runs of
    # digits, and no real name comes near a kilobyte.
    name = "[Grp] Title - 05 [1080p] " + "0" * 5000
    assert bounded_name(name) == name[:LONGEST_NAME]
    assert bounded_name(name[:LONGEST_NAME]) == name[:LONGEST_NAME]
    path = "/srv/" + "deep/" * 400 + "Show/Season 2/05 - Name.mkv"
    assert bounded_name(path).endswith("/Show/Season 2/05 - Name.mkv")
    assert len(bounded_name(path)) < LONGEST_NAME
    parsed = parse_release(path)
    assert (parsed.title, parsed.season, parsed.episode) == ("Show", 2, 5)


def test_guessit_is_not_asked_about_a_name_longer_than_any_file_name():
    # Its cost grows faster than the name (about a second per 100 digits).
    numbered_by_guessit_only = "[Grp] Ember Tide-13 SP [BD] {}.mkv"
    assert parse_release(numbered_by_guessit_only.format("[Tag]" * 40)).episode == 13
    assert parse_release(numbered_by_guessit_only.format("[Tag]" * 50)).episode is None


def test_parsing_from_many_threads_gives_the_same_answers():
    # anitopy's parser state is module-level; without the lock in
    # releases.py concurrent parses corrupt each other.
    from concurrent.futures import ThreadPoolExecutor

    from watchlist import releases

    names = [f"[Grp] Series {n} - {e:02d} [1080p].mkv" for n in range(40) for e in range(1, 13)]
    for _ in range(5):  # a race shows on some rounds only
        releases.parse_release.cache_clear()
        with ThreadPoolExecutor(max_workers=4) as pool:
            episodes = list(pool.map(lambda name: releases.parse_release(name).episode, names))
        assert episodes == [e for _ in range(40) for e in range(1, 13)]
