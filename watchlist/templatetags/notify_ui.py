"""Template helpers of notifications."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from ..notify.kinds import EventKind

register = template.Library()


@register.filter
def event_label(kind: str) -> str:
    try:
        return _(EventKind(kind).label)  # listed in web/stored_labels.py
    except ValueError:
        return kind
