""" "Test source" on the add and edit forms: what the source would give
this series, before saving (watchlist/preview.py).

With htmx the button swaps the preview box only; without JavaScript it
posts the whole form here and the page comes back filled in, with the
preview under the source fields.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from ..api.preview import PreviewRequestSerializer
from ..metadata.models import Series
from ..preview import PreviewBusy, preview_source
from .forms import ItemForm, _messages
from .responses import is_htmx_swap
from .views_items import _owned_item
from .views_search import render_add_page

_TEXT = ("anime_url", "provider_id", "anime_title", "lang", "quality_preference")
_NUMBERS = ("season", "first_absolute_episode", "last_episode_downloaded")


def _data(post: Any) -> dict[str, Any]:
    """The form's strings in the shape the API's preview takes."""
    data: dict[str, Any] = {name: post.get(name, "").strip() for name in _TEXT if post.get(name, "").strip()}
    for name in _NUMBERS:
        if post.get(name, "").strip():
            data[name] = post[name].strip()
    data["title_aliases"] = [line.strip() for line in post.get("title_aliases", "").splitlines() if line.strip()]
    data["include_specials"] = post.get("include_specials") in ("on", "true", "1")
    return data


def _preview_context(request: HttpRequest) -> dict[str, Any]:
    serializer = PreviewRequestSerializer(data=_data(request.POST))
    if not serializer.is_valid():
        return {"preview_errors": _messages(serializer.errors)}
    data = dict(serializer.validated_data)
    anilist_id = request.POST.get("anilist_id", "").strip()
    if anilist_id.isdigit():
        # The series' titles count for matching, as after saving (no request
        # to AniList here: only a series this server already knows).
        data["series"] = Series.objects.filter(anilist_id=int(anilist_id)).first()
    try:
        return {"preview": preview_source(request.user, data)}
    except PreviewBusy as busy:
        return {"preview_errors": [str(busy)]}


@require_POST
@login_required
def item_preview(request: HttpRequest, pk: UUID | None = None) -> HttpResponse:
    item = _owned_item(request, pk) if pk is not None else None
    context = _preview_context(request)
    if is_htmx_swap(request):
        return render(request, "watchlist/items/_preview.html", context)
    # The form comes back as typed (not validated: a title may still be
    # missing, and that is no reason to refuse a test).
    form = ItemForm(initial=request.POST.dict(), instance=item)
    if item is None:
        return render_add_page(request, form, search=False, extra=context)
    return render(request, "watchlist/items/form.html", {"form": form, "item": item, **context})
