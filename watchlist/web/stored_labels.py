"""The names the dashboard shows for stored values (model choices, provider
names), translated where they are shown.

The labels live with their models, outside the dashboard, and are plain
strings there; listing them here with gettext_noop puts them in the
message catalogue, and translated() turns a choices list into one whose
labels follow the page's language. Templates use {% translate value %}.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy, gettext_noop

LABELS = (
    # ItemStatus
    gettext_noop("Active"),
    gettext_noop("Paused"),
    gettext_noop("Completed"),
    gettext_noop("Archived"),
    # EpisodeState
    gettext_noop("New"),
    gettext_noop("Queued"),
    gettext_noop("Downloaded"),
    gettext_noop("Failed"),
    gettext_noop("Skipped"),
    # JobStatus
    gettext_noop("Running"),
    gettext_noop("Cancelled"),
    # Quality
    gettext_noop("Best available"),
    # DigestMode
    gettext_noop("Immediately (grouped)"),
    gettext_noop("Hourly digest"),
    gettext_noop("Daily digest"),
    # ResolutionMode
    gettext_noop("Preferred (else the nearest)"),
    gettext_noop("Exactly that resolution"),
    gettext_noop("At least that resolution, the best first"),
    gettext_noop("The best available"),
    # SeriesStatus
    gettext_noop("Finished"),
    gettext_noop("Airing"),
    gettext_noop("Not yet aired"),
    gettext_noop("On hiatus"),
    # TokenScope
    gettext_noop("Full access"),
    gettext_noop("Read only"),
    gettext_noop("Feeds and calendar only"),
    # Notification kinds and events
    gettext_noop("New episodes"),
    gettext_noop("New episodes found"),
    gettext_noop("Download completed"),
    gettext_noop("Download finished"),
    gettext_noop("Series completed"),
    gettext_noop("Download failed"),
    gettext_noop("Source failing"),
    gettext_noop("Error"),
    # Stats tiles and charts
    gettext_noop("Total"),
    # Providers
    gettext_noop("RSS/Atom feed"),
    gettext_noop("HTTP directory listing"),
    gettext_noop("Video site playlist (yt-dlp)"),
    gettext_noop("Indexers (Torznab)"),
)


def translated(choices: Iterable[tuple[object, str | Promise]]) -> list[tuple[object, str | Promise]]:
    """A choices list whose labels are looked up in the page's language when shown."""
    return [(value, gettext_lazy(label) if isinstance(label, str) else label) for value, label in choices]
