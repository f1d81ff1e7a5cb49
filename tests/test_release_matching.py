"""Release matching end to end: a release group's feed of several series,
seasons, a movie and v2s (served by the loopback server), and an
indexer-like result set with torrent figures; each item gets exactly its
own episodes, and every other release says why not."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest
from django.utils import timezone

from downloads.models import DownloadJob, JobStatus
from tests.release_feeds import feed_item, file_url, serve_names, store_results
from watchlist.checker import check_item
from watchlist.models import Episode, EpisodeState, ReleaseDecision, ReleaseRules, WatchlistItem

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def loopback_allowed(settings):
    settings.ALLOW_PRIVATE_SOURCES = True
    settings.SOURCE_MIN_REFRESH_MINUTES = 10
    settings.HTTP_TIMEOUT_SECONDS = 5


GROUP_FEED = [
    "[SubsPlease] Sousou no Frieren - 01 (1080p) [A0000001].mkv",
    "[SubsPlease] Sousou no Frieren - 01 (720p) [A0000002].mkv",
    "[SubsPlease] Sousou no Frieren - 02 (1080p) [A0000003].mkv",
    "[SubsPlease] Sousou no Frieren - 03 (1080p) [A0000004].mkv",
    "[SubsPlease] Frieren Mini Anime - 02 (1080p) [A0000005].mkv",
    "[SubsPlease] Dandadan - 05 (1080p) [A0000006].mkv",
    "[SubsPlease] Sousou no Frieren S2 - 01 (1080p) [A0000007].mkv",
    "[SubsPlease] Sousou no Frieren - 03v2 (1080p) [A0000008].mkv",
    "[SubsPlease] Sousou no Frieren Movie - Hanatsuki no Tabi (1080p) [A0000009].mkv",
    "[SubsPlease] Sousou no Frieren - 13.5 (1080p) [A000000A].mkv",
    "[SubsPlease] Sousou no Frieren (01-28) (1080p) [Batch]",
    "[SubsPlease] Dandadan - 05v2 (1080p) [A000000B].mkv",
    "[SubsPlease] Sousou no Frieren S2 - 02 (1080p) [A000000C].mkv",
    "[SubsPlease] One Piece - 1110 (1080p) [A000000D].mkv",
]


def _decisions(item) -> dict[str, ReleaseDecision]:
    return {d.release_name: d for d in ReleaseDecision.objects.filter(item=item)}


def _episodes(item) -> dict[int, str]:
    return dict(Episode.objects.filter(item=item).values_list("number", "url"))


def test_a_group_feed_gives_each_item_exactly_its_own_episodes(alice, bob, django_user_model, http_server):
    url = serve_names(http_server, "/subsplease.xml", GROUP_FEED)
    carol = django_user_model.objects.create_user("carol", password="carol-pass-123")
    frieren = feed_item(alice, url, anime_title="Sousou no Frieren", season=1, quality_preference="1080p")
    frieren_s2 = feed_item(bob, url, anime_title="Frieren", title_aliases=["Sousou no Frieren"], season=2)
    dandadan = feed_item(carol, url, anime_title="Dan Da Dan", title_aliases=["Dandadan"])

    results = {item.pk: check_item(item) for item in (frieren, frieren_s2, dandadan)}

    assert [e["episode"] for e in results[frieren.pk].new_episodes] == [1, 2, 3]
    assert _episodes(frieren) == {
        1: file_url(http_server, GROUP_FEED[0]),
        2: file_url(http_server, GROUP_FEED[2]),
        3: file_url(http_server, GROUP_FEED[7]),  # the v2
    }
    assert _episodes(frieren_s2) == {1: file_url(http_server, GROUP_FEED[6]), 2: file_url(http_server, GROUP_FEED[12])}
    assert set(Episode.objects.filter(item=frieren_s2).values_list("season", flat=True)) == {2}
    assert _episodes(dandadan) == {5: file_url(http_server, GROUP_FEED[11])}
    # One request for the three items: the source is shared.
    assert len(http_server.requests_for("/subsplease.xml")) == 1


def test_every_release_of_the_feed_says_why_it_was_or_was_not_taken(alice, http_server):
    url = serve_names(http_server, "/subsplease.xml", GROUP_FEED)
    item = feed_item(alice, url, anime_title="Sousou no Frieren", season=1, quality_preference="1080p")

    check_item(item)
    decisions = _decisions(item)

    assert len(decisions) == len(GROUP_FEED)
    reasons = {name: (d.picked, d.code, d.reason) for name, d in decisions.items()}
    assert reasons[GROUP_FEED[0]][:2] == (True, "picked")
    assert reasons[GROUP_FEED[1]] == (False, "resolution", "720p, you prefer 1080p")
    assert reasons[GROUP_FEED[3]] == (False, "version", "v1; v2 is out")
    assert reasons[GROUP_FEED[4]] == (False, "other_series", "another series: Frieren Mini Anime")
    assert reasons[GROUP_FEED[5]] == (False, "other_series", "another series: Dandadan")
    assert reasons[GROUP_FEED[6]] == (False, "other_season", "season 2; this series follows season 1")
    assert reasons[GROUP_FEED[8]] == (False, "special", "a movie, not an episode")
    assert reasons[GROUP_FEED[9]] == (False, "special", "a recap (13.5), not an episode")
    assert reasons[GROUP_FEED[10]][:2] == (False, "batch")
    assert "episodes 1-28" in reasons[GROUP_FEED[10]][2]
    assert decisions[GROUP_FEED[0]].episode == 1 and decisions[GROUP_FEED[4]].episode is None


def test_a_whole_show_item_without_aliases_takes_nothing_from_other_series(alice, http_server):
    url = serve_names(http_server, "/subsplease.xml", GROUP_FEED)
    item = feed_item(alice, url, anime_title="One Piece")

    result = check_item(item)

    assert [e["episode"] for e in result.new_episodes] == [1110]


def test_titles_match_across_romanisation_punctuation_and_season_markers(alice, http_server):
    names = [
        "[Group] Shingeki no Kyojin Season 2 - 03 [1080p].mkv",
        "[Other] Shingeki no Kyoujin 2nd Season - 04 [1080p].mkv",
        "[Third] SHINGEKI NO KYŌJIN S2 - 05 [1080p].mkv",
        "[Fourth] Shingeki no Kyojin II - 06 [1080p].mkv",
        "[Group] Shingeki no Kyojin - 07 [1080p].mkv",
        "[Group] Shingeki no Kyojin Season 3 - 01 [1080p].mkv",
    ]
    item = feed_item(alice, serve_names(http_server, "/aot.xml", names), anime_title="Shingeki no Kyojin S2")

    result = check_item(item)

    # season 2 from the item's title; this source names season 2, so the
    # unmarked "- 07" is another season's
    assert [e["episode"] for e in result.new_episodes] == [3, 4, 5, 6]
    assert _decisions(item)[names[5]].code == "other_season"
    assert _decisions(item)[names[4]].reason == "no season in its name, and this source names season 2's releases"


@pytest.mark.parametrize(
    ("title", "names", "expected"),
    [
        # scene names drop the apostrophe; the title keeps it
        (
            "Hell's Paradise",
            ["Hells.Paradise.S01E05.1080p.WEB.H264-GRP", "[Group] Hell's Paradise - 06 [1080p].mkv"],
            [5, 6],
        ),
        # one title, spaced two ways; a spin-off stays out
        (
            "DAN DA DAN",
            [
                "[Group] Dandadan - 07 [1080p].mkv",
                "[Group] Dan Da Dan - 08 [1080p].mkv",
                "[Group] Dandadan Mini - 09.mkv",
            ],
            [7, 8],
        ),
        # "Title 3" is season 3 of "Title" when the release names season 3;
        # season 1's "Title - 04" and "Title S2" are not its episodes
        (
            "Hibike! Euphonium 3",
            [
                "[Group] Hibike! Euphonium S3 - 02 [1080p].mkv",
                "[Other] Hibike Euphonium 3rd Season - 03 [1080p].mkv",
                "[Group] Hibike! Euphonium - 04 [1080p].mkv",
                "[Group] Hibike! Euphonium S2 - 05 [1080p].mkv",
            ],
            [2, 3],
        ),
        # and the other way round: the item names the season, the release numbers the title
        (
            "Hibike! Euphonium Season 3",
            ["[Group] Hibike! Euphonium 3 - 06 [1080p].mkv", "[Group] Hibike! Euphonium 2 - 07 [1080p].mkv"],
            [6],
        ),
        # a number that is the title's own is no season
        ("Mob Psycho", ["[Group] Mob Psycho 100 - 05 [1080p].mkv"], []),
    ],
)
def test_titles_match_across_apostrophes_spacing_and_a_numbered_season(alice, http_server, title, names, expected):
    # another series in the feed: a group's feed, where titles decide
    names = [*names, "[Group] One Piece - 1110 [1080p].mkv"]
    item = feed_item(alice, serve_names(http_server, "/spelled.xml", names), anime_title=title)

    result = check_item(item)

    assert [e["episode"] for e in result.new_episodes] == expected


CATALOGUE_FEED = [
    "[Group] Mushoku Tensei S2 - 05 [1080p].mkv",
    "[Group] Mushoku Tensei - 04 [1080p].mkv",  # season 1, unmarked
    "[Group] Shangri-La Frontier S2 - 03 [1080p].mkv",
    "[Group] Shangri-La Frontier - 02 [1080p].mkv",
    "[Group] Hunter x Hunter - 105 [1080p].mkv",
    "[Group] Kaguya-sama wa Kokurasetai S3 - 02 [1080p].mkv",
    "[Group] Naruto - 12 [1080p].mkv",
    "[Group] One Piece - 1110 [1080p].mkv",
]


@pytest.mark.parametrize(
    ("title", "season", "expected"),
    [
        # the season before the colon, the short title in the releases
        ("Mushoku Tensei II: Isekai Ittara Honki Dasu", None, [5]),
        # the season at the end of the subtitle
        ("Shangri-La Frontier: Kusoge Hunter, Kamige ni Idoman to su 2nd Season", None, [3]),
        # a year in brackets is not in release titles
        ("Hunter x Hunter (2011)", None, [105]),
        # no season in the title: the head alone may be another series
        # ("Naruto: Shippuuden"); the item's own season does not make it one
        ("Kaguya-sama wa Kokurasetai: Ultra Romantic", None, []),
        ("Kaguya-sama wa Kokurasetai: Ultra Romantic", 3, []),
        ("Naruto: Shippuuden", 1, []),
    ],
)
def test_catalogue_titles_with_a_subtitle_or_a_year_match_the_short_release_titles(
    alice, http_server, title, season, expected
):
    item = feed_item(
        alice, serve_names(http_server, "/catalogue.xml", CATALOGUE_FEED), anime_title=title, season=season
    )

    result = check_item(item)

    assert [e["episode"] for e in result.new_episodes] == expected


def test_absolute_numbers_map_to_the_season_when_its_first_episode_is_known(alice, http_server):
    names = [
        "[Group] Sousou no Frieren - 28 [1080p].mkv",  # the last of season 1
        "[Group] Sousou no Frieren - 29 [1080p].mkv",
        "[Group] Sousou no Frieren - 30 [1080p].mkv",
        "[Other] Sousou no Frieren S2 - 03 [1080p].mkv",  # per-season number, season named
    ]
    url = serve_names(http_server, "/absolute.xml", names)
    item = feed_item(alice, url, anime_title="Sousou no Frieren", season=2, first_absolute_episode=29)

    result = check_item(item)

    assert [e["episode"] for e in result.new_episodes] == [1, 2, 3]
    assert _decisions(item)[names[0]].reason == "episode 28 is before season 2 (it starts at 29)"
    assert Episode.objects.get(item=item, number=1).url == file_url(http_server, names[1])


def test_specials_are_taken_only_when_the_item_asks(alice, http_server, settings, tmp_path):
    settings.DOWNLOAD_DIR = tmp_path
    url = serve_names(http_server, "/subsplease.xml", GROUP_FEED)
    item = feed_item(alice, url, anime_title="Sousou no Frieren", season=1, include_specials=True, auto_download=True)

    check_item(item)

    decisions = _decisions(item)
    assert decisions[GROUP_FEED[8]].picked and decisions[GROUP_FEED[8]].code == "special"
    specials = DownloadJob.objects.filter(owner=alice, dedupe_key__contains=":special:")
    assert sorted(job.url for job in specials) == sorted(
        [file_url(http_server, GROUP_FEED[8]), file_url(http_server, GROUP_FEED[9])]
    )
    assert all("/Season 00/" in job.destination or "S00E" in job.destination for job in specials)
    assert not Episode.objects.filter(item=item, number=13).exists()  # a recap is no episode row


def test_a_v2_that_arrives_later_replaces_the_recorded_v1(alice, http_server, settings, tmp_path):
    settings.DOWNLOAD_DIR = tmp_path
    settings.SOURCE_MIN_REFRESH_MINUTES = 0
    names = ["[SubsPlease] Dandadan - 05 (1080p) [00000001].mkv"]
    url = serve_names(http_server, "/dandadan.xml", names)
    item = feed_item(alice, url, anime_title="Dandadan", auto_download=True)
    check_item(item)
    episode = Episode.objects.get(item=item, number=5)
    old_job = DownloadJob.objects.get(metadata__episode_id=episode.pk)
    DownloadJob.objects.filter(pk=old_job.pk).update(status=JobStatus.COMPLETED, finished_at=timezone.now())
    Episode.objects.filter(pk=episode.pk).update(state=EpisodeState.DOWNLOADED)

    v2 = "[SubsPlease] Dandadan - 05v2 (1080p) [00000002].mkv"
    serve_names(http_server, "/dandadan.xml", [*names, v2], etag='"v2"')
    result = check_item(item)

    assert result.new_episodes == [] and result.queued == [5]
    episode.refresh_from_db()
    assert (episode.url, episode.version, episode.state) == (file_url(http_server, v2), 2, EpisodeState.QUEUED)
    new_job = DownloadJob.objects.exclude(pk=old_job.pk).get(metadata__episode_id=episode.pk)
    assert new_job.url == file_url(http_server, v2)
    assert new_job.metadata["replaces_job"] == str(old_job.pk)
    decision = _decisions(item)[v2]
    assert (decision.picked, decision.code, decision.reason) == (True, "upgrade", "v2 replaces the v1 you have")
    assert _decisions(item)[names[0]].code == "replaced"


def test_a_preferred_release_replaces_the_first_only_within_the_upgrade_window(alice, http_server, settings):
    settings.SOURCE_MIN_REFRESH_MINUTES = 0
    settings.UPGRADE_WINDOW_HOURS = 24
    first = "[Erai-raws] Dandadan - 06 [720p][Multiple Subtitle].mkv"
    url = serve_names(http_server, "/dandadan.xml", [first])
    item = feed_item(alice, url, anime_title="Dandadan", quality_preference="1080p")
    check_item(item)
    assert Episode.objects.get(item=item, number=6).resolution == 720

    better = "[SubsPlease] Dandadan - 06 (1080p) [00000003].mkv"
    serve_names(http_server, "/dandadan.xml", [first, better], etag='"v2"')
    Episode.objects.filter(item=item).update(found_at=timezone.now() - timedelta(hours=25))
    check_item(item)
    assert Episode.objects.get(item=item, number=6).resolution == 720  # too late: kept
    assert _decisions(item)[better].code == "kept"

    Episode.objects.filter(item=item).update(found_at=timezone.now() - timedelta(hours=2))
    serve_names(http_server, "/dandadan.xml", [first, better], etag='"v3"')
    check_item(item)
    episode = Episode.objects.get(item=item, number=6)
    assert (episode.resolution, episode.url, episode.state) == (1080, file_url(http_server, better), EpisodeState.NEW)
    assert "within 24 h" in _decisions(item)[better].reason


# --- an indexer-like result set -----------------------------------------------


RESULTS = [
    {"name": "[SubsPlease] Sousou no Frieren - 05 (1080p) [AAAA0001].mkv", "seeders": 120, "size": 1_400_000_000},
    {"name": "[Erai-raws] Sousou no Frieren - 05 [1080p][Multiple Subtitle]", "seeders": 300, "trusted": True,
     "size": 1_450_000_000},
    {"name": "[Anon] Sousou no Frieren - 05 [1080p] (reupload)", "seeders": 900, "remake": True, "size": 900_000_000},
    {"name": "[ASW] Sousou no Frieren - 05 [1080p HEVC]", "seeders": 300, "trusted": True, "size": 400_000_000},
    {"name": "[Judas] Sousou no Frieren - 05 [720p]", "seeders": 2000, "trusted": True, "size": 300_000_000},
    {"name": "[SubsPlease] Sousou no Frieren - 06 (1080p) [AAAA0002].mkv", "seeders": 0, "size": 1_300_000_000},
    {"name": "[SubsPlease] Sousou no Frieren Mini Anime - 06 (1080p)", "seeders": 50, "size": 100_000_000},
]  # fmt: skip


def test_an_indexer_result_set_is_ordered_by_the_users_rules(alice, settings, tmp_path):
    settings.DOWNLOAD_DIR = tmp_path
    item = feed_item(alice, "https://indexer.example.org/api?q=frieren&t=rss", anime_title="Sousou no Frieren",
                     quality_preference="1080p", auto_download=True)  # fmt: skip
    store_results(item.source, RESULTS)

    result = check_item(item)

    assert result.source_status == "fresh"
    # 1080p first; among trusted 1080p ones the same seeders, so the smaller
    assert Episode.objects.get(item=item, number=5).url.endswith("/3.torrent")
    # episode 6 has no seeders: recorded, not queued
    assert result.queued == [5]
    assert Episode.objects.get(item=item, number=6).state == EpisodeState.NEW
    reasons = {d.release_name: (d.code, d.reason) for d in ReleaseDecision.objects.filter(item=item)}
    assert reasons[RESULTS[0]["name"]] == ("trusted", "not from a trusted uploader")
    assert reasons[RESULTS[1]["name"]] == ("size", "larger (1.4 GB against 381.5 MB)")
    assert reasons[RESULTS[2]["name"]] == ("remake", "a remake (re-upload), which you skip")
    assert reasons[RESULTS[4]["name"]] == ("resolution", "720p, you prefer 1080p")
    assert reasons[RESULTS[5]["name"]][0] == "no_seeders"
    assert reasons[RESULTS[6]["name"]] == ("other_series", "another series: Sousou no Frieren Mini Anime")


def test_user_and_item_rules_refuse_releases_with_their_reason(alice):
    item = feed_item(alice, "https://indexer.example.org/api?q=frieren2&t=rss", anime_title="Sousou no Frieren")
    ReleaseRules.objects.create(
        owner=alice, blocked_groups=["ASW"], min_seeders=200, max_episode_mb=1200, forbidden_words=["HEVC"]
    )
    ReleaseRules.objects.create(owner=alice, item=item, required_words=["1080p"], skip_remakes=False)
    store_results(item.source, RESULTS)

    check_item(item)

    reasons = {d.release_name: (d.code, d.reason) for d in ReleaseDecision.objects.filter(item=item)}
    assert reasons[RESULTS[0]["name"]] == ("seeders", "120 seeders, you want at least 200")
    assert reasons[RESULTS[1]["name"]] == ("size", "1.4 GB per episode, your limit is 1.2 GB")
    assert reasons[RESULTS[3]["name"]] == ("blocked_group", "from ASW, a group you blocked")
    assert reasons[RESULTS[4]["name"]] == ("missing_word", "lacks “1080p”, a word you require")
    # the item allows remakes: the remake is the one left
    assert reasons[RESULTS[2]["name"]][0] == "picked"
    assert Episode.objects.get(item=item, number=5).url.endswith("/2.torrent")


@pytest.mark.parametrize(
    ("mode", "height", "expected"),
    [
        ("prefer", 720, "/4.torrent"),  # the 720p one
        ("exact", 2160, None),  # nothing at 2160p: no episode 5
        ("minimum", 720, "/3.torrent"),  # at least 720p, the best first: a trusted small 1080p
        ("best", 720, "/3.torrent"),
    ],
)
def test_resolution_rules(alice, mode, height, expected):
    item = feed_item(alice, f"https://indexer.example.org/api?q={mode}&t=rss", anime_title="Sousou no Frieren")
    ReleaseRules.objects.create(owner=alice, resolution_mode=mode, resolution=height)
    store_results(item.source, RESULTS[:5])

    check_item(item)

    episode = Episode.objects.filter(item=item, number=5).first()
    assert (episode.url.rsplit("/", 1)[1] if episode else None) == (expected[1:] if expected else None)


@pytest.mark.django_db
def test_series_metadata_lends_its_titles_and_season_start_to_matching(alice):
    """An item linked to an AniList series matches releases under the
    series' other titles, and maps show-wide numbers with the season start
    the metadata found, when the user gave none."""
    from watchlist.metadata.models import Series
    from watchlist.releases.match import first_absolute_episode, titles_for

    series = Series.objects.create(
        anilist_id=4242, title_romaji="Tsuki no Kanata", title_english="Beyond the Moon",
        synonyms=["TsukiKana"], first_absolute_episode=13,
    )  # fmt: skip
    item = feed_item(alice, "http://feeds.test/moon.xml", anime_title="Moon", season=2)
    assert titles_for(item) == ["Moon"]
    assert first_absolute_episode(item) is None

    WatchlistItem.objects.filter(pk=item.pk).update(series=series)
    item.refresh_from_db()
    assert titles_for(item) == ["Moon", "Beyond the Moon", "Tsuki no Kanata", "TsukiKana"]
    assert first_absolute_episode(item) == 13
    item.first_absolute_episode = 14  # the user's own value wins
    assert first_absolute_episode(item) == 14


# --- a linked series' titles name the season; catalogue-only markers -----------


SEASONS_FEED = [
    "[Group] Kitsune Rider S2 - 05 [1080p].mkv",
    "[Group] Kitsune Rider S3 - 02 [1080p].mkv",
    "Kitsune.Rider.S02E06.1080p.WEB.H264-GRP",
    "[Group] One Piece - 1110 [1080p].mkv",
]


def test_the_season_a_linked_series_titles_name_is_the_items_season(alice, http_server):
    """The catalogue's romaji numbers the season bare ("Kitsune Rider 3", a
    number that alone is no season), its English title names it ("Season
    3"): the item follows season 3, not every season of the show."""
    from watchlist.metadata.models import Series
    from watchlist.releases.match import item_season

    series = Series.objects.create(
        anilist_id=4343, title_romaji="Kitsune Rider 3", title_english="Kitsune Rider Season 3"
    )
    item = feed_item(
        alice, serve_names(http_server, "/seasons.xml", SEASONS_FEED), anime_title="Kitsune Rider 3", series=series
    )
    assert item_season(item) == 3

    result = check_item(item)

    assert [e["episode"] for e in result.new_episodes] == [2]
    assert _decisions(item)[SEASONS_FEED[0]].code == "other_season"


def test_titles_that_name_two_seasons_leave_the_item_without_one(alice):
    from watchlist.metadata.models import Series
    from watchlist.releases.match import item_season

    series = Series.objects.create(
        anilist_id=4344,
        title_romaji="Kitsune Rider",
        title_english="Kitsune Rider Season 2",
        synonyms=["Kitsune Rider S3"],
    )
    item = feed_item(alice, "http://feeds.test/kitsune.xml", anime_title="Kitsune Rider", series=series)

    assert item_season(item) is None


@pytest.mark.parametrize(
    ("title", "names", "expected"),
    [
        # the catalogue tells its TV arc from the film of the same name with
        # "(TV)"; releases never write it
        (
            "Hoshi no Kagi: Yoru-hen (TV)",
            ["[Group] Hoshi no Kagi - Yoru-hen - 03 [1080p].mkv", "[Group] Hoshi no Kagi - 04 [1080p].mkv"],
            [3],
        ),
        # a year in brackets inside the title, before its season marker
        (
            "Tanuki Detective (2024) 2nd Season",
            [
                "[Group] Tanuki Detective (2024) 2nd Season - 07 [1080p].mkv",
                "[Group] Tanuki Detective - 08 [1080p].mkv",
            ],
            [7],
        ),
        # a subtitle between dashes: the short title before it with the season
        # the title names
        (
            "Kaze Runner -Second Wind- Season 2 -Into the Storm-",
            ["[Group] Kaze Runner S2 - 04 [1080p].mkv", "Kaze.Runner.S01E05.1080p.WEB.H264-GRP"],
            [4],
        ),
    ],
)
def test_catalogue_only_markers_and_dash_subtitles_match_the_release_titles(alice, http_server, title, names, expected):
    names = [*names, "[Group] One Piece - 1110 [1080p].mkv"]
    item = feed_item(alice, serve_names(http_server, "/catalogue-marks.xml", names), anime_title=title)

    result = check_item(item)

    assert [e["episode"] for e in result.new_episodes] == expected


# --- a remake's year -------------------------------------------------------------


def test_a_release_naming_a_later_year_is_a_remake_not_the_linked_series(alice, http_server):
    """A tracker search for a remade series returns both versions; the one
    whose year is after the linked series' start is the remake's."""
    from watchlist.metadata.models import Series

    names = [
        "[Group] Tanuki Detective (2024) - 05 [1080p].mkv",
        "[Group] Tanuki Detective - 06 [1080p].mkv",
        "[Group] One Piece - 1110 [1080p].mkv",
    ]
    series = Series.objects.create(
        anilist_id=4345, title_romaji="Tanuki Tantei", season_year=1998, status="FINISHED", episodes=26
    )
    item = feed_item(
        alice, serve_names(http_server, "/remake.xml", names), anime_title="Tanuki Detective", series=series
    )

    result = check_item(item)

    assert [e["episode"] for e in result.new_episodes] == [6]
    assert _decisions(item)[names[0]].code == "other_series"


@pytest.mark.parametrize(
    ("status", "episodes", "taken"),
    [
        ("RELEASING", None, [20, 21]),  # a running show's releases carry any later year
        ("FINISHED", 500, [20, 21]),  # ten years of weekly episodes
        ("FINISHED", 24, [21]),  # ended long before: the 2016 one is another version
    ],
)
def test_a_year_after_the_series_began_is_another_version_only_once_the_series_has_ended(
    alice, http_server, status, episodes, taken
):
    from watchlist.metadata.models import Series

    names = [
        "[Fansub][2016][Tanuki Detective][20][1080P]",
        "[Group] Tanuki Detective - 21 [1080p].mkv",
        "[Group] One Piece - 1110 [1080p].mkv",  # a feed of several series: a release may be another's
    ]
    series = Series.objects.create(
        anilist_id=4347, title_romaji="Tanuki Tantei", season_year=2007, status=status, episodes=episodes
    )
    feed = serve_names(http_server, f"/years-{status}-{episodes}.xml", names)
    item = feed_item(alice, feed, anime_title="Tanuki Detective", series=series)

    result = check_item(item)

    assert [e["episode"] for e in result.new_episodes] == taken


def test_a_year_in_the_items_title_must_be_the_releases(alice, http_server):
    names = [
        "[Group] Tanuki Detective (1998) - 03 [1080p].mkv",
        "[Group] Tanuki Detective (2024) - 04 [1080p].mkv",
        "[Group] Tanuki Detective - 05 [1080p].mkv",
        "[Group] One Piece - 1110 [1080p].mkv",
    ]
    item = feed_item(alice, serve_names(http_server, "/remake2.xml", names), anime_title="Tanuki Detective (2024)")

    result = check_item(item)

    assert [e["episode"] for e in result.new_episodes] == [4, 5]


def test_a_later_seasons_release_may_name_the_shows_first_year(alice, http_server):
    """Media-server names carry the show's first year on every season."""
    from watchlist.metadata.models import Series

    names = ["Tanuki Detective (2013) - S04E05 - The Last Case [WEBDL-1080p]", "[Group] One Piece - 1110 [1080p].mkv"]
    series = Series.objects.create(anilist_id=4346, title_romaji="Tanuki Tantei 4", season_year=2020)
    item = feed_item(
        alice,
        serve_names(http_server, "/remake3.xml", names),
        anime_title="Tanuki Detective",
        season=4,
        series=series,
    )

    result = check_item(item)

    assert [e["episode"] for e in result.new_episodes] == [5]


def test_a_later_seasons_item_does_not_take_the_franchises_films_as_its_specials(
    alice, bob, http_server, settings, tmp_path
):
    """A special's title goes on after the series' one ("Title Movie -
    Subtitle"); only an item of the whole show (no season in its title)
    takes such specials, not a later season's item."""
    settings.DOWNLOAD_DIR = tmp_path
    names = [
        "[Group] Kitsune Rider S2 - 03 [1080p].mkv",
        "[Group] Kitsune Rider Movie - Red Road [1080p].mkv",
        "[Group] One Piece - 1110 [1080p].mkv",
    ]
    url = serve_names(http_server, "/films.xml", names)
    sequel = feed_item(alice, url, anime_title="Kitsune Rider 2nd Season", include_specials=True)
    show = feed_item(bob, url, anime_title="Kitsune Rider", include_specials=True)

    check_item(sequel)
    check_item(show)

    assert _decisions(sequel)[names[1]].code == "other_series"
    assert _decisions(show)[names[1]].code == "special"


# --- the AniList entry a linked item follows -------------------------------------


LINKED_FEED = [
    "[Group] Kitsune Rider - 03 [1080p].mkv",
    "[Group] Kitsune Rider S2 - 04 [1080p].mkv",
    "Kitsune.Rider.S02E06.1080p.WEB.H264-GRP",
    "Kitsune.Rider.S01E05.1080p.WEB.H264-GRP",
    "[Group] Kitsune Rider - 15 [1080p].mkv",  # the second cour, numbered on
    "[Group] Kitsune Rider Part 2 - 07 [1080p].mkv",  # the second cour, numbered from 1
    "[Group] One Piece - 1110 [1080p].mkv",
]


def _linked(owner, url, title, **series_fields):
    from watchlist.metadata.models import Series

    fields = {"format": "TV", "status": "FINISHED", "season_year": 2021} | series_fields
    series = Series.objects.create(anilist_id=5000 + Series.objects.count(), **fields)
    return feed_item(owner, url, anime_title=title, series=series)


@pytest.mark.parametrize(
    ("series_fields", "expected"),
    [
        # AniList's first season with 12 episodes: season 1's releases only,
        # up to its last episode
        ({"title_romaji": "Kitsune Rider", "first_absolute_episode": 1, "episodes": 12}, [3, 5]),
        # the same while it airs: its count may still grow
        ({"title_romaji": "Kitsune Rider", "first_absolute_episode": 1, "status": "RELEASING"}, [3, 5, 15]),
        # no prequel chain resolved yet: nothing says it is a first season
        ({"title_romaji": "Kitsune Rider", "first_absolute_episode": None}, [3, 4, 5, 6, 15]),
        # the second cour, an entry of its own: "- 15" is its third episode,
        # "Part 2 - 07" its seventh; "- 03" and "S01E05" are the first cour's
        ({"title_romaji": "Kitsune Rider Part 2", "first_absolute_episode": 13, "episodes": 12}, [3, 7]),
    ],
)
def test_a_linked_item_takes_only_its_entrys_season_and_episodes(alice, http_server, series_fields, expected):
    url = serve_names(http_server, "/linked.xml", LINKED_FEED)
    title = series_fields["title_romaji"]
    item = _linked(alice, url, title, **series_fields)

    result = check_item(item)

    assert [e["episode"] for e in result.new_episodes] == expected


def test_an_item_without_a_linked_series_still_takes_every_season_as_numbered(alice, http_server):
    item = feed_item(alice, serve_names(http_server, "/unlinked.xml", LINKED_FEED), anime_title="Kitsune Rider")

    result = check_item(item)

    assert [e["episode"] for e in result.new_episodes] == [3, 4, 5, 6, 15]


def test_a_linked_first_season_gives_its_reason_for_a_later_seasons_release(alice, http_server):
    url = serve_names(http_server, "/linked-reasons.xml", LINKED_FEED)
    item = _linked(alice, url, "Kitsune Rider", title_romaji="Kitsune Rider", first_absolute_episode=1, episodes=12)

    check_item(item)

    decisions = _decisions(item)
    assert (decisions[LINKED_FEED[1]].code, decisions[LINKED_FEED[1]].reason) == (
        "other_season",
        "season 2; this series is the first season of its show",
    )
    assert decisions[LINKED_FEED[4]].reason == "episode 15 is after this series' last (12)"


HEAD_FEED = [
    "[Group] Lanternfall - 05 [1080p].mkv",
    "[Group] Touka no Uta - 06 [1080p].mkv",
    "[Group] One Piece - 1110 [1080p].mkv",
]


@pytest.mark.parametrize(
    ("series_fields", "expected"),
    [
        # a first TV season is called by the head of its English title
        ({"title_english": "Lanternfall: Song of the Northern Lights", "first_absolute_episode": 1}, [5, 6]),
        # a sequel's head is the series it follows
        ({"title_english": "Lanternfall: Song of the Northern Lights", "first_absolute_episode": 13}, [6]),
        # a web short carrying its parent's title as its head
        ({"title_english": "Lanternfall: Song of the Northern Lights", "first_absolute_episode": 1, "format": "ONA"},
         [6]),
        # a subtitle of one word tells two shows apart
        ({"title_english": "Lanternfall: Brotherhood", "first_absolute_episode": 1}, [6]),
        # a spin-off under its parent's name, its subtitle between dashes
        ({"title_english": "LANTERNFALL -A Song for the Lost Lights-", "first_absolute_episode": 1}, [6]),
        # a remake: the first show's title with a subtitle of its own
        ({"title_english": "Lanternfall: Song of the Northern Lights - the Animated Series",
          "first_absolute_episode": 1}, [6]),
    ],
)  # fmt: skip
def test_a_linked_first_tv_season_is_called_by_its_titles_head(alice, http_server, series_fields, expected):
    url = serve_names(http_server, "/head.xml", HEAD_FEED)
    item = _linked(alice, url, series_fields["title_english"], title_romaji="Touka no Uta", **series_fields)

    result = check_item(item)

    assert [e["episode"] for e in result.new_episodes] == expected


def test_an_arc_titled_sequel_takes_its_arcs_own_numbers(alice, http_server):
    """AniList names the arc; a synonym names its season. Releases named by
    the arc number it from 1, those named by the series number on."""
    names = [
        "[Group] Kitsune Rider - Yoru no Shou-hen - 04 [1080p].mkv",
        "[Group] Kitsune Rider - 18 [1080p].mkv",
        "[Group] Kitsune Rider - 05 [1080p].mkv",  # the first season's
        "[Group] One Piece - 1110 [1080p].mkv",
    ]
    url = serve_names(http_server, "/arc.xml", names)
    item = _linked(
        alice,
        url,
        "Kitsune Rider: Yoru no Shou-hen",
        title_romaji="Kitsune Rider: Yoru no Shou-hen",
        synonyms=["Kitsune Rider Season 2"],
        first_absolute_episode=13,
        episodes=11,
    )

    result = check_item(item)

    assert [e["episode"] for e in result.new_episodes] == [4, 6]
    assert Episode.objects.get(item=item, number=4).url == file_url(http_server, names[0])
    assert _decisions(item)[names[2]].code == "other_season"


def test_a_release_naming_the_season_numbers_it_within_the_entrys_count(alice, http_server):
    """A 25-episode second season after a 12-episode first one: "S2 - 15"
    is its 15th (the group numbers the season), "- 15" its third (the group
    numbers the show)."""
    names = [
        "[Group] Kitsune Rider S2 - 15 [1080p].mkv",
        "[Other] Kitsune Rider - 15 [1080p].mkv",
        "[Group] One Piece - 1110 [1080p].mkv",
    ]
    url = serve_names(http_server, "/per-season.xml", names)
    item = _linked(
        alice,
        url,
        "Kitsune Rider 2nd Season",
        title_romaji="Kitsune Rider 2nd Season",
        first_absolute_episode=13,
        episodes=25,
    )

    result = check_item(item)

    assert [e["episode"] for e in result.new_episodes] == [3, 15]
    assert Episode.objects.get(item=item, number=15).url == file_url(http_server, names[0])


def test_a_later_seasons_item_is_called_by_its_titles_head_with_its_season(alice, http_server):
    """The English title has a subtitle and no season, a synonym names
    season 3: scene names write the head and the season."""
    names = [
        "Lantern.Tales.S03E05.1080p.WEB.H264-GRP",
        "Lantern.Tales.S01E06.1080p.WEB.H264-GRP",
        "[Group] One Piece - 1110 [1080p].mkv",
    ]
    url = serve_names(http_server, "/seasoned-head.xml", names)
    item = _linked(
        alice,
        url,
        "Lantern Tales: The Burning Tower",
        title_romaji="Touka Monogatari: Moeru Tou-hen",
        title_english="Lantern Tales: The Burning Tower",
        synonyms=["Touka Monogatari Season 3"],
        first_absolute_episode=25,
        episodes=12,
    )

    result = check_item(item)

    assert [e["episode"] for e in result.new_episodes] == [5]


def test_a_first_seasons_second_cour_is_called_by_the_head_of_its_title(alice, http_server):
    """ "Touka Monogatari: Yoru no Uta wo Kiku Part 2": releases call the
    series by the head and number on from the first cour; a release naming
    season 2 is another entry's."""
    names = [
        "[Group] Touka Monogatari - 16 [1080p].mkv",
        "[Group] Touka Monogatari - 05 [1080p].mkv",  # the first cour's
        "[Group] Touka Monogatari S2 - 14 [1080p].mkv",  # the second season's
        "[Group] One Piece - 1110 [1080p].mkv",
    ]
    url = serve_names(http_server, "/part-head.xml", names)
    item = _linked(
        alice,
        url,
        "Touka Monogatari: Yoru no Uta wo Kiku Part 2",
        title_romaji="Touka Monogatari: Yoru no Uta wo Kiku Part 2",
        first_absolute_episode=12,
        episodes=12,
    )

    result = check_item(item)

    assert [e["episode"] for e in result.new_episodes] == [5]
    assert Episode.objects.get(item=item, number=5).url == file_url(http_server, names[0])


def test_a_release_spelling_the_catalogue_title_names_its_season(alice, http_server):
    """ "Touka Monogatari II: Yoru no Uta" spells season 2 in its words: a
    release written the same is season 2, numbered within it."""
    names = [
        "[Group] Touka Monogatari II - Yoru no Uta - 05 [1080p].mkv",
        "[Group] One Piece - 1110 [1080p].mkv",
    ]
    url = serve_names(http_server, "/spelled-season.xml", names)
    item = _linked(
        alice,
        url,
        "Touka Monogatari II: Yoru no Uta",
        title_romaji="Touka Monogatari II: Yoru no Uta",
        first_absolute_episode=13,
        episodes=12,
    )

    result = check_item(item)

    assert [e["episode"] for e in result.new_episodes] == [5]
    assert Episode.objects.get(item=item, number=5).season == 2


def test_a_later_cour_takes_its_seasons_numbers_past_the_cour_before_it(alice, http_server):
    """A second season's second cour after a 13-episode first cour: the
    group numbers the season on ("S2 - 16" is the cour's third); "S2 - 05"
    is the first cour's."""
    names = [
        "[Group] Kitsune Rider S2 - 16 [1080p].mkv",
        "[Group] Kitsune Rider S2 - 05 [1080p].mkv",
        "[Group] One Piece - 1110 [1080p].mkv",
    ]
    url = serve_names(http_server, "/later-cour.xml", names)
    item = _linked(
        alice,
        url,
        "Kitsune Rider Season 2 Part 2",
        title_romaji="Kitsune Rider Season 2 Part 2",
        first_absolute_episode=26,
        episodes=12,
        prequel_episodes=13,
    )

    result = check_item(item)

    assert [e["episode"] for e in result.new_episodes] == [3]
    assert _decisions(item)[names[1]].code == "other_season"


COUR_FEED = [
    "[Group] Kitsune Rider 2nd Season Part 2 - 05 [1080p].mkv",
    "[Group] Kitsune Rider Season 2 Part 2 - 06 [1080p].mkv",
    "[Group] Kitsune Rider II Part 2 - 07 [1080p].mkv",
    "[Group] Kitsune Rider 2nd Season - 04 [1080p].mkv",
    "[Group] One Piece - 1110 [1080p].mkv",
]


@pytest.mark.parametrize(
    ("series_fields", "expected"),
    [
        # the season's second cour: the releases naming the part, numbered from 1
        (
            {"title_romaji": "Kitsune Rider 2nd Season Part 2", "first_absolute_episode": 25, "prequel_episodes": 12},
            [5, 6, 7],
        ),
        # the season's first cour: not the part's releases
        ({"title_romaji": "Kitsune Rider 2nd Season", "first_absolute_episode": 13, "prequel_episodes": 12}, [4]),
    ],
)
def test_a_release_naming_a_seasons_later_cour_is_that_cours(alice, http_server, series_fields, expected):
    url = serve_names(http_server, "/season-cour.xml", COUR_FEED)
    item = _linked(alice, url, series_fields["title_romaji"], episodes=12, **series_fields)

    result = check_item(item)

    assert [e["episode"] for e in result.new_episodes] == expected


def test_a_final_season_titled_without_its_number_takes_the_season_its_synonym_names(alice, http_server):
    names = [
        "Lantern.Tales.S04E05.1080p.WEB.H264-GRP",
        "Lantern.Tales.S03E06.1080p.WEB.H264-GRP",
        "[Group] One Piece - 1110 [1080p].mkv",
    ]
    url = serve_names(http_server, "/final-season.xml", names)
    item = _linked(
        alice,
        url,
        "Lantern Tales Final Season",
        title_english="Lantern Tales Final Season",
        title_romaji="Touka Monogatari: The Final Season",
        synonyms=["Touka Monogatari Season 4"],
        first_absolute_episode=60,
        episodes=16,
    )

    result = check_item(item)

    assert [e["episode"] for e in result.new_episodes] == [5]


# --- films -----------------------------------------------------------------------


FILM_FEED = [
    "[Group] Kitsune Rider - Code Amber (2023) [1080p WEB]",  # the film, named without a number
    "[Group] Kitsune Rider - 05 [1080p].mkv",
    "[Group] Kitsune Rider [BD 1080p]",  # the series' discs, no number either
    "[Group] One Piece - 1110 [1080p].mkv",
]


def test_an_item_linked_to_a_film_takes_the_film_as_its_episode_1(alice, http_server):
    url = serve_names(http_server, "/film.xml", FILM_FEED)
    item = _linked(
        alice,
        url,
        "Kitsune Rider: Code Amber",
        title_romaji="Kitsune Rider: Code Amber",
        format="MOVIE",
        episodes=1,
        season_year=2023,
    )

    result = check_item(item)

    assert [e["episode"] for e in result.new_episodes] == [1]
    assert _episodes(item) == {1: file_url(http_server, FILM_FEED[0])}
    # the series' episode and its discs are not the film
    assert _decisions(item)[FILM_FEED[1]].code == "other_series"
    assert _decisions(item)[FILM_FEED[2]].code == "other_series"


def test_a_film_named_by_its_kind_is_a_film_items_too(alice, http_server):
    names = ["[Group] Gekijouban Kitsune Rider - Code Amber [BD 1080p]", "[Group] Kitsune Rider - 05 [1080p].mkv"]
    url = serve_names(http_server, "/film-kind.xml", names)
    item = _linked(
        alice,
        url,
        "Gekijouban Kitsune Rider: Code Amber",
        title_romaji="Gekijouban Kitsune Rider: Code Amber",
        format="MOVIE",
        episodes=1,
    )

    result = check_item(item)

    assert _episodes(item) == {1: file_url(http_server, names[0])}
    assert [e["episode"] for e in result.new_episodes] == [1]


def test_an_item_made_for_a_film_takes_it_as_its_episode_1(alice, http_server):
    url = serve_names(http_server, "/film-own.xml", FILM_FEED)
    item = feed_item(alice, url, anime_title="Kitsune Rider Movie: Code Amber")

    result = check_item(item)

    assert [e["episode"] for e in result.new_episodes] == [1]
    assert _episodes(item) == {1: file_url(http_server, FILM_FEED[0])}


def test_a_series_item_takes_no_release_without_a_number_even_with_specials(alice, http_server):
    url = serve_names(http_server, "/film-series.xml", FILM_FEED)
    item = _linked(alice, url, "Kitsune Rider", title_romaji="Kitsune Rider", first_absolute_episode=1, episodes=12)
    item.include_specials = True
    item.save(update_fields=["include_specials"])

    result = check_item(item)

    assert [e["episode"] for e in result.new_episodes] == [5]
    decisions = _decisions(item)
    assert decisions[FILM_FEED[0]].code == "other_series"
    assert not decisions[FILM_FEED[2]].picked


# --- remakes ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("season_year", "expected"),
    [
        # the remake began years after the release was published: the older show's
        (2026, []),
        # the same release when the linked series had begun by then
        (2023, [7]),
    ],
)
def test_a_release_published_before_the_linked_series_began_is_not_its(alice, http_server, season_year, expected):
    names = ["[Group] Lantern Wolf - 07 [DVD 480p].mkv"]  # published in 2023 (the loopback feed's dates)
    url = serve_names(http_server, "/remake.xml", names)
    item = _linked(
        alice,
        url,
        "Lantern Wolf: Merchant Meets the Wise Wolf",
        title_romaji="Lantern Wolf: Merchant Meets the Wise Wolf",
        first_absolute_episode=1,
        episodes=25,
        season_year=season_year,
    )

    result = check_item(item)

    assert [e["episode"] for e in result.new_episodes] == expected


