"""AniList answers of the shapes its API really gives, served by the fake
server on 127.0.0.1: errors said in a 200 body, outages said with a 403,
"not found" said with a 404, and fields that come back null or empty.
Every body here is written by the test."""

from __future__ import annotations

import pytest

from tests.support.fake_anilist import media
from watchlist.metadata.anilist import AniListClient, AniListRejected, AniListUnavailable
from watchlist.metadata.series import UnknownSeries, first_absolute_episodes, series_for_anilist_id

pytestmark = pytest.mark.django_db


def page(*entries: dict) -> dict:
    return {"data": {"Page": {"pageInfo": {"total": len(entries)}, "media": list(entries)}}}


# --- which failures are worth asking again --------------------------------------


@pytest.mark.parametrize(
    ("body", "words"),
    [
        # A GraphQL server reports its own overload inside a 200 answer.
        ({"data": None, "errors": [{"message": "Slow down please", "status": 429}]}, "Slow down please"),
        ({"errors": [{"message": "backend briefly away", "status": 503}]}, "backend briefly away"),
        ({"data": {"Page": None}, "errors": [{"message": "Internal oops", "status": 500}]}, "Internal oops"),
    ],
)
def test_an_overload_said_inside_a_200_answer_is_worth_asking_again(anilist, body, words):
    anilist.reply_next(200, body=body)
    with pytest.raises(AniListUnavailable, match=words):
        AniListClient().series([1])


def test_a_query_error_inside_a_200_answer_is_still_refused(anilist):
    anilist.reply_next(200, body={"data": None, "errors": [{"message": "Unknown field 'x'", "status": 400}]})
    with pytest.raises(AniListRejected, match="Unknown field"):
        AniListClient().series([1])


@pytest.mark.parametrize(
    "body",
    [
        {"data": None, "errors": [{"message": "The API is switched off for a while.", "status": 403}]},
        b"<html><body><h1>403 Forbidden</h1></body></html>",
    ],
)
def test_a_403_is_an_outage_not_a_bad_query(anilist, body):
    """AniList answers 403 while its API is switched off, and its CDN does
    when it turns clients away for a while: asking later is what helps."""
    anilist.reply_next(403, body=body)
    with pytest.raises(AniListUnavailable, match="HTTP 403"):
        AniListClient().series([1])


def test_a_search_answers_from_its_cached_copy_during_a_403_outage(anilist, time_machine):
    from datetime import timedelta

    from tests.metadata_helpers import T0

    time_machine.move_to(T0, tick=False)
    anilist.add(media(5, "Lantern Days"))
    AniListClient().search("lantern")
    time_machine.shift(timedelta(hours=7))
    anilist.reply_next(403, body={"data": None, "errors": [{"message": "switched off", "status": 403}]})
    assert [r.anilist_id for r in AniListClient().search("lantern")] == [5]


@pytest.mark.parametrize("data", [{"Media": None}, None])
def test_a_404_saying_not_found_means_no_such_anime(anilist, data):
    anilist.reply_next(404, body={"errors": [{"message": "Not Found.", "status": 404}], "data": data})
    assert AniListClient().series([404040]) == {}


def test_a_404_without_a_graphql_answer_is_still_refused(anilist):
    anilist.reply_next(404, body=b"<html>no such page</html>")
    with pytest.raises(AniListRejected, match="HTTP 404"):
        AniListClient().series([1])


def test_adding_an_id_answered_with_not_found_is_refused_not_kept_as_a_placeholder(anilist):
    anilist.reply_next(404, body={"errors": [{"message": "Not Found.", "status": 404}], "data": {"Page": None}})
    with pytest.raises(UnknownSeries):
        series_for_anilist_id(404041)


# --- fields that come back empty -------------------------------------------------


def test_zero_episodes_is_an_unknown_count(anilist):
    entry = media(9, "Zero Count", episodes=None)
    entry["episodes"] = 0
    entry["relations"]["edges"] = [
        {"relationType": "PREQUEL", "node": {"id": 8, "type": "ANIME", "format": "TV", "episodes": 0}}
    ]
    anilist.reply_next(200, body=page(entry))
    record = AniListClient().series([9])[9]
    assert record.episodes is None
    assert record.relations[0].episodes is None


def test_an_air_time_of_zero_is_no_air_time(anilist):
    entry = media(11, "Epoch Show", schedule=[(4, 1_800_000_000)])
    entry["airingSchedule"]["nodes"].append({"episode": 5, "airingAt": 0})
    entry["nextAiringEpisode"] = {"episode": 4, "airingAt": 0}
    anilist.reply_next(200, body=page(entry))
    record = AniListClient().series([11])[11]
    assert [a.episode for a in record.schedule] == [4]
    assert record.next_airing is None


def test_a_prequel_whose_entry_cannot_be_read_leaves_the_first_episode_unknown(anilist):
    """Season 2 with a PREQUEL edge but no usable entry behind it: its
    episode 1 is not "1" (that would make it the first season)."""
    entry = media(21, "Lantern Season 2", episodes=12)
    entry["relations"]["edges"] = [
        {"relationType": "PREQUEL", "node": None},
        {"relationType": "ADAPTATION", "node": {"type": "MANGA"}},
    ]
    other = media(22, "Lantern Season 2 Recap", episodes=1)
    other["relations"]["edges"] = [{"relationType": "PREQUEL", "node": {"type": "ANIME", "episodes": 13}}]
    anilist.add(entry, other)
    client = AniListClient()
    records = client.series([21, 22])
    assert first_absolute_episodes(records, client) == {21: None, 22: None}


def test_a_nul_character_in_any_text_is_dropped_so_the_series_can_be_stored(anilist):
    """PostgreSQL text cannot hold NUL: one such character in one entry's
    answer would fail the store of every series refreshed with it."""
    entry = media(77, "Lantern\x00 Nights", romaji="Chouchin\x00", synonyms=["LN\x00"], description="Dark\x00 story")
    entry["genres"] = ["Drama\x00"]
    anilist.add(entry)
    series = series_for_anilist_id(77)
    series.refresh_from_db()
    assert (series.title_english, series.title_romaji, series.synonyms) == ("Lantern Nights", "Chouchin", ["LN"])
    assert series.synopsis == "Dark story" and series.genres == ["Drama"]
