"""The downloads page: the queue with live progress, the history, and the
cancel and retry buttons.

Live progress is htmx polling of the queue part alone (`downloads_active`),
once a second, and only while something is queued or running: the fragment
drops its own `every 1s` trigger when the queue is empty, so an idle page
makes no requests. When a job the page was showing leaves the queue, the
poll answer fires a `downloads-changed` event and the history part reloads
itself, so a finished download moves from one list to the other without a
page load. Cancel and retry fire the same event.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from downloads import manager
from downloads.broker import BROKER_DOWN_MESSAGE, broker_reachable
from downloads.bulk import not_cleared
from downloads.models import DownloadJob, JobStatus
from downloads.refusals import cancel_refused, retry_refused

from ..models import WatchlistItem
from .downloads_extras import downloads_page_extras
from .jobs import HISTORY_STATUSES, active_jobs, item_filter, owned_jobs, rows_for
from .responses import is_htmx_swap, safe_next

PAGE_SIZE = 20
# The queue shows its head; the rest is a count. Hundreds of waiting jobs
# re-rendered every second would cost more than they tell.
QUEUE_SHOWN = 30
CHANGED_EVENT = "downloads-changed"


def _scope_item(request: HttpRequest) -> WatchlistItem | None:
    """?item=<uuid> narrows every part to one series (the item page uses it)."""
    raw = request.GET.get("item", "")
    if not raw:
        return None
    try:
        pk = UUID(raw)
    except ValueError:
        return None
    return get_object_or_404(WatchlistItem, pk=pk, owner=request.user)


def active_context(request: HttpRequest, item: WatchlistItem | None) -> dict[str, Any]:
    jobs = active_jobs(request.user)
    if item is not None:
        jobs = jobs.filter(item_filter(item))
    total = jobs.count()
    rows = rows_for(jobs[:QUEUE_SHOWN], request.user)
    query: list[tuple[str, str]] = [("item", str(item.pk))] if item else []
    query += [("shown", str(row.job.pk)) for row in rows]
    return {
        "active_rows": rows,
        "active_total": total,
        "active_hidden": max(0, total - len(rows)),
        "any_running": any(row.job.status == JobStatus.RUNNING for row in rows),
        # The poll URL carries the ids on screen, so the answer can tell
        # which of them finished since (see downloads_active).
        "poll_url": f"{reverse('web:downloads-active')}?{urlencode(query)}",
        "scope_item": item,
        # Scoped to one series = a part of the item page, under its heading.
        "compact": item is not None,
    }


def history_context(request: HttpRequest, item: WatchlistItem | None) -> dict[str, Any]:
    status = request.GET.get("status", "")
    if status not in HISTORY_STATUSES:
        status = ""
    # Jobs the user cleared from the history stay out of it (downloads/bulk.py).
    jobs = owned_jobs(request.user).filter(not_cleared(), status__in=HISTORY_STATUSES)
    if item is not None:
        jobs = jobs.filter(item_filter(item))
    counts = {value: 0 for value in HISTORY_STATUSES}
    for value, n in _status_counts(jobs):
        counts[value] = n
    if status:
        jobs = jobs.filter(status=status)
    page = Paginator(jobs, PAGE_SIZE).get_page(request.GET.get("page"))
    base = {"item": str(item.pk)} if item else {}

    def url(status: str, number: int = 1) -> str:
        query = {**base, **({"status": status} if status else {}), **({"page": str(number)} if number > 1 else {})}
        return f"{reverse('web:downloads')}?{urlencode(query)}" if query else reverse("web:downloads")

    tabs = [("", "All", sum(counts.values()), url(""))]
    tabs += [(value, JobStatus(value).label, counts[value], url(value)) for value in HISTORY_STATUSES]
    return {
        "history_rows": rows_for(page.object_list, request.user),
        "history_page": page,
        "history_status": status,
        "history_tabs": tabs,
        "history_total": sum(counts.values()),
        "history_prev": url(status, page.previous_page_number()) if page.has_previous() else "",
        "history_next": url(status, page.next_page_number()) if page.has_next() else "",
        # What the part reloads from when a job moves: the same filter and page.
        "history_url": url(status, page.number),
        "scope_item": item,
        "compact": item is not None,
    }


def _status_counts(jobs: Any) -> list[tuple[str, int]]:
    return list(jobs.order_by().values_list("status").annotate(n=Count("id")))


@require_GET
@login_required
@vary_on_headers("HX-Request", "HX-Target")
def downloads_page(request: HttpRequest) -> HttpResponse:
    item = _scope_item(request)
    history = history_context(request, item)
    if is_htmx_swap(request, "history"):
        return render(request, "watchlist/downloads/_history.html", history)
    context = {**active_context(request, item), **history, **downloads_page_extras(request)}
    return render(request, "watchlist/downloads/page.html", context)


@require_GET
@login_required
def downloads_active(request: HttpRequest) -> HttpResponse:
    item = _scope_item(request)
    context = active_context(request, item)
    response = render(request, "watchlist/downloads/_active.html", context)
    shown_before = set(request.GET.getlist("shown"))
    shown_now = {str(row.job.pk) for row in context["active_rows"]}
    if shown_before - shown_now:
        response["HX-Trigger"] = CHANGED_EVENT
    return response


def _owned_job(request: HttpRequest, pk: UUID) -> DownloadJob:
    return get_object_or_404(DownloadJob, pk=pk, owner=request.user)


def _after_action(request: HttpRequest, ok: bool, done: str | Promise, refused: str) -> HttpResponse:
    if is_htmx_swap(request):
        # Nothing to swap here: both lists reload themselves on the event,
        # so the job shows up where its new state belongs.
        response = HttpResponse(status=204 if ok else 409)
        response["HX-Trigger"] = CHANGED_EVENT
        return response
    (messages.success if ok else messages.warning)(request, done if ok else refused)
    return redirect(safe_next(request, reverse("web:downloads")))


@require_POST
@login_required
def job_cancel(request: HttpRequest, pk: UUID) -> HttpResponse:
    job = _owned_job(request, pk)
    ok = manager.cancel(job)
    return _after_action(request, ok, _("Download cancelled."), cancel_refused(job.status))


@require_POST
@login_required
def job_retry(request: HttpRequest, pk: UUID) -> HttpResponse:
    job = _owned_job(request, pk)
    if not broker_reachable():
        if is_htmx_swap(request):
            response = HttpResponse(_(BROKER_DOWN_MESSAGE), status=503, content_type="text/plain; charset=utf-8")
            response["HX-Trigger"] = CHANGED_EVENT
            return response
        messages.error(request, _(BROKER_DOWN_MESSAGE))
        return redirect(safe_next(request, reverse("web:downloads")))
    ok = manager.retry(job)
    return _after_action(request, ok, _("Download queued again."), retry_refused(job.status))
