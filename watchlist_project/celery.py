import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "watchlist_project.settings")

app = Celery("watchlist_project")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Each worker stamps a heartbeat (the System page, container health checks);
# named, not imported: Celery loads it once Django is set up.
app.steps["worker"].add("watchlist.heartbeats:WorkerHeartbeat")
