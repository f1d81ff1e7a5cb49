"""Downloading: "fetch this URL with this backend into this path for this user".

A general service the watchlist app calls; it never imports the watchlist.

- `downloads.manager.enqueue(owner, url, backend, destination, ...)` queues a
  job (idempotent on `dedupe_key`, within the owner's `max_concurrent`);
  `cancel(job)`, `retry(job)`.
- `downloads.files.build_destination(...)` gives the library path of an episode.
- `downloads.signals.download_finished` / `download_failed` /
  `download_cancelled` announce outcomes (`sender=DownloadJob, job=...`).
- `downloads.tasks.run_download` / `reap_stale_downloads` are the Celery side.
"""
