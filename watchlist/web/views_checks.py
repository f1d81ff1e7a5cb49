"""Checking by hand: "Check now" on a watchlist row or the item page, and
"Download" for one recorded episode.

The check runs in the request, not on a worker: the user is waiting for its
answer, a check is one (shared, conditional) request to the source, and the
refresh window in sources.py keeps repeated clicks from reaching upstream.
"""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ..check_words import verdict
from ..checker import CheckResult
from ..checkqueue import UNAVAILABLE_MESSAGE, QueueUnavailable, request_checks
from ..downloading import queue_episode_download
from ..due import checkable_items
from ..manual_checks import CheckBusy, check_now
from ..models import Episode, EpisodeState
from .responses import is_htmx_swap, safe_next
from .views_downloads import CHANGED_EVENT
from .views_items import _owned_item

# Episodes a user may (re)start by hand; queued and downloaded ones already
# have (or had) their job.
DOWNLOADABLE = (EpisodeState.NEW, EpisodeState.FAILED, EpisodeState.SKIPPED)


def result_text(result: CheckResult) -> str:
    """One line for the row: what the check found, or why it failed."""
    if result.error:
        return _("Check failed: %(error)s") % {"error": result.error}
    found = len(result.new_episodes)
    if not found:
        return _("No new episodes")
    text = ngettext("%(n)d new episode", "%(n)d new episodes", found) % {"n": found}
    if result.queued:
        text += ", " + _("%(n)d queued") % {"n": len(result.queued)}
    return text


@require_POST
@login_required
def item_check(request: HttpRequest, pk: UUID) -> HttpResponse:
    item = _owned_item(request, pk)
    try:
        result = check_now(item)
    except CheckBusy as busy:
        if is_htmx_swap(request):
            context = {"item": item, "check_result": busy.message, "check_failed": True}
            return render(request, "watchlist/items/_item.html", context)
        messages.warning(request, busy.message)
        return redirect(safe_next(request, reverse("web:item", args=[item.pk])))
    found = verdict(new=len(result.new_episodes), queued=len(result.queued), error=result.error, item=item)
    if is_htmx_swap(request):
        context = {"item": item, "check_result": found.text, "check_failed": found.failed, "check_level": found.level}
        return render(request, "watchlist/items/_item.html", context)
    say = {"error": messages.error, "warning": messages.warning}.get(found.level, messages.success)
    say(request, f"{item.anime_title}: {found.text}.")
    return redirect(safe_next(request, reverse("web:item", args=[item.pk])))


@require_POST
@login_required
def check_all(request: HttpRequest) -> HttpResponse:
    """The dashboard's check-all: every active series (and completed ones when
    the user includes them), due or not, checked by the workers."""
    try:
        outcome = request_checks(checkable_items(request.user).values_list("pk", flat=True))
    except QueueUnavailable:
        messages.error(request, _(UNAVAILABLE_MESSAGE))
        return redirect(reverse("web:home"))
    text = _("Checking %(n)d series in the background; results appear as they finish.") % {"n": len(outcome.queued)}
    if outcome.already:
        text += " " + _("%(n)d were already being checked.") % {"n": len(outcome.already)}
    messages.success(request, text)
    return redirect(reverse("web:home"))


@require_POST
@login_required
def episode_download(request: HttpRequest, pk: UUID, number: int) -> HttpResponse:
    item = _owned_item(request, pk)
    episode = get_object_or_404(Episode.objects.select_related("item__owner"), item=item, number=number)
    if episode.state in DOWNLOADABLE:
        queue_episode_download(episode)
        message = _("Episode %(n)d is queued for download.") % {"n": episode.number}
    else:
        state = _(episode.get_state_display()).lower()  # labels: web/stored_labels.py
        message = _("Episode %(n)d is already %(state)s.") % {"n": episode.number, "state": state}
    if is_htmx_swap(request):
        response = render(request, "watchlist/items/_episode_row.html", {"item": item, "episode": episode})
        # The item page's download list picks the new job up.
        response["HX-Trigger"] = CHANGED_EVENT
        return response
    messages.success(request, message)
    return redirect(reverse("web:item", args=[item.pk]) + "#episodes")
