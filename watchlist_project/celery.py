import os

from celery import Celery
from celery.signals import worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "watchlist_project.settings")

app = Celery("watchlist_project")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Each worker stamps a heartbeat (the System page, container health checks);
# named, not imported: Celery loads it once Django is set up.
app.steps["worker"].add("watchlist.heartbeats:WorkerHeartbeat")


@worker_init.connect
def _preload_before_the_pool_forks(**kwargs) -> None:
    # In the worker's main process, after Django is set up and before the
    # pool's children (and the embedded beat) are forked (preload.py).
    from .preload import worker

    worker()
