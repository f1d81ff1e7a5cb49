"""Settings for the watchlist service, read from environment variables only.

Every variable is documented in the README's configuration table. With no
variables set, the service runs embedded: SQLite and a filesystem broker under
``var/``, so a fresh checkout needs no database or broker server.
"""

import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from whitenoise.compress import Compressor

from downloads import celery_config
from downloads import conf as download_conf
from downloads import limits as download_limits
from downloads.clients import defaults as client_defaults
from watchlist import limits as watchlist_limits
from watchlist.indexers import defaults as indexer_defaults
from watchlist.metadata import defaults as metadata_defaults
from watchlist.notify import defaults as notify_defaults

from . import security
from .env import env_bool, env_int, env_int_list, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)


def _secret_key() -> str:
    key = env_str("SECRET_KEY")
    if key:
        return key
    # The key scripts/run keeps in var/: `manage.py ...` run by hand uses the
    # same one, with nothing to export first.
    key_file = VAR_DIR / "secret_key"
    if key_file.is_file() and key_file.read_text().strip():
        return key_file.read_text().strip()
    # Made once and kept (sessions survive restarts) where one machine runs
    # everything: DEBUG, or the embedded mode (no DATABASE_URL). A deployment
    # across machines must share one key, so it must be given.
    if not DEBUG and env_str("DATABASE_URL"):
        raise ImproperlyConfigured(
            f"SECRET_KEY must be set (or kept in {key_file}) when DATABASE_URL is set and DEBUG is off."
        )
    key_file.write_text(secrets.token_urlsafe(50))
    key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# Proxies in front of the service whose X-Forwarded-For entries are believed
# (security.client_address); 0: the client is REMOTE_ADDR.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0, maximum=10)
# One switch for a site served over HTTPS (by a proxy or not): the proxy's
# X-Forwarded-Proto, Secure cookies and HSTS.
HTTPS = env_bool("HTTPS", False)
globals().update(security.https_settings(HTTPS))
CONTENT_SECURITY_POLICY = security.content_security_policy()
# Request bodies above this are refused with 413, JSON ones included
# (watchlist_project/request_limits.py).
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 1024 * 1024, minimum=64 * 1024)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_celery_beat",
    "downloads",
    "watchlist",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "watchlist_project.request_limits.RequestBodyLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language chosen in the account menu (a cookie), else the browser's.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "watchlist.web.timezones.UserTimeZoneMiddleware",
]

ROOT_URLCONF = "watchlist_project.urls"
WSGI_APPLICATION = "watchlist_project.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share one file in embedded mode: WAL (set on the
    # file once, by migrate: watchlist/sqlite_wal.py) lets readers proceed
    # during a write, IMMEDIATE takes the write lock up front so two writers
    # queue on the busy timeout instead of failing with "database is locked"
    # half-way through a transaction.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
# The dashboard ships English and French (many users watch VOSTFR releases).
LANGUAGES = [("en", "English"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns on every request without it
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed names and gzip/Brotli copies once collected (watchlist_project/staticfiles.py).
    "staticfiles": {"BACKEND": "watchlist_project.staticfiles.CompressedManifestStorage"},
}
# Serve straight from the apps' static folders when collectstatic has not run.
WHITENOISE_USE_FINDERS = True
# Collect only the hashed names (pages link nothing else) and leave source
# maps uncompressed: this halves collectstatic's time (the API docs' bundles
# are megabytes).
WHITENOISE_KEEP_ONLY_HASHED_FILES = True
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "map"]

LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/login/"

