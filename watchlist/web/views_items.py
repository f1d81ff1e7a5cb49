"""Watchlist pages: the list, one item, add, edit, delete and the one-click
actions (pause, resume, auto-download).

Every query is scoped to the signed-in user, so another user's item id is a
plain 404. The one-click actions answer htmx with the re-rendered item card
and plain form posts with a redirect, so they work without JavaScript too.
"""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from ..item_filters import search_words, with_status, with_title
from ..items import DuplicateItem, add_item, set_status, stats_for, update_item
from ..models import ItemStatus, Quality, WatchlistItem
from ..new_items import check_new_item
from ..templatetags.everyday_ui import pending_among
from ..wanted import WANTED_STATES
from .check_history import history_for
from .forms import ItemForm
from .indexer_card import indexer_searches_context
from .releases_card import releases_context
from .responses import is_htmx_swap, safe_next
from .stored_labels import translated
from .views_anilist import initial_from_series
from .views_downloads import active_context, history_context
from .views_live import changed, live_context
from .views_search import initial_from_query, render_add_page

PAGE_SIZE = 20


def _owned_item(request: HttpRequest, pk: UUID) -> WatchlistItem:
    return get_object_or_404(WatchlistItem.objects.select_related("source", "series"), pk=pk, owner=request.user)


@require_GET
@login_required
@vary_on_headers("HX-Request", "HX-Target")
def item_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in ItemStatus.values:
        status = ""
    query = search_words(request.GET.get("q", ""))
    items = WatchlistItem.objects.filter(owner=request.user).select_related("series")
    items = with_title(with_status(items, status), query)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    stats = stats_for(request.user)
    tabs = [("", _("All"), stats["total"])] + [(s.value, _(s.label), stats[s.value]) for s in ItemStatus]
    checking = pending_among([item.pk for item in page.object_list])
    context = {
        "page": page,
        "items": page.object_list,
        "status": status,
        "query": query,
        "tabs": tabs,
        "has_any_item": stats["total"] > 0,
        # Series whose check waits or runs: their cards say so, and the page
        # polls until they are done (views_live.py).
        "checking_ids": checking,
        **live_context([str(item.pk) for item in page.object_list if str(item.pk) in checking]),
        "quality_choices": translated(Quality.choices),
    }
    # The search box and the status tabs swap only the results, so typing
    # does not lose focus; Back/Forward and a plain load get the whole page.
    template = "watchlist/items/_results.html" if is_htmx_swap(request, "results") else "watchlist/items/list.html"
    return render(request, template, context)


CHECK_HISTORY_SHOWN = 20


@require_GET
@login_required
def item_detail(request: HttpRequest, pk: UUID) -> HttpResponse:
    item = _owned_item(request, pk)
    episodes = list(item.episodes.order_by("-number"))
    context = {
        "item": item,
        "episodes": episodes,
        # "Download all missing": found but not downloaded, or failed.
        "wanted_numbers": [episode.number for episode in episodes if episode.state in WANTED_STATES],
        "check_runs": item.check_runs.order_by("-started_at")[:CHECK_HISTORY_SHOWN],
        "check_history": history_for(item, CHECK_HISTORY_SHOWN),
        **active_context(request, item),
        **history_context(request, item),
        **releases_context(item),
        **indexer_searches_context(item),
    }
    return render(request, "watchlist/items/detail.html", context)


