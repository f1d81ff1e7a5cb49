"""Can the task queue (broker) be reached right now?

Asked before an action that is only worth doing if its message can be
sent: a retried download that the broker never receives would say "queued"
and wait for nothing. Celery's current app, so the downloads app needs no
project import.
"""

from __future__ import annotations

import logging

from celery import current_app
from django.utils.translation import gettext_noop

log = logging.getLogger(__name__)

# English here (the API answers scripts in English); the dashboard shows it
# through gettext() in the reader's language.
BROKER_DOWN_MESSAGE = gettext_noop(
    "The task queue (broker) cannot be reached, so nothing was changed. Try again in a minute."
)


def broker_reachable(timeout: float = 2.0) -> bool:
    try:
        with current_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=timeout)
        return True
    except Exception as exc:  # any transport error means "not reachable"
        log.warning("The broker cannot be reached: %s", exc)
        return False
