import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "watchlist_project.settings")
application = get_wsgi_application()

# What the first requests would import, imported now: under gunicorn's
# --preload (runservice) this runs once in the parent and its workers share
# it; otherwise each worker pays at start what it would pay on first use.
from watchlist_project.preload import web  # noqa: E402 - after the application is set up

web()