# --- REST API -------------------------------------------------------------
API_PAGE_SIZE = env_int("API_PAGE_SIZE", 50, minimum=1, maximum=1000)
API_MAX_PAGE_SIZE = env_int("API_MAX_PAGE_SIZE", 200, minimum=1, maximum=10000)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First, so unauthenticated requests get 401 with a Bearer challenge.
        "watchlist.api.auth.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "watchlist.api.pagination.WatchlistPagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "watchlist.api.schema.WatchlistAutoSchema",
    "DEFAULT_THROTTLE_RATES": {"token": env_str("TOKEN_THROTTLE_RATE", "10/min")},
    "EXCEPTION_HANDLER": "watchlist.api.errors.exception_handler",
    # Size- and depth-limited JSON (watchlist_project/request_limits.py).
    "DEFAULT_PARSER_CLASSES": [
        "watchlist_project.request_limits.LimitedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Watchlist API",
    "DESCRIPTION": "Track anime series, check their sources for new episodes and download them.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ItemStatusEnum": "watchlist.models.ItemStatus",
        "QualityPreferenceEnum": "watchlist.models.Quality",
        "DownloadStatusEnum": "downloads.models.JobStatus",
        "DownloadBackendEnum": "downloads.models.BackendName",
        "SeriesStatusEnum": "watchlist.api.metadata_serializers.SERIES_STATUS_CHOICES",
    },
    "PREPROCESSING_HOOKS": ["watchlist.api.schema.drop_trailing_slash_twins"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "watchlist.api.schema.forbid_unknown_request_fields",
    ],
}

# --- Downloads --------------------------------------------------------------
# Not "downloads/" at the top level: that folder is the downloads app itself.
DOWNLOAD_DIR = Path(env_str("DOWNLOAD_DIR", str(VAR_DIR / "downloads"))).resolve()
MAX_PARALLEL_DOWNLOADS = env_int("MAX_PARALLEL_DOWNLOADS", download_conf.MAX_PARALLEL_DOWNLOADS, minimum=1, maximum=64)
# What each one means, and its default: downloads/conf.py.
DOWNLOAD_NAME_TEMPLATE = env_str("DOWNLOAD_NAME_TEMPLATE", download_conf.DOWNLOAD_NAME_TEMPLATE)
DOWNLOAD_STALL_SECONDS = env_int(
    "DOWNLOAD_STALL_SECONDS", download_conf.DOWNLOAD_STALL_SECONDS, minimum=5, maximum=3600
)
DOWNLOAD_MAX_SECONDS = env_int(
    "DOWNLOAD_MAX_SECONDS", download_conf.DOWNLOAD_MAX_SECONDS, minimum=60, maximum=7 * 24 * 3600
)
DOWNLOAD_HEARTBEAT_SECONDS = env_int(
    "DOWNLOAD_HEARTBEAT_SECONDS", download_conf.DOWNLOAD_HEARTBEAT_SECONDS, minimum=1, maximum=600
)
DOWNLOAD_STALE_SECONDS = env_int(
    "DOWNLOAD_STALE_SECONDS", download_conf.DOWNLOAD_STALE_SECONDS, minimum=10, maximum=24 * 3600
)
DOWNLOAD_MAX_ATTEMPTS = env_int("DOWNLOAD_MAX_ATTEMPTS", download_conf.DOWNLOAD_MAX_ATTEMPTS, minimum=1, maximum=100)
DOWNLOAD_RETRY_BASE_SECONDS = env_int(
    "DOWNLOAD_RETRY_BASE_SECONDS", download_conf.DOWNLOAD_RETRY_BASE_SECONDS, minimum=1, maximum=3600
)
DOWNLOAD_RETRY_MAX_SECONDS = env_int(
    "DOWNLOAD_RETRY_MAX_SECONDS", download_conf.DOWNLOAD_RETRY_MAX_SECONDS, minimum=1, maximum=24 * 3600
)
DOWNLOAD_REDISPATCH_SECONDS = env_int(
    "DOWNLOAD_REDISPATCH_SECONDS", download_conf.DOWNLOAD_REDISPATCH_SECONDS, minimum=60, maximum=7 * 24 * 3600
)
DOWNLOAD_CHUNK_BYTES = env_int(
    "DOWNLOAD_CHUNK_BYTES", download_conf.DOWNLOAD_CHUNK_BYTES, minimum=4096, maximum=64 * 1024 * 1024
)
DOWNLOAD_PROGRESS_SECONDS = env_int(
    "DOWNLOAD_PROGRESS_SECONDS", download_conf.DOWNLOAD_PROGRESS_SECONDS, minimum=1, maximum=60
)
DOWNLOAD_MIN_FREE_BYTES = env_int("DOWNLOAD_MIN_FREE_BYTES", download_conf.DOWNLOAD_MIN_FREE_BYTES, minimum=0)
DOWNLOAD_MAX_BYTES = env_int("DOWNLOAD_MAX_BYTES", download_conf.DOWNLOAD_MAX_BYTES, minimum=1024 * 1024)
DOWNLOAD_FREE_SPACE_CHECK_BYTES = env_int(
    "DOWNLOAD_FREE_SPACE_CHECK_BYTES", download_conf.DOWNLOAD_FREE_SPACE_CHECK_BYTES, minimum=1024 * 1024
)

