"""Admin for series records and their airings (imported by watchlist/admin.py)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import admin, messages
from django.db.models import Count
from django.utils import timezone

from .models import Series, SeriesAiring


@admin.action(description="Refresh the selected series from AniList now")
def refresh_now(modeladmin, request, queryset):
    from .refresh import refresh_series

    report = refresh_series(list(queryset.values_list("pk", flat=True)))
    level = messages.WARNING if report.error else messages.SUCCESS
    text = f"Refreshed {len(report.refreshed)} series."
    if report.error:
        text += f" Not refreshed: {report.error}"
    modeladmin.message_user(request, text, level)


@admin.action(description="Fetch the selected series' posters again")
def refetch_posters(modeladmin, request, queryset):
    from .posters import store_poster

    stored = sum(store_poster(series, force=True) for series in queryset.exclude(cover_url=""))
    modeladmin.message_user(request, f"Stored {stored} poster(s).", messages.SUCCESS)


class AiringInline(admin.TabularInline):
    model = SeriesAiring
    extra = 0
    fields = ["episode", "airing_at", "checks_done", "next_check_at"]
    readonly_fields = fields
    ordering = ["-airing_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(airing_at__gte=timezone.now() - timedelta(days=14))


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = [
        "anilist_id",
        "__str__",
        "format",
        "status",
        "episodes",
        "next_airing_at",
        "tracked_by",
        "fetched_at",
        "next_refresh_at",
        "last_error",
    ]
    list_filter = ["status", "format", "season_year"]
    search_fields = ["anilist_id", "title_english", "title_romaji", "title_native"]
    readonly_fields = [field.name for field in Series._meta.fields]
    inlines = [AiringInline]
    actions = [refresh_now, refetch_posters]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(tracked=Count("items"))

    @admin.display(description="items", ordering="tracked")
    def tracked_by(self, obj: Series) -> int:
        return obj.tracked  # type: ignore[attr-defined]


@admin.register(SeriesAiring)
class SeriesAiringAdmin(admin.ModelAdmin):
    list_display = ["series", "episode", "airing_at", "checks_done", "next_check_at"]
    list_select_related = ["series"]
    search_fields = ["series__title_english", "series__title_romaji", "series__anilist_id"]
    raw_id_fields = ["series"]
    date_hierarchy = "airing_at"
