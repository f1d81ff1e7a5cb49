"""Release matching in the dashboard: the user's release rules, an item's
overrides, and "download this one instead" on the item page."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ..models import ReleaseDecision, ReleaseRules, WatchlistItem
from ..releases.pick import PickRefused, parse_episode, pick
from ..releases.store import item_rules, user_rules
from .forms import ReleaseRulesForm
from .views_items import _owned_item


def _rules_page(
    request: HttpRequest, form: ReleaseRulesForm, *, item: WatchlistItem | None, status: int = 200
) -> HttpResponse:
    return render(request, "watchlist/release_rules.html", {"form": form, "item": item}, status=status)


def _edit_rules(request: HttpRequest, row: ReleaseRules, item: WatchlistItem | None) -> HttpResponse:
    if request.method == "GET":
        return _rules_page(request, ReleaseRulesForm(instance=row, for_item=item is not None), item=item)
    form = ReleaseRulesForm(request.POST, instance=row, for_item=item is not None)
    if not form.is_valid():
        return _rules_page(request, form, item=item, status=400)
    form.save()
    messages.success(request, _("Release rules saved. They apply from the next check."))
    if item is not None:
        return redirect("web:item", pk=item.pk)
    return redirect("web:release-rules")


@require_http_methods(["GET", "POST"])
@login_required
def release_rules_page(request: HttpRequest) -> HttpResponse:
    return _edit_rules(request, user_rules(request.user), None)


@require_http_methods(["GET", "POST"])
@login_required
def item_release_rules(request: HttpRequest, pk: UUID) -> HttpResponse:
    item = _owned_item(request, pk)
    return _edit_rules(request, item_rules(item), item)


@require_POST
@login_required
def release_pick(request: HttpRequest, pk: UUID, decision_id: int) -> HttpResponse:
    item = _owned_item(request, pk)
    decision = get_object_or_404(ReleaseDecision.objects.select_related("release"), pk=decision_id, item=item)
    try:
        result = pick(item, decision, parse_episode(request.POST.get("episode")))
    except PickRefused as exc:
        if exc.field:
            messages.error(request, _("Not downloaded: %(field)s: %(exc)s") % {"field": exc.field, "exc": exc})
        else:
            messages.error(request, _("Not downloaded: %(exc)s.") % {"exc": exc})
    else:
        messages.success(request, result.message)
    return redirect(reverse("web:item", args=[item.pk]) + "#releases")
