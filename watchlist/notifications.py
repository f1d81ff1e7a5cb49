"""What a check tells the user: new episodes (in the dashboard when the user
asked for them with notify_on_new_episodes; on every target that wants
them) and a source failing check after check. Download outcomes are
announced from downloading.py. All of it goes through notify.events.emit().
"""

from __future__ import annotations

from .models import WatchlistItem, WatchlistSettings
from .notify.events import check_finished, emit
from .notify.kinds import EventKind


def _wants_new_episode_notices(user_id: int) -> bool:
    wanted = WatchlistSettings.objects.filter(user_id=user_id).values_list("notify_on_new_episodes", flat=True)
    return next(iter(wanted), WatchlistSettings._meta.get_field("notify_on_new_episodes").default)


def notify_check(item: WatchlistItem, new_numbers: list[int], error: str | None) -> None:
    in_app = bool(new_numbers) and not error and _wants_new_episode_notices(item.owner_id)
    check_finished(item, new_numbers, error, in_app_new=in_app)


def notify_series_completed(item: WatchlistItem) -> None:
    """The series has ended and every episode is downloaded."""
    emit(EventKind.SERIES_COMPLETED, item)
