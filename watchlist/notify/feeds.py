"""The feed of a user's downloaded episodes (RSS 2.0 and Atom, Django's
syndication framework), with enclosures a podcast-style client can play,
and the endpoint that serves those files.

Podcast clients cannot sign in, so both live under the user's secret feed
key (watchlist/feedkeys.py): ``/feeds/<key>/episodes.rss``. Rotating the
key breaks every old URL at once. A file is served only when the key's
user owns a completed download job for it and its path resolves inside
``DOWNLOAD_DIR/<user>/``; nothing from the URL but the job's id is used to
find it, so no path can be smuggled in.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.views.decorators.http import require_safe

from downloads import files
from downloads.models import DownloadJob, JobStatus

from ..feedkeys import feed_key, user_for_feed_key
from ..models import Episode
from .ranged import serve_file

# Types the mimetypes table lacks or gets wrong for players.
MEDIA_TYPES = {
    ".mkv": "video/x-matroska",
    ".mp4": "video/mp4",
    ".m4v": "video/x-m4v",
    ".webm": "video/webm",
    ".avi": "video/x-msvideo",
    ".ts": "video/mp2t",
    ".mov": "video/quicktime",
    ".ogv": "video/ogg",
}


def media_type(path: Path) -> str:
    return MEDIA_TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def user_file(user: Any, destination: str) -> Path | None:
    """The job's file when it is a file inside the user's own folder."""
    root = files.download_root().resolve()
    user_root = (root / files.user_folder(user.get_username(), user.pk)).resolve()
    try:
        path = Path(destination).resolve()
    except (OSError, RuntimeError):
        return None
    if not path.is_relative_to(user_root) or path == user_root or not path.is_file():
        return None
    return path


@dataclass
class FeedEntry:
    job: DownloadJob
    episode: Episode
    path: Path
    url: str


@dataclass
class FeedContext:
    user: Any
    key: str
    request: HttpRequest


def entries(user: Any, key: str, request: HttpRequest) -> list[FeedEntry]:
    """The user's downloaded episodes whose files are there, newest first."""
    jobs = list(
        DownloadJob.objects.filter(owner=user, status=JobStatus.COMPLETED, metadata__has_key="episode_id").order_by(
            "-finished_at", "-created_at"
        )[: settings.FEED_MAX_ITEMS]
    )
    ids = [job.metadata.get("episode_id") for job in jobs]
    episodes = Episode.objects.select_related("item").in_bulk([i for i in ids if isinstance(i, int)])
    filled = _batch_episodes([job for job in jobs if job.files])
    found = []
    for job in jobs:
        # A batch: an entry per episode it filled, each with its own file.
        pairs = [(e, job.file_of(e.number)) for e in filled.get(job.pk, ())] if job.files else []
        if not job.files:
            episode = episodes.get(job.metadata.get("episode_id"))
            pairs = [(episode, job.destination)] if episode is not None else []
        for episode, destination in pairs:
            if episode.item.owner_id != user.pk:
                continue
            path = user_file(user, destination)
            if path is None:
                continue
            url = request.build_absolute_uri(
                reverse("feed-episode-file", kwargs={"key": key, "job_id": job.pk, "filename": path.name})
            )
            found.append(FeedEntry(job, episode, path, url))
    return found


def _batch_episodes(jobs: list[DownloadJob]) -> dict[Any, list[Episode]]:
    by_job: dict[Any, list[Episode]] = {}
    if jobs:
        for episode in Episode.objects.select_related("item").filter(download_job__in=jobs).order_by("number"):
            by_job.setdefault(episode.download_job_id, []).append(episode)
    return by_job


class DownloadedEpisodesFeed(Feed):
    """RSS 2.0; the Atom flavour below only changes the format."""

    feed_type = Rss201rev2Feed

    def get_object(self, request: HttpRequest, key: str) -> FeedContext:  # type: ignore[override]
        user = user_for_feed_key(key)
        if user is None:
            raise Http404("No such feed.")
        return FeedContext(user, key, request)

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().__call__(request, *args, **kwargs)
        response["Cache-Control"] = "private, max-age=300"
        return response

    def title(self, obj: FeedContext) -> str:
        return f"Watchlist: episodes downloaded for {obj.user.get_username()}"

    def link(self, obj: FeedContext) -> str:
        return reverse("web:downloads")

    def description(self, obj: FeedContext) -> str:
        return "Every episode the watchlist downloaded for you, newest first, ready to play."

    def subtitle(self, obj: FeedContext) -> str:  # Atom's word for the description
        return self.description(obj)

    def feed_url(self, obj: FeedContext) -> str:
        return obj.request.path

    def items(self, obj: FeedContext) -> list[FeedEntry]:
        return entries(obj.user, obj.key, obj.request)

    def item_title(self, item: FeedEntry) -> str:
        episode = item.episode
        title = f"{episode.item.anime_title} - episode {episode.number}"
        return f"{title}: {episode.title}" if episode.title else title

    def item_description(self, item: FeedEntry) -> str:
        episode = item.episode
        parts = [f"Episode {episode.number} of {episode.item.anime_title}"]
        if episode.resolution:
            parts.append(f"{episode.resolution}p")
        return ", ".join(parts) + "."

    def item_link(self, item: FeedEntry) -> str:
        return reverse("web:item", kwargs={"pk": item.episode.item_id})

    def item_guid(self, item: FeedEntry) -> str:
        if item.job.files:  # one job, several episodes: one entry each
            return f"urn:uuid:{item.job.pk}#episode-{item.episode.number}"
        return f"urn:uuid:{item.job.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: FeedEntry):
        return item.job.finished_at or item.job.created_at

    def item_updateddate(self, item: FeedEntry):
        return item.job.finished_at or item.job.created_at

    def item_enclosures(self, item: FeedEntry) -> list[Enclosure]:
        return [Enclosure(item.url, str(item.path.stat().st_size), media_type(item.path))]


class DownloadedEpisodesAtomFeed(DownloadedEpisodesFeed):
    feed_type = Atom1Feed


@require_safe
def episode_file(request: HttpRequest, key: str, job_id: Any, filename: str) -> HttpResponse:
    """One downloaded episode, for the feed's enclosures (GET and HEAD)."""
    user = user_for_feed_key(key)
    if user is None:
        raise Http404("No such feed.")
    job = DownloadJob.objects.filter(pk=job_id, owner=user, status=JobStatus.COMPLETED).first()
    path = user_file(user, _named_file(job, filename)) if job is not None else None
    if path is None:
        raise Http404("No such file.")
    return serve_file(request, path, media_type(path), path.name)


def _named_file(job: DownloadJob, filename: str) -> str:
    """The job's file of that name: a batch's episode file, else its one
    file (the name in the URL picks among the job's own files only)."""
    for entry in job.files or ():
        destination = entry.get("destination", "") if isinstance(entry, dict) else ""
        if destination and Path(destination).name == filename:
            return destination
    return job.destination


def feed_urls(user: Any, request: HttpRequest) -> dict[str, str]:
    """The user's feed URLs (with the secret key), for the API and dashboard."""
    key = feed_key(user)
    return {
        "episodes_rss": request.build_absolute_uri(reverse("feed-episodes-rss", kwargs={"key": key})),
        "episodes_atom": request.build_absolute_uri(reverse("feed-episodes-atom", kwargs={"key": key})),
    }
