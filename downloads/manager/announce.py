"""Telling listeners (the watchlist) about committed outcomes."""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from django.db import transaction

from ..models import DownloadJob

log = logging.getLogger(__name__)


def announce(signal: Any, job: DownloadJob) -> None:
    # Listeners hear about committed states only: a caller's transaction
    # that rolls back a cancel must not have told the watchlist about it.
    transaction.on_commit(partial(_send_signal, signal, job))


def _send_signal(signal: Any, job: DownloadJob) -> None:
    # A listener's bug must not turn a finished download into a failed one
    # (or crash the worker); it is logged with its traceback instead.
    for receiver, response in signal.send_robust(sender=DownloadJob, job=job):
        if isinstance(response, Exception):
            log.error("Receiver %r of %s failed for download %s", receiver, signal, job.pk, exc_info=response)
