"""Counts of the user's items (the numbers of GET /api/watchlist/stats) and
of their completed downloads."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import dateformat
from django.views.decorators.http import require_GET

from ..items import stats_for
from ..models import ItemStatus
from . import download_stats
from .charts import bar_chart, column_chart
from .labels import provider_names
from .stats_range import RANGES, figures, range_days


@require_GET
@login_required
def stats_page(request: HttpRequest) -> HttpResponse:
    stats = stats_for(request.user)
    tiles = [("Total", stats["total"], "")]
    tiles += [(status.label, stats[status.value], status.value) for status in ItemStatus]
    span = range_days(request.GET.get("days"))
    days = download_stats.per_day(request.user, days=span)
    by_provider, names = download_stats.per_provider(request.user)
    context = {
        "stats": stats,
        "tiles": tiles,
        "chart": bar_chart(stats["providers"], provider_names()),
        # Django's format, not strftime: the month follows the page's language.
        "days_chart": column_chart([(dateformat.format(day, "j M"), n) for day, n in days]),
        "days_count": span,
        "ranges": RANGES,
        "figures": figures(request.user, span),
        "downloads_chart": bar_chart(by_provider, names),
    }
    return render(request, "watchlist/stats.html", context)