@pytest.mark.parametrize(
    ("next_cour_episodes", "expected"),
    [
        # its next cour is known: "S2 - 15" is that cour's third
        (12, [5]),
        # no later cour of the season follows: "S2 - 15" is the show's 15th, the season's second
        (None, [2, 5]),
    ],
)
def test_a_seasons_number_past_its_last_is_its_next_cours(alice, http_server, next_cour_episodes, expected):
    names = [
        "[Group] Kitsune Rider S2 - 15 [1080p].mkv",
        "[Group] Kitsune Rider S2 - 05 [1080p].mkv",
        "[Group] One Piece - 1110 [1080p].mkv",
    ]
    url = serve_names(http_server, "/next-cour.xml", names)
    item = _linked(
        alice,
        url,
        "Kitsune Rider Season 2",
        title_romaji="Kitsune Rider Season 2",
        first_absolute_episode=14,
        episodes=12,
        prequel_episodes=13,
        next_cour_episodes=next_cour_episodes,
    )

    result = check_item(item)

    assert [e["episode"] for e in result.new_episodes] == expected


# --- one-episode OVAs and specials ---------------------------------------------------

OVA_FEED = [
    "[Group] Kitsune Rider - Lantern Night [BD 1080p].mkv",  # named without a number
    "[Group] Kitsune Rider OVA - Lantern Night [1080p].mkv",  # named by its kind
    "[Group] Kitsune Rider - 05 [1080p].mkv",  # the series' episode
    "[Group] Kitsune Rider - OVA [720p].mkv",  # one of the series' OVAs, which one unsaid
    "[Group] Kitsune Rider [BD 1080p]",  # the series' discs
]


