"""Defaults of the downloads app's limits, for settings.py and the code that
reads them. Plain data: importing this module imports nothing else.

- HTTP_TOTAL_TIMEOUT_SECONDS: the longest one fetch through
  `downloads.net.fetch` may take, retries included (reading a feed, a
  listing page). The per-read timeout alone lets a source that sends a byte
  every few seconds hold a worker for as long as it likes.
- DOWNLOAD_MAX_BYTES: the largest episode file a download may write; with
  the free-space reserve (DOWNLOAD_MIN_FREE_BYTES) it bounds what a source
  that announces no size can put on the disk.
"""

from __future__ import annotations

HTTP_TOTAL_TIMEOUT_SECONDS = 30
