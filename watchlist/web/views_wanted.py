"""The Wanted page: per series, the episodes found but not downloaded and
the failed ones, each with its button and a "Download all" per series
(watchlist/wanted.py)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..wanted import wanted_by_series


@require_GET
@login_required
def wanted_page(request: HttpRequest) -> HttpResponse:
    groups = wanted_by_series(request.user)
    context = {"groups": groups, "total": sum(len(group.episodes) for group in groups)}
    return render(request, "watchlist/wanted.html", context)
