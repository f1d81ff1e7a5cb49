"""Template helpers of notifications."""

from __future__ import annotations

from django import template

from ..notify.kinds import EventKind

register = template.Library()


@register.filter
def event_label(kind: str) -> str:
    try:
        return EventKind(kind).label
    except ValueError:
        return kind