# --- Torrents (what each one means: downloads/conf.py) ---------------------
TORRENT_LISTEN_INTERFACES = env_str("TORRENT_LISTEN_INTERFACES", download_conf.TORRENT_LISTEN_INTERFACES)
TORRENT_LISTEN_PORT_RETRIES = env_int(
    "TORRENT_LISTEN_PORT_RETRIES", download_conf.TORRENT_LISTEN_PORT_RETRIES, minimum=0, maximum=1000
)
TORRENT_DHT = env_bool("TORRENT_DHT", download_conf.TORRENT_DHT)
TORRENT_LSD = env_bool("TORRENT_LSD", download_conf.TORRENT_LSD)
TORRENT_UPNP = env_bool("TORRENT_UPNP", download_conf.TORRENT_UPNP)
TORRENT_DOWNLOAD_RATE_LIMIT = env_int(
    "TORRENT_DOWNLOAD_RATE_LIMIT", download_conf.TORRENT_DOWNLOAD_RATE_LIMIT, minimum=0
)
TORRENT_UPLOAD_RATE_LIMIT = env_int("TORRENT_UPLOAD_RATE_LIMIT", download_conf.TORRENT_UPLOAD_RATE_LIMIT, minimum=0)
TORRENT_ENCRYPTION = download_conf.parse_encryption(env_str("TORRENT_ENCRYPTION", ""))
TORRENT_SEED_RATIO = download_conf.parse_ratio(env_str("TORRENT_SEED_RATIO", ""))
TORRENT_SEED_MINUTES = env_int("TORRENT_SEED_MINUTES", download_conf.TORRENT_SEED_MINUTES, minimum=0)
TORRENT_KEEP_SEEDING = env_bool("TORRENT_KEEP_SEEDING", download_conf.TORRENT_KEEP_SEEDING)
TORRENT_STALL_MINUTES = env_int(
    "TORRENT_STALL_MINUTES", download_conf.TORRENT_STALL_MINUTES, minimum=1, maximum=24 * 60
)
TORRENT_METADATA_TIMEOUT_SECONDS = env_int(
    "TORRENT_METADATA_TIMEOUT_SECONDS", download_conf.TORRENT_METADATA_TIMEOUT_SECONDS, minimum=5, maximum=3600
)
TORRENT_MAX_FILE_BYTES = env_int("TORRENT_MAX_FILE_BYTES", download_conf.TORRENT_MAX_FILE_BYTES, minimum=16 * 1024)
TORRENT_RESUME_SAVE_SECONDS = env_int(
    "TORRENT_RESUME_SAVE_SECONDS", download_conf.TORRENT_RESUME_SAVE_SECONDS, minimum=1, maximum=3600
)
TORRENT_INCOMPLETE_DIR = env_str("TORRENT_INCOMPLETE_DIR", download_conf.TORRENT_INCOMPLETE_DIR)
TORRENT_RESUME_DIR = env_str("TORRENT_RESUME_DIR", download_conf.TORRENT_RESUME_DIR)

# --- Torrent clients: qBittorrent, Transmission (defaults in downloads/clients/defaults.py) ---
TORRENT_CLIENT_POLL_SECONDS = env_int(
    "TORRENT_CLIENT_POLL_SECONDS", client_defaults.TORRENT_CLIENT_POLL_SECONDS, minimum=1, maximum=300
)
TORRENT_CLIENT_TIMEOUT_SECONDS = env_int(
    "TORRENT_CLIENT_TIMEOUT_SECONDS", client_defaults.TORRENT_CLIENT_TIMEOUT_SECONDS, minimum=1, maximum=300
)
TORRENT_CLIENT_RECOVER_SECONDS = env_int(
    "TORRENT_CLIENT_RECOVER_SECONDS", client_defaults.TORRENT_CLIENT_RECOVER_SECONDS, minimum=0, maximum=3600
)

