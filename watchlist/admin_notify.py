"""Admin for notification targets, their outbox, named tokens and feed keys.
Secrets are never shown: target URLs appear masked, tokens by prefix, feed
keys not at all."""

from __future__ import annotations

from django.contrib import admin

from .models import ApiToken, FeedKey, NotificationTarget, OutboxEvent, OutboxMessage


@admin.register(NotificationTarget)
class NotificationTargetAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "url_masked", "enabled", "last_sent_at", "last_error_at"]
    list_filter = ["enabled"]
    search_fields = ["name", "owner__username"]
    list_select_related = ["owner"]
    raw_id_fields = ["owner"]
    # The encrypted URL is neither shown nor editable here: owners set URLs.
    exclude = ["url_encrypted"]
    readonly_fields = ["url_masked", "last_sent_at", "last_error", "last_error_at", "created_at", "updated_at"]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["title", "target", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status"]
    search_fields = ["title", "target__name", "target__owner__username"]
    list_select_related = ["target"]
    raw_id_fields = ["target"]
    date_hierarchy = "created_at"


@admin.register(OutboxEvent)
class OutboxEventAdmin(admin.ModelAdmin):
    list_display = ["kind", "series", "episodes", "target", "occurred_at", "message"]
    list_filter = ["kind"]
    search_fields = ["series", "target__name"]
    list_select_related = ["target", "message"]
    raw_id_fields = ["target", "item", "message"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "scope", "prefix", "created_at", "last_used_at"]
    list_filter = ["scope"]
    search_fields = ["name", "user__username", "prefix"]
    list_select_related = ["user"]
    # Revoking (deleting) is what an administrator does with a token.
    readonly_fields = ["user", "name", "scope", "prefix", "digest", "created_at", "last_used_at"]

    def has_add_permission(self, request) -> bool:
        return False  # a token is made by its owner, who sees it once


if not admin.site.is_registered(FeedKey):

    @admin.register(FeedKey)
    class FeedKeyAdmin(admin.ModelAdmin):
        list_display = ["user", "created_at"]
        search_fields = ["user__username"]
        exclude = ["key"]
        readonly_fields = ["user", "created_at"]

        def has_add_permission(self, request) -> bool:
            return False
