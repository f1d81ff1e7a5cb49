"""The staff's System page: is everything running, how full are the queues
and the disk, what failed lately (watchlist/system_status.py)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..system_status import system_status
from .views_users import staff_only


@require_GET
@login_required
def system_page(request: HttpRequest) -> HttpResponse:
    staff_only(request)
    return render(request, "watchlist/system.html", {"system": system_status()})
