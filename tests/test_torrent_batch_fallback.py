"""Batch torrents against a real libtorrent seeder and tracker on 127.0.0.1,
in this process: a failed batch hands each episode to its own next-best
single release, a stray file at an episode's library name is kept, and a
batch picked by hand downloads the wanted episodes it holds in one job."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from downloads import library, runner
from downloads.models import BackendName, DownloadJob, JobStatus
from tests.check_helpers import Rel, feed_item
from tests.support.torrent_files import make_torrent
from tests.torrent_helpers import nyaa_rss
from watchlist.models import Episode, EpisodeState, Notification, ReleaseDecision

pytestmark = pytest.mark.django_db(transaction=True)

BATCH = "[Grp] Frieren - 01-04 [1080p] [VOSTFR] [Batch]"


def states(item) -> dict[int, str]:
    return dict(Episode.objects.filter(item=item).values_list("number", "state"))


def library_files(download_dir: Path) -> list[str]:
    folder = download_dir / "alice"
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file())


def test_a_failed_batch_falls_back_to_each_episodes_single_release(
    alice, alice_api, http_server, seeder, tracker, download_dir, torrent_settings, sent, tmp_path, caplog
):
    # The batch (trusted, many seeders announced) takes episodes 1-4, but
    # nobody seeds it; episodes 2 and 3 have single releases that are seeded,
    # 1 and 4 have nothing else.
    dead = make_torrent(tmp_path / "dead", {Rel(n).name: 200_000 + n for n in (1, 2, 3, 4)}, name=BATCH,
                        trackers=[tracker.url], seed=71)  # fmt: skip
    singles = {n: make_torrent(tmp_path / f"s{n}", {Rel(n, group="Solo").name: 250_000 + n},
                               trackers=[tracker.url], seed=71 + n) for n in (2, 3)}  # fmt: skip
    for made in singles.values():
        seeder.seed(made)
    entries = [{"title": BATCH, "link": http_server.add("/d/batch.torrent", dead.torrent), "seeders": 80,
                "trusted": True}]  # fmt: skip
    entries += [
        {"title": Rel(n, group="Solo").name, "link": http_server.add(f"/d/{n}.torrent", made.torrent), "seeders": 3}
        for n, made in singles.items()
    ]
    feed = http_server.add("/rss.xml", nyaa_rss(entries), content_type="application/rss+xml")
    item = feed_item(alice, feed, anime_title="Show")

    assert alice_api.post(f"/api/watchlist/{item.pk}/check").json()["queued"] == [1, 2, 3, 4]
    [batch] = DownloadJob.objects.filter(owner=alice)
    assert batch.episodes == [1, 2, 3, 4]

    with caplog.at_level(logging.INFO, logger="watchlist.downloading"):
        runner.run_job(batch.pk)

    batch.refresh_from_db()
    assert batch.status == JobStatus.FAILED
    assert batch.error.startswith("Stalled")
    # 2 and 3 try their own release; only 1 and 4, with nothing left, failed.
    assert states(item) == {1: EpisodeState.FAILED, 2: EpisodeState.QUEUED, 3: EpisodeState.QUEUED,
                            4: EpisodeState.FAILED}  # fmt: skip
    fallbacks = {job.episodes[0]: job for job in DownloadJob.objects.filter(owner=alice).exclude(pk=batch.pk)}
    assert sorted(fallbacks) == [2, 3]
    for n, job in fallbacks.items():
        assert job.url.endswith(f"/d/{n}.torrent") and job.files == []
        assert Episode.objects.get(item=item, number=n).download_job_id == job.pk
    # Said as failover says it, episode by episode, and the failure names only 1 and 4.
    said = [record.getMessage() for record in caplog.records]
    for n in (2, 3):
        assert any(f"episode {n}: " in line and "batch.torrent failed (Stalled" in line and f"/d/{n}.torrent" in line
                   for line in said), said  # fmt: skip
    assert any("episodes 1, 4 have no other release" in line for line in said), said
    [failed] = Notification.objects.filter(user=alice, item=item)
    assert failed.episodes == [1, 4]

    for job in fallbacks.values():
        runner.run_job(job.pk)

    for n, job in fallbacks.items():
        job.refresh_from_db()
        assert job.status == JobStatus.COMPLETED, job.error
        assert job.destination.endswith(f"Show - S01E{n:02d} [1080p].mkv")
        assert library.file_sha256(Path(job.destination)) == singles[n].files[0].sha256
    assert states(item) == {1: EpisodeState.FAILED, 2: EpisodeState.DOWNLOADED, 3: EpisodeState.DOWNLOADED,
                            4: EpisodeState.FAILED}  # fmt: skip


def test_a_stray_file_at_a_batch_episodes_name_is_kept(
    alice, alice_api, http_server, seeder, tracker, download_dir, torrent_settings, sent, tmp_path
):
    made = make_torrent(tmp_path / "seed", {Rel(n).name: 150_000 + n for n in (1, 2, 3, 4)}, name=BATCH,
                        trackers=[tracker.url], seed=81)  # fmt: skip
    seeder.seed(made)
    link = http_server.add("/d/batch.torrent", made.torrent)
    feed = http_server.add("/rss.xml", nyaa_rss([{"title": BATCH, "link": link, "seeders": 9}]))
    item = feed_item(alice, feed, anime_title="Show")
    # Someone's own file where episode 3 would go (the name a single download would get too).
    stray = download_dir / "alice" / "Show" / "Show - S01E03 [1080p].mkv"
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"not ours")

    assert alice_api.post(f"/api/watchlist/{item.pk}/check").json()["queued"] == [1, 2, 3, 4]
    [job] = DownloadJob.objects.filter(owner=alice)
    runner.run_job(job.pk)

    job.refresh_from_db()
    assert job.status == JobStatus.COMPLETED, job.error
    assert stray.read_bytes() == b"not ours"
    assert library_files(download_dir) == [
        "Show/Show - S01E01 [1080p].mkv",
        "Show/Show - S01E02 [1080p].mkv",
        "Show/Show - S01E03 [1080p] (2).mkv",
        "Show/Show - S01E03 [1080p].mkv",
        "Show/Show - S01E04 [1080p].mkv",
    ]
    placed = {entry["episode"]: entry for entry in job.files}
    assert placed[3]["destination"].endswith("Show - S01E03 [1080p] (2).mkv")
    assert placed[3]["sha256"] == made.file("- 03 [1080p] [VOSTFR].mkv").sha256
    assert library.file_sha256(Path(placed[3]["destination"])) == made.file("- 03 [1080p] [VOSTFR].mkv").sha256


def test_a_batch_picked_by_hand_downloads_its_wanted_episodes_in_one_job(
    alice, alice_api, http_server, seeder, tracker, download_dir, torrent_settings, sent, tmp_path
):
    # Episodes 1-4 each have a single release the check picked; the user
    # wants the batch instead. Episode 1 is downloaded already, so the
    # batch is fetched for 2-4 only.
    made = make_torrent(tmp_path / "seed", {Rel(n).name: 120_000 + n for n in (1, 2, 3, 4)}, name=BATCH,
                        trackers=[tracker.url], seed=91)  # fmt: skip
    seeder.seed(made)
    entries = [{"title": BATCH, "link": http_server.add("/d/batch.torrent", made.torrent), "seeders": 1}]
    entries += [
        {"title": Rel(n, group="Solo").name, "link": http_server.add(f"/d/{n}.torrent", b"x"), "seeders": 50,
         "trusted": True}
        for n in (1, 2, 3, 4)
    ]  # fmt: skip
    feed = http_server.add("/rss.xml", nyaa_rss(entries), content_type="application/rss+xml")
    item = feed_item(alice, feed, anime_title="Show", auto_download=False)
    alice_api.post(f"/api/watchlist/{item.pk}/check")
    Episode.objects.filter(item=item, number=1).update(state=EpisodeState.DOWNLOADED)
    decision = ReleaseDecision.objects.get(item=item, release_name=BATCH)
    assert (decision.episode, decision.picked) == (None, False)

    answer = alice_api.post(f"/api/watchlist/{item.pk}/releases/{decision.pk}/pick", {"episode": 3}, format="json")

    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert (body["episode"], body["episodes"]) == (3, [2, 3, 4])
    job = DownloadJob.objects.get(pk=body["job_id"])
    assert (job.backend, job.episodes, job.url) == (BackendName.TORRENT, [2, 3, 4], decision.url)
    assert [entry["episode"] for entry in job.files] == [2, 3, 4]
    for n in (2, 3, 4):
        episode = Episode.objects.get(item=item, number=n)
        assert (episode.url, episode.download_job_id, episode.pinned) == (decision.url, job.pk, True)
    assert Episode.objects.get(item=item, number=1).url.endswith("/d/1.torrent")  # downloaded: left alone

    runner.run_job(job.pk)

    job.refresh_from_db()
    assert job.status == JobStatus.COMPLETED, job.error
    for entry in job.files:
        assert entry["sha256"] == made.file(f"- {entry['episode']:02d} [1080p] [VOSTFR].mkv").sha256
        assert Path(entry["destination"]).name == f"Show - S01E{entry['episode']:02d} [1080p].mkv"
    assert states(item) == {n: EpisodeState.DOWNLOADED for n in (1, 2, 3, 4)}
    # Episode 1 was not fetched: at most the pieces it shares with episode 2.
    assert seeder.uploaded(made) < sum(f.size for f in made.files[1:]) + 2 * made.piece_length