@pytest.mark.parametrize("entry_format", ["OVA", "SPECIAL", "ONA"])
def test_an_item_linked_to_a_one_episode_ova_takes_it_as_its_episode_1(alice, http_server, entry_format):
    url = serve_names(http_server, "/ova.xml", OVA_FEED)
    item = _linked(
        alice,
        url,
        "Kitsune Rider: Lantern Night",
        title_romaji="Kitsune Rider: Lantern Night",
        format=entry_format,
        episodes=1,
    )

    result = check_item(item)

    assert [e["episode"] for e in result.new_episodes] == [1]
    decisions = _decisions(item)
    assert decisions[OVA_FEED[0]].episode == 1 and decisions[OVA_FEED[1]].episode == 1
    assert _episodes(item)[1] in {file_url(http_server, OVA_FEED[0]), file_url(http_server, OVA_FEED[1])}
    assert all(decisions[name].episode is None for name in OVA_FEED[2:])


def test_an_ova_entry_of_several_episodes_keeps_its_unnumbered_releases_as_specials(alice, http_server):
    url = serve_names(http_server, "/ovas.xml", OVA_FEED)
    item = _linked(
        alice,
        url,
        "Kitsune Rider: Lantern Night",
        title_romaji="Kitsune Rider: Lantern Night",
        format="OVA",
        episodes=2,
    )

    result = check_item(item)

    assert result.new_episodes == []
    assert not Episode.objects.filter(item=item).exists()


