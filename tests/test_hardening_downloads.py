"""Downloads bounded for everyone else: a source without Content-Length
stops at DOWNLOAD_MAX_BYTES and before the free-space reserve while bytes
arrive; users' folders never collide; the API shows paths inside the user's
folder only; a retry while the broker is down says so; a download whose
message could not be sent is re-sent by the next reaper run."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from downloads import files, manager
from downloads.backends.http import HttpBackend
from downloads.errors import PermanentError
from downloads.files import part_path
from downloads.models import DownloadJob, JobStatus
from tests.support.broker import drain, unreachable_broker
from tests.support.download_fixtures import MemorySink
from tests.support.hostile_server import HostileServer
from tests.test_downloads_http import request_for

MiB = 1024 * 1024


@pytest.fixture(scope="module")
def hostile() -> Iterator[HostileServer]:
    server = HostileServer(bomb_size=8 << 20).start()
    yield server
    server.stop()


def download_in_thread(url: str, root: Path, limit: float = 60) -> BaseException | object:
    """Run the backend; fail the test instead of filling the disk for ever."""
    outcome: list[BaseException | object] = []

    def run() -> None:
        try:
            outcome.append(HttpBackend().download(request_for(url, root), MemorySink()))
        except BaseException as exc:  # handed back to the test
            outcome.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(limit)
    assert not thread.is_alive(), "the download of an endless source did not stop"
    return outcome[0]


def test_a_source_without_length_stops_at_the_maximum_size(settings, download_dir, hostile):
    settings.DOWNLOAD_MAX_BYTES = 8 * MiB
    outcome = download_in_thread(hostile.url("/endless"), download_dir)
    assert isinstance(outcome, PermanentError)
    assert "larger than the 8.0 MiB a download may be (DOWNLOAD_MAX_BYTES)" in str(outcome)
    destination = request_for(hostile.url("/endless"), download_dir).destination
    assert not part_path(destination).exists() and not destination.exists()


def test_a_source_without_length_stops_before_the_free_space_reserve(settings, download_dir, hostile):
    # The reserve sits 24 MiB below what is free now: writing must stop
    # about there, long before the 16 GiB maximum.
    settings.DOWNLOAD_MIN_FREE_BYTES = shutil.disk_usage(download_dir).free - 24 * MiB
    settings.DOWNLOAD_FREE_SPACE_CHECK_BYTES = 1 * MiB
    outcome = download_in_thread(hostile.url("/endless"), download_dir)
    assert isinstance(outcome, PermanentError), outcome
    assert "The disk went below the" in str(outcome) and "the partial file was removed" in str(outcome)
    destination = request_for(hostile.url("/endless"), download_dir).destination
    assert not part_path(destination).exists()


def test_an_announced_size_over_the_maximum_fails_before_writing(settings, download_dir, media):
    settings.DOWNLOAD_MAX_BYTES = 1 * MiB
    url = media.add("/big.mkv", b"x" * (2 * MiB))
    sink = MemorySink()
    with pytest.raises(PermanentError, match="more than the 1.0 MiB a download may be"):
        HttpBackend().download(request_for(url, download_dir), sink)
    assert sink.calls == []  # refused on the headers: not a byte written
    assert not part_path(request_for(url, download_dir).destination).exists()


# --- user folders ---------------------------------------------------------------


def test_user_folders_never_collide():
    names = ["alice", "alice.", ".alice", "Alice", "alice~3", "ali/ce", "CON", ""]
    folders = [files.user_folder(name, user_id) for user_id, name in enumerate(names, start=1)]
    assert len(set(folders)) == len(folders), folders
    assert len({folder.lower() for folder in folders}) == len(folders)  # case-insensitive disks too
    assert folders[0] == "alice"  # a plain name stays as it is
    assert folders[1] == "alice~2" and folders[2] == "alice~3"
    assert folders[4] == "alice~3~5"  # a name that looks suffixed is suffixed itself


def test_episodes_of_users_alice_dot_and_alice_land_in_different_folders(db, download_dir):
    from django.contrib.auth import get_user_model

    from tests.factories import make_item
    from watchlist.downloading import queue_episode_download
    from watchlist.models import Episode

    User = get_user_model()
    jobs = []
    for name in ("alice", "alice.", ".alice"):
        item = make_item(User.objects.create_user(name), anime_title="Frieren")
        episode = Episode.objects.create(item=item, number=1, url="http://127.0.0.1:9/ep1.mkv")
        jobs.append(queue_episode_download(episode))
    folders = {Path(job.destination).relative_to(download_dir).parts[0] for job in jobs}
    assert len(folders) == 3


def test_the_api_shows_the_path_inside_the_users_folder(alice, alice_api, download_dir):
    job, _ = manager.enqueue(alice, "http://127.0.0.1:9/a.mkv", "http", download_dir / "alice" / "Show" / "a.mkv")
    body = alice_api.get(f"/api/downloads/{job.pk}").json()
    assert body["destination"] == "Show/a.mkv"
    assert str(download_dir) not in str(body)


# --- the broker ---------------------------------------------------------------------


def test_a_retry_while_the_broker_is_down_is_503_and_changes_nothing(alice, alice_api, alice_web, download_dir):
    job, _ = manager.enqueue(alice, "http://127.0.0.1:9/a.mkv", "http", download_dir / "alice" / "a.mkv")
    DownloadJob.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, error="boom")
    with unreachable_broker():
        response = alice_api.post(f"/api/downloads/{job.pk}/retry")
        page = alice_web.post(f"/downloads/{job.pk}/retry/", follow=True)
    assert response.status_code == 503
    assert "cannot be reached" in response.json()["detail"]
    assert "cannot be reached" in page.content.decode()
    assert DownloadJob.objects.get(pk=job.pk).status == JobStatus.FAILED


def test_a_download_whose_message_was_not_sent_is_sent_by_the_next_reaper_run(
    alice, download_dir, django_capture_on_commit_callbacks
):
    drain("downloads")
    with unreachable_broker(), django_capture_on_commit_callbacks(execute=True):
        job, _ = manager.enqueue(alice, "http://127.0.0.1:9/a.mkv", "http", download_dir / "alice" / "a.mkv")
    job.refresh_from_db()
    # Not "dispatched": nothing is in the broker, so it waits for a slot again.
    assert job.status == JobStatus.QUEUED and job.dispatched_at is None
    assert drain("downloads") == []
    with django_capture_on_commit_callbacks(execute=True):
        report = manager.reap_stale()  # the broker is back: beat's next reaper run
    assert report.dispatched == 1
    assert drain("downloads") == [("downloads.tasks.run_download", [str(job.pk)])]