# --- Celery ---------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
BROKER_DIR = VAR_DIR / "broker"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
else:
    # kombu's filesystem transport needs no server: producers and workers
    # exchange messages as files in one folder.
    BROKER_DIR.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR),
        "data_folder_out": str(BROKER_DIR),
        "control_folder": str(BROKER_DIR),
    }
CELERY_TASK_SERIALIZER = "json"
# acks_late, reject_on_worker_lost, prefetch 1, routes to the "checks" and
# "downloads" queues (reasons in downloads/celery_config.py).
globals().update(celery_config.celery_settings(DOWNLOAD_MAX_SECONDS))
if REDIS_URL:
    # An unacknowledged message (a download still running, with acks_late)
    # must not be re-delivered while its job runs.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": celery_config.visibility_timeout(DOWNLOAD_MAX_SECONDS)}
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True  # job state lives in the database, not in Celery
CELERY_TIMEZONE = TIME_ZONE
# django-celery-beat's database scheduler, stamping a heartbeat on every tick
# (watchlist/heartbeats.py: how "beat seen" is judged).
CELERY_BEAT_SCHEDULER = "watchlist.beat_scheduler:HeartbeatScheduler"
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)

# --- Shared cache -----------------------------------------------------------
# Sign-in lockouts and API throttles count here, so every web process sees
# the same counts: Redis when there is one, a file cache under VAR_DIR in the
# embedded mode (web, worker and beat are separate processes there).
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "watchlist_project.cache.SharedRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "watchlist-cache",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "watchlist_project.cache.LockingFileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# --- Sources and downloads ------------------------------------------------
ALLOW_PRIVATE_SOURCES = env_bool("ALLOW_PRIVATE_SOURCES", False)
# Hosts or networks (CIDR) that may be fetched even though they are private;
# the test-suite lists its loopback servers here.
PRIVATE_SOURCE_ALLOWLIST = env_list("PRIVATE_SOURCE_ALLOWLIST", [])
SOURCE_MIN_REFRESH_MINUTES = env_int("SOURCE_MIN_REFRESH_MINUTES", 10, minimum=0, maximum=1440)
HTTP_TIMEOUT_SECONDS = env_int("HTTP_TIMEOUT_SECONDS", 20, minimum=1, maximum=600)
HTTP_USER_AGENT = env_str("HTTP_USER_AGENT", "watchlist/1.0 (+self-hosted)")
HTTP_MAX_PER_HOST = env_int("HTTP_MAX_PER_HOST", 2, minimum=1, maximum=32)
HTTP_TOTAL_TIMEOUT_SECONDS = env_int(
    "HTTP_TOTAL_TIMEOUT_SECONDS", download_limits.HTTP_TOTAL_TIMEOUT_SECONDS, minimum=1, maximum=3600
)
CHECK_MAX_RUNNING_PER_USER = env_int(
    "CHECK_MAX_RUNNING_PER_USER", watchlist_limits.CHECK_MAX_RUNNING_PER_USER, minimum=1, maximum=100
)
MANUAL_CHECKS_PER_USER = env_int(
    "MANUAL_CHECKS_PER_USER", watchlist_limits.MANUAL_CHECKS_PER_USER, minimum=1, maximum=20
)

# --- Release matching (defaults: watchlist/releases/conf.py) -----------------
from watchlist.releases import conf as _releases  # noqa: E402

UPGRADE_WINDOW_HOURS = env_int(
    "UPGRADE_WINDOW_HOURS",
    _releases.UPGRADE_WINDOW_HOURS,
    minimum=_releases.UPGRADE_WINDOW_RANGE[0],
    maximum=_releases.UPGRADE_WINDOW_RANGE[1],
)
BATCH_MIN_MISSING = env_int(
    "BATCH_MIN_MISSING",
    _releases.BATCH_MIN_MISSING,
    minimum=_releases.BATCH_MIN_MISSING_RANGE[0],
    maximum=_releases.BATCH_MIN_MISSING_RANGE[1],
)

