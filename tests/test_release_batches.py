"""Batch releases ("Show - 01-12 [Batch]") in a check: when a batch fills
the item's wanted episodes instead of single releases, and what is queued
then (one torrent job for all of them, each episode to its own file)."""

from __future__ import annotations

from pathlib import Path

import pytest

from downloads.models import BackendName, DownloadJob
from tests.release_feeds import feed_item, store_results
from watchlist.checker import check_item
from watchlist.models import Episode, EpisodeState, ReleaseDecision
from watchlist.releases.batches import BatchOffer, take_batches
from watchlist.releases.choose import episode_span
from watchlist.releases.rules import DEFAULT_RULES, Candidate

pytestmark = pytest.mark.django_db

BATCH = "[Judas] Sousou no Frieren (01-12) [1080p][Batch]"
BATCH_URL_END = "/0.torrent"  # store_results links result n to "/n.torrent"


def single(n: int, *, resolution: int = 1080, group: str = "Judas", version: str = "") -> dict:
    return {"name": f"[{group}] Sousou no Frieren - {n:02d}{version} [{resolution}p].mkv", "seeders": 50}


def checked(alice, results: list[dict], *, last: int = 0, auto: bool = False, **fields):
    item = feed_item(
        alice,
        f"https://indexer.example.org/api?q=frieren-{len(results)}-{last}&t=rss",
        anime_title="Sousou no Frieren",
        auto_download=auto,
        **fields,
    )
    if last:
        type(item).objects.filter(pk=item.pk).update(last_episode_downloaded=last)
        item.refresh_from_db()
    store_results(item.source, results)
    return item, check_item(item)


def urls(item) -> dict[int, str]:
    return {
        number: url.rsplit("/", 1)[-1] for number, url in Episode.objects.filter(item=item).values_list("number", "url")
    }


def reason(item, name: str) -> tuple[bool, str, str]:
    decision = ReleaseDecision.objects.get(item=item, release_name=name)
    return decision.picked, decision.code, decision.reason


def test_a_few_missing_episodes_with_single_releases_take_the_singles(alice):
    item, result = checked(alice, [{"name": BATCH, "seeders": 80}, single(11), single(12)], last=10)

    assert urls(item) == {11: "1.torrent", 12: "2.torrent"}
    assert [e["episode"] for e in result.new_episodes] == [11, 12]
    assert reason(item, BATCH) == (
        False,
        "batch",
        "a batch (episodes 1-12); single releases are preferred for its episodes",
    )


def test_a_batch_fills_the_episodes_no_single_release_offers(alice):
    # 10, 11 and 12 missing (a few): 10 has no single release, the batch fills it
    item, _ = checked(alice, [{"name": BATCH, "seeders": 80}, single(11), single(12)], last=9)

    assert urls(item) == {10: "0.torrent", 11: "1.torrent", 12: "2.torrent"}
    picked, code, why = reason(item, BATCH)
    assert (picked, code) == (True, "picked")
    assert why == "picked for episode 10, in one download: 1080p, from Judas, 80 seeders"
    assert reason(item, single(11)["name"])[:2] == (True, "picked")


def test_from_four_missing_episodes_the_batch_takes_the_singles_it_equals(alice):
    item, _ = checked(alice, [{"name": BATCH, "seeders": 80}, single(11), single(12)], last=8)

    assert urls(item) == {9: "0.torrent", 10: "0.torrent", 11: "0.torrent", 12: "0.torrent"}


def test_many_missing_episodes_come_in_one_batch_unless_a_single_is_better(alice):
    results = [{"name": BATCH, "seeders": 80}, single(3), single(5, version="v2"), single(7, resolution=720)]

    item, _ = checked(alice, results, quality_preference="1080p")

    got = urls(item)
    assert sorted(got) == list(range(1, 13))
    assert got[5] == "2.torrent"  # the v2 single is better than the batch's v1
    assert {n for n, url in got.items() if url == "0.torrent"} == set(range(1, 13)) - {5}
    assert reason(item, BATCH)[2].startswith("picked for episodes 1-4, 6-12, in one download")
    assert reason(item, single(3)["name"]) == (
        False,
        "in_batch",
        "episode 3 comes with the batch picked for episodes 1-4, 6-12",
    )
    # the 720p single lost to the 1080p batch the user prefers
    assert reason(item, single(7, resolution=720)["name"])[1] == "in_batch"


