"""Dashboard: Torznab indexers, managed by staff (the rules of
/api/indexers: the API serializer decides). The key is a password field,
never rendered back; "Test" asks the indexer's caps now."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from ..api.indexer_serializers import IndexerSerializer
from ..indexers import defaults
from ..indexers.models import Indexer
from ..indexers.status import probe_indexer
from .responses import is_htmx_swap


class IndexerForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("Yours to choose, e.g. “Nyaa (Prowlarr)”."))
    url = forms.CharField(
        label=_("Torznab URL"),
        max_length=2000,
        widget=forms.URLInput(attrs={"spellcheck": "false", "class": "mono", "inputmode": "url"}),
        help_text=_(
            "Prowlarr: the indexer's Torznab URL (http://prowlarr:9696/1/api). "
            "Jackett: its “Copy Torznab Feed” URL. An indexer on your network needs its host:port "
            "in PRIVATE_SOURCE_ALLOWLIST."
        ),
    )
    api_key = forms.CharField(
        label=_("API key"),
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text=_("Prowlarr's or Jackett's API key. Stored encrypted, never shown again."),
    )
    categories = forms.CharField(
        label=_("Categories"),
        required=False,
        help_text=_("Torznab category numbers separated by commas; 5070 is TV/Anime. Empty: every category."),
    )
    priority = forms.IntegerField(
        label=_("Priority"),
        initial=defaults.DEFAULT_PRIORITY,
        widget=forms.NumberInput(
            attrs={"inputmode": "numeric", "min": defaults.PRIORITY_RANGE[0], "max": defaults.PRIORITY_RANGE[1]}
        ),
        help_text=_("1 to 50: lower is asked first, and wins when two indexers list the same torrent."),
    )
    enabled = forms.BooleanField(label=_("On"), required=False, initial=True)

    def __init__(self, *args: Any, instance: Indexer | None = None, **kwargs: Any) -> None:
        self.instance = instance
        self.serializer: IndexerSerializer | None = None
        super().__init__(*args, **kwargs)
        if instance is not None:
            kept = _("An API key is stored; leave empty to keep it.") if instance.has_api_key else _("No key stored.")
            self.fields["api_key"].help_text = kept

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.errors:  # a value that is not even a number: its error says enough
            return cleaned
        raw = [part.strip() for part in (cleaned.get("categories") or "").split(",") if part.strip()]
        data: dict[str, Any] = {
            "name": cleaned.get("name", ""),
            "url": cleaned.get("url", ""),
            "categories": raw,
            "priority": cleaned.get("priority"),
            "enabled": bool(cleaned.get("enabled")),
        }
        if cleaned.get("api_key"):
            data["api_key"] = cleaned["api_key"]
        serializer = IndexerSerializer(self.instance, data=data, partial=self.instance is not None)
        if serializer.is_valid():
            self.serializer = serializer
            return cleaned
        for name, errors in serializer.errors.items():
            for error in errors if isinstance(errors, list) else [errors]:
                if isinstance(error, dict):  # a list field's per-item errors
                    error = "; ".join(str(e) for value in error.values() for e in value)
                self.add_error(name if name in self.fields else None, str(error))
        return cleaned

    def save(self) -> Indexer:
        assert self.serializer is not None
        return self.serializer.save()


def _staff(request: HttpRequest) -> None:
    if not request.user.is_staff:
        raise PermissionDenied("Only staff manage indexers.")


def _initial(indexer: Indexer) -> dict[str, Any]:
    return {
        "name": indexer.name,
        "url": indexer.url,
        "categories": ", ".join(str(c) for c in indexer.categories or []),
        "priority": indexer.priority,
        "enabled": indexer.enabled,
    }


def _page(request: HttpRequest, form: IndexerForm, status: int = 200) -> HttpResponse:
    context = {"indexers": Indexer.objects.order_by("priority", "name"), "form": form}
    return render(request, "watchlist/indexers/page.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def indexers_page(request: HttpRequest) -> HttpResponse:
    _staff(request)
    if request.method == "GET":
        categories = ", ".join(str(c) for c in defaults.default_categories())
        return _page(request, IndexerForm(initial={"categories": categories, "enabled": True}))
    form = IndexerForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    indexer = form.save()
    messages.success(
        request, _("Indexer “%(name)s” added. Use “Test” to check its URL and key.") % {"name": indexer.name}
    )
    return redirect("web:indexers")


@require_http_methods(["GET", "POST"])
@login_required
def indexer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request)
    indexer = get_object_or_404(Indexer, pk=pk)
    if request.method == "GET":
        form = IndexerForm(instance=indexer, initial=_initial(indexer))
        return render(request, "watchlist/indexers/edit.html", {"form": form, "indexer": indexer})
    form = IndexerForm(request.POST, instance=indexer)
    if not form.is_valid():
        return render(request, "watchlist/indexers/edit.html", {"form": form, "indexer": indexer}, status=400)
    form.save()
    messages.success(request, _("Indexer “%(name)s” saved.") % {"name": indexer.name})
    return redirect("web:indexers")


@require_POST
@login_required
def indexer_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request)
    indexer = get_object_or_404(Indexer, pk=pk)
    indexer.delete()
    messages.success(request, _("Indexer “%(name)s” deleted.") % {"name": indexer.name})
    return redirect("web:indexers")


@require_POST
@login_required
def indexer_test(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request)
    indexer = get_object_or_404(Indexer, pk=pk)
    outcome = probe_indexer(indexer)
    if is_htmx_swap(request):
        return render(request, "watchlist/indexers/_indexer.html", {"indexer": indexer, "tested": outcome})
    if outcome.ok:
        messages.success(request, _("“%(name)s” answers.") % {"name": indexer.name})
    else:
        messages.error(
            request, _("“%(name)s” failed the test: %(error)s") % {"name": indexer.name, "error": outcome.error}
        )
    return redirect("web:indexers")
