"""Admin for indexers and their shared searches (imported by
watchlist/admin.py). The indexer form keeps the API's rules (it validates
and saves through IndexerSerializer); the key is write-only here too."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages

from .models import Indexer, IndexerQuery
from .status import caps_words, probe_indexer, state_words


class IndexerAdminForm(forms.ModelForm):
    url = forms.URLField(
        label="Torznab URL",
        max_length=2000,
        assume_scheme="https",
        help_text="Prowlarr: the indexer's Torznab URL (http://prowlarr:9696/1/api); Jackett: its “Torznab Feed” URL.",
    )
    api_key = forms.CharField(
        label="API key",
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text="Stored encrypted and never shown. Left empty on a change: the key is kept.",
    )
    categories_text = forms.CharField(
        label="Categories",
        required=False,
        help_text="Torznab category numbers separated by commas (5070 is TV/Anime). Empty: every category.",
    )

    class Meta:
        model = Indexer
        fields = ["name", "url", "enabled", "priority"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.serializer = None
        if self.instance.pk:
            self.initial["categories_text"] = ", ".join(str(c) for c in self.instance.categories or [])
        else:
            self.fields["api_key"].help_text = "Stored encrypted and never shown."
            from . import defaults

            self.initial["categories_text"] = ", ".join(str(c) for c in defaults.default_categories())

    def clean(self) -> dict[str, Any]:
        from ..api.indexer_serializers import IndexerSerializer

        cleaned = super().clean()
        if self.errors:
            return cleaned
        raw = [part.strip() for part in (cleaned.get("categories_text") or "").split(",") if part.strip()]
        data: dict[str, Any] = {
            "name": cleaned.get("name"),
            "url": cleaned.get("url"),
            "enabled": bool(cleaned.get("enabled")),
            "priority": cleaned.get("priority"),
            "categories": raw,
        }
        if cleaned.get("api_key"):
            data["api_key"] = cleaned["api_key"]
        instance = self.instance if self.instance.pk else None
        serializer = IndexerSerializer(instance, data=data, partial=instance is not None)
        if serializer.is_valid():
            self.serializer = serializer
            return cleaned
        for name, errors in serializer.errors.items():
            target = {"categories": "categories_text"}.get(name, name)
            for error in errors if isinstance(errors, list) else [errors]:
                self.add_error(target if target in self.fields else None, str(error))
        return cleaned

    def save(self, commit: bool = True) -> Indexer:
        assert self.serializer is not None
        indexer = self.serializer.save()
        self.instance = indexer
        self.save_m2m = lambda: None  # nothing many-to-many on this form
        return indexer


@admin.action(description="Test the selected indexers now (ask their caps)")
def test_now(modeladmin, request, queryset):
    for indexer in queryset:
        outcome = probe_indexer(indexer)
        if outcome.ok:
            modeladmin.message_user(request, f"{indexer.name}: answering ({caps_words(indexer)}).", messages.SUCCESS)
        else:
            modeladmin.message_user(request, f"{indexer.name}: {outcome.error}", messages.WARNING)


@admin.register(Indexer)
class IndexerAdmin(admin.ModelAdmin):
    form = IndexerAdminForm
    list_display = ["name", "url", "enabled", "priority", "state", "last_ok_at"]
    list_filter = ["enabled"]
    search_fields = ["name", "url"]
    actions = [test_now]
    readonly_fields = [
        "has_api_key",
        "state",
        "searches",
        "caps_fetched_at",
        "last_ok_at",
        "last_error",
        "last_error_at",
        "retry_after_until",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["name", "url", "api_key", "has_api_key", "categories_text", "enabled", "priority"]}),
        ("Status", {"fields": [name for name in readonly_fields if name != "has_api_key"]}),
    ]

    @admin.display(description="State")
    def state(self, indexer: Indexer) -> str:
        return state_words(indexer)

    @admin.display(description="Searches")
    def searches(self, indexer: Indexer) -> str:
        return caps_words(indexer) or "(caps not asked yet)"

    @admin.display(boolean=True, description="Has an API key")
    def has_api_key(self, indexer: Indexer) -> bool:
        return indexer.has_api_key

    def save_model(self, request, obj, form, change) -> None:
        form.save()  # through the API's serializer: encrypts the key


@admin.register(IndexerQuery)
class IndexerQueryAdmin(admin.ModelAdmin):
    list_display = ["indexer", "q", "mode", "season", "result_count", "fetched_at", "last_attempt_at", "last_error"]
    list_filter = ["indexer", "mode"]
    search_fields = ["q"]
    list_select_related = ["indexer"]
    exclude = ["results", "sources"]
    readonly_fields = [
        "indexer",
        "key",
        "mode",
        "q",
        "season",
        "result_count",
        "fetched_at",
        "last_attempt_at",
        "last_error",
        "refreshing_until",
        "last_used_at",
    ]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
