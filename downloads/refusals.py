"""What a user is told when a download cannot be cancelled or retried.

The dashboard (a flash message or an htmx 409) and the API (a 409 body)
say the same words, so they live here, next to the rules in ``manager``
that decide the refusal.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .models import DownloadJob, JobStatus


def _status_words(job: DownloadJob) -> str:
    return str(JobStatus(job.status).label).lower()


def cancel_refused(job: DownloadJob) -> str:
    return str(_("Only queued or running downloads can be cancelled; this one is %(status)s.")) % {
        "status": _status_words(job)
    }


def retry_refused(job: DownloadJob) -> str:
    return str(_("Only failed or cancelled downloads can be retried; this one is %(status)s.")) % {
        "status": _status_words(job)
    }
