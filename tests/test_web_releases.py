"""The dashboard's release pages: the item page's Releases card, the pick,
the release rules pages and the matching fields of the item form."""

from __future__ import annotations

import threading

import pytest
from django.utils import timezone

from tests.release_feeds import feed_item, store_results
from tests.support.processes import wait_for
from tests.support.races import holding, in_thread, needs_postgres, someone_waits_on_a_lock
from watchlist.checker import check_item, record_episodes
from watchlist.models import Episode, ReleaseDecision, ReleaseRules, WatchlistItem

pytestmark = pytest.mark.django_db

RESULTS = [
    {"name": "[SubsPlease] Sousou no Frieren - 05 (1080p) [AAAA0001].mkv", "seeders": 120},
    {"name": "[Erai-raws] Sousou no Frieren - 05 [720p][Multiple Subtitle]", "seeders": 300},
    {"name": "[SubsPlease] Frieren Mini Anime - 05 (1080p)", "seeders": 50},
]


@pytest.fixture
def checked_item(alice, settings, tmp_path):
    settings.DOWNLOAD_DIR = tmp_path
    item = feed_item(
        alice, "https://indexer.example.org/api?q=frieren", anime_title="Sousou no Frieren", quality_preference="1080p"
    )
    store_results(item.source, RESULTS)
    check_item(item)
    return item


def test_the_item_page_explains_every_release(alice_web, checked_item):
    page = alice_web.get(f"/items/{checked_item.pk}/").content.decode()

    assert 'id="releases"' in page
    assert "Episode 5" in page
    assert "720p, you prefer 1080p" in page
    assert "another series: Frieren Mini Anime" in page
    assert "Not episodes of this series" in page
    other = ReleaseDecision.objects.get(item=checked_item, release_name=RESULTS[1]["name"])
    picked = ReleaseDecision.objects.get(item=checked_item, release_name=RESULTS[0]["name"])
    mini = ReleaseDecision.objects.get(item=checked_item, release_name=RESULTS[2]["name"])
    assert f"/items/{checked_item.pk}/releases/{other.pk}/pick/" in page
    # no pick for the one already picked, nor for another series
    assert f"/releases/{picked.pk}/pick/" not in page
    assert f"/releases/{mini.pk}/pick/" not in page
    assert "style=" not in page.split('id="releases"')[1].split("</section>")[0]


def test_an_item_never_checked_says_so(alice_web, alice):
    item = feed_item(alice, "https://indexer.example.org/api?q=other", anime_title="Other")
    assert "No check has looked at this series" in alice_web.get(f"/items/{item.pk}/").content.decode()


def test_download_this_one_instead_from_the_dashboard(alice_web, checked_item):
    other = ReleaseDecision.objects.get(item=checked_item, release_name=RESULTS[1]["name"])

    answer = alice_web.post(f"/items/{checked_item.pk}/releases/{other.pk}/pick/", follow=True)

    assert answer.status_code == 200
    assert "Episode 5: this release is queued for download." in answer.content.decode()
    assert Episode.objects.get(item=checked_item, number=5).url == other.url


def test_a_refused_pick_says_why(alice_web, checked_item):
    mini = ReleaseDecision.objects.get(item=checked_item, release_name=RESULTS[2]["name"])
    answer = alice_web.post(f"/items/{checked_item.pk}/releases/{mini.pk}/pick/", follow=True)
    assert "Not downloaded: another series: Frieren Mini Anime" in answer.content.decode()


def test_another_users_item_cannot_be_picked(bob_web, checked_item):
    other = ReleaseDecision.objects.get(item=checked_item, release_name=RESULTS[1]["name"])
    assert bob_web.post(f"/items/{checked_item.pk}/releases/{other.pk}/pick/").status_code == 404
    assert bob_web.get(f"/items/{checked_item.pk}/release-rules/").status_code == 404


def test_the_release_rules_page_saves_and_refuses_with_the_fields_error(alice_web, alice):
    assert alice_web.get("/settings/release-rules/").status_code == 200
    answer = alice_web.post(
        "/settings/release-rules/",
        {"blocked_groups": "ASW, Anon", "resolution_mode": "minimum", "resolution": "720", "skip_remakes": "take"},
    )
    assert answer.status_code == 302
    row = ReleaseRules.objects.get(owner=alice, item__isnull=True)
    assert (row.blocked_groups, row.resolution_mode, row.resolution, row.skip_remakes) == (
        ["ASW", "Anon"],
        "minimum",
        720,
        False,
    )
    refused = alice_web.post("/settings/release-rules/", {"min_seeders": "-3"})
    assert refused.status_code == 400
    assert "greater than or equal to 0" in refused.content.decode()


def test_item_release_rules_start_empty_and_inherit(alice_web, checked_item):
    page = alice_web.get(f"/items/{checked_item.pk}/release-rules/").content.decode()
    assert "As in your release rules" in page
    answer = alice_web.post(f"/items/{checked_item.pk}/release-rules/", {"preferred_groups": "Erai-raws"})
    assert answer.status_code == 302
    assert ReleaseRules.objects.get(item=checked_item).preferred_groups == ["Erai-raws"]