@pytest.mark.parametrize(("include_specials", "picked"), [(False, []), (True, [OVA_FEED[1]])])
def test_a_series_item_takes_its_ova_only_as_a_special_it_asked_for(alice, http_server, include_specials, picked):
    url = serve_names(http_server, "/ova-series.xml", OVA_FEED)
    item = _linked(alice, url, "Kitsune Rider", title_romaji="Kitsune Rider", first_absolute_episode=1, episodes=12)
    item.include_specials = include_specials
    item.save(update_fields=["include_specials"])

    result = check_item(item)

    assert [e["episode"] for e in result.new_episodes] == [5]
    decisions = _decisions(item)
    assert [name for name in OVA_FEED[:2] if decisions[name].picked] == picked
    assert decisions[OVA_FEED[0]].episode is None and decisions[OVA_FEED[1]].episode is None


# --- a sub-series' later part numbered on from its first ---------------------------

SUB_SERIES_FEED = [
    "[Group] Kitsune Rider - Lantern Roads of Kyoto - 16 [1080p].mkv",  # the sub-series' 16th: its part 2's 4th
    "[Group] Kitsune Rider - Lantern Roads of Kyoto - 05 [1080p].mkv",  # its first part's
    "[Group] Kitsune Rider - 16 [1080p].mkv",  # the first season's
    "[Group] Kitsune Rider - Lantern Roads of Kyoto - 30 [1080p].mkv",  # past both parts
]


