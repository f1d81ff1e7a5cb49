import sys

from django.conf import settings
from django.core.management.base import BaseCommand

from watchlist_project.processes import Process, run_together

WEB_THREADS = 4


class Command(BaseCommand):
    help = (
        "Run the web server, a worker and beat together in the foreground (Ctrl-C stops all; a part that "
        "crashes is started again)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--bind", default="127.0.0.1:8000", help="address:port for the web server")
        parser.add_argument("--web-workers", type=int, default=2)
        parser.add_argument("--no-worker", action="store_true", help="do not start a worker")
        parser.add_argument("--no-beat", action="store_true", help="do not start beat")

    def handle(self, *args, bind, web_workers, no_worker, no_beat, **options):
        python = sys.executable
        processes = [
            Process(
                "web",
                [
                    python,
                    "-m",
                    "gunicorn",
                    "watchlist_project.wsgi",
                    "--bind",
                    bind,
                    "--workers",
                    str(web_workers),
                    # Threads: a "Check now" waiting on a slow source (up to
                    # HTTP_TOTAL_TIMEOUT_SECONDS, one per user at a time) holds
                    # one thread, not a whole worker, so other users' pages
                    # keep their pace.
                    "--worker-class",
                    "gthread",
                    "--threads",
                    str(WEB_THREADS),
                    "--timeout",
                    "120",
                    "--access-logfile",
                    "-",
                ],
            )
        ]
        if not no_worker:
            processes.append(
                Process(
                    "worker",
                    [
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
                        "--concurrency",
                        str(settings.MAX_PARALLEL_DOWNLOADS + 1),
                    ],
                )
            )
        if not no_beat:
            processes.append(
                Process("beat", [python, "-m", "celery", "-A", "watchlist_project", "beat", "--loglevel", "INFO"])
            )
        self.stdout.write(f"Watchlist is starting on http://{bind}/ (Ctrl-C to stop)")
        sys.exit(run_together(processes))
