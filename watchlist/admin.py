from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from .models import Heartbeat, ItemStatus, Notification, Source, WatchlistItem, WatchlistSettings


@admin.action(description="Pause tracking of the selected items")
def pause_items(modeladmin, request, queryset):
    changed = queryset.exclude(status=ItemStatus.PAUSED).update(status=ItemStatus.PAUSED)
    modeladmin.message_user(request, f"Paused {changed} item(s).", messages.SUCCESS)


@admin.action(description="Resume tracking of the selected items")
def resume_items(modeladmin, request, queryset):
    changed = queryset.exclude(status=ItemStatus.ACTIVE).update(status=ItemStatus.ACTIVE)
    modeladmin.message_user(request, f"Resumed {changed} item(s).", messages.SUCCESS)


@admin.register(WatchlistItem)
class WatchlistItemAdmin(admin.ModelAdmin):
    list_display = [
        "anime_title",
        "owner",
        "provider_id",
        "lang",
        "status",
        "auto_download",
        "quality_preference",
        "last_episode_downloaded",
        "last_checked_at",
    ]
    list_filter = ["status", "provider_id", "auto_download", "quality_preference", "owner"]
    search_fields = ["anime_title", "anime_url", "owner__username"]
    list_select_related = ["owner"]
    raw_id_fields = ["owner", "source", "series"]
    readonly_fields = ["id", "created_at", "updated_at", "last_checked_at"]
    actions = [pause_items, resume_items]
    date_hierarchy = "created_at"


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["url", "provider_id", "lang", "fetched_at", "has_error", "tracked_by"]
    list_filter = ["provider_id", "lang"]
    search_fields = ["url"]
    readonly_fields = ["etag", "last_modified", "fetched_at", "last_error", "created_at"]

    @admin.display(boolean=True, description="error")
    def has_error(self, obj: Source) -> bool:
        return bool(obj.last_error)

    @admin.display(description="items")
    def tracked_by(self, obj: Source) -> int:
        return obj.items.count()


@admin.register(WatchlistSettings)
class WatchlistSettingsAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "check_interval_hours",
        "auto_download_enabled",
        "max_concurrent_auto_downloads",
        "scheduler_enabled",
        "next_check_at",
        "last_run_at",
    ]
    list_filter = ["scheduler_enabled", "auto_download_enabled", "notify_on_new_episodes", "include_completed_anime"]
    search_fields = ["user__username"]
    raw_id_fields = ["user"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "kind", "message", "read_at"]
    list_filter = ["kind", ("read_at", admin.EmptyFieldListFilter)]
    search_fields = ["message", "user__username"]
    raw_id_fields = ["user", "item"]
    date_hierarchy = "created_at"


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    """When the dispatcher last ran on a worker: the "worker alive" signal."""

    list_display = ["name", "seen_at"]
    readonly_fields = ["name", "seen_at"]


class WatchlistSettingsInline(admin.StackedInline):
    model = WatchlistSettings
    can_delete = False
    extra = 0
    max_num = 1


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class UserWithSettingsAdmin(UserAdmin):
    inlines = [*UserAdmin.inlines, WatchlistSettingsInline]


# Checking: check runs, episodes, releases, the item page's check history;
# release matching: rules and the last check's decisions; notification
# targets, outbox, named tokens, feed keys; AniList series.
from . import admin_accounts, admin_checks, admin_notify, admin_releases  # noqa: E402, F401
from .indexers import admin as _indexers_admin  # noqa: E402, F401 - registers Indexer, IndexerQuery
from .metadata import admin as _metadata_admin  # noqa: E402, F401 - registers Series
