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
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_noop as N_

LABELS = (
    # ItemStatus
    N_("Active"),
    N_("Paused"),
    N_("Completed"),
    N_("Archived"),
    # EpisodeState
    N_("New"),
    N_("Queued"),
    N_("Downloaded"),
    N_("Failed"),
    N_("Skipped"),
    # JobStatus
    N_("Running"),
    N_("Cancelled"),
    # Quality
    N_("Best available"),
    # DigestMode
    N_("Immediately (grouped)"),
    N_("Hourly digest"),
    N_("Daily digest"),
    # ResolutionMode
    N_("Preferred (else the nearest)"),
    N_("Exactly that resolution"),
    N_("At least that resolution, the best first"),
    N_("The best available"),
    # SeriesStatus
    N_("Finished"),
    N_("Airing"),
    N_("Not yet aired"),
    N_("On hiatus"),
    # TokenScope
    N_("Full access"),
    N_("Read only"),
    N_("Feeds and calendar only"),
    # Notification kinds and events
    N_("New episodes"),
    N_("New episodes found"),
    N_("Download completed"),
    N_("Download finished"),
    N_("Series completed"),
    N_("Download failed"),
    N_("Source failing"),
    N_("Error"),
    # Providers
    N_("RSS/Atom feed"),
    N_("HTTP directory listing"),
    N_("Video site playlist (yt-dlp)"),
    N_("Indexers (Torznab)"),
)


def translated(choices: Iterable[tuple[object, str | Promise]]) -> list[tuple[object, str | Promise]]:
    """A choices list whose labels are looked up in the page's language when shown."""
    return [(value, gettext_lazy(label) if isinstance(label, str) else label) for value, label in choices]
