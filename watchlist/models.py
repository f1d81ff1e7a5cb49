"""Tracking data: what each user watches, where its episodes come from, and
the user's own settings."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone

from . import limits


class ItemStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"
    COMPLETED = "completed", "Completed"
    ARCHIVED = "archived", "Archived"


class Quality(models.TextChoices):
    AUTO = "auto", "Best available"
    P1080 = "1080p", "1080p"
    P720 = "720p", "720p"
    P480 = "480p", "480p"


class DigestMode(models.TextChoices):
    IMMEDIATELY = "immediately", "Immediately (grouped)"
    HOURLY = "hourly", "Hourly digest"
    DAILY = "daily", "Daily digest"


class Source(models.Model):
    """One upstream listing of a series, shared by every item that tracks it.

    N users tracking the same series cost one upstream fetch per refresh
    window, so the fetch state (validators, last error) lives here, not on
    the items.
    """

    provider_id = models.CharField(max_length=64)
    url = models.URLField(max_length=2000)
    lang = models.CharField(max_length=32, blank=True, default="")
    etag = models.CharField(max_length=512, blank=True, default="")
    last_modified = models.CharField(max_length=128, blank=True, default="")
    fetched_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    # Refresh state (watchlist/sources.py). last_attempt_at moves on errors
    # too, so a failing source also costs one upstream try per refresh
    # window rather than one per item that tracks it.
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status = models.CharField(max_length=16, blank=True, default="")
    # The lease of the check that is refreshing the source right now: taken
    # with a conditional UPDATE, so concurrent checks make one request.
    refreshing_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider_id", "url", "lang"], name="source_unique_listing"),
        ]

    def __str__(self) -> str:
        return f"{self.provider_id}: {self.url} [{self.lang or 'any'}]"


class WatchlistItem(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watchlist_items")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="items")
    anime_title = models.CharField(max_length=300)
    anime_url = models.URLField(max_length=2000)
    provider_id = models.CharField(max_length=64, db_index=True)
    lang = models.CharField(max_length=32, blank=True, default="")
    auto_download = models.BooleanField(default=True)
    quality_preference = models.CharField(max_length=8, choices=Quality.choices, default=Quality.AUTO)
    poster_image = models.URLField(max_length=2000, blank=True, default="")
    synopsis = models.TextField(blank=True, default="", max_length=limits.SYNOPSIS_MAX_LENGTH)
    genres = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=16, choices=ItemStatus.choices, default=ItemStatus.ACTIVE, db_index=True)
    last_episode_downloaded = models.PositiveIntegerField(default=0)
    last_checked_at = models.DateTimeField(null=True, blank=True)
    # What AniList knows about the series (watchlist/metadata/), shared by
    # every user's items of it. Null: added by URL alone.
    series = models.ForeignKey(
        "watchlist.Series", on_delete=models.SET_NULL, null=True, blank=True, related_name="items"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Release matching (watchlist/releases/match.py): the user's own other
    # titles of the series, the season the item follows (None: the whole
    # show) and, when known, the absolute number of that season's first
    # episode ("season 2 starts at 25" maps episode 29 to S2E05).
    title_aliases = models.JSONField(default=list, blank=True)
    season = models.PositiveSmallIntegerField(null=True, blank=True)
    first_absolute_episode = models.PositiveIntegerField(null=True, blank=True)
    include_specials = models.BooleanField(default=False)
    # Why the item was paused by the service rather than by its owner (an
    # import whose provider no longer exists); cleared when it is resumed.
    paused_reason = models.CharField(max_length=300, blank=True, default="")

    class Meta:
        ordering = ["anime_title", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "anime_url", "lang"], name="item_unique_per_owner"),
            models.CheckConstraint(condition=Q(last_episode_downloaded__gte=0), name="item_last_episode_non_negative"),
            models.CheckConstraint(condition=Q(status__in=ItemStatus.values), name="item_status_valid"),
            models.CheckConstraint(condition=Q(quality_preference__in=Quality.values), name="item_quality_valid"),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("synopsis"), limits.SYNOPSIS_MAX_LENGTH), name="item_synopsis_length"
            ),
        ]
        indexes = [models.Index(fields=["owner", "status"], name="item_owner_status")]

    def __str__(self) -> str:
        return self.anime_title


class WatchlistSettings(models.Model):
    """One row per user. Created with the defaults the first time it is read."""

    CHECK_INTERVAL_RANGE = (1, 168)
    MAX_CONCURRENT_RANGE = (1, 10)

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watchlist_settings")
    check_interval_hours = models.PositiveSmallIntegerField(
        default=6, validators=[MinValueValidator(CHECK_INTERVAL_RANGE[0]), MaxValueValidator(CHECK_INTERVAL_RANGE[1])]
    )
    auto_download_enabled = models.BooleanField(default=True)
    max_concurrent_auto_downloads = models.PositiveSmallIntegerField(
        default=2, validators=[MinValueValidator(MAX_CONCURRENT_RANGE[0]), MaxValueValidator(MAX_CONCURRENT_RANGE[1])]
    )
    notify_on_new_episodes = models.BooleanField(default=False)
    include_completed_anime = models.BooleanField(default=False)
    # When notification targets get their messages (watchlist/notify/delivery.py).
    notification_digest = models.CharField(max_length=16, choices=DigestMode.choices, default=DigestMode.IMMEDIATELY)
    # A finished series whose every episode is downloaded becomes "completed".
    complete_finished_series = models.BooleanField(default=True)
    # IANA name (Europe/Paris); "" means the server's TIME_ZONE.
    time_zone = models.CharField(max_length=64, blank=True, default="")
    # The user's own schedule (see schedule.py): a due row is dispatched by
    # the minute-by-minute dispatcher, which then moves next_check_at on.
    scheduler_enabled = models.BooleanField(default=True)
    next_check_at = models.DateTimeField(null=True, blank=True, default=timezone.now)
    last_run_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "watchlist settings"
        indexes = [
            # The dispatcher's query: enabled schedules by due time.
            models.Index(fields=["next_check_at"], name="settings_due", condition=Q(scheduler_enabled=True)),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(check_interval_hours__gte=1, check_interval_hours__lte=168),
                name="settings_check_interval_range",
            ),
            models.CheckConstraint(
                condition=Q(max_concurrent_auto_downloads__gte=1, max_concurrent_auto_downloads__lte=10),
                name="settings_max_concurrent_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Settings of {self.user}"

    @classmethod
    def for_user(cls, user) -> "WatchlistSettings":
        settings_row, _ = cls.objects.get_or_create(user=user)
        return settings_row


# --- Checking: what sources offer, what each item found, each check ---------


class Release(models.Model):
    """One release a source lists (one file of one episode, in one quality
    and language). Replaced wholesale by each full refresh of the source."""

    # No index of its own: (source, episode) and (source, url) start with it.
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="releases", db_index=False)
    episode = models.PositiveIntegerField()
    episode_end = models.PositiveIntegerField(null=True, blank=True)
    season = models.PositiveSmallIntegerField(null=True, blank=True)
    title = models.TextField(blank=True, default="")
    url = models.URLField(max_length=2000)
    resolution = models.PositiveSmallIntegerField(null=True, blank=True)
    version = models.PositiveSmallIntegerField(default=1)
    language = models.CharField(max_length=32, blank=True, default="")
    published_at = models.DateTimeField(null=True, blank=True)
    size = models.BigIntegerField(null=True, blank=True)
    release_name = models.TextField(blank=True, default="")
    # Specials (OVA, recap "5.5") and batches are stored when a provider
    # lists them, but are never taken for a regular episode number.
    is_special = models.BooleanField(default=False)
    group = models.CharField(max_length=128, blank=True, default="")
    # Torrent releases: see EpisodeInfo. The swarm figures are the tracker's
    # at the last refresh.
    infohash = models.CharField(max_length=40, blank=True, default="", db_index=True)
    seeders = models.PositiveIntegerField(null=True, blank=True)
    leechers = models.PositiveIntegerField(null=True, blank=True)
    trusted = models.BooleanField(default=False)
    remake = models.BooleanField(default=False)
    # The listing typed the link as a torrent though its URL does not say so.
    typed_torrent = models.BooleanField(default=False)
    first_seen_at = models.DateTimeField(default=timezone.now)
    # Set on every full refresh that lists the release; rows not listed by
    # the latest one are gone upstream and are deleted.
    last_seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["source", "episode", "-resolution", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["source", "url"], name="release_unique_url_per_source"),
        ]
        indexes = [
            models.Index(fields=["source", "episode"], name="release_source_episode"),
            # "Has the source listed anything since this item's last check?"
            # (source_checks.settled_rows, per item of a batch): answered by
            # one index lookup instead of reading each of the source's rows.
            models.Index(fields=["source", "last_seen_at"], name="release_source_seen"),
        ]

    def __str__(self) -> str:
        return self.release_name or self.title or self.url


class EpisodeState(models.TextChoices):
    NEW = "new", "New"
    QUEUED = "queued", "Queued"
    DOWNLOADED = "downloaded", "Downloaded"
    FAILED = "failed", "Failed"
    SKIPPED = "skipped", "Skipped"


class Episode(models.Model):
    """What happened to one episode of one item. Unique per (item, number):
    a second record, hence a second download, of the same episode for the
    same item is impossible, not just unlikely."""

    # No index of its own: (item, number) and (item, updated_at) start with it.
    item = models.ForeignKey(WatchlistItem, on_delete=models.CASCADE, related_name="episodes", db_index=False)
    number = models.PositiveIntegerField()
    season = models.PositiveSmallIntegerField(null=True, blank=True)
    title = models.TextField(blank=True, default="")
    # Copied from the release: the release row goes when the source stops
    # listing it, the episode's record stays.
    url = models.URLField(max_length=2000)
    resolution = models.PositiveSmallIntegerField(null=True, blank=True)
    version = models.PositiveSmallIntegerField(default=1)
    language = models.CharField(max_length=32, blank=True, default="")
    release = models.ForeignKey(Release, on_delete=models.SET_NULL, null=True, blank=True, related_name="episodes")
    state = models.CharField(max_length=16, choices=EpisodeState.choices, default=EpisodeState.NEW)
    # The job fetching (or that fetched) this episode's file: the latest one
    # queued for it. Several episodes may share a job (a batch torrent). The
    # key points from watchlist to downloads, the direction apps may depend.
    download_job = models.ForeignKey(
        "downloads.DownloadJob", on_delete=models.SET_NULL, null=True, blank=True, related_name="watchlist_episodes"
    )
    # The user picked this release by hand: only a v2 of it replaces it
    # (watchlist/releases/choose.py).
    pinned = models.BooleanField(default=False)
    found_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["item", "number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="episode_unique_per_item"),
            models.CheckConstraint(condition=Q(state__in=EpisodeState.values), name="episode_state_valid"),
        ]
        indexes = [
            models.Index(fields=["state", "updated_at"], name="episode_state_updated"),
            # The batch check's per-item probe "has an episode changed since
            # the last check?" (source_checks.settled_rows): one index lookup,
            # not a read of the item's episode rows.
            models.Index(fields=["item", "updated_at"], name="episode_item_updated"),
        ]

    def __str__(self) -> str:
        return f"{self.item} #{self.number} [{self.state}]"


class SourceStatus(models.TextChoices):
    """How a check got the source's releases."""

    FETCHED = "fetched", "Fetched (changed)"
    NOT_MODIFIED = "not_modified", "Revalidated (304)"
    FRESH = "fresh", "Fresh (no request)"
    STALE = "stale", "Stale (refresh still running elsewhere)"
    ERROR = "error", "Error"


