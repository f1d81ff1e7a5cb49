"""The torznab provider against a fake Torznab server on 127.0.0.1: which
searches it makes (caps, t=tvsearch/t=search, season, categories, the
titles), how results become releases, and the errors indexers really send,
each in plain words, one indexer's failure never failing the others."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from tests.indexer_helpers import make_indexer, torznab_item
from tests.support.fake_torznab import T0, Failure, FakeRelease
from watchlist.checker import check_item
from watchlist.indexers.answers import URL_MAX
from watchlist.indexers.models import Indexer, IndexerQuery
from watchlist.models import CheckRun, Release, SourceStatus

pytestmark = pytest.mark.django_db

FRIEREN = [
    FakeRelease("[SubsPlease] Sousou no Frieren - 05 (1080p) [A1B2C3D4].mkv", seeders=120, leechers=8),
    FakeRelease("[SubsPlease] Sousou no Frieren - 06 (1080p) [B1B2C3D4].mkv", seeders=90, leechers=3),
]


def _item(owner, title="Sousou no Frieren", **fields):
    fields.setdefault("auto_download", False)  # magnets are the torrent engine's to download
    return torznab_item(owner, title, **fields)


def test_caps_then_tvsearch_with_the_season_in_the_anime_category(torznab, alice):
    nyaa = torznab.add_indexer("nyaa", FRIEREN)
    make_indexer(nyaa)
    item = _item(alice, season=1)

    result = check_item(item)

    assert result.error is None
    assert [e["episode"] for e in result.new_episodes] == [5, 6]
    assert len(nyaa.caps_requests()) == 1
    (search,) = nyaa.searches()
    assert search["t"] == "tvsearch"
    assert search["q"] == "Sousou no Frieren"
    assert search["season"] == "1"
    assert search["cat"] == "5070"
    assert "ep" not in search  # one query serves every user, whatever episode each is at
    assert search["apikey"] == nyaa.api_key


def test_plain_search_where_caps_have_no_tv_search(torznab, alice):
    plain = torznab.add_indexer("plain", FRIEREN, tv_search=False)
    no_season = torznab.add_indexer("noseason", FRIEREN, tv_params="q")
    make_indexer(plain, categories=[5070, 5000])
    make_indexer(no_season)

    check_item(_item(alice, season=2))

    (asked,) = plain.searches()
    assert asked["t"] == "search" and "season" not in asked and asked["cat"] == "5070,5000"
    (asked,) = no_season.searches()
    assert asked["t"] == "tvsearch" and "season" not in asked


def test_caps_are_cached_between_checks_and_asked_again_after_a_day(torznab, alice, settings):
    settings.INDEXER_QUERY_REFRESH_MINUTES = 0  # every check searches again
    settings.SOURCE_MIN_REFRESH_MINUTES = 0
    nyaa = torznab.add_indexer("nyaa", FRIEREN)
    make_indexer(nyaa)
    item = _item(alice)
    with time_machine.travel(timezone.now(), tick=True) as clock:
        check_item(item)
        check_item(item)
        assert len(nyaa.caps_requests()) == 1
        assert len(nyaa.searches()) == 2
        clock.shift(timedelta(hours=25))
        check_item(item)
    assert len(nyaa.caps_requests()) == 2


def test_every_title_of_the_series_is_searched(torznab, alice):
    nyaa = torznab.add_indexer("nyaa", [*FRIEREN, FakeRelease("[Erai-raws] Frieren - 07 [1080p].mkv")])
    make_indexer(nyaa)
    item = _item(alice, title_aliases=["Frieren", "Frieren: Beyond Journey's End", "FRIEREN"])

    result = check_item(item)

    assert sorted(s["q"] for s in nyaa.searches()) == sorted(
        ["Sousou no Frieren", "Frieren", "Frieren: Beyond Journey's End"]
    )  # "FRIEREN" is "Frieren" again
    assert [e["episode"] for e in result.new_episodes] == [5, 6, 7]


def test_a_catalogue_title_with_a_subtitle_is_also_searched_by_its_short_title(torznab, alice):
    """No release carries "Isekai Ittara Honki Dasu": the short title and
    the season ("Mushoku Tensei", season 2) find them."""
    nyaa = torznab.add_indexer(
        "nyaa",
        [
            FakeRelease("[SubsPlease] Mushoku Tensei S2 - 05 (1080p) [A1B2C3D4].mkv"),
            FakeRelease("[SubsPlease] Mushoku Tensei - 04 (1080p) [B1B2C3D4].mkv"),  # season 1
        ],
    )
    make_indexer(nyaa)
    item = _item(alice, title="Mushoku Tensei II: Isekai Ittara Honki Dasu")

    result = check_item(item)

    asked = sorted(s["q"] for s in nyaa.searches())  # on parallel threads: any order
    assert asked == ["Mushoku Tensei", "Mushoku Tensei II: Isekai Ittara Honki Dasu"]
    assert [e["episode"] for e in result.new_episodes] == [5]


def test_results_become_releases_with_the_trackers_facts(torznab, alice):
    long_magnet = FakeRelease("[SubsPlease] Sousou no Frieren - 08 (1080p).mkv", seeders=7, leechers=2)
    torrent_only = FakeRelease(
        "[SubsPlease] Sousou no Frieren - 09 (720p).mkv", magnet=False, size=700_000_000, seeders=3, leechers=0
    )
    nyaa = torznab.add_indexer("nyaa", [long_magnet, torrent_only])
    make_indexer(nyaa)
    item = _item(alice)

    check_item(item)

    by_episode = {r.episode: r for r in Release.objects.filter(source=item.source)}
    eight, nine = by_episode[8], by_episode[9]
    assert eight.url.startswith("magnet:?xt=urn:btih:" + long_magnet.infohash)  # the magnet, not the keyed link
    assert eight.infohash == long_magnet.infohash
    assert (eight.seeders, eight.leechers, eight.size) == (7, 2, long_magnet.size)  # leechers = peers - seeders
    assert eight.published_at == datetime.fromtimestamp(T0, tz=UTC)
    assert eight.group == "SubsPlease" and eight.resolution == 1080
    assert nine.url.startswith(torznab.http.url(f"/{nyaa.slug}/dl/"))  # no magnet: the .torrent link
    assert (nine.infohash, nine.seeders, nine.size, nine.resolution) == (torrent_only.infohash, 3, 700_000_000, 720)


def test_a_magnet_with_dozens_of_trackers_is_cut_to_fit(torznab, alice):
    from watchlist.indexers.answers import short_magnet

    trackers = "".join(f"&tr=http%3A%2F%2Ftracker-{n:03d}.example.org%3A6969%2Fannounce" for n in range(80))
    magnet = "magnet:?xt=urn:btih:" + "a" * 40 + "&dn=" + "x" * 400 + trackers
    short = short_magnet(magnet)
    assert len(magnet) > URL_MAX >= len(short)
    assert short.startswith("magnet:?xt=urn%3Abtih%3A" + "a" * 40) or "btih" in short
    assert "tracker-000" in short and "tracker-079" not in short


def test_the_same_torrent_from_two_indexers_is_one_release_from_the_preferred_one(torznab, alice):
    first = torznab.add_indexer("first", FRIEREN[:1])
    second = torznab.add_indexer("second", FRIEREN)
    make_indexer(second, priority=30)
    make_indexer(first, priority=5)
    item = _item(alice)

    check_item(item)

    releases = list(Release.objects.filter(source=item.source).order_by("pk"))
    assert [r.episode for r in releases] == [5, 6]
    assert len({r.infohash for r in releases}) == 2


# --- errors indexers really send ------------------------------------------------


def _failing_check(torznab, alice, failure: Failure, *, good: bool = True):
    broken = torznab.add_indexer("broken", FRIEREN, failure=failure)
    make_indexer(broken, priority=1)
    if good:
        make_indexer(torznab.add_indexer("good", FRIEREN), priority=2)
    item = _item(alice)
    return item, check_item(item), Indexer.objects.get(name="broken")


def test_a_refused_key_fails_that_indexer_only(torznab, alice):
    item, result, broken = _failing_check(torznab, alice, Failure(401, "100", "Invalid API Key"))

    assert result.error is None  # the other indexer answered
    assert [e["episode"] for e in result.new_episodes] == [5, 6]
    assert broken.last_error == "the indexer refused the API key (HTTP 401, code 100: Invalid API Key)"
    assert Indexer.objects.get(name="good").last_error == ""
    query = IndexerQuery.objects.get(indexer=broken)
    assert query.last_error == broken.last_error and query.sources.get() == item.source


def test_a_wrong_key_is_told_as_such(torznab, alice):
    nyaa = torznab.add_indexer("nyaa", FRIEREN)
    make_indexer(nyaa, api_key="not-the-key")
    result = check_item(_item(alice))
    assert result.error == "nyaa: the indexer refused the API key (HTTP 401, code 100: Invalid API Key)"
    assert result.source_status == SourceStatus.ERROR


def test_rate_limit_with_retry_after_pauses_the_indexer(torznab, alice, settings):
    settings.INDEXER_QUERY_REFRESH_MINUTES = 0
    settings.SOURCE_MIN_REFRESH_MINUTES = 0
    failure = Failure(429, "429", "Indexer query limit of 10 reached.", headers={"Retry-After": "120"})
    with time_machine.travel(timezone.now(), tick=True) as clock:
        item, result, broken = _failing_check(torznab, alice, failure)
        limited = torznab.indexers["broken"]
        assert result.error is None
        assert broken.last_error == (
            "rate limited by the indexer (HTTP 429, code 429: Indexer query limit of 10 reached.); "
            "it asks to wait 2 min"
        )
        assert abs(broken.retry_after_until - (timezone.now() + timedelta(seconds=120))) < timedelta(seconds=5)
        asked = len(limited.searches())

        check_item(item)  # within the pause: nothing is sent to it
        assert len(limited.searches()) == asked
        assert any("rate limited" in s.error for s in _states(item))

        clock.shift(timedelta(seconds=130))
        limited.failure = None
        result = check_item(item)
    assert len(limited.searches()) == asked + 1
    broken.refresh_from_db()
    assert broken.last_error == "" and broken.retry_after_until is None and result.error is None


def _states(item):
    from watchlist.indexers.status import item_searches

    return item_searches(item)


def test_an_error_document_sent_with_200(torznab, alice):
    _, result, broken = _failing_check(torznab, alice, Failure(200, "201", "Incorrect parameter: cat"))
    assert broken.last_error == "the indexer refused the search (code 201: Incorrect parameter: cat)"
    assert result.error is None


def test_a_server_failure_and_a_page_that_is_no_xml(torznab, alice):
    _, _, broken = _failing_check(torznab, alice, Failure(502, body=b"<html>Bad gateway</html>"))
    assert broken.last_error == "the indexer failed (HTTP 502 Bad Gateway)"


def test_an_answer_that_is_not_torznab(torznab, alice):
    _, result, broken = _failing_check(
        torznab, alice, Failure(200, body=b"<!doctype html><html><body>Login</body></html>"), good=False
    )
    assert broken.last_error.startswith("the indexer's answer cannot be read: its answer is not XML")
    assert result.error.startswith("broken: the indexer's answer cannot be read")


def test_a_slow_indexer_is_cut_at_its_timeout_and_the_others_answer(torznab, alice, settings):
    settings.INDEXER_TIMEOUT_SECONDS = 1
    slow = torznab.add_indexer("slow", FRIEREN, delay=4.0)
    make_indexer(slow, priority=1)
    make_indexer(torznab.add_indexer("quick", FRIEREN), priority=2)
    item = _item(alice)

    started = timezone.now()
    result = check_item(item)
    took = (timezone.now() - started).total_seconds()

    assert took < 3.5, took
    assert result.error is None and [e["episode"] for e in result.new_episodes] == [5, 6]
    # The read timeout or the fetch's overall deadline, whichever fires first.
    assert Indexer.objects.get(name="slow").last_error in (
        "timed out waiting for 127.0.0.1",
        "127.0.0.1 did not answer in full within 1 second (the limit for one fetch)",
    )


def test_every_indexer_failing_fails_the_check_with_each_reason(torznab, alice):
    make_indexer(torznab.add_indexer("a", FRIEREN, failure=Failure(401, "100", "Invalid API Key")), priority=1)
    make_indexer(torznab.add_indexer("b", FRIEREN, failure=Failure(503, body=b"down")), priority=2)
    item = _item(alice)

    result = check_item(item)

    assert result.error == (
        "a: the indexer refused the API key (HTTP 401, code 100: Invalid API Key); "
        "b: the indexer failed (HTTP 503 Service Unavailable)"
    )
    assert CheckRun.objects.get(item=item).error == result.error


def test_last_good_results_stay_while_an_indexer_fails(torznab, alice, settings):
    settings.INDEXER_QUERY_REFRESH_MINUTES = 0
    settings.SOURCE_MIN_REFRESH_MINUTES = 0
    nyaa = torznab.add_indexer("nyaa", FRIEREN)
    make_indexer(nyaa)
    make_indexer(torznab.add_indexer("other", []), priority=30)
    item = _item(alice)
    check_item(item)
    nyaa.failure = Failure(500, body=b"oops")

    result = check_item(item)

    assert result.error is None
    assert sorted(Release.objects.filter(source=item.source).values_list("episode", flat=True)) == [5, 6]


def test_no_enabled_indexer(torznab, alice):
    indexer = make_indexer(torznab.add_indexer("nyaa", FRIEREN))
    item = _item(alice)
    Indexer.objects.filter(pk=indexer.pk).update(enabled=False)
    result = check_item(item)
    assert result.error == "no indexer is enabled; an administrator adds Torznab indexers (Prowlarr, Jackett)"


def test_the_key_is_in_no_error_text_and_no_log(torznab, alice, caplog):
    caplog.set_level(logging.DEBUG)
    # The guard refuses the indexer's address: the error would quote the URL.
    nyaa = torznab.add_indexer("nyaa", FRIEREN)
    indexer = make_indexer(nyaa)
    Indexer.objects.filter(pk=indexer.pk).update(url=f"http://{'x' * 300}:1/api")
    make_indexer(torznab.add_indexer("slow", FRIEREN, failure=Failure(403, "102", "Insufficient privileges")))
    item = _item(alice)

    result = check_item(item)

    texts = [result.error or "", *Indexer.objects.values_list("last_error", flat=True), caplog.text]
    texts += list(IndexerQuery.objects.values_list("last_error", flat=True))
    assert any(texts)
    for text in texts:
        assert nyaa.api_key not in text
        assert torznab.indexers["slow"].api_key not in text


def test_the_rotate_command_re_encrypts_indexer_keys(torznab, alice, settings):
    from io import StringIO

    from cryptography.fernet import Fernet
    from django.core.management import call_command

    from watchlist.indexers.keys import api_key

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.NOTIFY_SECRET_KEYS = [old]
    nyaa = torznab.add_indexer("nyaa", FRIEREN)
    indexer = make_indexer(nyaa)
    settings.NOTIFY_SECRET_KEYS = [new, old]
    out = StringIO()
    call_command("rotate_notify_keys", stdout=out)
    assert "re-encrypted 1 indexer API key(s)" in out.getvalue()
    settings.NOTIFY_SECRET_KEYS = [new]
    indexer.refresh_from_db()
    assert api_key(indexer) == nyaa.api_key

    settings.NOTIFY_SECRET_KEYS = [Fernet.generate_key().decode()]  # the key is lost
    result = check_item(_item(alice))
    assert result.error == "nyaa: the stored API key cannot be decrypted with this server's keys; enter it again"
    assert not nyaa.seen


def test_an_error_that_quotes_the_request_url_has_the_key_cut_out(torznab, alice):
    nyaa = torznab.add_indexer("nyaa", FRIEREN)
    indexer = make_indexer(nyaa)
    # The address guard quotes a URL it cannot parse (a port out of range), key and all.
    Indexer.objects.filter(pk=indexer.pk).update(url="http://127.0.0.1:99999999/api")

    result = check_item(_item(alice))

    assert "apikey=***" in result.error
    assert nyaa.api_key not in result.error
    assert nyaa.api_key not in Indexer.objects.get().last_error


@pytest.mark.parametrize(("status", "words"), [(408, "failed"), (425, "failed"), (503, "failed"), (400, "refused")])
def test_an_indexers_status_is_judged_by_the_one_retry_rule(status, words):
    from watchlist.indexers.client import _error_for

    error = _error_for(status, "Reason", None, None)
    assert error.kind == words
    assert f"HTTP {status}" in error.message
