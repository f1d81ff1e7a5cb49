"""The dashboard's actions on many things at once: the watchlist page's
selection bar, the item page's "Download all missing", the Wanted page's
buttons and the downloads page's "Retry all failed", "Cancel all queued"
and "Clear history". Plain form posts answered with a redirect and a
message, so they work without JavaScript; the rules are the API's
(watchlist/bulk.py, downloads/bulk.py, watchlist/wanted.py).
"""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext, ngettext_lazy
from django.views.decorators.http import require_POST

from downloads import bulk as job_bulk
from downloads.broker import BROKER_DOWN_MESSAGE, broker_reachable

from .. import bulk
from ..models import Quality, WatchlistItem
from ..wanted import queue_wanted
from .responses import safe_next
from .views_items import _owned_item

# The selection bar's buttons, as bulk.apply actions and their options.
_ACTIONS = {
    "pause": ("pause", {}),
    "resume": ("resume", {}),
    "auto_on": ("set_auto_download", {"auto_download": True}),
    "auto_off": ("set_auto_download", {"auto_download": False}),
    "set_quality": ("set_quality", {}),
    "delete": ("delete", {}),
}
# Marked here, translated when shown (the page's language is the request's).
_DONE = {
    "pause": gettext_noop("Paused %(n)s."),
    "resume": gettext_noop("Resumed %(n)s."),
    "auto_on": gettext_noop("Automatic download is on for %(n)s."),
    "auto_off": gettext_noop("Automatic download is off for %(n)s."),
    "set_quality": gettext_noop("Quality set to %(quality)s for %(n)s."),
    "delete": gettext_noop("Deleted %(n)s."),
}


def _series(n: int) -> str:
    return ngettext("%(n)d series", "%(n)d series", n) % {"n": n}


def _refusal_text(errors: dict) -> str:
    words = []
    for problems in errors.values():
        if isinstance(problems, dict):
            words += [message for entry in problems.values() for message in entry]
        else:
            words += [str(message) for message in problems]
    return " ".join(words)


@require_POST
@login_required
def items_bulk(request: HttpRequest) -> HttpResponse:
    back = safe_next(request, reverse("web:home"))
    button = request.POST.get("action", "")
    ids = request.POST.getlist("ids")
    if button not in _ACTIONS:
        messages.error(request, _("Choose an action for the selected series."))
        return redirect(back)
    if not ids:
        messages.warning(request, _("Select one or more series first (the box beside each poster)."))
        return redirect(back)
    action, options = _ACTIONS[button]
    if action == "set_quality":
        options = {"quality_preference": request.POST.get("quality_preference", "")}
    if action == "delete" and request.POST.get("confirm") != "yes":
        items = WatchlistItem.objects.filter(owner=request.user, pk__in=_uuids(ids)).order_by("anime_title")
        return render(request, "watchlist/items/bulk_delete.html", {"items": items, "next": back})
    try:
        done = bulk.apply(request.user, action, ids, **options)
    except bulk.BulkRefused as refused:
        messages.error(request, _("Nothing was changed.") + " " + _refusal_text(refused.errors))
        return redirect(back)
    quality = _(dict(Quality.choices).get(options.get("quality_preference", ""), ""))
    messages.success(request, _(_DONE[button]) % {"n": _series(done.count), "quality": quality})
    return redirect(back if action != "delete" else reverse("web:home"))


def _uuids(values: list[str]) -> list[UUID]:
    out = []
    for value in values:
        try:
            out.append(UUID(value))
        except ValueError:
            continue
    return out


def _episodes_text(numbers: list[int]) -> str:
    if len(numbers) == 1:
        return _("episode %(n)d") % {"n": numbers[0]}
    return _("%(count)d episodes (%(numbers)s)") % {
        "count": len(numbers),
        "numbers": ", ".join(str(n) for n in numbers),
    }


@require_POST
@login_required
def item_download_missing(request: HttpRequest, pk: UUID) -> HttpResponse:
    """Every episode of the series found but not downloaded, or failed
    (``number`` narrows it to one: the Wanted page's buttons)."""
    item = _owned_item(request, pk)
    back = safe_next(request, reverse("web:item", args=[item.pk]) + "#episodes")
    numbers = None
    if request.POST.get("number", "").isdigit():
        numbers = [int(request.POST["number"])]
    queued = queue_wanted(item, numbers)
    if queued:
        messages.success(
            request,
            _("%(title)s: %(episodes)s queued for download.")
            % {"title": item.anime_title, "episodes": _episodes_text(queued)},
        )
    else:
        messages.info(
            request, _("%(anime_title)s: no episode is waiting to be downloaded.") % {"anime_title": item.anime_title}
        )
    return redirect(back)


# Lazy: the count picks the form, the request's language the words.
_DOWNLOADS_DONE = {
    "cancel": ngettext_lazy("Cancelled %(n)d queued download.", "Cancelled %(n)d queued downloads.", "n"),
    "retry": ngettext_lazy("Queued %(n)d failed download again.", "Queued %(n)d failed downloads again.", "n"),
    "clear": ngettext_lazy(
        "Cleared %(n)d download from the history (the file stays).",
        "Cleared %(n)d downloads from the history (the files stay).",
        "n",
    ),
}


@require_POST
@login_required
def downloads_bulk(request: HttpRequest) -> HttpResponse:
    back = safe_next(request, reverse("web:downloads"))
    action = request.POST.get("action", "")
    if action == "retry" and not broker_reachable():
        messages.error(request, _(BROKER_DOWN_MESSAGE))
        return redirect(back)
    try:
        done = job_bulk.apply(request.user, action, take_all=True)
    except job_bulk.BulkRefused as refused:
        messages.error(request, _("Nothing was changed.") + " " + _refusal_text(refused.errors))
        return redirect(back)
    text = _DOWNLOADS_DONE[action] % {"n": done.count}
    (messages.success if done.count else messages.info)(request, text)
    return redirect(back)