class CheckRun(models.Model):
    """One check of one item: when, how long, what it found, what failed."""

    # No index of its own: checkrun_item_started starts with it (one index
    # fewer to write per CheckRun; a batch inserts one per checked item).
    item = models.ForeignKey(WatchlistItem, on_delete=models.CASCADE, related_name="check_runs", db_index=False)
    started_at = models.DateTimeField(default=timezone.now)
    duration_ms = models.PositiveIntegerField(default=0)
    new_episodes = models.PositiveIntegerField(default=0)
    new_episode_numbers = models.JSONField(default=list, blank=True)
    queued_episode_numbers = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True, default="")
    source_status = models.CharField(max_length=16, choices=SourceStatus.choices, blank=True, default="")

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["item", "-started_at"], name="checkrun_item_started")]

    def __str__(self) -> str:
        outcome = f"error: {self.error}" if self.error else f"{self.new_episodes} new"
        return f"{self.item} at {self.started_at:%Y-%m-%d %H:%M} ({outcome})"


# --- Machinery and messages -------------------------------------------------


class Heartbeat(models.Model):
    """When a background part last proved it runs (see liveness.py)."""

    DISPATCHER = "dispatcher"

    name = models.CharField(max_length=64, unique=True)
    seen_at = models.DateTimeField()
    # What the part said about itself (a worker's queues and concurrency).
    detail = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return f"{self.name} at {self.seen_at:%Y-%m-%d %H:%M:%S}"

    @classmethod
    def beat(cls, name: str) -> None:
        cls.objects.update_or_create(name=name, defaults={"seen_at": timezone.now()})


