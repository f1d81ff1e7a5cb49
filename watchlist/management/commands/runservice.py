import json
import os
import sys

from django.conf import settings
from django.core.management.base import BaseCommand

from watchlist_project import processes

WEB_THREADS = 4


def web_argv(python: str, bind: str, workers: int) -> list[str]:
    return [
        python,
        "-m",
        "gunicorn",
        "watchlist_project.wsgi",
        "--bind",
        bind,
        "--workers",
        str(workers),
        # Threads: a "Check now" waiting on a slow source (up to
        # HTTP_TOTAL_TIMEOUT_SECONDS, one per user at a time) holds one
        # thread, not a whole worker, so other users' pages keep their pace.
        "--worker-class",
        "gthread",
        "--threads",
        str(WEB_THREADS),
        # The application (and what wsgi.py imports ahead) is loaded once,
        # before the workers fork, and shared by them.
        "--preload",
        "--timeout",
        "120",
        "--access-logfile",
        "-",
    ]


def worker_argv(python: str) -> list[str]:
    argv = [
        python,
        "-m",
        "celery",
        "-A",
        "watchlist_project",
        "worker",
        "--loglevel",
        "INFO",
        "--queues",
        "celery,checks,downloads",
        # One process while idle, up to one per parallel download plus one
        # for checks when busy: each pool process costs memory, and one
        # person's service is idle most of the time.
        "--autoscale",
        f"{settings.MAX_PARALLEL_DOWNLOADS + 1},1",
        # One message reserved per process: the autoscaler grows the pool for
        # work that waits, not for messages merely prefetched.
        "--prefetch-multiplier",
        "1",
    ]
    # Beat is not run inside the worker (-B): forked from the worker's
    # process while its threads (the autoscaler's, the pool's) may hold a
    # lock, the beat process could hang for good right after "beat:
    # Starting..." (seen: no check was ever scheduled). It is forked, like
    # the worker, from the supervisor while that has no thread.
    return argv


def beat_argv(python: str) -> list[str]:
    return [python, "-m", "celery", "-A", "watchlist_project", "beat", "--loglevel", "INFO"]


class Command(BaseCommand):
    help = (
        "Run the web server, a worker and beat together in the foreground (Ctrl-C stops all; a part that "
        "crashes is started again)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--bind", default="127.0.0.1:8000", help="address:port for the web server")
        parser.add_argument("--web-workers", type=int, default=1)
        parser.add_argument("--no-worker", action="store_true", help="do not start a worker")
        parser.add_argument("--no-beat", action="store_true", help="do not start beat")

    def handle(self, *args, bind, web_workers, no_worker, no_beat, **options):
        python = sys.executable
        parts = [{"name": "web", "argv": web_argv(python, bind, web_workers), "fork": True}]
        if not no_worker:
            parts.append({"name": "worker", "argv": worker_argv(python), "fork": True})
        if not no_beat:
            parts.append({"name": "beat", "argv": beat_argv(python), "fork": True})
        # The supervisor loads what every part loads, once, then forks the
        # parts from itself: they share that memory (processes.py, preload.py).
        plan = {"root": str(settings.BASE_DIR), "preload": "watchlist_project.preload:embedded", "parts": parts}
        # glibc gives each thread that allocates an arena of its own (up to 8
        # per core), and the web's and the worker's threads each keep theirs
        # mapped: two arenas are plenty for one person's service.
        os.environ.setdefault("MALLOC_ARENA_MAX", "2")
        self.stdout.write(f"Watchlist is starting on http://{bind}/ (Ctrl-C to stop)")
        self.stdout.flush()
        sys.stderr.flush()
        # A fresh interpreter, not this one: the management command's own
        # modules are not copied into every part, and MALLOC_ARENA_MAX is read
        # at an interpreter's start.
        os.execv(python, [python, processes.__file__, json.dumps(plan)])  # noqa: S606 - fixed argv