@pytest.mark.parametrize("include_specials", [False, True])
def test_a_season_pack_with_its_specials_fills_the_seasons_episodes(alice, include_specials):
    # A Russian tracker's "[TV+Special] [1-12 из 12]" is the season's twelve
    # episodes plus extras: the parser marks it special, yet it is a batch.
    pack = "Провожающая / Sousou no Frieren [TV+Special] [1-12 из 12] [RUS(int), JAP+Sub] [2023, WEBRip 1080p]"
    item, result = checked(alice, [{"name": pack, "seeders": 80}], include_specials=include_specials)

    assert sorted(urls(item)) == list(range(1, 13))
    assert [e["episode"] for e in result.new_episodes] == list(range(1, 13))
    picked, code, why = reason(item, pack)
    assert (picked, code) == (True, "picked")
    assert why.startswith("picked for episodes 1-12, in one download")


def test_a_later_seasons_pack_with_specials_is_not_the_first_seasons_batch(alice):
    # "Title: Subtitle [TV+Special]" is the later season's pack: the extras
    # do not make its longer title the first season's special.
    pack = "Провожающая 2 / Sousou no Frieren: Kita no Tabi [TV+Special] [1-12 из 12] [2026, WEBRip 1080p]"
    item, _ = checked(alice, [{"name": pack, "seeders": 80}, single(1)])

    assert urls(item) == {1: "1.torrent"}
    assert reason(item, pack)[1] == "other_series"


def test_recorded_episodes_are_not_filled_again(alice):
    item = feed_item(alice, "https://indexer.example.org/api?q=rec", anime_title="Sousou no Frieren")
    for n in (1, 2, 3, 4, 5, 6):
        Episode.objects.create(item=item, number=n, url=f"https://x.example.org/{n}.mkv", state=EpisodeState.DOWNLOADED)
    store_results(item.source, [{"name": BATCH, "seeders": 80}])

    result = check_item(item)

    assert [e["episode"] for e in result.new_episodes] == [7, 8, 9, 10, 11, 12]
    assert Episode.objects.get(item=item, number=1).url == "https://x.example.org/1.mkv"


def test_a_batch_the_rules_refuse_or_that_is_no_torrent_fills_nothing(alice):
    from watchlist.models import ReleaseRules, Source

    ReleaseRules.objects.create(owner=alice, blocked_groups=["Judas"])
    item, result = checked(alice, [{"name": BATCH, "seeders": 80}])
    assert result.new_episodes == []
    assert reason(item, BATCH) == (False, "blocked_group", "from Judas, a group you blocked")

    ReleaseRules.objects.all().delete()
    other = feed_item(alice, "https://indexer.example.org/api?q=files", anime_title="Sousou no Frieren")
    Source.objects.filter(pk=other.source_id).update(fetched_at=None)
    [stored] = store_results(other.source, [{"name": BATCH}])
    type(stored).objects.filter(pk=stored.pk).update(url="https://files.example.org/frieren-batch.zip")
    assert check_item(other).new_episodes == []  # a file of many episodes: not taken apart
    assert reason(other, BATCH)[2] == "a batch (episodes 1-12); episodes are taken one by one"


def test_a_batch_without_seeders_is_recorded_not_queued(alice, settings, tmp_path):
    settings.DOWNLOAD_DIR = tmp_path
    item, result = checked(alice, [{"name": BATCH, "seeders": 0}], auto=True)

    assert len(result.new_episodes) == 12 and result.queued == []
    assert not DownloadJob.objects.exists()
    assert reason(item, BATCH)[1] == "no_seeders"


def test_an_auto_download_check_queues_one_torrent_job_for_the_batch(alice, settings, tmp_path):
    settings.DOWNLOAD_DIR = tmp_path
    item, result = checked(alice, [{"name": BATCH, "seeders": 80}, single(12)], last=8, auto=True)

    assert result.queued == [9, 10, 11, 12]
    [job] = DownloadJob.objects.filter(owner=alice)
    assert (job.backend, job.episodes) == (BackendName.TORRENT, [9, 10, 11, 12])
    assert job.url.endswith(BATCH_URL_END)
    folder = Path(tmp_path) / "alice" / "Sousou no Frieren"
    planned = {entry["episode"]: entry["destination"] for entry in job.files}
    assert planned == {n: str(folder / f"Sousou no Frieren - S01E{n:02d} [1080p].mkv") for n in (9, 10, 11, 12)}
    assert job.destination == planned[9]
    episodes = Episode.objects.filter(item=item)
    assert {(e.state, e.download_job_id) for e in episodes} == {(EpisodeState.QUEUED, job.pk)}

    # A second check queues nothing more: the episodes are recorded.
    assert check_item(item).queued == []
    assert DownloadJob.objects.count() == 1


def test_an_enabled_torrent_client_keeps_episodes_one_by_one(alice):
    from downloads.clients.models import TorrentClient

    TorrentClient.objects.create(name="qb", kind="qbittorrent", url="http://127.0.0.1:1/", enabled=True)
    item, result = checked(alice, [{"name": BATCH, "seeders": 80}])

    assert result.new_episodes == []  # its job would place one file, not twelve
    assert reason(item, BATCH)[2] == "a batch (episodes 1-12); episodes are taken one by one"


