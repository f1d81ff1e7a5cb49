"""Notifications a check leaves for the user: new episodes (when the user
asked for them with notify_on_new_episodes) and check errors. Download
outcomes are announced from downloading.py."""

from __future__ import annotations

from .models import Notification, WatchlistItem, WatchlistSettings


def _wants_new_episode_notices(user_id: int) -> bool:
    wanted = WatchlistSettings.objects.filter(user_id=user_id).values_list("notify_on_new_episodes", flat=True)
    return next(iter(wanted), WatchlistSettings._meta.get_field("notify_on_new_episodes").default)


def notify_check(item: WatchlistItem, new_numbers: list[int], error: str | None) -> None:
    if error:
        # One unread error per item at a time: a source down for a week does
        # not fill the list with the same message every check.
        if not Notification.objects.filter(item=item, kind=Notification.Kind.ERROR, read_at=None).exists():
            Notification.objects.create(
                user_id=item.owner_id,
                kind=Notification.Kind.ERROR,
                item=item,
                message=f"{item.anime_title}: the check failed: {error}",
            )
        return
    if new_numbers and _wants_new_episode_notices(item.owner_id):
        listed = ", ".join(str(n) for n in sorted(new_numbers))
        noun = "episode" if len(new_numbers) == 1 else "episodes"
        Notification.objects.create(
            user_id=item.owner_id,
            kind=Notification.Kind.NEW_EPISODES,
            item=item,
            message=f"{item.anime_title}: new {noun} {listed}.",
        )


def notify_series_completed(item: WatchlistItem) -> None:
    """The series has ended and every episode is downloaded."""
    Notification.objects.create(
        user_id=item.owner_id,
        kind=Notification.Kind.SERIES_COMPLETED,
        item=item,
        message=f"{item.anime_title}: every episode is downloaded; the series is complete.",
    )
