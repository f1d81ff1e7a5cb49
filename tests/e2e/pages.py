"""Every full page of the dashboard, by URL name, with the data that makes it
show its parts (a series with episodes, downloads that failed and finished,
a notification, a target, an indexer), for the page-wide browser checks
(accessibility, phone width).

Each named dashboard route is either a page here or listed in NOT_PAGES with
why it is not one, so a new page cannot be left out of the checks unnoticed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.urls import get_resolver, reverse

from downloads.clients.models import ClientKind, TorrentClient
from downloads.models import DownloadJob, JobStatus
from tests.factories import make_item
from tests.notify_helpers import make_target
from watchlist.indexers.keys import encrypt
from watchlist.indexers.models import Indexer
from watchlist.models import Episode, EpisodeState, Notification

# Routes that answer with a fragment for htmx, act on a POST, or serve a file.
NOT_PAGES = {
    "logout": "POST action",
    "provider-search": "fragment",
    "anilist-search": "fragment",
    "item-card": "fragment",
    "item-pause": "POST action",
    "item-resume": "POST action",
    "item-auto-download": "POST action",
    "item-check": "POST action",
    "check-all": "POST action",
    "episode-download": "POST action",
    "item-release-pick": "POST action",
    "downloads-active": "fragment",
    "download-cancel": "POST action",
    "download-retry": "POST action",
    "notification-read": "POST action",
    "notifications-latest": "fragment",
    "notifications-read-all": "POST action",
    "notification-target-delete": "POST action",
    "notification-target-test": "POST action",
    "notification-digest": "POST action",
    "scheduler": "fragment",
    "scheduler-start": "POST action",
    "scheduler-stop": "POST action",
    "indexer-delete": "POST action",
    "indexer-test": "POST action",
    "calendar-rotate": "POST action",
    "calendar-ics": "iCalendar file",
    "token-create": "POST action",
    "token-regenerate": "POST action",
    "token-revoke": "POST action",
    "named-token-create": "POST action",
    "named-token-revoke": "POST action",
    "feed-rotate": "POST action",
    "items-live": "fragment",
    "items-counts": "fragment",
    "items-bulk": "POST action",
    "item-preview": "fragment",
    "item-preview-edit": "fragment",
    "item-download-missing": "POST action",
    "downloads-bulk": "POST action",
    "account-sign-out-others": "POST action",
    "user-active": "POST action",
    "user-staff": "POST action",
    "user-password": "POST action",
    "set-language": "POST action",
    "torrent-client-delete": "POST action",
    "torrent-client-test": "POST action",
}


@dataclass(frozen=True)
class Seeded:
    item_pk: str
    target_pk: int
    indexer_pk: int
    client_pk: int


def web_route_names() -> set[str]:
    resolver = get_resolver()
    web = resolver.namespace_dict["web"][1]
    return {name for name in web.reverse_dict if isinstance(name, str)}


def seed(owner, download_dir: Path, poster_url: str = "") -> Seeded:
    item = make_item(
        owner,
        anime_title="Frieren: Beyond Journey's End",
        poster_image=poster_url,
        genres=["Adventure", "Fantasy"],
        synopsis="After the party defeats the Demon King, the elf mage Frieren outlives them all.",
        last_episode_downloaded=1,
    )
    make_item(owner, anime_title="Dungeon Meshi", provider_id="directory", auto_download=False)
    for number, state in ((2, EpisodeState.NEW), (3, EpisodeState.FAILED)):
        Episode.objects.create(
            item=item, number=number, url=f"http://127.0.0.1:9/frieren-{number:02}.mkv", resolution=1080, state=state
        )
    for n, status in enumerate((JobStatus.FAILED, JobStatus.COMPLETED, JobStatus.QUEUED)):
        DownloadJob.objects.create(
            owner=owner,
            url=f"http://127.0.0.1:9/file-{n}.mkv",
            destination=str(download_dir / f"file-{n}.mkv"),
            status=status,
            error="HTTP 404 Not Found" if status == JobStatus.FAILED else "",
            finished_at=None if status == JobStatus.QUEUED else "2026-11-28T10:00:00Z",
        )
    Notification.objects.create(user=owner, kind=Notification.Kind.ERROR, message="The source cannot be read")
    target = make_target(owner, "https://ntfy.sh/watchlist-test")
    indexer = Indexer.objects.create(
        name="local", url="http://127.0.0.1:9/api", api_key_encrypted=encrypt("key-123456")
    )
    client = TorrentClient.objects.create(
        name="home qBittorrent", kind=ClientKind.QBITTORRENT, url="http://127.0.0.1:9", enabled=False
    )
    return Seeded(item_pk=str(item.pk), target_pk=target.pk, indexer_pk=indexer.pk, client_pk=client.pk)


def page_paths(seeded: Seeded) -> dict[str, str]:
    """URL name → path of every full page (the sign-in page is visited signed out)."""
    item = {"pk": seeded.item_pk}
    return {
        "home": reverse("web:home"),
        "item-add": reverse("web:item-add"),
        "item": reverse("web:item", kwargs=item),
        "item-edit": reverse("web:item-edit", kwargs=item),
        "item-delete": reverse("web:item-delete", kwargs=item),
        "item-release-rules": reverse("web:item-release-rules", kwargs=item),
        "downloads": reverse("web:downloads"),
        "wanted": reverse("web:wanted"),
        "notifications": reverse("web:notifications"),
        "notification-targets": reverse("web:notification-targets"),
        "notification-target-edit": reverse("web:notification-target-edit", kwargs={"pk": seeded.target_pk}),
        "settings": reverse("web:settings"),
        "release-rules": reverse("web:release-rules"),
        "indexers": reverse("web:indexers"),
        "indexer-edit": reverse("web:indexer-edit", kwargs={"pk": seeded.indexer_pk}),
        "stats": reverse("web:stats"),
        "calendar": reverse("web:calendar"),
        "token": reverse("web:token"),
        "account": reverse("web:account"),
        "users": reverse("web:users"),
        "system": reverse("web:system"),
        "torrent-clients": reverse("web:torrent-clients"),
        "torrent-client-edit": reverse("web:torrent-client-edit", kwargs={"pk": seeded.client_pk}),
    }


SIGNED_OUT_PAGES = {"login"}
