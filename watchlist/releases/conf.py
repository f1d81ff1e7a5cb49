"""Settings of release matching and their defaults (the one place that
states them; settings.py reads the environment with these defaults)."""

from __future__ import annotations

from django.conf import settings

# A release the user would rather have (by their rules) that appears this
# many hours after the first one of an episode replaces it. 0: never; a v2 of
# the same release always does.
UPGRADE_WINDOW_HOURS = 24
UPGRADE_WINDOW_RANGE = (0, 24 * 30)


def upgrade_window_hours() -> int:
    return int(getattr(settings, "UPGRADE_WINDOW_HOURS", UPGRADE_WINDOW_HOURS))


# A batch release ("01-12") with at least this many wanted episodes fills
# them all in one download, over single releases the rules like as much
# (fewer: it fills only the episodes no single release offers).
BATCH_MIN_MISSING = 4
BATCH_MIN_MISSING_RANGE = (2, 1000)


def batch_min_missing() -> int:
    return int(getattr(settings, "BATCH_MIN_MISSING", BATCH_MIN_MISSING))
