"""Work done once in a parent process, before it forks its children, so the
children share it instead of each doing it after the fork.

A prefork Celery worker and gunicorn with ``--preload`` fork their children
from a parent that has imported the application. What a child imports or
builds later (on its first task or request) is private to that child: with
four worker children and the release-name parser's rule tables built in
each, that is tens of megabytes per child. Here the parent imports those
modules, builds the parser's tables with one parse, and freezes the garbage
collector's view of everything loaded so far (``gc.freeze``): the collector
then never walks, and so never writes to, the shared objects, which keeps
their memory pages shared after the fork.
"""

from __future__ import annotations

import gc
import importlib
import logging

logger = logging.getLogger(__name__)

# What a worker's tasks import on first use (checks, matching, downloads).
WORKER_MODULES = (
    "watchlist.checker",
    "watchlist.source_checks",
    "watchlist.downloading",
    "downloads.runner",
    "downloads.backends.http",
    "downloads.backends.ytdlp",
    "guessit",
)
# What the first web requests import: every view, through the URL conf. The
# checking and download modules come later, with a "Check now": an idle web
# process does not carry them.
WEB_MODULES = ("watchlist_project.urls",)


def _import(modules: tuple[str, ...]) -> None:
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception:
            # Preloading only saves memory: a module that fails here fails
            # again, with its real context, where it is used.
            logger.warning("could not preload %s", name, exc_info=True)


def _warm_parser() -> None:
    from watchlist.releases.parse import parse_release

    parse_release.__wrapped__("[Group] Title S02 - 05v2 (1080p) [VOSTFR] [ABCD1234].mkv")


def _freeze() -> None:
    gc.collect()
    gc.freeze()


def worker() -> None:
    _import(WORKER_MODULES)
    try:
        _warm_parser()
    except Exception:
        logger.warning("could not warm the release-name parser", exc_info=True)
    _freeze()


def web() -> None:
    from django.urls import get_resolver

    _import(WEB_MODULES)
    get_resolver().url_patterns  # noqa: B018 - resolves (imports) every view now
    _freeze()


# What the parts' command lines load before they reach the application:
# Celery's worker and beat programs, the prefork pool, the database
# scheduler, gunicorn and its threaded worker.
SERVICE_MODULES = (
    "celery.bin.celery",
    "celery.apps.worker",
    "celery.apps.beat",
    "celery.beat",
    "celery.concurrency.prefork",
    "celery.worker.autoscale",
    "watchlist.beat_scheduler",
    "gunicorn.app.wsgiapp",
    "gunicorn.arbiter",
    "gunicorn.workers.gthread",
)


def embedded() -> None:
    """In `runservice`'s supervisor, before it forks web, worker and beat
    (processes.py): everything any of them loads, loaded once and shared."""
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "watchlist_project.settings")
    import watchlist_project.wsgi  # noqa: F401 - sets Django up, runs web()
    from watchlist_project.celery import app

    app.loader.import_default_modules()  # the tasks modules, as a worker finds them
    _import(SERVICE_MODULES)
    worker()
    # No connection may be inherited by the parts: each opens its own.
    from django.db import connections

    connections.close_all()
    _freeze()
