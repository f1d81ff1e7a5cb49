import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "watchlist_project.settings")

app = Celery("watchlist_project")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
