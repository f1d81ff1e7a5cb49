"""Defaults of the watchlist app's abuse limits, for settings.py and the
code that reads them. Plain data: importing this module imports nothing else.

- CHECK_MAX_RUNNING_PER_USER: background checks of one user's items that
  may run at the same time. The checks queue hands the next free worker to
  the oldest waiting check of a user below this number (watchlist/checkqueue.py),
  so one user's burst of slow sources cannot occupy every worker.
- MANUAL_CHECKS_PER_USER: "Check now" requests of one user that may run in
  web processes at the same time; more are answered 429 at once instead of
  holding further web workers.
- Text lengths of item fields (the API, the dashboard and imports share the
  serializer that applies them; the database checks them too).
"""

from __future__ import annotations

CHECK_MAX_RUNNING_PER_USER = 2
MANUAL_CHECKS_PER_USER = 1
SYNOPSIS_MAX_LENGTH = 10_000
GENRE_MAX_LENGTH = 60
GENRES_MAX_COUNT = 40
