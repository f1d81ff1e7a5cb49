"""Dashboard: Torznab indexers, managed by staff (the rules of
/api/indexers: the API serializer decides). The key is a password field,
never rendered back; "Test" asks the indexer's caps now."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from ..api.indexer_serializers import IndexerSerializer
from ..indexers import defaults
from ..indexers.models import Indexer
from ..indexers.status import TestOutcome, probe_indexer
from .staff_managed import StaffManaged


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


INDEXERS = StaffManaged(
    model=Indexer,
    noun="indexer",
    page_route="web:indexers",
    row_template="watchlist/indexers/_indexer.html",
    edit_template="watchlist/indexers/edit.html",
    refusal=_("Only staff manage indexers."),
    saved=_("Indexer “%(name)s” saved."),
    deleted=_("Indexer “%(name)s” deleted."),
)


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
    INDEXERS.require_staff(request)
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


def _edit_form(indexer: Indexer, data: QueryDict | None) -> IndexerForm:
    if data is None:
        return IndexerForm(instance=indexer, initial=_initial(indexer))
    return IndexerForm(data, instance=indexer)


def _test_words(indexer: Indexer, outcome: TestOutcome) -> tuple[str, str]:
    passed = _("“%(name)s” answers.") % {"name": indexer.name}
    failed = _("“%(name)s” failed the test: %(error)s") % {"name": indexer.name, "error": outcome.error}
    return passed, failed


indexer_edit = INDEXERS.edit_view(_edit_form)
indexer_delete = INDEXERS.delete_view()
indexer_test = INDEXERS.test_view(probe_indexer, _test_words)
