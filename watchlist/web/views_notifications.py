"""The notifications page: newest first, mark one or all as read.

htmx answers carry the header's unread badge as an out-of-band swap, so
the count in the header follows without a page load.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from ..models import Notification
from . import notices
from .responses import is_htmx_swap, safe_next

PAGE_SIZE = 25
BELL_LATEST = 6


def _list_context(request: HttpRequest) -> dict:
    show = "unread" if request.GET.get("show") == "unread" else "all"
    rows = notices.of_user(request.user)
    if show == "unread":
        rows = rows.filter(read_at__isnull=True)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return {"page": page, "notifications": page.object_list, "show": show}


@require_GET
@login_required
@vary_on_headers("HX-Request", "HX-Target")
def notifications_page(request: HttpRequest) -> HttpResponse:
    context = _list_context(request)
    if is_htmx_swap(request, "notifications"):
        return render(request, "watchlist/notifications/_list.html", context)
    return render(request, "watchlist/notifications/page.html", context)


@require_POST
@login_required
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(Notification.objects.select_related("item"), pk=pk, user=request.user)
    notices.mark_read(notification)
    if is_htmx_swap(request):
        return render(request, "watchlist/notifications/_row_read.html", {"notification": notification})
    return redirect(safe_next(request, reverse("web:notifications")))


@require_POST
@login_required
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    marked = notices.mark_all_read(request.user)
    if is_htmx_swap(request):
        return render(request, "watchlist/notifications/_list_read.html", _list_context(request))
    if marked:
        messages.success(request, f"Marked {marked} notification{'s' if marked != 1 else ''} as read.")
    return redirect(safe_next(request, reverse("web:notifications")))


@require_GET
@login_required
def notifications_latest(request: HttpRequest) -> HttpResponse:
    """The header dropdown's latest notifications (fetched when it opens)."""
    latest = list(notices.of_user(request.user)[:BELL_LATEST])
    return render(request, "watchlist/notifications/_latest.html", {"latest": latest})
