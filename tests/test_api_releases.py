"""The release-matching API: rules, an item's decisions, the pick; and the
file hand-over when a picked release replaces a downloaded one."""

from __future__ import annotations

import threading

import pytest
from django.utils import timezone

from downloads.models import DownloadJob, JobStatus
from downloads.signals import download_finished
from tests.release_feeds import feed_item, store_results
from tests.support.processes import wait_for
from tests.support.races import holding, in_thread, needs_postgres, someone_waits_on_a_lock
from watchlist.checker import check_item, record_episodes
from watchlist.models import Episode, EpisodeState, ReleaseDecision, ReleaseRules

pytestmark = pytest.mark.django_db

RESULTS = [
    {"name": "[SubsPlease] Sousou no Frieren - 05 (1080p) [AAAA0001].mkv", "seeders": 120},
    {"name": "[Erai-raws] Sousou no Frieren - 05 [720p][Multiple Subtitle]", "seeders": 300},
    {"name": "[SubsPlease] Frieren Mini Anime - 05 (1080p)", "seeders": 50},
]


@pytest.fixture
def checked_item(alice, settings, tmp_path):
    settings.DOWNLOAD_DIR = tmp_path
    item = feed_item(alice, "https://indexer.example.org/api?q=frieren", anime_title="Sousou no Frieren")
    store_results(item.source, RESULTS)
    check_item(item)
    return item


def _decision(item, name: str) -> ReleaseDecision:
    return ReleaseDecision.objects.get(item=item, release_name=name)