# --- the rule on its own ------------------------------------------------------


def _candidate(name: str, **fields) -> Candidate:
    return Candidate(name=name, url=f"magnet:?{name}", **fields)


def test_take_batches_fills_most_first_and_each_episode_once():
    season = BatchOffer(_candidate("01-12", resolution=1080, episodes=12), set(range(1, 13)))
    half = BatchOffer(_candidate("07-12", resolution=1080, episodes=6), set(range(7, 13)))
    later = BatchOffer(_candidate("13-24", resolution=1080, episodes=12), set(range(13, 25)))

    chosen = take_batches(DEFAULT_RULES, [half, season, later], {}, min_missing=4)

    assert [offer.candidate.name for offer in chosen] == ["01-12", "13-24"]
    assert season.taken == list(range(1, 13)) and later.taken == list(range(13, 25))
    assert half.taken == []


def test_take_batches_leaves_a_few_episodes_with_singles_to_them():
    batch = BatchOffer(_candidate("01-12", resolution=1080), {10, 11, 12})
    singles = {11: _candidate("11", resolution=1080), 12: _candidate("12", resolution=1080)}

    assert [o.taken for o in take_batches(DEFAULT_RULES, [batch], singles, min_missing=4)] == [[10]]
    assert take_batches(DEFAULT_RULES, [BatchOffer(batch.candidate, {11, 12})], singles, min_missing=4) == []
    # with a lower threshold the three are "many": one download
    assert [o.taken for o in take_batches(DEFAULT_RULES, [batch], singles, min_missing=3)] == [[10, 11, 12]]


def test_episode_spans_read_as_ranges():
    assert episode_span([3, 1, 2, 5, 7, 8]) == "episodes 1-3, 5, 7-8"
    assert episode_span([4]) == "episode 4"


def _queued_batch(alice, settings, tmp_path):
    settings.DOWNLOAD_DIR = tmp_path
    item, result = checked(alice, [{"name": BATCH, "seeders": 80}], last=8, auto=True)
    assert result.queued == [9, 10, 11, 12]
    return item, DownloadJob.objects.get(owner=alice)


def test_the_dashboard_shows_a_batch_job_once_with_its_episodes(alice, alice_web, settings, tmp_path):
    item, job = _queued_batch(alice, settings, tmp_path)

    html = alice_web.get("/downloads/").content.decode()
    assert html.count(f'id="job-{job.pk}"') == 1
    assert "Episodes 9-12" in html
    page = alice_web.get(f"/items/{item.pk}/").content.decode()
    assert "Episodes 9-12" in page

    from watchlist.web.jobs import rows_for

    [row] = rows_for([job], alice)
    assert (row.is_batch, row.episodes, row.where) == (True, (9, 10, 11, 12), "Sousou no Frieren/")


@pytest.mark.parametrize(("outcome", "state"), [("fail", EpisodeState.FAILED), ("cancel", EpisodeState.NEW)])
def test_a_batch_job_failing_or_cancelled_changes_every_episode_it_fills(
    alice, settings, tmp_path, django_capture_on_commit_callbacks, outcome, state
):
    from downloads import manager

    item, job = _queued_batch(alice, settings, tmp_path)
    DownloadJob.objects.filter(pk=job.pk).update(dispatched_at=job.created_at)
    with django_capture_on_commit_callbacks(execute=True):
        if outcome == "fail":
            manager.fail(manager.claim(job.pk), "the tracker is gone")
        else:
            manager.cancel(job)

    assert dict(Episode.objects.filter(item=item).values_list("number", "state")) == {n: state for n in (9, 10, 11, 12)}


def _complete(job, result, capture) -> None:
    from downloads import manager

    DownloadJob.objects.filter(pk=job.pk).update(dispatched_at=job.created_at)
    with capture(execute=True):
        assert manager.complete(manager.claim(job.pk), result)


