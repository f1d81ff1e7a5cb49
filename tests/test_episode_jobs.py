"""Episodes and their download jobs: a foreign key ties them (several
episodes to one job for a batch), every queueing path files into the same
user folder, and the feeds find the files there."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from downloads import manager
from downloads.backends import DownloadResult
from downloads.models import DownloadJob
from tests.factories import make_item
from watchlist.downloading import queue_episode_download, queue_release_download
from watchlist.models import Episode, EpisodeState, WatchlistItem
from watchlist.notify.feeds import user_file
from watchlist.web.jobs import jobs_of_item, rows_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def download_dir(settings, tmp_path):
    settings.DOWNLOAD_DIR = tmp_path
    return tmp_path


def _episode(item, number: int, url: str) -> Episode:
    return Episode.objects.create(item=item, number=number, url=url, title=f"Ep {number}")


def test_a_queued_episode_points_at_its_job_and_the_job_finishing_marks_it(
    alice, download_dir, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    item = make_item(alice, anime_title="Frieren")
    episode = _episode(item, 5, "http://127.0.0.1:1/Frieren%20-%2005.mkv")

    job = queue_episode_download(episode)
    episode.refresh_from_db()
    assert episode.download_job_id == job.pk and episode.state == EpisodeState.QUEUED

    DownloadJob.objects.filter(pk=job.pk).update(dispatched_at=job.created_at)
    claimed = manager.claim(job.pk)
    with capture(execute=True):
        manager.complete(claimed, DownloadResult(path=download_dir / "x.mkv", size=1, sha256="0" * 64))
    episode.refresh_from_db()
    assert episode.state == EpisodeState.DOWNLOADED
    assert WatchlistItem.objects.get(pk=item.pk).last_episode_downloaded == 5


def test_one_job_fetching_several_episodes_marks_them_all(alice, download_dir, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    item = make_item(alice, anime_title="Frieren")
    episodes = [_episode(item, n, f"http://127.0.0.1:1/batch-{n}.mkv") for n in (1, 2, 3)]
    job = queue_episode_download(episodes[0])
    Episode.objects.filter(pk__in=[e.pk for e in episodes]).update(download_job=job)

    DownloadJob.objects.filter(pk=job.pk).update(dispatched_at=job.created_at)
    claimed = manager.claim(job.pk)
    with capture(execute=True):
        manager.complete(claimed, DownloadResult(path=download_dir / "b.mkv", size=1, sha256="0" * 64))

    assert set(Episode.objects.filter(item=item).values_list("state", flat=True)) == {EpisodeState.DOWNLOADED}
    assert WatchlistItem.objects.get(pk=item.pk).last_episode_downloaded == 3
    row = rows_for([job], alice)[0]
    assert row.item.pk == item.pk and row.episode == 1
    assert list(jobs_of_item(item)) == [job]


def test_a_replaced_jobs_outcome_no_longer_changes_the_episode(alice, download_dir, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    item = make_item(alice, anime_title="Frieren")
    episode = _episode(item, 7, "http://127.0.0.1:1/v1.mkv")
    first = queue_episode_download(episode)
    episode.url = "http://127.0.0.1:1/v2.mkv"
    episode.save(update_fields=["url"])
    second = queue_release_download(episode, replaces=first)
    assert second.pk != first.pk
    episode.refresh_from_db()
    assert episode.download_job_id == second.pk

    DownloadJob.objects.filter(pk=first.pk).update(dispatched_at=first.created_at)
    claimed = manager.claim(first.pk)
    with capture(execute=True):
        manager.fail(claimed, "gone")
    episode.refresh_from_db()
    assert episode.state == EpisodeState.QUEUED  # the v2's job decides now


def test_every_queueing_path_uses_the_users_own_folder_and_the_feed_finds_the_file(download_dir):
    # A capitalised name gets a suffixed folder (kept apart on case-blind disks).
    carol = get_user_model().objects.create_user("Carol", password="x")
    item = make_item(carol, anime_title="Frieren")
    episode = _episode(item, 1, "http://127.0.0.1:1/Frieren%20-%2001.mkv")

    first = queue_episode_download(episode)
    episode.url = "http://127.0.0.1:1/Frieren%20-%2001v2.mkv"
    episode.save(update_fields=["url"])
    second = queue_release_download(episode, replaces=first)

    folders = {
        Path(first.destination).relative_to(download_dir).parts[0],
        Path(second.destination).relative_to(download_dir).parts[0],
    }
    assert folders == {f"Carol~{carol.pk}"}

    Path(second.destination).parent.mkdir(parents=True, exist_ok=True)
    Path(second.destination).write_bytes(b"video")
    assert user_file(carol, str(Path(second.destination))) == Path(second.destination).resolve()


@pytest.mark.django_db(transaction=True)
def test_the_migration_links_jobs_queued_before_the_key_existed(alice):
    """Jobs queued by the previous version named their episode only in
    their metadata; migrating links each episode to its newest job."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    item = make_item(alice, anime_title="Frieren")
    episode = _episode(item, 5, "https://x.example/5")
    executor = MigrationExecutor(connection)
    before = [("watchlist", "0011_indexers"), ("downloads", "0002_everyday")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    Job = old.get_model("downloads", "DownloadJob")
    Job.objects.create(
        owner_id=alice.pk, url="https://x.example/5", destination="/tmp/a", metadata={"episode_id": episode.pk}
    )
    newest = Job.objects.create(
        owner_id=alice.pk, url="https://x.example/5v2", destination="/tmp/b", metadata={"episode_id": episode.pk}
    )
    Job.objects.create(
        owner_id=alice.pk, url="https://x.example/gone", destination="/tmp/c", metadata={"episode_id": 999999}
    )

    executor = MigrationExecutor(connection)
    executor.migrate([("watchlist", "0012_episode_download_job")])
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert Episode.objects.get(pk=episode.pk).download_job_id == newest.pk
