"""Admin pages of release matching: users' and items' release rules, and
what each item's last check decided about every release it saw."""

from django.contrib import admin

from .release_models import ReleaseDecision, ReleaseRules


@admin.register(ReleaseRules)
class ReleaseRulesAdmin(admin.ModelAdmin):
    list_display = ("owner", "item", "resolution_mode", "resolution", "language", "min_seeders", "updated_at")
    list_filter = ("resolution_mode", "skip_remakes")
    search_fields = ("owner__username", "item__anime_title")
    raw_id_fields = ("owner", "item")


@admin.register(ReleaseDecision)
class ReleaseDecisionAdmin(admin.ModelAdmin):
    list_display = ("item", "episode", "release_name", "picked", "code", "reason", "checked_at")
    list_filter = ("picked", "code")
    search_fields = ("item__anime_title", "release_name", "group")
    raw_id_fields = ("item", "release")
    readonly_fields = ("checked_at",)
