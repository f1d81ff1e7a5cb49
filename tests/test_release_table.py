"""The release-name table (tests/release_table.py): every row, by family."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.release_table import ROWS
from watchlist.releases import ReleaseName, parse_release


def test_the_table_is_large_and_covers_every_family():
    families = Counter(family for family, _, _ in ROWS)
    assert len(ROWS) >= 300
    assert set(families) == {"fansub", "cjk", "scene", "multi", "title", "special", "no_episode", "quality"}
    assert min(families.values()) >= 25


def test_every_name_appears_once():
    names = [name for _, name, _ in ROWS]
    duplicates = [name for name, count in Counter(names).items() if count > 1]
    assert duplicates == []


@pytest.mark.parametrize(("family", "name", "expected"), ROWS, ids=[f"{family}:{name}" for family, name, _ in ROWS])
def test_release_table(family: str, name: str, expected: dict):
    parsed = parse_release(name)
    assert {key: getattr(parsed, key) for key in expected} == expected


def test_a_range_is_never_its_last_episode_alone():
    for family, name, expected in ROWS:
        if family == "multi" and expected.get("episode_end") is not None:
            parsed = parse_release(name)
            assert parsed.episode != parsed.episode_end, name
            assert parsed.is_batch, name


@pytest.mark.parametrize(
    ("name", "aliases"),
    [
        ("[桜都字幕组][葬送的芙莉莲 / Sousou no Frieren][05][1080P]", ("Sousou no Frieren", "葬送的芙莉莲")),
        ("[织梦字幕组][海贼王 One Piece][第1085话][1080P]", ("One Piece", "海贼王")),
        ("[DBD-Raws][葬送的芙莉莲/Sousou no Frieren][01-28][1080P]", ("Sousou no Frieren", "葬送的芙莉莲")),
        ("[Group] Fate/Zero - 05 [1080p]", ("Fate/Zero",)),
        ("[ANi] 葬送的芙莉蓮 - 09 [1080P]", ("葬送的芙莉蓮",)),
    ],
)
def test_bilingual_titles_split_into_aliases_with_the_latin_one_first(name: str, aliases: tuple[str, ...]):
    parsed = parse_release(name)
    assert parsed.title_aliases == aliases
    assert parsed.title == aliases[0]


def test_the_special_kind_says_what_the_special_is():
    assert parse_release("[Group] Title - Movie [1080p]").special_kind == "movie"
    assert parse_release("[Group] Title - OVA 2 [1080p]").special_kind == "ova"
    assert parse_release("[Group] Title - 13.5 [1080p]").special_kind == "recap"
    assert parse_release("[Group] Title - 05a [1080p]").special_kind == "part"
    assert parse_release("[Group] Title - NCOP [1080p]").special_kind == "opening"
    assert parse_release("[Group] Title - Pilot [1080p]").special_kind == "pilot"
    assert parse_release("[Group] Title - 05 [1080p]").special_kind == ""


def test_full_width_and_odd_spacing_read_like_ascii():
    wide = parse_release("[Ｇｒｏｕｐ] Ｔｉｔｌｅ － ０５ ［１０８０ｐ］")
    assert (wide.title, wide.episode, wide.resolution) == ("Title", 5, 1080)
    assert parse_release("  [Group]   Title   -   05   [1080p]  ").episode == 5


def test_names_of_brackets_only_give_nothing():
    parsed = parse_release("【】[][]")
    assert (parsed.title, parsed.episode, parsed.is_batch) == ("", None, False)
    assert parse_release("") == ReleaseName()