def test_the_item_form_edits_the_matching_fields(alice_web, checked_item):
    form = alice_web.get(f"/items/{checked_item.pk}/edit/").content.decode()
    assert "Other titles" in form and "Season starts at episode" in form
    data = {
        "anime_title": checked_item.anime_title,
        "anime_url": checked_item.anime_url,
        "provider_id": "feed",
        "lang": "",
        "quality_preference": "1080p",
        "last_episode_downloaded": "0",
        "status": "active",
        "title_aliases": "Frieren\n葬送のフリーレン\n",
        "season": "2",
        "first_absolute_episode": "29",
        "include_specials": "on",
    }
    assert alice_web.post(f"/items/{checked_item.pk}/edit/", data).status_code == 302
    item = WatchlistItem.objects.get(pk=checked_item.pk)
    assert (item.title_aliases, item.season, item.first_absolute_episode, item.include_specials) == (
        ["Frieren", "葬送のフリーレン"],
        2,
        29,
        True,
    )
    data.update(season="", first_absolute_episode="")
    assert alice_web.post(f"/items/{checked_item.pk}/edit/", data).status_code == 302
    item.refresh_from_db()
    assert (item.season, item.first_absolute_episode) == (None, None)


BATCH_NAME = "[Judas] Sousou no Frieren (01-12) [1080p][Batch]"


def _batch_after_ten(alice, query: str) -> tuple[WatchlistItem, list[dict]]:
    """An item with episodes 1-10 downloaded, whose source lists the 01-12
    batch and singles of 11 and 12, checked once."""
    item = feed_item(alice, f"https://indexer.example.org/api?q={query}", anime_title="Sousou no Frieren")
    WatchlistItem.objects.filter(pk=item.pk).update(last_episode_downloaded=10)
    item.refresh_from_db()
    singles = [{"name": f"[Judas] Sousou no Frieren - {n} [1080p].mkv", "seeders": 50} for n in (11, 12)]
    store_results(item.source, [{"name": BATCH_NAME, "seeders": 80}, *singles])
    check_item(item)
    return item, singles


def test_a_batch_can_be_picked_from_the_item_page(alice_web, alice, settings, tmp_path):
    from downloads.models import DownloadJob

    settings.DOWNLOAD_DIR = tmp_path
    batch_name = BATCH_NAME
    item, _singles = _batch_after_ten(alice, "frieren-b")
    batch = ReleaseDecision.objects.get(item=item, release_name=batch_name)
    pick_url = f"/items/{item.pk}/releases/{batch.pk}/pick/"

    page = alice_web.get(f"/items/{item.pk}/").content.decode()
    assert pick_url in page
    assert "Download this batch" in page

    refused = alice_web.post(pick_url, {"episode": "x"}, follow=True).content.decode()
    assert "Not downloaded: episode: A whole number is required." in refused
    assert not DownloadJob.objects.exists()

    answer = alice_web.post(pick_url, follow=True)
    assert "Episodes 11-12: this batch is queued for download, in one job." in answer.content.decode()
    [job] = DownloadJob.objects.all()
    assert job.episodes == [11, 12] and job.url == batch.url
    assert pick_url not in answer.content.decode()  # picked: no button any more


@needs_postgres
@pytest.mark.django_db(transaction=True)  # two connections, each with its own transaction
def test_a_batch_pick_while_a_check_records_one_of_its_episodes(alice_web, alice, settings, tmp_path, sent):
    from downloads.models import DownloadJob

    settings.DOWNLOAD_DIR = tmp_path
    batch_name = BATCH_NAME
    item, singles = _batch_after_ten(alice, "frieren-r")
    Episode.objects.filter(item=item, number=12).delete()  # the check's recording of 12 is what races
    single_12 = ReleaseDecision.objects.get(item=item, release_name=singles[1]["name"]).release
    batch = ReleaseDecision.objects.get(item=item, release_name=batch_name)
    recorded, commit = threading.Event(), threading.Event()
    check = in_thread(holding, lambda: record_episodes(item, [single_12], timezone.now()), recorded, commit)
    assert recorded.wait(20)
    answers = []
    picking = in_thread(lambda: answers.append(alice_web.post(f"/items/{item.pk}/releases/{batch.pk}/pick/")))
    wait_for(someone_waits_on_a_lock, 20, "the pick's episode 12 to wait for the check's")
    commit.set()
    check.join(20)
    picking.join(20)

    [answer] = answers  # before: a deadlock (the pick also locked the item row), a 500
    assert answer.status_code == 302
    [job] = DownloadJob.objects.all()
    assert job.episodes == [11, 12] and job.url == batch.url
    [episode] = Episode.objects.filter(item=item, number=12)  # the check's row, given the batch
    assert (episode.url, episode.download_job_id, episode.pinned) == (batch.url, job.pk, True)