def test_user_rules_read_with_defaults_and_change_field_by_field(alice_api):
    body = alice_api.get("/api/watchlist/release-rules").json()
    assert body["resolution_mode"] == "" and body["blocked_groups"] == [] and body["skip_remakes"] is None

    answer = alice_api.put(
        "/api/watchlist/release-rules",
        {"blocked_groups": ["ASW"], "resolution_mode": "minimum", "resolution": 720, "min_seeders": 5},
        format="json",
    )

    assert answer.status_code == 200
    assert answer.json()["blocked_groups"] == ["ASW"]
    row = ReleaseRules.objects.get(owner__username="alice", item__isnull=True)
    assert (row.resolution_mode, row.resolution, row.min_seeders) == ("minimum", 720, 5)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"resolution_mode": "huge"}, "resolution_mode"),
        ({"resolution": 1234}, "resolution"),
        ({"min_seeders": -1}, "min_seeders"),
        ({"blocked_groups": "ASW"}, "blocked_groups"),
        ({"max_episode_mb": 0}, "max_episode_mb"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_rules_are_a_400_naming_the_field(alice_api, body, field):
    answer = alice_api.put("/api/watchlist/release-rules", body, format="json")
    assert answer.status_code == 400
    assert field in answer.json()


def test_item_rules_are_the_items_own_and_another_users_item_is_a_404(alice_api, bob_api, checked_item):
    url = f"/api/watchlist/{checked_item.pk}/release-rules"
    assert alice_api.put(url, {"preferred_groups": ["Erai-raws"]}, format="json").status_code == 200
    assert ReleaseRules.objects.get(item=checked_item).preferred_groups == ["Erai-raws"]
    assert bob_api.get(url).status_code == 404
    assert bob_api.get(f"/api/watchlist/{checked_item.pk}/releases").status_code == 404


def test_the_releases_endpoint_lists_every_decision_with_its_reason(alice_api, checked_item):
    body = alice_api.get(f"/api/watchlist/{checked_item.pk}/releases").json()

    by_name = {row["release_name"]: row for row in body}
    assert len(body) == 3
    assert by_name[RESULTS[0]["name"]]["picked"] is True
    assert by_name[RESULTS[1]["name"]]["reason"] == "720p; 1080p is out"
    assert by_name[RESULTS[2]["name"]]["reason"] == "another series: Frieren Mini Anime"
    assert by_name[RESULTS[2]["name"]]["episode"] is None
    only_five = alice_api.get(f"/api/watchlist/{checked_item.pk}/releases?episode=5").json()
    assert len(only_five) == 2
    assert alice_api.get(f"/api/watchlist/{checked_item.pk}/releases?episode=x").status_code == 400


def test_picking_another_release_makes_it_the_episodes_and_queues_it(alice_api, checked_item):
    other = _decision(checked_item, RESULTS[1]["name"])

    answer = alice_api.post(f"/api/watchlist/{checked_item.pk}/releases/{other.pk}/pick")

    assert answer.status_code == 200, answer.content
    assert answer.json()["episode"] == 5
    episode = Episode.objects.get(item=checked_item, number=5)
    assert (episode.url, episode.resolution, episode.pinned) == (other.url, 720, True)
    assert episode.state == EpisodeState.QUEUED
    job = DownloadJob.objects.get(pk=answer.json()["job_id"])
    assert job.url == other.url and episode.download_job_id == job.pk
    other.refresh_from_db()
    assert (other.picked, other.code) == (True, "chosen")
    assert _decision(checked_item, RESULTS[0]["name"]).picked is False

    # The user's choice holds at the next check: no automatic upgrade back.
    check_item(checked_item)
    assert Episode.objects.get(item=checked_item, number=5).url == other.url


def test_picking_refuses_another_series_and_a_running_download(alice_api, checked_item):
    mini = _decision(checked_item, RESULTS[2]["name"])
    refused = alice_api.post(f"/api/watchlist/{checked_item.pk}/releases/{mini.pk}/pick")
    assert refused.status_code == 400
    assert "another series: Frieren Mini Anime" in refused.json()["detail"]

    other = _decision(checked_item, RESULTS[1]["name"])
    assert alice_api.post(f"/api/watchlist/{checked_item.pk}/releases/{other.pk}/pick").status_code == 200
    first = _decision(checked_item, RESULTS[0]["name"])
    busy = alice_api.post(f"/api/watchlist/{checked_item.pk}/releases/{first.pk}/pick")
    assert busy.status_code == 409
    assert "being downloaded" in busy.json()["detail"]
    assert alice_api.post(f"/api/watchlist/{checked_item.pk}/releases/999999/pick").status_code == 404


def test_a_replacement_download_takes_the_old_files_place_once_verified(alice, checked_item, tmp_path):
    first = _decision(checked_item, RESULTS[0]["name"])
    from watchlist.releases.pick import pick

    old_job = DownloadJob.objects.get(pk=pick(checked_item, first).job.pk)
    old_path = tmp_path / "old.mkv"
    old_path.write_bytes(b"v1 bytes")
    DownloadJob.objects.filter(pk=old_job.pk).update(
        status=JobStatus.COMPLETED, finished_at=timezone.now(), destination=str(old_path)
    )
    Episode.objects.filter(item=checked_item, number=5).update(state=EpisodeState.DOWNLOADED)

    other = _decision(checked_item, RESULTS[1]["name"])
    new_job = pick(checked_item, other).job
    assert new_job.metadata["replaces_job"] == str(old_job.pk)
    assert old_path.read_bytes() == b"v1 bytes"  # still there until the new file is verified

    # Same name: the new file was written next to the old one, then moves over it.
    new_path = tmp_path / "old (2).mkv"
    new_path.write_bytes(b"v2 bytes")
    DownloadJob.objects.filter(pk=new_job.pk).update(status=JobStatus.COMPLETED, destination=str(new_path))
    new_job.refresh_from_db()
    download_finished.send(sender=DownloadJob, job=new_job)

    assert old_path.read_bytes() == b"v2 bytes"
    assert not new_path.exists()
    new_job.refresh_from_db()
    assert new_job.destination == str(old_path)
    assert DownloadJob.objects.get(pk=old_job.pk).destination.endswith(f".replaced-{old_job.pk}")


def test_a_replacement_with_another_name_removes_the_old_file(alice, checked_item, tmp_path):
    from watchlist.releases.pick import pick

    old_job = pick(checked_item, _decision(checked_item, RESULTS[0]["name"])).job
    old_path = tmp_path / "Frieren - S01E05 [1080p].mkv"
    old_path.write_bytes(b"1080p")
    DownloadJob.objects.filter(pk=old_job.pk).update(status=JobStatus.COMPLETED, destination=str(old_path))
    Episode.objects.filter(item=checked_item, number=5).update(state=EpisodeState.DOWNLOADED)
    new_job = pick(checked_item, _decision(checked_item, RESULTS[1]["name"])).job
    new_path = tmp_path / "Frieren - S01E05 [720p].mkv"
    new_path.write_bytes(b"720p")
    DownloadJob.objects.filter(pk=new_job.pk).update(status=JobStatus.COMPLETED, destination=str(new_path))
    new_job.refresh_from_db()

    download_finished.send(sender=DownloadJob, job=new_job)

    assert not old_path.exists()
    assert new_path.read_bytes() == b"720p"


def test_item_fields_for_matching_round_trip_through_the_api(alice_api, checked_item):
    url = f"/api/watchlist/{checked_item.pk}"
    answer = alice_api.put(
        url,
        {"title_aliases": [" Frieren ", "葬送のフリーレン", "Frieren"], "season": 2, "first_absolute_episode": 29},
        format="json",
    )
    assert answer.status_code == 200
    body = answer.json()
    assert body["title_aliases"] == ["Frieren", "葬送のフリーレン"]
    assert (body["season"], body["first_absolute_episode"], body["include_specials"]) == (2, 29, False)
    assert alice_api.put(url, {"first_absolute_episode": 0}, format="json").status_code == 400
    assert alice_api.put(url, {"title_aliases": "Frieren"}, format="json").status_code == 400


BATCH = "[Judas] Sousou no Frieren (01-12) [1080p][Batch]"


@pytest.fixture
def batch_item(alice, settings, tmp_path):
    """Episodes 1-10 downloaded; 11 and 12 have single releases, which the
    check picked over the batch (few episodes missing)."""
    settings.DOWNLOAD_DIR = tmp_path
    item = feed_item(alice, "https://indexer.example.org/api?q=frieren-batch", anime_title="Sousou no Frieren")
    type(item).objects.filter(pk=item.pk).update(last_episode_downloaded=10)
    item.refresh_from_db()
    store_results(
        item.source,
        [{"name": BATCH, "seeders": 80}]
        + [{"name": f"[Judas] Sousou no Frieren - {n} [1080p].mkv", "seeders": 50} for n in (11, 12)],
    )
    check_item(item)
    return item


def _pick(api, item, decision, body=None):
    return api.post(f"/api/watchlist/{item.pk}/releases/{decision.pk}/pick", body, format="json")


def test_picking_a_batch_queues_one_job_for_its_wanted_episodes(alice_api, batch_item):
    batch = _decision(batch_item, BATCH)
    assert (batch.picked, batch.code) == (False, "batch")

    answer = _pick(alice_api, batch_item, batch)

    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert (body["episode"], body["episodes"]) == (11, [11, 12])
    assert body["message"] == "Episodes 11-12: this batch is queued for download, in one job."
    job = DownloadJob.objects.get(pk=body["job_id"])
    assert (job.url, job.episodes) == (batch.url, [11, 12])
    assert [entry["episode"] for entry in job.files] == [11, 12]
    for n in (11, 12):
        episode = Episode.objects.get(item=batch_item, number=n)
        assert (episode.url, episode.state, episode.download_job_id, episode.pinned) == (
            batch.url, EpisodeState.QUEUED, job.pk, True
        )  # fmt: skip
    # 1-10 are had already: not fetched again, not even recorded
    assert not Episode.objects.filter(item=batch_item, number__lte=10).exists()
    batch.refresh_from_db()
    assert (batch.picked, batch.code, batch.reason) == (True, "chosen", "chosen by you for episodes 11-12")
    single = _decision(batch_item, "[Judas] Sousou no Frieren - 11 [1080p].mkv")
    assert (single.picked, single.code) == (False, "not_chosen")

    again = _pick(alice_api, batch_item, batch)
    assert again.status_code == 409
    assert again.json()["detail"] == "every episode of this batch is downloaded or being downloaded"


def test_a_batch_picked_for_an_earlier_episode_fetches_it_too(alice_api, batch_item):
    answer = _pick(alice_api, batch_item, _decision(batch_item, BATCH), {"episode": 3})

    assert answer.status_code == 200, answer.content
    assert (answer.json()["episode"], answer.json()["episodes"]) == (3, [3, 11, 12])
    assert DownloadJob.objects.get(pk=answer.json()["job_id"]).episodes == [3, 11, 12]
    busy = _pick(alice_api, batch_item, _decision(batch_item, BATCH), {"episode": 11})
    assert busy.status_code == 409
    assert busy.json()["detail"] == "episode 11 is downloaded or being downloaded already"


@pytest.mark.parametrize(
    ("body", "said"),
    [
        ({"episode": 13}, "Episode 13 is not in this batch (episodes 1-12)."),
        ({"episode": "x"}, "A whole number is required."),
        ({"episode": 0}, "Episode numbers start at 1."),
        ({"episode": True}, "A whole number is required."),
        ({"episode": [3]}, "A whole number is required."),
    ],
)
def test_a_bad_episode_for_a_pick_is_a_400_naming_the_field(alice_api, batch_item, body, said):
    answer = _pick(alice_api, batch_item, _decision(batch_item, BATCH), body)

    assert answer.status_code == 400
    assert answer.json() == {"episode": [said]}
    assert not DownloadJob.objects.exists()


def test_a_single_release_picked_for_another_episode_is_a_400(alice_api, batch_item):
    single = _decision(batch_item, "[Judas] Sousou no Frieren - 11 [1080p].mkv")
    answer = _pick(alice_api, batch_item, single, {"episode": 12})
    assert answer.status_code == 400
    assert answer.json() == {"episode": ["This release is episode 11, not episode 12."]}
    assert _pick(alice_api, batch_item, single, {"episode": 11}).status_code == 200


# --- a pick and a check recording the same episode at once --------------------


@needs_postgres
@pytest.mark.django_db(transaction=True)  # two connections, each with its own transaction
def test_a_pick_while_a_check_records_the_same_episode_is_no_500(alice_api, checked_item, sent):
    Episode.objects.filter(item=checked_item).delete()  # the check saw episode 5; recording it is what races
    checks_release = _decision(checked_item, RESULTS[0]["name"]).release
    picked = _decision(checked_item, RESULTS[1]["name"])
    recorded, commit = threading.Event(), threading.Event()
    check = in_thread(
        holding, lambda: record_episodes(checked_item, [checks_release], timezone.now()), recorded, commit
    )
    assert recorded.wait(20)
    answers = []
    picking = in_thread(
        lambda: answers.append(alice_api.post(f"/api/watchlist/{checked_item.pk}/releases/{picked.pk}/pick"))
    )
    # The pick looked, found no episode 5, and its insert now waits for the check's uncommitted row.
    wait_for(someone_waits_on_a_lock, 20, "the pick to wait for the check's episode")
    commit.set()
    check.join(20)
    picking.join(20)

    [answer] = answers  # before: the IntegrityError, a 409 "conflicts with existing data" (a 500 on the web)
    assert answer.status_code == 200, answer.content
    [episode] = Episode.objects.filter(item=checked_item, number=5)
    assert (episode.url, episode.pinned, episode.state) == (picked.url, True, EpisodeState.QUEUED)
    assert DownloadJob.objects.get(pk=answer.json()["job_id"]).url == picked.url


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_a_check_while_a_pick_creates_the_same_episode_leaves_it_to_the_pick(alice, checked_item, sent):
    from watchlist.releases.pick import pick

    Episode.objects.filter(item=checked_item).delete()
    picked = _decision(checked_item, RESULTS[1]["name"])
    created, commit = threading.Event(), threading.Event()
    holder = in_thread(holding, lambda: pick(checked_item, picked), created, commit)
    assert created.wait(20)
    results = []
    checking = in_thread(lambda: results.append(check_item(checked_item)))
    wait_for(someone_waits_on_a_lock, 20, "the check to wait for the pick's episode")
    commit.set()
    holder.join(20)
    checking.join(20)

    [result] = results
    assert result.error is None and 5 not in result.queued
    [episode] = Episode.objects.filter(item=checked_item, number=5)
    assert (episode.url, episode.pinned) == (picked.url, True)