@pytest.mark.parametrize(("prequel_episodes", "expected"), [(12, [4]), (None, [])])
def test_a_sub_series_part_takes_the_numbers_that_go_on_from_its_first_part(
    alice, http_server, prequel_episodes, expected
):
    url = serve_names(http_server, "/sub-series.xml", SUB_SERIES_FEED)
    item = _linked(
        alice,
        url,
        "Kitsune Rider: Lantern Roads of Kyoto Part 2",
        title_romaji="Kitsune Rider: Lantern Roads of Kyoto Part 2",
        first_absolute_episode=38,  # after a 25-episode first season and the sub-series' 12-episode first part
        prequel_episodes=prequel_episodes,
        episodes=12,
    )

    result = check_item(item)

    assert [e["episode"] for e in result.new_episodes] == expected
    if expected:
        assert _episodes(item) == {4: file_url(http_server, SUB_SERIES_FEED[0])}


# --- later entries named by the franchise and a season: told apart by date ------
# serve_names dates its entries 2023-11-14: within AniList's fall 2023 and
# winter 2024 seasons, after the spring 2023 season's entries have aired.

DATED_FEED = [
    "Kitsune.Rider.S03E05.1080p.WEB.H264-GRP",
    "[Group] Kitsune Rider S3 - 07 [1080p].mkv",
    "Kitsune.Rider.S02E04.1080p.BluRay.x264-GRP",  # the season before, re-released on discs
    "[Group] Kitsune Rider - Hoshikuzu-hen - 06 [1080p].mkv",
    "[Group] One Piece - 1110 [1080p].mkv",
]


