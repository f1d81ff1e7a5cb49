"""End to end: a torznab item's check on indexers whose results also hold
other series, a movie, a batch, another season and v2s. The release
matching and preference rules apply to indexer results as to feed entries:
the item gets exactly its episodes, each from the release the rules
prefer, and every other result says why not."""

from __future__ import annotations

import pytest

from tests.indexer_helpers import make_indexer, torznab_item
from tests.metadata_helpers import linked_item
from tests.support.fake_anilist import media
from tests.support.fake_torznab import FakeRelease
from watchlist.checker import check_item
from watchlist.indexers.plan import search_url
from watchlist.models import Episode, ReleaseDecision

pytestmark = pytest.mark.django_db

NYAA = [
    FakeRelease("[SubsPlease] Sousou no Frieren - 05 (1080p) [AAAA0005].mkv", seeders=300),
    FakeRelease("[SubsPlease] Sousou no Frieren - 05v2 (1080p) [BBBB0005].mkv", seeders=40),
    FakeRelease("[SubsPlease] Sousou no Frieren - 05 (720p) [CCCC0005].mkv", seeders=500),
    FakeRelease("[SubsPlease] Sousou no Frieren - 06 (1080p) [AAAA0006].mkv", seeders=250),
    FakeRelease("[Erai-raws] Sousou no Frieren - 07 [1080p][Multiple Subtitle].mkv", seeders=90),
    FakeRelease("[Judas] Sousou no Frieren (Season 1) [01-12] [1080p][Batch]", seeders=60, size=18_000_000_000),
    FakeRelease("[SubsPlease] Sousou no Frieren S2 - 01 (1080p) [DDDD0201].mkv", seeders=200),
    FakeRelease("[Beatrice-Raws] Sousou no Frieren Movie [BDRip 1920x1080 HEVC FLAC]", seeders=15),
    FakeRelease("[SubsPlease] Dandadan - 05 (1080p) [EEEE0005].mkv", seeders=400),
    FakeRelease("[SubsPlease] One Piece - 1100 (1080p) [FFFF1100].mkv", seeders=900),
]
# A second indexer lists some of the same torrents and one of its own.
ANIDEX = [
    NYAA[0],
    FakeRelease("[ASW] Sousou no Frieren - 06 [1080p HEVC][GGGG0006].mkv", seeders=20),
]


def _everything_matches(fake):
    """The fake indexers answer every search with everything (a real
    search engine's fuzzy matching does much the same)."""
    fake.matching = lambda params: fake.releases


def test_a_torznab_check_finds_exactly_its_episodes(torznab, alice):
    nyaa = torznab.add_indexer("nyaa", NYAA)
    anidex = torznab.add_indexer("anidex", ANIDEX)
    for fake in (nyaa, anidex):
        _everything_matches(fake)
    make_indexer(nyaa, priority=10)
    make_indexer(anidex, priority=20)
    item = torznab_item(alice, "Sousou no Frieren", season=1, auto_download=False)

    result = check_item(item)

    assert result.error is None
    episodes = {e.number: e for e in Episode.objects.filter(item=item)}
    # Twelve episodes missing: the season batch fills them in one download,
    # but for episode 5, whose v2 is better than the batch's v1.
    assert sorted(episodes) == list(range(1, 13))
    assert episodes[5].title == "[SubsPlease] Sousou no Frieren - 05v2 (1080p) [BBBB0005].mkv"  # the v2
    batch = "[Judas] Sousou no Frieren (Season 1) [01-12] [1080p][Batch]"
    assert {n for n, e in episodes.items() if e.title == batch} == set(range(1, 13)) - {5}
    assert episodes[5].url.startswith("magnet:?xt=urn:btih:")

    reasons = dict(ReleaseDecision.objects.filter(item=item).values_list("release_name", "reason"))
    assert len(reasons) == len(NYAA) + 1  # the torrent both list is one release
    assert reasons["[SubsPlease] Dandadan - 05 (1080p) [EEEE0005].mkv"] == "another series: Dandadan"
    assert reasons["[SubsPlease] One Piece - 1100 (1080p) [FFFF1100].mkv"] == "another series: One Piece"
    assert reasons["[Beatrice-Raws] Sousou no Frieren Movie [BDRip 1920x1080 HEVC FLAC]"] == "a movie, not an episode"
    assert reasons[batch].startswith("picked for episodes 1-4, 6-12, in one download: 1080p, from Judas")
    assert reasons["[SubsPlease] Sousou no Frieren S2 - 01 (1080p) [DDDD0201].mkv"] == (
        "season 2; this series follows season 1"
    )
    assert reasons["[SubsPlease] Sousou no Frieren - 05 (1080p) [AAAA0005].mkv"] == "v1; v2 is out"
    assert reasons["[SubsPlease] Sousou no Frieren - 05 (720p) [CCCC0005].mkv"] == "720p; 1080p is out"
    assert reasons["[SubsPlease] Sousou no Frieren - 05v2 (1080p) [BBBB0005].mkv"] == (
        "picked: 1080p, v2, from SubsPlease, 40 seeders"
    )
    assert reasons["[ASW] Sousou no Frieren - 06 [1080p HEVC][GGGG0006].mkv"] == (
        "episode 6 comes with the batch picked for episodes 1-4, 6-12"
    )


def test_a_linked_item_also_searches_the_anilist_titles(torznab, anilist, alice):
    anilist.add(media(154587, "Frieren: Beyond Journey's End", romaji="Sousou no Frieren", native="葬送のフリーレン"))
    nyaa = torznab.add_indexer("nyaa", NYAA)
    make_indexer(nyaa)
    title = "Frieren: Beyond Journey's End"
    item = linked_item(
        alice, anilist, 154587, anime_title=title, anime_url=search_url(title, 1), provider_id="torznab",
        season=1, auto_download=False, lang="",
    )  # fmt: skip

    result = check_item(item)

    asked = sorted(s["q"] for s in nyaa.searches())  # on parallel threads: any order
    assert asked == sorted(["Frieren: Beyond Journey's End", "Sousou no Frieren", "葬送のフリーレン"])
    assert [e["episode"] for e in result.new_episodes] == list(range(1, 13))  # the batch fills what 5-7 leave
