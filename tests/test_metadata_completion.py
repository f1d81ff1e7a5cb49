"""A finished series whose every episode is downloaded completes by itself
(once, with a notification), unless its owner turned that off; and the
"12 of 24" the watchlist and the item page show."""

from __future__ import annotations

import pytest

from downloads.models import DownloadJob
from downloads.signals import download_finished
from tests.metadata_helpers import linked_item
from tests.support.fake_anilist import media
from watchlist.metadata.completion import complete_finished_items
from watchlist.metadata.refresh import refresh_series
from watchlist.models import Episode, EpisodeState, ItemStatus, Notification, WatchlistItem, WatchlistSettings

pytestmark = pytest.mark.django_db


def finish(fake, anilist_id: int, episodes: int = 12) -> None:
    fake.catalogue[anilist_id] = media(anilist_id, "Done Show", status="FINISHED", episodes=episodes)


def completions(user) -> list[str]:
    return list(
        Notification.objects.filter(user=user, kind=Notification.Kind.SERIES_COMPLETED).values_list(
            "message", flat=True
        )
    )


def test_the_refresh_that_says_finished_completes_items_that_have_everything(
    anilist, alice, bob, django_capture_on_commit_callbacks
):
    anilist.add(media(1, "Done Show", status="RELEASING", episodes=12))
    full = linked_item(alice, anilist, 1, last_episode_downloaded=12)
    partial = linked_item(bob, anilist, 1, last_episode_downloaded=11)
    finish(anilist, 1)

    with django_capture_on_commit_callbacks(execute=True):
        refresh_series([full.series_id])

    assert WatchlistItem.objects.get(pk=full.pk).status == ItemStatus.COMPLETED
    assert WatchlistItem.objects.get(pk=partial.pk).status == ItemStatus.ACTIVE
    assert completions(alice) == ["Done Show: every episode is downloaded; the series is complete."]
    assert completions(bob) == []
    # Running again changes nothing and notifies nobody twice.
    assert complete_finished_items(full.series) == 0
    assert len(completions(alice)) == 1


def test_the_last_download_completes_a_finished_series(anilist, alice):
    anilist.add(media(2, "Done Show", status="FINISHED", episodes=3))
    item = linked_item(alice, anilist, 2, last_episode_downloaded=2)
    episode = Episode.objects.create(item=item, number=3, url="https://x.example/3.mkv", state=EpisodeState.QUEUED)
    job = DownloadJob.objects.create(
        owner=alice,
        url=episode.url,
        backend="http",
        destination="/tmp/x/3.mkv",
        metadata={"item_id": str(item.pk), "episode_id": episode.pk, "episode": 3},
    )
    Episode.objects.filter(pk=episode.pk).update(download_job=job)

    download_finished.send(sender=DownloadJob, job=job)

    item.refresh_from_db()
    assert item.last_episode_downloaded == 3
    assert item.status == ItemStatus.COMPLETED
    assert len(completions(alice)) == 1


def test_a_missing_episode_keeps_the_item_active(anilist, alice):
    anilist.add(media(3, status="FINISHED", episodes=12))
    item = linked_item(alice, anilist, 3, last_episode_downloaded=12)
    Episode.objects.create(item=item, number=7, url="https://x.example/7.mkv", state=EpisodeState.FAILED)
    assert complete_finished_items(item.series) == 0
    Episode.objects.filter(item=item).update(state=EpisodeState.DOWNLOADED)
    assert complete_finished_items(item.series) == 1


def test_the_owner_can_turn_completion_off(anilist, alice):
    row = WatchlistSettings.for_user(alice)
    row.complete_finished_series = False
    row.save()
    anilist.add(media(4, status="FINISHED", episodes=12))
    item = linked_item(alice, anilist, 4, last_episode_downloaded=12)
    assert complete_finished_items(item.series) == 0
    assert WatchlistItem.objects.get(pk=item.pk).status == ItemStatus.ACTIVE


@pytest.mark.parametrize(
    ("status", "episodes", "item_status"),
    [("RELEASING", 12, ItemStatus.ACTIVE), ("FINISHED", None, ItemStatus.ACTIVE), ("FINISHED", 12, ItemStatus.PAUSED)],
)
def test_only_finished_series_with_a_total_complete_active_items(anilist, alice, status, episodes, item_status):
    anilist.add(media(5, status=status, episodes=episodes))
    item = linked_item(alice, anilist, 5, last_episode_downloaded=12, status=item_status)
    assert complete_finished_items(item.series) == 0


def test_absolute_numbers_count_for_the_season(anilist, alice):
    anilist.add(
        media(10, "S1", status="FINISHED", episodes=12),
        media(11, "S2", status="FINISHED", episodes=12, relations=[("PREQUEL", 10, "TV", 12)]),
    )
    item = linked_item(alice, anilist, 11, last_episode_downloaded=24)  # the source numbers 13..24
    assert complete_finished_items(item.series) == 1


def test_twelve_of_twentyfour_on_the_card_the_item_page_and_the_api(anilist, alice, alice_web, alice_api):
    anilist.add(media(6, "Long Show", episodes=24))
    item = linked_item(alice, anilist, 6, last_episode_downloaded=12)
    assert "<dd>12 of 24</dd>" in alice_web.get("/").content.decode()
    assert "<dd>12 of 24</dd>" in alice_web.get(f"/items/{item.pk}/").content.decode()
    data = alice_api.get(f"/api/watchlist/{item.pk}").json()
    assert (data["episodes_have"], data["episodes_total"], data["anilist_id"]) == (12, 24, 6)
    assert data["series"]["episodes"] == 24