def _render_form(
    request: HttpRequest, form: ItemForm, *, item: WatchlistItem | None, status: int = 200
) -> HttpResponse:
    if item is None:
        # The add page also carries the provider search box (and its results
        # when searched without JavaScript); a re-shown POST does not search.
        return render_add_page(request, form, status=status, search=request.method == "GET")
    return render(request, "watchlist/items/form.html", {"form": form, "item": item}, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def item_add(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        # An "Add" link of a search result pre-fills the form from its query;
        # a chosen AniList series fills it from the series record.
        initial = {**initial_from_query(request.GET), **initial_from_series(request.GET)}
        return _render_form(request, ItemForm(initial=initial), item=None)
    form = ItemForm(request.POST)
    if not form.is_valid():
        return _render_form(request, form, item=None, status=400)
    try:
        item = add_item(request.user, form.validated_data)
    except DuplicateItem as exc:
        form.duplicate = exc.existing
        return _render_form(request, form, item=None, status=409)
    if check_new_item(item):
        # Not a success yet: whether the source answers is told by the card,
        # which follows the check as it runs (a 404 turns it red).
        messages.info(
            request,
            _("“%(anime_title)s” is on your watchlist. Its source is being checked now.")
            % {"anime_title": item.anime_title},
        )
    else:
        messages.success(request, _("“%(anime_title)s” is on your watchlist.") % {"anime_title": item.anime_title})
    return redirect("web:home")


@require_http_methods(["GET", "POST"])
@login_required
def item_edit(request: HttpRequest, pk: UUID) -> HttpResponse:
    item = _owned_item(request, pk)
    if request.method == "GET":
        return _render_form(request, ItemForm(instance=item), item=item)
    form = ItemForm(request.POST, instance=item)
    if not form.is_valid():
        return _render_form(request, form, item=item, status=400)
    try:
        item = update_item(item, form.validated_data)
    except DuplicateItem as exc:
        form.duplicate = exc.existing
        # update_item set the new values on `item` before refusing; the page
        # header should show the item as it is stored.
        return _render_form(request, form, item=_owned_item(request, pk), status=409)
    messages.success(request, _("Changes saved."))
    return redirect("web:item", pk=item.pk)


def _card_or_redirect(request: HttpRequest, item: WatchlistItem, message: str) -> HttpResponse:
    if is_htmx_swap(request):
        # The card itself shows the change; a flash message would pop up on
        # the next full page instead, out of context. The tabs' counts follow.
        return changed(render(request, "watchlist/items/_item.html", {"item": item}))
    messages.success(request, message)
    return redirect(safe_next(request, reverse("web:item", args=[item.pk])))


@require_POST
@login_required
def item_pause(request: HttpRequest, pk: UUID) -> HttpResponse:
    item = set_status(_owned_item(request, pk), ItemStatus.PAUSED)
    return _card_or_redirect(request, item, f"Paused “{item.anime_title}”.")


@require_POST
@login_required
def item_resume(request: HttpRequest, pk: UUID) -> HttpResponse:
    item = set_status(_owned_item(request, pk), ItemStatus.ACTIVE)
    return _card_or_redirect(request, item, f"Resumed “{item.anime_title}”.")


@require_POST
@login_required
def item_auto_download(request: HttpRequest, pk: UUID) -> HttpResponse:
    item = _owned_item(request, pk)
    # The form says which state it wants rather than "flip": a double click
    # or a stale tab then cannot invert the user's intent.
    wanted = request.POST.get("auto_download")
    if wanted not in ("on", "off"):
        return HttpResponseBadRequest("auto_download must be 'on' or 'off'")
    item = update_item(item, {"auto_download": wanted == "on"})
    state = "on" if item.auto_download else "off"
    return _card_or_redirect(request, item, f"Automatic download is {state} for “{item.anime_title}”.")


@require_http_methods(["GET", "POST"])
@login_required
def item_delete(request: HttpRequest, pk: UUID) -> HttpResponse:
    item = _owned_item(request, pk)
    if request.method == "GET":
        if is_htmx_swap(request):
            return render(request, "watchlist/items/_delete_confirm.html", {"item": item})
        return render(request, "watchlist/items/delete.html", {"item": item})
    title = item.anime_title
    item.delete()
    if is_htmx_swap(request):
        return changed(render(request, "watchlist/items/_item_deleted.html", {"title": title}))
    messages.success(request, _("Deleted “%(title)s”.") % {"title": title})
    return redirect("web:home")


@require_GET
@login_required
def item_card(request: HttpRequest, pk: UUID) -> HttpResponse:
    """The card alone: what "Cancel" in the inline delete confirmation puts back."""
    return render(request, "watchlist/items/_item.html", {"item": _owned_item(request, pk)})