def _arc(owner, url, title, **series_fields):
    fields = {"title_romaji": title, "first_absolute_episode": 26, "prequel_episodes": 12, "episodes": 12}
    return _linked(owner, url, title, **(fields | series_fields))


@pytest.mark.parametrize(
    ("season", "expected"),
    [
        # the arc aired in the fall of 2023: the franchise's season 3 then is it
        ("FALL", [5, 6, 7]),
        # the arc aired in the spring: a season-numbered release of the fall is another entry's
        ("SPRING", [6]),
    ],
)
def test_an_arc_titled_sequel_takes_the_season_numbered_releases_published_while_it_aired(
    alice, http_server, season, expected
):
    url = serve_names(http_server, f"/dated-{season}.xml", DATED_FEED)
    item = _arc(alice, url, "Kitsune Rider: Hoshikuzu-hen", season=season, season_year=2023)

    result = check_item(item)

    assert [e["episode"] for e in result.new_episodes] == expected
    decisions = _decisions(item)
    assert decisions[DATED_FEED[2]].reason == (
        "season 2 by its name, from discs: its date does not tell which entry it is"
    )
    if season == "FALL":
        assert decisions[DATED_FEED[0]].reason.endswith(
            "season 3 by its name, published while this entry aired (fall 2023)"
        )
    else:
        assert decisions[DATED_FEED[0]].reason == (
            "season 3 by its name, published 2023-11-14: not while this entry aired"
        )