class FeedKey(models.Model):
    """The secret in a user's feed URLs (calendar, downloaded episodes); see
    feedkeys.py."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feed_key")
    key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Feed key of {self.user}"


class Notification(models.Model):
    """A message for one user, shown in the dashboard until read."""

    class Kind(models.TextChoices):
        NEW_EPISODES = "new_episodes", "New episodes"
        DOWNLOAD_FINISHED = "download_finished", "Download finished"
        SERIES_COMPLETED = "series_completed", "Series completed"
        DOWNLOAD_FAILED = "download_failed", "Download failed"
        SOURCE_FAILING = "source_failing", "Source failing"
        ERROR = "error", "Error"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    message = models.CharField(max_length=500)
    item = models.ForeignKey(WatchlistItem, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # Grouping (watchlist/notify/events.py): events of one kind for one item
    # close in time share one unread row, whose created_at is its latest
    # event's time; these say what it holds.
    episodes = models.JSONField(default=list, blank=True)
    event_count = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at", "-created_at"], name="notification_unread")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.message}"


# --- Notification targets, their outbox, scoped API tokens -----------------


class NotificationTarget(models.Model):
    """One place a user's notifications go: an Apprise URL (Discord, ntfy,
    email, a webhook...). The URL holds secrets, so it is stored encrypted
    (watchlist/notify/cipher.py) and only ever shown masked."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_targets")
    name = models.CharField(max_length=100)
    url_encrypted = models.TextField()
    url_masked = models.CharField(max_length=500)
    # Event kinds this target wants (watchlist/notify/events.py: EventKind).
    events = models.JSONField(default=list)
    enabled = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True, default="")
    last_error_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="target_unique_name_per_owner")]

    def __str__(self) -> str:
        return f"{self.name} ({self.url_masked})"


