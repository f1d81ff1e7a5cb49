"""Searching a provider's catalogue from the "Add a series" page.

Only providers whose ``supports_search`` is true take part: the indexers
(the torznab provider, once staff added one) and plug-ins that offer it;
without them the search box stays hidden.
Each result's "Add" button is a plain link back to the add page with the
result's values in the query string: the add view uses them as the form's
initial data, so it works the same with or without JavaScript.

The search itself goes through the provider, which fetches through the
guarded HTTP client; this module never downloads anything.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from itertools import islice
from typing import Any
from urllib.parse import urlencode, urlsplit

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from downloads.net import FetchError

from ..providers import UnknownProvider, all_providers, get_provider
from ..providers.base import Provider, ProviderError, SearchResult
from .forms import ItemForm
from .responses import is_htmx_swap

logger = logging.getLogger(__name__)

MAX_RESULTS = 20
QUERY_MAX_LENGTH = 100
# The Add link carries the synopsis in its query string; a very long one
# could exceed what proxies accept for a URL, so the link carries the start
# only (the user can still edit the field before saving).
LINK_SYNOPSIS_MAX = 1500


def searching_providers() -> list[Provider]:
    """The providers that can search, in the order the select lists them."""
    providers = [p for p in all_providers().values() if getattr(p, "supports_search", False)]
    return sorted(providers, key=lambda p: p.name.lower())


def _http_url(url: str) -> str:
    """``url`` when it is http(s), else "": a provider's poster URL ends up
    in an <img src>, and a javascript:/data: one has no business there."""
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return ""
    return url if scheme in ("http", "https") else ""


@dataclass(frozen=True)
class ShownResult:
    """One search result as the template shows it, with its Add link."""

    title: str
    url: str
    poster_image: str
    synopsis: str
    genres: list[str]
    add_url: str
    # What a grouped result (the indexers') says it holds.
    summary: str = ""
    releases: list[Any] = field(default_factory=list)


def _shown(result: SearchResult, provider: Provider) -> ShownResult:
    poster = _http_url(result.poster_image or "")
    genres = [str(g) for g in (result.genres or [])]
    params = {
        "anime_title": result.title,
        "anime_url": result.url,
        "provider_id": provider.id,
        "poster_image": poster,
        "synopsis": (result.synopsis or "")[:LINK_SYNOPSIS_MAX],
        "genres": ", ".join(genres),
    }
    # A result may say what its Add fills in (the indexers' pre-fill a
    # torznab item with the series' title and season).
    params.update(getattr(result, "form_values", {}) or {})
    # Empty values stay out of the link, so the form's own defaults apply.
    query = urlencode({k: v for k, v in params.items() if v})
    return ShownResult(
        title=result.title,
        url=result.url,
        poster_image=poster,
        synopsis=result.synopsis or "",
        genres=genres,
        add_url=f"{reverse('web:item-add')}?{query}",
        summary=str(getattr(result, "summary", "") or ""),
        releases=list(getattr(result, "releases", []) or []),
    )


@dataclass
class SearchOutcome:
    """What the search box and its results area need to render."""

    providers: list[Provider]
    provider: Provider | None = None
    query: str = ""
    results: list[ShownResult] = field(default_factory=list)
    error: str = ""
    status: int = 200
    notes: list[str] = field(default_factory=list)  # a provider's partial failures (an indexer down)

    def context(self) -> dict[str, Any]:
        return {
            "search_providers": self.providers,
            "search_provider": self.provider,
            "search_query": self.query,
            "search_results": self.results,
            "search_error": self.error,
            "search_notes": self.notes,
            # Providers that count searches (indexers) are asked on submit only.
            "search_as_you_type": all(getattr(p, "search_as_you_type", True) for p in self.providers),
        }


def run_search(params: QueryDict) -> SearchOutcome:
    """Search with the ``provider`` and ``q`` of a query string.

    Never raises: a provider failure becomes a message in plain words (the
    details go to the log), an unknown or non-searching provider a 400.
    """
    providers = searching_providers()
    outcome = SearchOutcome(providers=providers)
    outcome.query = params.get("q", "").strip()[:QUERY_MAX_LENGTH]
    provider_id = params.get("provider", "")
    if not provider_id and len(providers) == 1:
        # With one searching provider the box shows no select to choose it.
        provider_id = providers[0].id
    if not provider_id and not outcome.query:
        return outcome  # the add page as first opened: nothing asked yet
    try:
        provider = get_provider(provider_id)
    except UnknownProvider:
        provider = None
    if provider is None or not getattr(provider, "supports_search", False):
        outcome.error = "Choose a provider that can search."
        outcome.status = 400
        return outcome
    outcome.provider = provider
    if not outcome.query:
        return outcome
    try:
        with_notes = getattr(provider, "search_with_notes", None)
        if with_notes is not None:
            results, outcome.notes = with_notes(outcome.query)
        else:
            results = provider.search(outcome.query)
        found = list(islice(results, MAX_RESULTS))
    except FetchError:
        logger.warning("search at provider %r for %r could not fetch", provider.id, outcome.query, exc_info=True)
        outcome.error = f"{provider.name} could not be reached. Try again in a moment."
        return outcome
    except NotImplementedError:
        outcome.error = f"{provider.name} cannot search after all. Paste the series' address below instead."
        return outcome
    except ProviderError:
        logger.warning("search at provider %r for %r failed", provider.id, outcome.query, exc_info=True)
        outcome.error = f"{provider.name} answered with something it could not read. Try again later."
        return outcome
    except Exception:  # a plug-in's bug must show as a message, not a server error
        logger.exception("search at provider %r for %r failed", provider.id, outcome.query)
        outcome.error = f"Searching {provider.name} failed. Try again later, or paste the series' address below."
        return outcome
    shown = []
    for result in found:
        try:
            shown.append(_shown(result, provider))
        except Exception:  # one malformed result should not hide the others
            logger.exception("provider %r returned an unusable search result: %r", provider.id, result)
    outcome.results = shown
    return outcome


def initial_from_query(params: QueryDict) -> dict[str, str]:
    """The add form's initial values from a query string (an "Add" link).

    Only the form's own text and choice fields are taken; anything else in
    the query (``q``, ``provider``, unknown names) is ignored. Check boxes
    keep their defaults: "false" in a URL would read as checked.
    """
    initial: dict[str, str] = {}
    for name, form_field in ItemForm.base_fields.items():
        if name in params and not isinstance(form_field, forms.BooleanField):
            initial[name] = params[name]
    return initial


def render_add_page(
    request: HttpRequest, form: ItemForm, *, status: int = 200, search: bool = True, extra: dict | None = None
) -> HttpResponse:
    """The "Add a series" page, with the search box when a provider can
    search, and its results when the query string asks for a search (the
    no-JavaScript path). ``search=False`` (a re-shown POST) never searches:
    a failed save must not call out to a provider again."""
    from .views_anilist import anilist_context  # imports this module's neighbours

    outcome = run_search(request.GET if search else QueryDict())
    context = {"form": form, "item": None, **outcome.context(), **anilist_context(request, form, search=search)}
    context["indexers_available"] = any(p.id == "torznab" for p in outcome.providers)
    context.update(extra or {})
    # A form error (400, 409) says more than the search's status.
    return render(request, "watchlist/items/form.html", context, status=status if status != 200 else outcome.status)


@require_GET
@login_required
@vary_on_headers("HX-Request")
def provider_search(request: HttpRequest) -> HttpResponse:
    if is_htmx_swap(request):
        outcome = run_search(request.GET)
        return render(request, "watchlist/items/_search_results.html", outcome.context(), status=outcome.status)
    # Without htmx (or on a history restore) the whole add page, so the URL
    # of a search stays a usable page.
    return render_add_page(request, ItemForm(initial=initial_from_query(request.GET)))