# --- Scheduling -------------------------------------------------------------
# Users dispatched per transaction, and per dispatcher run at most.
SCHEDULER_BATCH_SIZE = env_int("SCHEDULER_BATCH_SIZE", 1000, minimum=1, maximum=100_000)
SCHEDULER_MAX_BATCHES = env_int("SCHEDULER_MAX_BATCHES", 500, minimum=1, maximum=100_000)
SCHEDULER_USERS_PER_MESSAGE = env_int("SCHEDULER_USERS_PER_MESSAGE", 50, minimum=1, maximum=1000)
# Length of one "hour" of check_interval_hours. Only tests change it, so that
# an end-to-end run sees several scheduled checks in seconds.
CHECK_INTERVAL_UNIT_SECONDS = env_int("CHECK_INTERVAL_UNIT_SECONDS", 3600, minimum=1, maximum=3600)

# --- Notifications and feeds (defaults in watchlist/notify/defaults.py) ------
# Fernet keys that encrypt notification target URLs: the first encrypts, all
# decrypt (rotation). Empty: one key derived from SECRET_KEY, so changing
# SECRET_KEY then makes stored target URLs unreadable (they must be entered again).
NOTIFY_SECRET_KEYS = env_list("NOTIFY_SECRET_KEYS", [])
NOTIFY_GROUP_SECONDS = env_int("NOTIFY_GROUP_SECONDS", notify_defaults.NOTIFY_GROUP_SECONDS, minimum=0, maximum=86400)
NOTIFY_GROUP_MAX_SECONDS = env_int(
    "NOTIFY_GROUP_MAX_SECONDS", notify_defaults.NOTIFY_GROUP_MAX_SECONDS, minimum=0, maximum=86400
)
NOTIFY_DIGEST_HOUR = env_int("NOTIFY_DIGEST_HOUR", notify_defaults.NOTIFY_DIGEST_HOUR, minimum=0, maximum=23)
NOTIFY_SOURCE_FAILING_AFTER = env_int(
    "NOTIFY_SOURCE_FAILING_AFTER", notify_defaults.NOTIFY_SOURCE_FAILING_AFTER, minimum=1, maximum=1000
)
NOTIFY_SEND_MAX_ATTEMPTS = env_int(
    "NOTIFY_SEND_MAX_ATTEMPTS", notify_defaults.NOTIFY_SEND_MAX_ATTEMPTS, minimum=1, maximum=100
)
NOTIFY_SEND_RETRY_BASE_SECONDS = env_int(
    "NOTIFY_SEND_RETRY_BASE_SECONDS", notify_defaults.NOTIFY_SEND_RETRY_BASE_SECONDS, minimum=1, maximum=3600
)
NOTIFY_SEND_RETRY_MAX_SECONDS = env_int(
    "NOTIFY_SEND_RETRY_MAX_SECONDS", notify_defaults.NOTIFY_SEND_RETRY_MAX_SECONDS, minimum=1, maximum=86400
)
NOTIFY_SEND_TIMEOUT_SECONDS = env_int(
    "NOTIFY_SEND_TIMEOUT_SECONDS", notify_defaults.NOTIFY_SEND_TIMEOUT_SECONDS, minimum=1, maximum=300
)
FEED_FILE_SERVING = env_str("FEED_FILE_SERVING", notify_defaults.FEED_FILE_SERVING)
if FEED_FILE_SERVING not in notify_defaults.FEED_FILE_SERVING_CHOICES:
    raise ImproperlyConfigured(
        f"FEED_FILE_SERVING={FEED_FILE_SERVING!r} is not one of {', '.join(notify_defaults.FEED_FILE_SERVING_CHOICES)}"
    )
