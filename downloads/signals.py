"""What the downloads app tells the rest of the project.

Every signal is sent with `sender=DownloadJob` and `job=<the DownloadJob>`,
after the state change is committed. Listeners (the watchlist app) find
their own rows through `job.dedupe_key` / `job.metadata`. A listener that
raises is logged; it cannot undo or fail the download.
"""

from django.dispatch import Signal

# The file is at job.destination, checksum in job.checksum_sha256; a batch's
# files (one per episode, with theirs) are in job.files.
download_finished = Signal()
# Given up: a permanent error, or every attempt used. job.error says why.
# A user may still retry it later.
download_failed = Signal()
# Cancelled by a user (the API, the admin); partial files are removed.
download_cancelled = Signal()
