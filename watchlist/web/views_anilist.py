"""Adding a series by name: the AniList search on the "Add a series" page.

The search box works as a plain GET form (``/items/new/?aq=frieren`` shows
the page with results) and, with htmx, swaps only ``#anilist-results`` while
typing. Each result's "Choose" is a plain link to ``/items/new/?anilist_id=N``:
the add form then comes pre-filled from the stored series record (title,
poster, synopsis, genres, the AniList id), and the user adds the source URL.

Result posters are this server's copies (/api/metadata/posters/N), never
AniList's image URLs: the browser loads nothing from AniList.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from ..metadata import defaults
from ..metadata.anilist import AniListClient, AniListError
from ..metadata.models import Series
from ..metadata.series import UnknownSeries, remember, series_for_anilist_id
from .responses import is_htmx_swap

logger = logging.getLogger(__name__)

QUERY_MAX_LENGTH = 100


@dataclass
class AniListSearch:
    query: str = ""
    results: list[Series] = field(default_factory=list)
    error: str = ""

    def context(self) -> dict[str, Any]:
        return {
            "anilist_enabled": bool(defaults.anilist_api_url()),
            "anilist_query": self.query,
            "anilist_results": self.results,
            "anilist_error": self.error,
        }


def run_anilist_search(params: QueryDict) -> AniListSearch:
    """Never raises: AniList being down is a message on the page."""
    outcome = AniListSearch(query=params.get("aq", "").strip()[:QUERY_MAX_LENGTH])
    if not outcome.query or not defaults.anilist_api_url():
        return outcome
    try:
        records = AniListClient().search(outcome.query)
    except AniListError as exc:
        logger.info("AniList search for %r failed: %s", outcome.query, exc)
        outcome.error = "AniList cannot be reached right now. Try again in a moment, or fill in the form yourself."
        return outcome
    stored = remember(records)
    outcome.results = [stored[record.anilist_id] for record in records]
    return outcome


def _chosen_series(params: QueryDict) -> Series | None:
    raw = params.get("anilist_id", "").strip()
    if not raw.isdigit() or not 0 < int(raw) < 2**31:
        return None
    try:
        series = series_for_anilist_id(int(raw))
    except UnknownSeries:
        return None
    return series if series.fetched_at else None


def initial_from_series(params: QueryDict) -> dict[str, Any]:
    """The add form's initial values from a chosen AniList series."""
    series = _chosen_series(params)
    if series is None:
        return {}
    return {
        "anilist_id": series.anilist_id,
        "anime_title": series.display_title,
        "poster_image": series.cover_url,
        "synopsis": series.synopsis,
        "genres": ", ".join(series.genres or []),
    }


def anilist_context(request: HttpRequest, form: Any, *, search: bool) -> dict[str, Any]:
    """The add page's AniList part: the search (when asked for by the query
    string) and the series the form is filled from."""
    outcome = run_anilist_search(request.GET) if search else AniListSearch()
    chosen = None
    raw = form["anilist_id"].value() if "anilist_id" in form.fields else None
    if raw not in (None, ""):
        chosen = Series.objects.filter(anilist_id=int(raw)).first() if str(raw).isdigit() else None
    return {**outcome.context(), "anilist_chosen": chosen}


@require_GET
@login_required
@vary_on_headers("HX-Request")
def anilist_search(request: HttpRequest) -> HttpResponse:
    if is_htmx_swap(request):
        return render(request, "watchlist/items/_anilist_results.html", run_anilist_search(request.GET).context())
    # Without htmx: the add page with the results, a URL worth keeping.
    from .forms import ItemForm
    from .views_search import render_add_page

    return render_add_page(request, ItemForm())