FEED_ACCEL_PREFIX = env_str("FEED_ACCEL_PREFIX", notify_defaults.FEED_ACCEL_PREFIX)
FEED_MAX_ITEMS = env_int("FEED_MAX_ITEMS", notify_defaults.FEED_MAX_ITEMS, minimum=1, maximum=10000)
# --- Torznab indexers; defaults in watchlist/indexers/defaults.py ------------
INDEXER_DEFAULT_CATEGORIES = env_int_list(
    "INDEXER_DEFAULT_CATEGORIES", list(indexer_defaults.INDEXER_DEFAULT_CATEGORIES), minimum=1, maximum=999_999
)
INDEXER_QUERY_REFRESH_MINUTES = env_int(
    "INDEXER_QUERY_REFRESH_MINUTES", indexer_defaults.INDEXER_QUERY_REFRESH_MINUTES, minimum=0, maximum=1440
)
INDEXER_CAPS_HOURS = env_int("INDEXER_CAPS_HOURS", indexer_defaults.INDEXER_CAPS_HOURS, minimum=1, maximum=720)
INDEXER_TIMEOUT_SECONDS = env_int(
    "INDEXER_TIMEOUT_SECONDS", indexer_defaults.INDEXER_TIMEOUT_SECONDS, minimum=1, maximum=300
)
INDEXER_PARALLEL_REQUESTS = env_int(
    "INDEXER_PARALLEL_REQUESTS", indexer_defaults.INDEXER_PARALLEL_REQUESTS, minimum=1, maximum=16
)
INDEXER_MAX_TITLES = env_int("INDEXER_MAX_TITLES", indexer_defaults.INDEXER_MAX_TITLES, minimum=1, maximum=20)
INDEXER_RATE_LIMIT_MINUTES = env_int(
    "INDEXER_RATE_LIMIT_MINUTES", indexer_defaults.INDEXER_RATE_LIMIT_MINUTES, minimum=1, maximum=1440
)
INDEXER_QUERY_KEEP_DAYS = env_int(
    "INDEXER_QUERY_KEEP_DAYS", indexer_defaults.INDEXER_QUERY_KEEP_DAYS, minimum=1, maximum=365
)
# --- Series metadata (AniList); defaults in watchlist/metadata/defaults.py ----
ANILIST_API_URL = env_str("ANILIST_API_URL", metadata_defaults.ANILIST_API_URL)
ANILIST_RATE_LIMIT_PER_MINUTE = env_int(
    "ANILIST_RATE_LIMIT_PER_MINUTE", metadata_defaults.ANILIST_RATE_LIMIT_PER_MINUTE, minimum=1, maximum=90
)
# AniList's rate-limit state and cached answers live in a cache of their own
# beside the shared default one: the same server (every process must see the
# same count), its own key prefix or folder, so clearing one never clears the
# other.
CACHES["anilist"] = (
    {**CACHES["default"], "KEY_PREFIX": "anilist"}
    if REDIS_URL
    else {**CACHES["default"], "LOCATION": str(VAR_DIR / "cache" / "anilist")}
)
ANILIST_CACHE_ALIAS = env_str("ANILIST_CACHE_ALIAS", metadata_defaults.ANILIST_CACHE_ALIAS)
AIRING_CHECK_OFFSETS_MINUTES = env_int_list(
    "AIRING_CHECK_OFFSETS_MINUTES", list(metadata_defaults.AIRING_CHECK_OFFSETS_MINUTES), minimum=0, maximum=1440
)
METADATA_REFRESH_HOURS = env_int(
    "METADATA_REFRESH_HOURS", metadata_defaults.METADATA_REFRESH_HOURS, minimum=1, maximum=168
)
METADATA_AFTER_AIRING_MINUTES = env_int(
    "METADATA_AFTER_AIRING_MINUTES", metadata_defaults.METADATA_AFTER_AIRING_MINUTES, minimum=0, maximum=1440
)
POSTER_MAX_BYTES = env_int(
    "POSTER_MAX_BYTES", metadata_defaults.POSTER_MAX_BYTES, minimum=1024, maximum=64 * 1024 * 1024
)
# Posters are kept here (served by the app, never hot-linked).
MEDIA_ROOT = VAR_DIR / "media"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "null": {"class": "logging.NullHandler"},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # Apprise logs target URLs (webhook tokens, passwords) at debug level. Its
    # warnings still reach each notification's result, where they are redacted
    # and shown to the target's owner (watchlist/notify/targets.py).
    "loggers": {"apprise": {"handlers": ["null"], "level": "WARNING", "propagate": False}},
}
