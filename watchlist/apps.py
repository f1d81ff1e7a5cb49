from django.apps import AppConfig


class WatchlistConfig(AppConfig):
    name = "watchlist"
    verbose_name = "Watchlist"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the OpenAPI extension for the Bearer authentication class.
        from . import (  # noqa: F401 - connect the receivers
            accounts,
            downloading,
            pg_datetimes,
            signals,
            sqlite_wal,
        )
        from .api import schema  # noqa: F401
        from .metadata import completion  # noqa: F401 - after downloading: its receiver runs second
        from .notify import tasks  # noqa: F401 - register the notification tasks with Celery
        from .releases import upgrade  # noqa: F401 - connects its receiver
