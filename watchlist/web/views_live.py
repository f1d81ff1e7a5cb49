"""The watchlist page keeping itself up to date.

- While checks it shows are queued or running (after "Check all", or a
  series just added), the page polls `items_live` every 2 s with the ids of
  those series; the answer swaps in the card of each one whose check has
  ended (out of band, with the check's outcome on it) and the poller
  itself, carrying the ids still pending. With none left the poller comes
  back without its trigger and the polling stops.
- The status tabs' counts follow pause, resume and delete: those actions
  answer with a ``watchlist-changed`` event, and the page reloads the counts
  (`items_counts`, out-of-band spans) when it hears one.
"""

from __future__ import annotations

import uuid
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET

from ..items import stats_for
from ..models import ItemStatus, WatchlistItem
from ..templatetags.everyday_ui import last_check_verdict, pending_among

CHANGED_EVENT = "watchlist-changed"
MAX_WATCHED = 100


def live_context(pending_ids: list[str]) -> dict:
    query = urlencode([("id", pk) for pk in pending_ids])
    return {"live_ids": pending_ids, "live_url": f"{reverse('web:items-live')}?{query}" if pending_ids else ""}


def tab_counts(user) -> list[tuple[str, int]]:
    stats = stats_for(user)
    return [("all", stats["total"])] + [(status.value, stats[status.value]) for status in ItemStatus]


def changed(response: HttpResponse) -> HttpResponse:
    """Tell the page the list's counts may have moved."""
    response["HX-Trigger"] = CHANGED_EVENT
    return response


def _ids(request: HttpRequest) -> list[str]:
    ids = []
    for raw in request.GET.getlist("id")[:MAX_WATCHED]:
        try:
            ids.append(str(uuid.UUID(raw)))
        except ValueError:
            continue
    return ids


@require_GET
@login_required
def items_live(request: HttpRequest) -> HttpResponse:
    watched = _ids(request)
    items = {str(i.pk): i for i in WatchlistItem.objects.filter(owner=request.user, pk__in=watched)}
    pending = pending_among(list(items))
    still = [pk for pk in watched if pk in pending]
    parts = [render_to_string("watchlist/items/_live.html", live_context(still), request)]
    ended = [items[pk] for pk in watched if pk in items and pk not in pending]
    for item in ended:
        found = last_check_verdict(item)
        context = {"item": item, "oob": True, "checking_ids": set(still)}
        if found is not None:
            context.update(check_result=found.text, check_failed=found.failed, check_level=found.level)
        parts.append(render_to_string("watchlist/items/_item.html", context, request))
    response = HttpResponse("".join(parts))
    return changed(response) if ended else response


@require_GET
@login_required
def items_counts(request: HttpRequest) -> HttpResponse:
    return render(request, "watchlist/items/_counts.html", {"counts": tab_counts(request.user)})
