"""The user's settings page (the same rules as PUT /api/watchlist/settings)
and their schedule: on/off, next run, and whether anything runs it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import schedule
from ..api.scheduler import status_of
from ..api.serializers import WatchlistSettingsSerializer
from ..models import WatchlistSettings
from .forms import SettingsForm
from .responses import is_htmx_swap


def scheduler_context(row: WatchlistSettings) -> dict[str, Any]:
    status = status_of(row)
    return {
        "scheduler": status,
        # Said only when it matters: a stopped schedule needs nothing running.
        "scheduler_stalled": status["running"] and not (status["beat_alive"] and status["worker_alive"]),
    }


def _page(request: HttpRequest, form: SettingsForm, row: WatchlistSettings, status: int = 200) -> HttpResponse:
    return render(request, "watchlist/settings.html", {"form": form, **scheduler_context(row)}, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        row = WatchlistSettings.for_user(request.user)
        form = SettingsForm(instance=row, initial=WatchlistSettingsSerializer(row).data)
        return _page(request, form, row)
    with transaction.atomic():
        form = SettingsForm(request.POST, instance=WatchlistSettings.for_user(request.user))
        saved = form.is_valid()
        if saved:
            form.save()
    if not saved:
        # The schedule card shows what is stored, not the refused input.
        return _page(request, form, WatchlistSettings.for_user(request.user), status=400)
    messages.success(request, _("Settings saved."))
    return redirect("web:settings")


def _scheduler_answer(request: HttpRequest, row: WatchlistSettings, message: str) -> HttpResponse:
    if is_htmx_swap(request):
        return render(request, "watchlist/_scheduler.html", scheduler_context(row))
    messages.success(request, message)
    return redirect("web:settings")


@require_POST
@login_required
def scheduler_start(request: HttpRequest) -> HttpResponse:
    with transaction.atomic():
        row = schedule.start(WatchlistSettings.for_user(request.user))
    return _scheduler_answer(request, row, "Your schedule is on.")


@require_POST
@login_required
def scheduler_stop(request: HttpRequest) -> HttpResponse:
    with transaction.atomic():
        row = schedule.stop(WatchlistSettings.for_user(request.user))
    return _scheduler_answer(request, row, "Your schedule is off. Nothing is checked until you turn it on.")


@require_GET
@login_required
def scheduler_card(request: HttpRequest) -> HttpResponse:
    """The schedule card alone: polled slowly, so a next run that passes
    (the dispatcher moved it) shows the new time without a reload."""
    return render(request, "watchlist/_scheduler.html", scheduler_context(WatchlistSettings.for_user(request.user)))
