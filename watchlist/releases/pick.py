"""The user's pick, "download this one instead": a release the last check
saw for an episode becomes the episode's release and is downloaded (the
dashboard and the API share this)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from downloads.models import DownloadJob
from watchlist.models import Episode, EpisodeState, ReleaseDecision, WatchlistItem

from .upgrade import ReplaceRefused, replace_release

# A decision with one of these codes is no episode of the item: picking it
# would put another series, a batch or another season under an episode.
_NOT_AN_EPISODE_HINT = "it is not one of this series' episodes"


class PickRefused(Exception):
    """The release cannot be picked; ``conflict`` when the episode is busy
    (a download is running), else the release itself is the problem."""

    def __init__(self, message: str, *, conflict: bool = False) -> None:
        super().__init__(message)
        self.conflict = conflict


@dataclass(frozen=True)
class Picked:
    episode: int | None  # None for a special
    job: DownloadJob | None
    message: str


def pick(item: WatchlistItem, decision: ReleaseDecision) -> Picked:
    from watchlist.downloading import queue_release_download, queue_special_download

    release = decision.release
    if release is None:
        raise PickRefused("the source no longer lists this release; check the series again")
    if decision.code == "special" and item.include_specials:
        job = queue_special_download(item, release)
        _mark_chosen(item, decision)
        return Picked(None, job, "The special is queued for download.")
    if decision.episode is None:
        raise PickRefused(f"{decision.reason or 'this release'}: {_NOT_AN_EPISODE_HINT}")
    number = decision.episode
    with transaction.atomic():
        episode = Episode.objects.select_for_update().filter(item=item, number=number).first()
        if episode is None:
            episode = Episode.objects.create(
                item=item,
                number=number,
                season=item.season if item.season is not None else release.season,
                title=release.title,
                url=release.url,
                resolution=release.resolution,
                version=release.version,
                language=release.language,
                release=release,
                pinned=True,
            )
            job = queue_release_download(episode)
        elif episode.url == release.url:
            if episode.state not in (EpisodeState.NEW, EpisodeState.FAILED, EpisodeState.SKIPPED):
                state = episode.get_state_display().lower()
                raise PickRefused(f"this is already the release of episode {number} ({state})", conflict=True)
            Episode.objects.filter(pk=episode.pk).update(pinned=True)
            job = queue_release_download(episode)
        else:
            try:
                job = replace_release(episode, release, download=True, pinned=True)
            except ReplaceRefused as exc:
                raise PickRefused(str(exc), conflict=True) from None
        _mark_chosen(item, decision)
    return Picked(number, job, f"Episode {number}: this release is queued for download.")


def _mark_chosen(item: WatchlistItem, decision: ReleaseDecision) -> None:
    others = ReleaseDecision.objects.filter(item=item, picked=True).exclude(pk=decision.pk)
    if decision.episode is not None:
        others.filter(episode=decision.episode).update(
            picked=False, code="not_chosen", reason="you chose another release"
        )
    ReleaseDecision.objects.filter(pk=decision.pk).update(picked=True, code="chosen", reason="chosen by you")