def test_a_season_numbered_on_from_the_arc_before_is_told_by_what_has_aired(alice, http_server):
    """A winter 2024 arc of 11 after a 7-episode one, airing: "S02E08" is its
    first episode (the groups' season 2 spans both arcs), "S02E03" of
    mid-November is the arc before's: this one's third had not aired."""
    names = [
        "Kitsune.Rider.S02E08.1080p.WEB.H264-GRP",
        "Kitsune.Rider.S02E03.1080p.WEB.H264-GRP",
        "[Group] One Piece - 1110 [1080p].mkv",
    ]
    url = serve_names(http_server, "/dated-on.xml", names)
    item = _arc(
        alice,
        url,
        "Kitsune Rider: Yuugure-hen",
        season="WINTER",
        season_year=2024,
        status="RELEASING",
        prequel_episodes=7,
        episodes=11,
    )

    result = check_item(item)

    assert [e["episode"] for e in result.new_episodes] == [1]
    assert _decisions(item)[names[1]].reason == (
        "season 2 by its name: episode 3 is not one this entry aired around then"
    )


def test_a_later_entry_following_no_season_leaves_its_titles_next_season_to_the_entry_airing_then(
    alice, bob, http_server
):
    """Both entries are named "Lantern Tales: Blood War" by the groups, with a
    season each; the spring one (following no season) does not take the
    season 2 published in November, the fall one does."""
    names = [
        "Lantern.Tales.Blood.War.S02E05.1080p.WEB.H264-GRP",
        "[Group] Lantern Tales - Blood War - 04 [1080p].mkv",
        "[Group] One Piece - 1110 [1080p].mkv",
    ]
    url = serve_names(http_server, "/dated-gate.xml", names)
    first = _arc(
        alice,
        url,
        "Lantern Tales: Blood War",
        title_english="Lantern Tales: Blood War",
        season="SPRING",
        season_year=2023,
        first_absolute_episode=367,
    )
    second = _arc(
        bob,
        url,
        "Lantern Tales: Blood War - The Parting",
        title_english="Lantern Tales: Blood War - The Parting",
        season="FALL",
        season_year=2023,
        first_absolute_episode=380,
    )

    results = {item.pk: check_item(item) for item in (first, second)}

    assert [e["episode"] for e in results[first.pk].new_episodes] == [4]
    assert [e["episode"] for e in results[second.pk].new_episodes] == [5]
    assert _decisions(first)[names[0]].code == "other_season"


def test_a_sub_series_season_is_not_the_franchises(alice, http_server):
    """ ":re 2nd Season" names the sub-series' season: the franchise's season 2
    (another entry, on discs) is not it; its season 3 numbered on from the
    sub-series' first part, published while it aired, is."""
    names = [
        "Lantern.Tales.S03E16.1080p.WEB.H264-GRP",
        "[Group] Lantern Tales re S2 - 06 [1080p].mkv",
        "Lantern.Tales.S02E07.1080p.BluRay.x264-GRP",
        "[Group] One Piece - 1110 [1080p].mkv",
    ]
    url = serve_names(http_server, "/dated-sub.xml", names)
    item = _arc(
        alice,
        url,
        "Lantern Tales:re 2nd Season",
        season="FALL",
        season_year=2023,
        first_absolute_episode=37,
    )

    result = check_item(item)

    assert [e["episode"] for e in result.new_episodes] == [4, 6]
    assert _decisions(item)[names[2]].code == "other_season"


@pytest.mark.parametrize(("number", "expected"), [(15, [3]), (25, []), (5, [])])
def test_an_arcs_second_season_named_by_the_arc_alone_numbers_on_from_its_first(alice, http_server, number, expected):
    """AniList's romaji names the arc's season 2, its English title "Part 2";
    a group writes the arc's title and numbers on after its 12 episodes."""
    names = [
        f"[Group] Kitsune Rider - Lantern Roads - {number:02d} [1080p].mkv",
        "[Group] One Piece - 1110 [1080p].mkv",
    ]
    url = serve_names(http_server, f"/sub-season-{number}.xml", names)
    item = _arc(
        alice,
        url,
        "Kitsune Rider: Lantern Roads 2nd Season",
        title_english="Kitsune Rider: Lantern Roads Part 2",
        first_absolute_episode=50,
        episodes=11,
    )

    result = check_item(item)

    assert [e["episode"] for e in result.new_episodes] == expected


def test_an_undated_season_numbered_release_stays_another_entrys(alice):
    """An indexer result without a date: nothing tells which of the
    franchise's entries its season 3 is, even while the arc airs."""
    from watchlist.metadata.models import Series

    series = Series.objects.create(
        anilist_id=5999, title_romaji="Kitsune Rider: Hoshikuzu-hen", format="TV", status="RELEASING",
        season="FALL", season_year=2023, first_absolute_episode=26, prequel_episodes=12, episodes=12,
    )  # fmt: skip
    item = feed_item(alice, "https://indexer.example.org/api?q=kitsune&t=rss", anime_title=series.title_romaji,
                     series=series)  # fmt: skip
    store_results(item.source, [{"name": "Kitsune.Rider.S03E05.1080p.WEB.H264-GRP"}, {"name": "One.Piece.E1110.1080p"}])

    result = check_item(item)

    assert result.new_episodes == []
    assert _decisions(item)["Kitsune.Rider.S03E05.1080p.WEB.H264-GRP"].reason == (
        "season 3 by its name, with no date to tell which of the franchise's entries it is"
    )


