"""The events a user can be told about, and how each is shown."""

from __future__ import annotations

from django.db import models

from ..models import Notification


class EventKind(models.TextChoices):
    NEW_EPISODES = "new_episodes", "New episodes found"
    DOWNLOAD_COMPLETED = "download_completed", "Download completed"
    DOWNLOAD_FAILED = "download_failed", "Download failed"
    SOURCE_FAILING = "source_failing", "Source failing"
    SERIES_COMPLETED = "series_completed", "Series completed"


# The in-app row's kind for each event (the dashboard's kinds predate the
# events; "download_finished" is kept so existing rows keep their meaning).
NOTIFICATION_KIND = {
    EventKind.NEW_EPISODES: Notification.Kind.NEW_EPISODES,
    EventKind.DOWNLOAD_COMPLETED: Notification.Kind.DOWNLOAD_FINISHED,
    EventKind.DOWNLOAD_FAILED: Notification.Kind.DOWNLOAD_FAILED,
    EventKind.SOURCE_FAILING: Notification.Kind.SOURCE_FAILING,
    EventKind.SERIES_COMPLETED: Notification.Kind.SERIES_COMPLETED,
}

# What a new target subscribes to when the user does not say.
DEFAULT_EVENTS = [
    EventKind.NEW_EPISODES,
    EventKind.DOWNLOAD_COMPLETED,
    EventKind.DOWNLOAD_FAILED,
    EventKind.SOURCE_FAILING,
    EventKind.SERIES_COMPLETED,
]
