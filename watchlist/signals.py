"""Receivers that keep watchlist rows in step with other parts."""

from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import WatchlistSettings


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="watchlist_settings_for_new_user")
def create_settings_for_new_user(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    # Every user has a schedule from the start, due now, so a new user's
    # first items are checked on the next dispatcher tick.
    if created and not raw:
        WatchlistSettings.objects.get_or_create(user=instance)