class OutboxMessage(models.Model):
    """One message to one target: the grouped text of the events it carries,
    sent by a Celery task with retries."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    target = models.ForeignKey(NotificationTarget, on_delete=models.CASCADE, related_name="messages")
    title = models.CharField(max_length=250)
    body = models.TextField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="outbox_message_status")]

    def __str__(self) -> str:
        return f"{self.title} -> {self.target} [{self.status}]"


class OutboxEvent(models.Model):
    """One event waiting for one target: grouped into an OutboxMessage when
    the owner's digest rhythm says so (watchlist/notify/delivery.py)."""

    target = models.ForeignKey(NotificationTarget, on_delete=models.CASCADE, related_name="pending_events")
    kind = models.CharField(max_length=32)
    item = models.ForeignKey(WatchlistItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # Kept: the item may be deleted before the digest goes out.
    series = models.CharField(max_length=300, blank=True, default="")
    episodes = models.JSONField(default=list, blank=True)
    detail = models.TextField(blank=True, default="")
    occurred_at = models.DateTimeField(default=timezone.now)
    message = models.ForeignKey(OutboxMessage, on_delete=models.SET_NULL, null=True, blank=True, related_name="events")

    class Meta:
        ordering = ["occurred_at", "id"]
        indexes = [
            models.Index(
                fields=["target", "occurred_at"], name="outbox_event_pending", condition=Q(message__isnull=True)
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.series} {self.episodes}"


class TokenScope(models.TextChoices):
    FULL = "full", "Full access"
    READ = "read", "Read only"
    FEEDS = "feeds", "Feeds and calendar only"


class ApiToken(models.Model):
    """A named API token with a scope (watchlist/tokens.py). Only a hash of
    the secret is stored, plus its first characters to tell tokens apart."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    scope = models.CharField(max_length=16, choices=TokenScope.choices, default=TokenScope.READ)
    prefix = models.CharField(max_length=16, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="apitoken_unique_name_per_user"),
            models.CheckConstraint(condition=Q(scope__in=TokenScope.values), name="apitoken_scope_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_scope_display()}, {self.prefix}...)"


# Release rules and the last check's per-release decisions live in their own
# module; importing them here registers them with the app.
from .release_models import ReleaseDecision, ReleaseRules, ResolutionMode  # noqa: E402, F401


class PendingCheck(models.Model):
    """A check of one item waiting for a worker, or running on one (see
    checkqueue.py). One row per item at most: asking again for an item
    already waiting queues nothing more."""

    item = models.OneToOneField(WatchlistItem, on_delete=models.CASCADE, primary_key=True, related_name="+")
    # Copied from the item: the queue's fairness is per owner.
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    # Set while a worker runs the check (a lease: a worker that dies lets
    # it run out, and the check waits again).
    claimed_until = models.DateTimeField(null=True, blank=True)
    # Asked for again while running: it waits again once this run ends.
    again = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["requested_at"], name="pendingcheck_waiting", condition=Q(claimed_until__isnull=True)),
            models.Index(fields=["owner", "claimed_until"], name="pendingcheck_owner_running"),
        ]

    def __str__(self) -> str:
        return f"check of {self.item_id} ({'running' if self.claimed_until else 'waiting'})"


# Series metadata (AniList): models of this app defined in their own module.
# Accounts: which sessions are whose (sign out other sessions).
from .account_models import AccountSession  # noqa: E402, F401

# Torznab indexers and their shared searches (watchlist/indexers/).
from .indexers.models import Indexer, IndexerQuery  # noqa: E402, F401
from .metadata.models import Series, SeriesAiring, SeriesStatus  # noqa: E402, F401
