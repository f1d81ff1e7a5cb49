"""Models of release matching: a user's release rules (and one item's
overrides of them), and what the last check decided about each release it
saw for an item (watchlist/releases/choose.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class ResolutionMode(models.TextChoices):
    # The item's quality (or the user's default height): that one, else the
    # nearest lower, else the nearest higher. What most people want.
    PREFER = "prefer", "Preferred (else the nearest)"
    EXACT = "exact", "Exactly that resolution"
    MINIMUM = "minimum", "At least that resolution, the best first"
    BEST = "best", "The best available"


class ReleaseRules(models.Model):
    """A user's release rules (``item`` empty), or one item's overrides.

    On an item's row, empty values inherit the user's: lists are added to
    the user's, blank/NULL scalars take the user's value.
    """

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="release_rules")
    item = models.OneToOneField(
        "watchlist.WatchlistItem", on_delete=models.CASCADE, null=True, blank=True, related_name="release_rules"
    )
    preferred_groups = models.JSONField(default=list, blank=True)
    blocked_groups = models.JSONField(default=list, blank=True)
    required_words = models.JSONField(default=list, blank=True)
    forbidden_words = models.JSONField(default=list, blank=True)
    resolution_mode = models.CharField(max_length=8, choices=ResolutionMode.choices, blank=True, default="")
    # The height to aim at when the item's quality is "auto" (None: the best).
    resolution = models.PositiveSmallIntegerField(null=True, blank=True)
    language = models.CharField(max_length=32, blank=True, default="")  # when the item has none
    min_seeders = models.PositiveIntegerField(null=True, blank=True)
    max_episode_mb = models.PositiveIntegerField(null=True, blank=True)
    skip_remakes = models.BooleanField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "release rules"
        constraints = [
            models.UniqueConstraint(
                fields=["owner"], condition=Q(item__isnull=True), name="release_rules_one_per_user"
            ),
            models.CheckConstraint(
                condition=Q(resolution_mode__in=["", *ResolutionMode.values]), name="release_rules_mode_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Release rules of {self.item or self.owner}"


class ReleaseDecision(models.Model):
    """One release the item's last check saw, and what it did with it.

    Replaced wholesale by each check. The release's facts are copied: the
    release row goes when the source stops listing it, the explanation
    stays until the next check.
    """

    item = models.ForeignKey("watchlist.WatchlistItem", on_delete=models.CASCADE, related_name="release_decisions")
    release = models.ForeignKey(
        "watchlist.Release", on_delete=models.SET_NULL, null=True, blank=True, related_name="decisions"
    )
    checked_at = models.DateTimeField(default=timezone.now)
    # The item's episode number the release is for; None when it is none
    # of the item's episodes (another series, a special, a batch).
    episode = models.PositiveIntegerField(null=True, blank=True)
    release_name = models.TextField(blank=True, default="")
    url = models.URLField(max_length=2000)
    group = models.CharField(max_length=128, blank=True, default="")
    resolution = models.PositiveSmallIntegerField(null=True, blank=True)
    version = models.PositiveSmallIntegerField(default=1)
    language = models.CharField(max_length=32, blank=True, default="")
    seeders = models.PositiveIntegerField(null=True, blank=True)
    size = models.BigIntegerField(null=True, blank=True)
    picked = models.BooleanField(default=False)
    code = models.CharField(max_length=32)  # what decided: "picked", "other_series", "resolution", ...
    reason = models.CharField(max_length=300, blank=True, default="")  # the same in plain words

    class Meta:
        ordering = ["item", "episode", "-picked", "pk"]
        indexes = [models.Index(fields=["item", "episode"], name="decision_item_episode")]

    def __str__(self) -> str:
        return f"{self.release_name or self.url}: {self.reason or self.code}"

    @property
    def is_batch(self) -> bool:
        """A release of several episodes ("01-12 [Batch]") the source still lists."""
        return self.release is not None and self.release.episode_end is not None
