"""Defaults of the notification and feed settings (read by settings.py from
the environment; the README's configuration table lists them). Plain data:
settings.py imports this module before Django is set up."""

from __future__ import annotations

# Events of one kind for one series that arrive within this many seconds of
# the previous one are one message ("episodes 5-8 downloaded").
NOTIFY_GROUP_SECONDS = 120
# A group still growing is sent at the latest this long after its first event.
NOTIFY_GROUP_MAX_SECONDS = 900
# Hour of the day (TIME_ZONE) when daily digests go out.
NOTIFY_DIGEST_HOUR = 8
# A source_failing event is sent when an item's checks failed this many
# times in a row (once per streak).
NOTIFY_SOURCE_FAILING_AFTER = 3
# Sending attempts of one message before it is given up (with backoff).
NOTIFY_SEND_MAX_ATTEMPTS = 5
NOTIFY_SEND_RETRY_BASE_SECONDS = 30
NOTIFY_SEND_RETRY_MAX_SECONDS = 1800
# Seconds one Apprise notification may take (connect and read).
NOTIFY_SEND_TIMEOUT_SECONDS = 15

# How the episode file endpoint hands files out: "django" streams them
# (with Range), "x-accel-redirect" lets nginx do it, "x-sendfile" Apache's
# mod_xsendfile / lighttpd.
FEED_FILE_SERVING = "django"
FEED_FILE_SERVING_CHOICES = ("django", "x-accel-redirect", "x-sendfile")
# With x-accel-redirect: the internal nginx location that maps to DOWNLOAD_DIR.
FEED_ACCEL_PREFIX = "/protected-downloads/"
# Items in the feed of downloaded episodes.
FEED_MAX_ITEMS = 100
