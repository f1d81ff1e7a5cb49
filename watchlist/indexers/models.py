"""Indexers and the searches made on them (models of the ``watchlist`` app,
imported by watchlist/models.py)."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from . import defaults


def _default_categories() -> list[int]:
    return list(defaults.INDEXER_DEFAULT_CATEGORIES)


class Indexer(models.Model):
    """A Torznab endpoint staff added (a Prowlarr or Jackett indexer, or any
    Torznab server). Its API key is stored encrypted (keys.py) and never
    answered back; ``url`` never holds it (keys.split_key moves a pasted
    ``apikey=`` into the encrypted field)."""

    name = models.CharField(max_length=100, unique=True)
    url = models.URLField(max_length=2000, help_text="The Torznab endpoint, e.g. http://prowlarr:9696/1/api")
    api_key_encrypted = models.TextField(blank=True, default="")
    categories = models.JSONField(default=_default_categories, blank=True)
    enabled = models.BooleanField(default=True)
    priority = models.PositiveSmallIntegerField(
        default=defaults.DEFAULT_PRIORITY,
        validators=[MinValueValidator(defaults.PRIORITY_RANGE[0]), MaxValueValidator(defaults.PRIORITY_RANGE[1])],
        help_text="1 to 50; lower is asked first, and wins when two indexers list the same torrent.",
    )
    # The t=caps answer, as caps.Caps.as_json() gives it, and when it came.
    caps = models.JSONField(default=dict, blank=True)
    caps_fetched_at = models.DateTimeField(null=True, blank=True)
    # How its last requests went, in plain words (never with the key).
    last_ok_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True, default="")
    last_error_at = models.DateTimeField(null=True, blank=True)
    # Set by a 429 (or a "request limit reached" error): nothing is sent
    # to this indexer before then.
    retry_after_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["priority", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(priority__gte=defaults.PRIORITY_RANGE[0], priority__lte=defaults.PRIORITY_RANGE[1]),
                name="indexer_priority_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def has_api_key(self) -> bool:
        return bool(self.api_key_encrypted)

    def is_paused(self, now=None) -> bool:
        return self.retry_after_until is not None and self.retry_after_until > (now or timezone.now())


class IndexerQuery(models.Model):
    """One search of one indexer (its parameters without the key) and its
    last answer, shared by every source that needs it: asked at most once
    per INDEXER_QUERY_REFRESH_MINUTES, whoever asks (queries.py)."""

    indexer = models.ForeignKey(Indexer, on_delete=models.CASCADE, related_name="queries")
    # The canonical query string (t, q, season, cat): what makes two
    # searches the same one.
    key = models.CharField(max_length=700)
    mode = models.CharField(max_length=16)  # "search" or "tvsearch"
    q = models.CharField(max_length=300)
    season = models.PositiveSmallIntegerField(null=True, blank=True)
    # The results of the last answer that could be read (results.as_json).
    results = models.JSONField(default=list, blank=True)
    result_count = models.PositiveIntegerField(default=0)
    fetched_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True, default="")
    # The lease of the check asking it right now (as Source.refreshing_until).
    refreshing_until = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(default=timezone.now)
    # The torznab sources whose last refresh used this search.
    sources = models.ManyToManyField("watchlist.Source", related_name="indexer_queries", blank=True)

    class Meta:
        ordering = ["indexer__priority", "indexer__name", "q"]
        constraints = [models.UniqueConstraint(fields=["indexer", "key"], name="indexerquery_unique_key")]
        indexes = [models.Index(fields=["last_used_at"], name="indexerquery_last_used")]
        verbose_name_plural = "indexer queries"

    def __str__(self) -> str:
        return f"{self.indexer}: {self.key}"
