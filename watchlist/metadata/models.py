"""What AniList says about a series, stored once per AniList id and shared by
every user's items of that series: one AniList request refreshes it for all.

Imported by watchlist/models.py, so these are models of the ``watchlist`` app.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone


class SeriesStatus(models.TextChoices):
    """AniList's MediaStatus."""

    FINISHED = "FINISHED", "Finished"
    RELEASING = "RELEASING", "Airing"
    NOT_YET_RELEASED = "NOT_YET_RELEASED", "Not yet aired"
    CANCELLED = "CANCELLED", "Cancelled"
    HIATUS = "HIATUS", "On hiatus"


class Series(models.Model):
    anilist_id = models.PositiveIntegerField(unique=True)
    mal_id = models.PositiveIntegerField(null=True, blank=True)
    title_english = models.CharField(max_length=300, blank=True, default="")
    title_romaji = models.CharField(max_length=300, blank=True, default="")
    title_native = models.CharField(max_length=300, blank=True, default="")
    # Other names (abbreviations, translations): release names use them.
    synonyms = models.JSONField(default=list, blank=True)
    format = models.CharField(max_length=16, blank=True, default="")  # TV, TV_SHORT, MOVIE, OVA, ONA...
    status = models.CharField(max_length=20, blank=True, default="")  # a SeriesStatus value, "" when unknown
    episodes = models.PositiveIntegerField(null=True, blank=True)  # the total, when AniList knows it
    duration_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    season = models.CharField(max_length=8, blank=True, default="")  # WINTER, SPRING, SUMMER, FALL
    season_year = models.PositiveSmallIntegerField(null=True, blank=True)
    # AniList's startDate and endDate, as far as it knows them: "2023-10-07",
    # "2023-10" or "2023" (any part may be missing), "" when unknown. When
    # release groups publish an entry's episodes (releases/aired.py).
    start_date = models.CharField(max_length=10, blank=True, default="")
    end_date = models.CharField(max_length=10, blank=True, default="")
    genres = models.JSONField(default=list, blank=True)
    synopsis = models.TextField(blank=True, default="")
    site_url = models.URLField(max_length=500, blank=True, default="")
    is_adult = models.BooleanField(default=False)
    next_airing_episode = models.PositiveIntegerField(null=True, blank=True)
    next_airing_at = models.DateTimeField(null=True, blank=True)
    # The absolute number of this season's episode 1 (13 for a second season
    # after a 12-episode first one), from the prequel chain; see series.py.
    first_absolute_episode = models.PositiveIntegerField(null=True, blank=True)
    prequel_anilist_id = models.PositiveIntegerField(null=True, blank=True)
    # That prequel's episode count, as AniList's relations give it: where a
    # later cour's episodes start in its season ("Title S2 - 15" is the third
    # of a second season's second cour after 12).
    prequel_episodes = models.PositiveIntegerField(null=True, blank=True)
    # The episode count of the SEQUEL that is a later cour of this season
    # ("... Part 2"), when AniList knows it: "Title S2 - 15" past this
    # cour's last is that cour's (releases/numbering.py).
    next_cour_episodes = models.PositiveIntegerField(null=True, blank=True)
    # The start date (as start_date) of the main SEQUEL: a release published
    # once it airs may be that entry's, not this one's late one.
    sequel_start_date = models.CharField(max_length=10, blank=True, default="")

    # Poster: AniList's cover URL, and our own copy of it (posters.py).
    cover_url = models.URLField(max_length=1000, blank=True, default="")
    poster_file = models.CharField(max_length=200, blank=True, default="")
    poster_content_type = models.CharField(max_length=32, blank=True, default="")
    poster_source_url = models.URLField(max_length=1000, blank=True, default="")
    poster_error = models.CharField(max_length=300, blank=True, default="")
    poster_tried_at = models.DateTimeField(null=True, blank=True)

    # Refresh state (refresh.py). detailed_at: the last full fetch (airing
    # schedule and relations); a search result alone does not set it.
    fetched_at = models.DateTimeField(null=True, blank=True)
    detailed_at = models.DateTimeField(null=True, blank=True)
    next_refresh_at = models.DateTimeField(null=True, blank=True, default=timezone.now)
    failures = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "series"
        ordering = ["title_romaji", "anilist_id"]
        indexes = [models.Index(fields=["next_refresh_at"], name="series_refresh_due")]

    def __str__(self) -> str:
        return self.display_title or f"AniList {self.anilist_id}"

    @property
    def display_title(self) -> str:
        return self.title_english or self.title_romaji or self.title_native

    @property
    def is_finished(self) -> bool:
        return self.status == SeriesStatus.FINISHED


class SeriesAiring(models.Model):
    """One episode's broadcast time, and the checks made around it.

    ``next_check_at`` is airing_at + the next offset of
    AIRING_CHECK_OFFSETS_MINUTES not yet done (``checks_done`` of them are),
    or null once all are done: the airing dispatcher (airing.py) takes the
    rows whose time has come.
    """

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="airings")
    episode = models.PositiveIntegerField()
    airing_at = models.DateTimeField()
    checks_done = models.PositiveSmallIntegerField(default=0)
    next_check_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["airing_at"]
        constraints = [
            models.UniqueConstraint(fields=["series", "episode"], name="airing_unique_episode"),
        ]
        indexes = [
            models.Index(fields=["next_check_at"], name="airing_check_due", condition=Q(next_check_at__isnull=False)),
            models.Index(fields=["airing_at"], name="airing_at"),
        ]

    def __str__(self) -> str:
        return f"{self.series} #{self.episode} at {self.airing_at:%Y-%m-%d %H:%M}"