def test_a_v2_of_one_batch_episode_replaces_that_episodes_file_only(
    alice, settings, tmp_path, django_capture_on_commit_callbacks
):
    from downloads.backends.base import DownloadResult, PlacedFile
    from watchlist.models import Release
    from watchlist.releases.upgrade import replace_release

    item, job = _queued_batch(alice, settings, tmp_path)
    placed = []
    for entry in job.files:
        path = Path(entry["destination"])
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"batch %d" % entry["episode"])
        placed.append(PlacedFile(entry["episode"], path, path.stat().st_size, "0" * 64))
    _complete(
        job, DownloadResult(placed[0].path, 28, "0" * 64, files=tuple(placed)), django_capture_on_commit_callbacks
    )
    assert set(Episode.objects.filter(item=item).values_list("state", flat=True)) == {EpisodeState.DOWNLOADED}

    ten = Episode.objects.select_related("item", "download_job").get(item=item, number=10)
    v2 = Release.objects.create(
        source=item.source, episode=10, url="https://tracker.example.org/v2.torrent", resolution=1080, version=2,
        release_name="[Judas] Sousou no Frieren - 10v2 [1080p].mkv", group="Judas",
    )  # fmt: skip
    new_job = replace_release(ten, v2, download=True)
    assert new_job.metadata["replaces_job"] == str(job.pk)
    Path(new_job.destination).write_bytes(b"the v2 of 10")
    _complete(new_job, DownloadResult(Path(new_job.destination), 12, "1" * 64), django_capture_on_commit_callbacks)

    ten_path = Path(job.file_of(10))
    assert ten_path.read_bytes() == b"the v2 of 10"  # in the old file's place, under its name
    assert Path(job.file_of(9)).read_bytes() == b"batch 9"  # the batch's other episodes keep theirs
    assert DownloadJob.objects.get(pk=new_job.pk).destination == str(ten_path)
    old = DownloadJob.objects.get(pk=job.pk)
    assert old.file_of(10) == f"{ten_path}.replaced-{job.pk}" and old.file_of(9) == job.file_of(9)
    assert sorted(p.name for p in ten_path.parent.iterdir()) == sorted(
        Path(job.file_of(n)).name for n in (9, 10, 11, 12)
    )


def test_the_preview_shows_the_episodes_a_batch_would_fill(alice, alice_api, http_server, settings):
    from tests.torrent_helpers import nyaa_rss

    settings.ALLOW_PRIVATE_SOURCES = True
    entries = [
        {"title": "[Grp] Frieren - 01-04 [1080p] [Batch]", "link": http_server.url("/t/batch.torrent"), "seeders": 9},
        {"title": "[Grp] Frieren - 04 [1080p].mkv", "link": http_server.url("/t/4.torrent"), "seeders": 9},
    ]
    feed = http_server.add("/nyaa.xml", nyaa_rss(entries), content_type="application/rss+xml")
    body = {"anime_url": feed, "anime_title": "Frieren", "lang": "", "last_episode_downloaded": 1}

    preview = alice_api.post("/api/watchlist/preview", body, format="json").json()

    # 2, 3 and 4 missing (a few): the batch fills 2 and 3, the single keeps 4
    assert [(e["episode"], e["url"].rsplit("/", 1)[-1]) for e in preview["episodes"]] == [
        (2, "batch.torrent"),
        (3, "batch.torrent"),
        (4, "4.torrent"),
    ]


def _list_also(item, result: dict, link: str) -> None:
    """One more release in the item's source, beside the ones stored."""
    from watchlist.models import Release
    from watchlist.providers.episodes import episode_info

    info = episode_info(result["name"], link, include_extras=True)
    Release.objects.create(
        source=item.source, episode=info.episode, title=info.title, url=link, resolution=info.resolution,
        version=info.version, release_name=result["name"], group=info.group, seeders=result.get("seeders"),
        size=result.get("size"),
    )  # fmt: skip


def test_a_batch_filled_episode_is_upgraded_by_a_better_release_not_by_more_seeders(alice):
    item, _ = checked(alice, [{"name": BATCH, "seeders": 5}], last=8)
    Episode.objects.filter(item=item).update(state=EpisodeState.DOWNLOADED)
    # Within the upgrade window: a single with far more seeders (and a
    # smaller size: it is one episode) is no better a release.
    more_seeders = {**single(10), "seeders": 900, "size": 10}
    _list_also(item, more_seeders, "https://tracker.example.org/seeded.torrent")
    check_item(item)
    assert Episode.objects.get(item=item, number=10).url.endswith("/0.torrent")
    assert reason(item, more_seeders["name"])[1] != "upgrade"

    _list_also(item, single(10, version="v2"), "https://tracker.example.org/v2.torrent")
    check_item(item)
    # (offered only: auto-download is off, so the downloaded file stays until the user picks it)
    assert reason(item, single(10, version="v2")["name"]) == (True, "upgrade", "v2 replaces the v1 you have")


def test_the_admin_shows_a_batch_jobs_episodes_and_files(alice, admin_client, settings, tmp_path):
    _, job = _queued_batch(alice, settings, tmp_path)

    html = admin_client.get(f"/admin/downloads/downloadjob/{job.pk}/change/").content.decode()

    assert "Sousou no Frieren - S01E11 [1080p].mkv" in html  # a file beside the job's destination (E09)
