"""What a user is told when a download cannot be cancelled or retried.

The dashboard (a flash message or an htmx 409), the API (a 409 body) and
the bulk actions (an error per refused id) say the same words, so they live
here.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .models import JobStatus


def _status_words(status: str) -> str:
    return str(JobStatus(status).label).lower()


def cancel_refused(status: str) -> str:
    """The refusal to cancel a download in ``status`` (a JobStatus value)."""
    return str(_("Only queued or running downloads can be cancelled; this one is %(status)s.")) % {
        "status": _status_words(status)
    }


def retry_refused(status: str) -> str:
    """The refusal to retry a download in ``status`` (a JobStatus value)."""
    return str(_("Only failed or cancelled downloads can be retried; this one is %(status)s.")) % {
        "status": _status_words(status)
    }


def clear_refused(status: str) -> str:
    """The refusal to clear a download in ``status`` from the history."""
    return str(_("Only finished downloads can be cleared from the history; this one is %(status)s.")) % {
        "status": _status_words(status)
    }


# For the bulk actions, by action name.
REFUSED = {"cancel": cancel_refused, "retry": retry_refused, "clear": clear_refused}
