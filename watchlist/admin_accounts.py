"""Admin for the record of who is signed in where (accounts.py): read-only,
with an action that ends the chosen sessions."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.sessions.models import Session

from .account_models import AccountSession


@admin.register(AccountSession)
class AccountSessionAdmin(admin.ModelAdmin):
    list_display = ("user", "signed_in_at", "address", "user_agent")
    list_filter = ("signed_in_at",)
    search_fields = ("user__username", "address", "user_agent")
    readonly_fields = ("user", "session_key", "signed_in_at", "address", "user_agent")
    actions = ["end_sessions"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description="Sign these sessions out")
    def end_sessions(self, request, queryset) -> None:
        keys = list(queryset.values_list("session_key", flat=True))
        ended, _ = Session.objects.filter(session_key__in=keys).delete()
        queryset.delete()
        messages.success(request, f"Signed out {ended} session(s).")
