"""A finished series whose every episode is downloaded completes by itself.

An item becomes ``completed`` when AniList says its series has FINISHED
airing, the season's total is known, the item has every episode up to it
(episodes.episodes_have) and none of its recorded episodes is still new,
queued or failed; unless its owner turned `complete_finished_series` off.
Checked when an episode finishes downloading and after each refresh of the
series' metadata. The status change is a conditional UPDATE (active ->
completed), so the owner is notified once however often this runs.
"""

from __future__ import annotations

import logging

from django.dispatch import receiver

from downloads.models import DownloadJob
from downloads.signals import download_finished

from ..models import Episode, EpisodeState, ItemStatus, WatchlistItem, WatchlistSettings
from ..notifications import notify_series_completed
from .episodes import episodes_have
from .models import Series

logger = logging.getLogger(__name__)

_PENDING = (EpisodeState.NEW, EpisodeState.QUEUED, EpisodeState.FAILED)


def _wants_completion(user_id: int) -> bool:
    wanted = WatchlistSettings.objects.filter(user_id=user_id).values_list("complete_finished_series", flat=True)
    return next(iter(wanted), WatchlistSettings._meta.get_field("complete_finished_series").default)


def is_complete(item: WatchlistItem) -> bool:
    series = item.series
    if series is None or not series.is_finished or not series.episodes:
        return False
    if episodes_have(item) < series.episodes:
        return False
    return not Episode.objects.filter(item_id=item.pk, state__in=_PENDING).exists()


def complete_if_finished(item: WatchlistItem) -> bool:
    """Mark the item completed when it is; True when this call did it."""
    if item.status != ItemStatus.ACTIVE or not is_complete(item) or not _wants_completion(item.owner_id):
        return False
    changed = WatchlistItem.objects.filter(pk=item.pk, status=ItemStatus.ACTIVE).update(status=ItemStatus.COMPLETED)
    if not changed:
        return False  # someone else completed (or paused) it meanwhile
    item.status = ItemStatus.COMPLETED
    logger.info("item %s (%s) completed: every episode of a finished series", item.pk, item.anime_title)
    notify_series_completed(item)
    return True


def complete_finished_items(series: Series) -> int:
    if not series.is_finished or not series.episodes:
        return 0
    items = WatchlistItem.objects.filter(series=series, status=ItemStatus.ACTIVE).select_related("series")
    return sum(complete_if_finished(item) for item in items)


@receiver(download_finished, dispatch_uid="watchlist_series_completion")
def complete_after_download(sender, job: DownloadJob, **kwargs) -> None:
    # Connected after watchlist.downloading's receiver (apps.ready imports
    # that first), so last_episode_downloaded is already raised here.
    item_id = (job.metadata or {}).get("item_id")
    if not item_id:
        return
    item = WatchlistItem.objects.select_related("series").filter(pk=item_id).first()
    if item is not None and item.series_id is not None:
        complete_if_finished(item)
