"""Which sessions belong to which account, so a user can sign out their
other sessions and staff can sign a disabled user out everywhere.

Django's session table does not say whose a session is without decoding
every row; a row here is written at each sign-in (signals in accounts.py)
and removed with the session.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class AccountSession(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    signed_in_at = models.DateTimeField(default=timezone.now)
    # What the sign-in came from, so the account page can tell sessions apart.
    user_agent = models.CharField(max_length=300, blank=True, default="")
    address = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        ordering = ["-signed_in_at"]

    def __str__(self) -> str:
        return f"session of {self.user} since {self.signed_in_at:%Y-%m-%d %H:%M}"
