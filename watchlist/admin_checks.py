"""Admin pages for checking: check runs, episodes, releases, and an item's
recent check history on its own page. Imported at the end of admin.py."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db import models
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator

from .admin import WatchlistItemAdmin
from .models import CheckRun, Episode, EpisodeState, PendingCheck, Release, WatchlistItem
from .tasks import enqueue_checks

RECENT_CHECKS_ON_ITEM_PAGE = 10


class HasErrorFilter(admin.SimpleListFilter):
    title = "outcome"
    parameter_name = "outcome"

    def lookups(self, request, model_admin):
        return [("error", "Failed"), ("ok", "Succeeded"), ("found", "Found episodes")]

    def queryset(self, request, queryset):
        if self.value() == "error":
            return queryset.exclude(error="")
        if self.value() == "ok":
            return queryset.filter(error="")
        if self.value() == "found":
            return queryset.filter(new_episodes__gt=0)
        return queryset


def _short(text: str) -> str:
    return Truncator(text).chars(80)


@admin.register(CheckRun)
class CheckRunAdmin(admin.ModelAdmin):
    list_display = ["item", "owner", "started_at", "duration_ms", "new_episodes", "source_status", "short_error"]
    list_filter = [HasErrorFilter, "source_status", "started_at", "item__provider_id"]
    search_fields = ["item__anime_title", "item__owner__username", "error"]
    list_select_related = ["item__owner"]
    date_hierarchy = "started_at"
    raw_id_fields = ["item"]
    # History is written by checks only.
    readonly_fields = [f.name for f in CheckRun._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description="owner", ordering="item__owner__username")
    def owner(self, run: CheckRun):
        return run.item.owner

    @admin.display(description="error")
    def short_error(self, run: CheckRun) -> str:
        return _short(run.error)


@admin.action(description="Mark the selected episodes as skipped")
def mark_skipped(modeladmin, request, queryset: QuerySet[Episode]) -> None:
    changed = queryset.filter(state__in=[EpisodeState.NEW, EpisodeState.FAILED]).update(state=EpisodeState.SKIPPED)
    modeladmin.message_user(request, f"Marked {changed} episode(s) as skipped.", messages.SUCCESS)


@admin.register(Episode)
class EpisodeAdmin(admin.ModelAdmin):
    list_display = ["item", "number", "state", "resolution", "version", "language", "found_at", "updated_at"]
    list_filter = ["state", "language", "resolution", "found_at"]
    search_fields = ["item__anime_title", "item__owner__username", "title", "url"]
    list_select_related = ["item"]
    raw_id_fields = ["item", "release"]
    readonly_fields = ["found_at", "updated_at"]
    date_hierarchy = "found_at"
    actions = [mark_skipped]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Release)
class ReleaseAdmin(admin.ModelAdmin):
    list_display = ["release_name", "source", "episode", "resolution", "version", "language", "first_seen_at"]
    list_filter = ["language", "resolution", "is_special", "source__provider_id"]
    search_fields = ["release_name", "title", "url", "source__url"]
    list_select_related = ["source"]
    raw_id_fields = ["source"]
    date_hierarchy = "first_seen_at"
    # Written by source refreshes; an edit would be overwritten by the next one.
    readonly_fields = [f.name for f in Release._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


class RecentFormSet(BaseInlineFormSet):
    """Only the item's latest checks: a long-tracked item has thousands."""

    def get_queryset(self) -> QuerySet[CheckRun]:
        if not hasattr(self, "_recent"):
            runs = super().get_queryset()
            latest = list(runs.order_by("-started_at").values_list("pk", flat=True)[:RECENT_CHECKS_ON_ITEM_PAGE])
            self._recent = runs.filter(pk__in=latest).order_by("-started_at")
        return self._recent


class RecentCheckRunsInline(admin.TabularInline):
    model = CheckRun
    formset = RecentFormSet
    verbose_name = "check"
    verbose_name_plural = f"latest {RECENT_CHECKS_ON_ITEM_PAGE} checks"
    fields = ["started_at", "duration_ms", "new_episode_numbers", "source_status", "error"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.action(description="Check the selected items now (in the background)")
def check_items_now(modeladmin, request, queryset: QuerySet[WatchlistItem]) -> None:
    sent = enqueue_checks(queryset.values_list("pk", flat=True))
    link = reverse("admin:watchlist_checkrun_changelist")
    modeladmin.message_user(
        request, format_html('Queued {} check(s); results appear under <a href="{}">check runs</a>.', len(sent), link)
    )


# Added from here so the checking admin stays in one module; admin.py only
# imports this file.
WatchlistItemAdmin.inlines = [*WatchlistItemAdmin.inlines, RecentCheckRunsInline]
WatchlistItemAdmin.actions = [*WatchlistItemAdmin.actions, check_items_now]


@admin.register(PendingCheck)
class PendingCheckAdmin(admin.ModelAdmin):
    """The checks queue (checkqueue.py): what waits and what runs. Read-only:
    rows come and go with the queue."""

    list_display = ["item", "owner", "requested_at", "claimed_until", "again"]
    list_filter = [("claimed_until", admin.EmptyFieldListFilter)]
    search_fields = ["item__anime_title", "owner__username"]
    list_select_related = ["item", "owner"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
