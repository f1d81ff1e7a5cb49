"""Download routes, included by the project under /api/.

Each route answers with and without a trailing slash, like the rest of the
API (a redirect would lose a POST body). The helper is local on purpose:
the downloads app does not import the watchlist app.
"""

from django.urls import URLPattern, path

from .api import DownloadJobViewSet

jobs = DownloadJobViewSet.as_view({"get": "list"})
job = DownloadJobViewSet.as_view({"get": "retrieve"})
cancel = DownloadJobViewSet.as_view({"post": "cancel"})
retry = DownloadJobViewSet.as_view({"post": "retry"})


def both(route: str, view, name: str) -> list[URLPattern]:
    return [path(route, view, name=name), path(route + "/", view)]


urlpatterns = [
    *both("downloads", jobs, "downloads-list"),
    *both("downloads/<uuid:pk>", job, "downloads-detail"),
    *both("downloads/<uuid:pk>/cancel", cancel, "downloads-cancel"),
    *both("downloads/<uuid:pk>/retry", retry, "downloads-retry"),
]
