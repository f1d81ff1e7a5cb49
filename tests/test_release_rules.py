"""Matching and rules as functions: title keys, season mapping, the
precedence of item over user rules, refusals and the order of preference."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from watchlist.releases import parse_release
from watchlist.releases.match import match_series, title_key
from watchlist.releases.numbering import map_episode
from watchlist.releases.rules import Candidate, Rules, effective_rules, rank, refusal, why_lower


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Shingeki no Kyojin", "SHINGEKI NO KYŌJIN"),
        ("Shingeki no Kyojin", "Shingeki no Kyoujin"),
        ("Kyoukai no Kanata", "Kyōkai no Kanata"),
        ("Ore no Imouto ga Konna ni Kawaii Wake ga Nai", "Ore no Imoto ga Konna ni Kawaii Wake ga Nai"),
        ("Kono Subarashii Sekai ni Shukufuku wo!", "Kono Subarashii Sekai ni Shukufuku o"),
        ("Spy x Family", "SPY×FAMILY"),
        ("Kaguya-sama: Love is War", "Kaguya sama Love is War"),
        ("Dungeon_Meshi", "Dungeon Meshi"),
        ("Tom & Jerry", "Tom and Jerry"),
    ],
)
def test_titles_that_are_the_same_series(a: str, b: str):
    assert title_key(a).base == title_key(b).base


@pytest.mark.parametrize(
    ("title", "base", "season"),
    [
        ("Mushoku Tensei II", "mushoku tensei", 2),
        ("Mushoku Tensei S2", "mushoku tensei", 2),
        ("Mushoku Tensei 2nd Season", "mushoku tensei", 2),
        ("Mushoku Tensei Season 2", "mushoku tensei", 2),
        ("无职转生 第二季", "无职转生", 2),
        ("Mob Psycho 100 III", "mob psycho 100", 3),
        ("Mob Psycho 100", "mob psycho 100", None),
        ("86", "86", None),
    ],
)
def test_season_markers_are_compared_apart_from_the_title(title: str, base: str, season: int | None):
    key = title_key(title)
    assert (key.base, key.season) == (base, season)


def test_other_series_with_a_shared_word_do_not_match():
    keys = [title_key("Frieren")]
    assert not match_series(keys, parse_release("[SubsPlease] Frieren Mini Anime - 02 (1080p)")).matches
    assert match_series(keys, parse_release("[SubsPlease] Frieren - 02 (1080p)")).matches
    # a special's title may go on after the series' title
    movie = parse_release("[Group] Frieren Movie - Hanatsuki no Tabi [1080p]")
    assert movie.is_special and match_series(keys, movie).matches


def _item(**fields):
    defaults = {"first_absolute_episode": None, "quality_preference": "auto", "lang": ""}
    return SimpleNamespace(**(defaults | fields))


@pytest.mark.parametrize(
    ("season", "first", "release_season", "number", "expected"),
    [
        (None, None, 2, 5, 5),  # the whole show takes every season as numbered
        (2, None, 2, 5, 5),
        (2, None, 3, 5, None),  # another season
        (2, 25, None, 29, 5),  # absolute -> the season's own number
        (2, 25, None, 24, None),  # before the season starts
        (2, 25, 2, 5, 5),  # the season is named: its own numbering
        (1, None, None, 5, 5),
    ],
)
def test_map_episode(season, first, release_season, number, expected):
    mapping = map_episode(_item(first_absolute_episode=first), season, release_season, number)
    assert mapping.number == expected
    if expected is None:
        assert mapping.code == "other_season" and mapping.reason


def _rules_row(**fields):
    defaults = {
        "preferred_groups": [],
        "blocked_groups": [],
        "required_words": [],
        "forbidden_words": [],
        "resolution_mode": "",
        "resolution": None,
        "language": "",
        "min_seeders": None,
        "max_episode_mb": None,
        "skip_remakes": None,
    }
    return SimpleNamespace(**(defaults | fields))


def test_item_rules_win_over_user_rules_and_lists_add_up():
    user = _rules_row(blocked_groups=["ASW"], resolution_mode="exact", resolution=720, min_seeders=5, language="vf")
    item = _rules_row(blocked_groups=["Anon"], resolution_mode="minimum", skip_remakes=False)

    rules = effective_rules(_item(quality_preference="auto"), user, item)

    assert rules.blocked_groups == ("Anon", "ASW")
    assert (rules.resolution_mode, rules.height, rules.min_seeders, rules.language) == ("minimum", 720, 5, "vf")
    assert rules.skip_remakes is False
    # the item's own quality and language come first
    own = effective_rules(_item(quality_preference="1080p", lang="vostfr"), user, item)
    assert (own.height, own.language) == (1080, "vostfr")
    # nothing set anywhere: the defaults
    assert effective_rules(_item(), None, None) == Rules()


def test_refusals_name_their_rule():
    rules = Rules(blocked_groups=("ASW",), forbidden_words=("HEVC",), required_words=("1080p",), min_seeders=3)
    base = Candidate(name="[Grp] Title - 05 [1080p]", url="u", group="Grp", seeders=10)
    assert refusal(rules, base) is None
    assert refusal(rules, base.__class__(**{**base.__dict__, "group": "asw"}))[0] == "blocked_group"
    assert refusal(rules, base.__class__(**{**base.__dict__, "name": "[Grp] Title - 05 [1080p HEVC]"}))[0] == (
        "forbidden_word"
    )
    assert refusal(rules, base.__class__(**{**base.__dict__, "name": "[Grp] Title - 05 [720p]"}))[0] == ("missing_word")
    assert refusal(rules, base.__class__(**{**base.__dict__, "seeders": 1}))[0] == "seeders"
    assert refusal(Rules(), base.__class__(**{**base.__dict__, "remake": True}))[0] == "remake"
    assert refusal(Rules(language="vostfr"), base.__class__(**{**base.__dict__, "language": "vf"})) == (
        "language",
        "VF release, you want VOSTFR",
    )


def test_the_order_of_preference_and_its_words():
    rules = Rules(height=1080, preferred_groups=("Erai-raws",))
    a = Candidate(name="a", url="a", group="SubsPlease", resolution=1080, seeders=500, size=10, trusted=True)
    b = Candidate(name="b", url="b", group="Erai-raws", resolution=1080, seeders=5, size=99)
    c = Candidate(name="c", url="c", group="Erai-raws", resolution=720, seeders=900)
    best = max((a, b, c), key=lambda candidate: rank(rules, candidate))
    assert best is b  # resolution first, then the preferred group, before seeders or trust
    assert why_lower(rules, b, c) == ("resolution", "720p, you prefer 1080p")
    assert why_lower(rules, b, a) == ("group", "not from a group you prefer (Erai-raws is)")
    plain = Rules()
    assert why_lower(plain, a, b) == ("trusted", "not from a trusted uploader")