# --- the same, with AniList's start and end dates ----------------------------------
# The feed's releases are dated 2023-11-14 (serve_names).


@pytest.mark.parametrize(
    ("dates", "expected"),
    [
        # began on 1 December (still AniList's fall): mid-November is before
        # it (its title's "- 06" is its own whatever the date)
        ({"start_date": "2023-12-01"}, [6]),
        # ended on 20 September: mid-November is long after its last episode
        ({"start_date": "2023-07-05", "end_date": "2023-09-20", "season": "SUMMER"}, [6]),
        # controls: the dates hold mid-November; with none, AniList's season says it may
        ({"start_date": "2023-10-04", "end_date": "2023-12-20"}, [5, 6, 7]),
        ({}, [5, 6, 7]),
    ],
)
def test_an_arcs_start_and_end_dates_bound_when_its_releases_come_out(alice, http_server, dates, expected):
    url = serve_names(http_server, f"/dated-days-{len(dates)}-{dates.get('start_date')}.xml", DATED_FEED)
    fields = {"season": "FALL", "season_year": 2023} | dates
    item = _arc(alice, url, "Kitsune Rider: Hoshikuzu-hen", **fields)

    result = check_item(item)

    assert [e["episode"] for e in result.new_episodes] == expected


@pytest.mark.parametrize(
    ("sequel_start_date", "number", "expected"),
    [
        # the next arc began on 12 November: the franchise's "S03E01" of the
        # 14th is its first episode, not this arc's first released late
        ("2023-11-12", 1, []),
        # controls: a number the next arc cannot have aired yet stays this
        # arc's late one; with no next arc airing, its first is its own
        ("2023-11-12", 4, [4]),
        ("", 1, [1]),
    ],
)
def test_an_arc_leaves_a_release_it_could_share_to_the_next_arc_airing_then(
    alice, http_server, sequel_start_date, number, expected
):
    names = [f"Kitsune.Rider.S03E{number:02d}.1080p.WEB.H264-GRP", "[Group] One Piece - 1110 [1080p].mkv"]
    url = serve_names(http_server, f"/dated-sequel-{number}-{sequel_start_date}.xml", names)
    item = _arc(
        alice,
        url,
        "Kitsune Rider: Hoshikuzu-hen",
        season="FALL",
        season_year=2023,
        start_date="2023-10-18",
        end_date="2023-11-08",
        episodes=4,
        sequel_start_date=sequel_start_date,
    )

    result = check_item(item)

    assert [e["episode"] for e in result.new_episodes] == expected
    if not expected:
        assert _decisions(item)[names[0]].reason == (
            "season 3 by its name, published 2023-11-14: the next entry was airing then"
        )


@pytest.mark.parametrize(("number", "expected"), [(2, []), (15, [15])])
def test_an_airing_arc_does_not_take_an_early_episode_uploaded_months_after_it_aired(
    alice, http_server, number, expected
):
    """A long arc airing since August: its second episode aired in August, so
    a "S03E02" of mid-November is an older season's uploaded again; its 15th
    aired the week before (control)."""
    names = [f"Kitsune.Rider.S03E{number:02d}.1080p.WEB.H264-GRP", "[Group] One Piece - 1110 [1080p].mkv"]
    url = serve_names(http_server, f"/dated-late-{number}.xml", names)
    item = _arc(
        alice,
        url,
        "Kitsune Rider: Hoshikuzu-hen",
        season="SUMMER",
        season_year=2023,
        status="RELEASING",
        start_date="2023-08-01",
        episodes=24,
    )

    result = check_item(item)

    assert [e["episode"] for e in result.new_episodes] == expected


@pytest.mark.parametrize(("scheduled", "expected"), [(True, []), (False, [7])])
def test_the_airing_schedule_says_which_episodes_had_aired(alice, http_server, scheduled, expected):
    """Known only to have begun in October: by the month's start its 7th may
    have aired by mid-November, but the schedule kept its 5th airing on the
    13th, so the 7th had not."""
    from watchlist.metadata.models import SeriesAiring

    names = ["Kitsune.Rider.S03E07.1080p.WEB.H264-GRP", "[Group] One Piece - 1110 [1080p].mkv"]
    url = serve_names(http_server, f"/dated-schedule-{scheduled}.xml", names)
    item = _arc(
        alice,
        url,
        "Kitsune Rider: Hoshikuzu-hen",
        season="FALL",
        season_year=2023,
        status="RELEASING",
        start_date="2023-10",
    )
    if scheduled:
        aired = timezone.make_aware(timezone.datetime(2023, 11, 13, 15, 0))
        SeriesAiring.objects.create(series=item.series, episode=5, airing_at=aired)

    result = check_item(item)

    assert [e["episode"] for e in result.new_episodes] == expected


@pytest.mark.parametrize(("first_upload", "expected"), [(True, []), (False, [3])])
def test_a_name_the_listing_had_before_the_arc_began_is_an_older_entrys(alice, first_upload, expected):
    """An indexer's results hold "S02E03" of the arc before (June) and the
    same name again while this arc airs: that is the older episode, uploaded
    again. Without the first one, nothing says so (control)."""
    from watchlist.metadata.models import Series

    series = Series.objects.create(
        anilist_id=5998, title_romaji="Kitsune Rider: Yuugure-hen", format="TV", status="RELEASING",
        season="FALL", season_year=2023, start_date="2023-10-04", first_absolute_episode=26, prequel_episodes=12,
    )  # fmt: skip
    item = feed_item(alice, "https://indexer.example.org/api?q=kitsune&t=rss", anime_title=series.title_romaji,
                     series=series)  # fmt: skip
    names = ["Kitsune.Rider.S02E03.1080p.WEB.H264-GRP", "Kitsune Rider S02E03 1080p WEB H264-OTHER"]
    days = [timezone.datetime(2023, 6, 20, tzinfo=UTC), timezone.datetime(2023, 10, 20, tzinfo=UTC)]
    for release, published in zip(store_results(item.source, [{"name": name} for name in names]), days, strict=True):
        release.published_at = published
        release.save(update_fields=["published_at"])
        if not first_upload and published.month == 6:
            release.delete()

    result = check_item(item)

    assert [e["episode"] for e in result.new_episodes] == expected


def test_a_season_zero_special_is_not_the_shows_episode_of_its_number(alice, http_server):
    names = [
        "Lantern.Drift.S01E01.1080p.WEB-DL.AAC2.0.H.264-GRP",
        "Lantern.Drift.S00E02.1080p.WEB-DL.AAC2.0.H.264-GRP",
    ]
    url = serve_names(http_server, "/season-zero.xml", names)
    item = feed_item(alice, url, anime_title="Lantern Drift")

    check_item(item)

    # Episode 2 has not aired: the second special does not stand in for it.
    assert _episodes(item) == {1: file_url(http_server, names[0])}
    assert _decisions(item)[names[1]].code != "picked"


@pytest.mark.parametrize(
    ("numbers", "start_date", "end_date", "expected"),
    [
        # the whole arc streamed at once two days after its start: its later
        # episodes had not been broadcast yet, but they are its own
        (range(1, 7), "2023-11-12", "2023-12-17", [1, 2, 3, 4, 5, 6]),
        # controls: two late numbers alone are no season dropped at once (their
        # broadcast is weeks away); nor is an arc's run uploaded again long after
        # its start (a week-by-week arc's episodes are weeks late by then)
        (range(5, 7), "2023-11-12", "2023-12-17", []),
        (range(1, 7), "2023-09-03", "2023-11-19", []),
    ],
)
def test_an_arc_streamed_all_at_once_ahead_of_its_broadcast_is_taken_whole(
    alice, http_server, numbers, start_date, end_date, expected
):
    """The feed lists every name within an hour on 14 November."""
    names = [f"[Group] Kitsune Rider S3 - {n:02d} [1080p].mkv" for n in numbers]
    url = serve_names(http_server, f"/dropped-{numbers.start}-{start_date}.xml", names)
    item = _arc(
        alice, url, "Kitsune Rider: Hoshikuzu-hen", season="FALL", season_year=2023, start_date=start_date,
        end_date=end_date, episodes=6,
    )  # fmt: skip

    result = check_item(item)

    assert [e["episode"] for e in result.new_episodes] == expected
