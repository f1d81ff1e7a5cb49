"""Admin for torrent clients (imported by downloads/admin.py)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .forms import TorrentClientForm
from .models import TorrentClient
from .probe import probe_client


@admin.register(TorrentClient)
class TorrentClientAdmin(admin.ModelAdmin):
    form = TorrentClientForm
    list_display = ["name", "kind", "url", "category", "enabled", "remove_after_import", "updated_at"]
    list_filter = ["kind", "enabled"]
    search_fields = ["name", "url"]
    actions = ["test_clients"]
    fieldsets = [
        (None, {"fields": ["name", "kind", "url", "username", "password", "enabled"]}),
        (_("Where torrents go"), {"fields": ["category", "save_path", "path_mappings_text", "remove_after_import"]}),
    ]

    @admin.action(description=_("Test: log in and ask the version"))
    def test_clients(self, request: HttpRequest, queryset: QuerySet[TorrentClient]) -> None:
        for client in queryset:
            outcome = probe_client(client)
            if outcome.ok:
                self.message_user(request, f"{client.name}: {outcome.version}", messages.SUCCESS)
            else:
                self.message_user(request, outcome.error, messages.ERROR)
