"""Download routes, included by the project under /api/, each with and
without a trailing slash like the rest of the API."""

from watchlist_project.routing import both

from .api import DownloadJobViewSet
from .api_bulk import DownloadsBulkView

jobs = DownloadJobViewSet.as_view({"get": "list"})
job = DownloadJobViewSet.as_view({"get": "retrieve"})
cancel = DownloadJobViewSet.as_view({"post": "cancel"})
retry = DownloadJobViewSet.as_view({"post": "retry"})


urlpatterns = [
    *both("downloads", jobs, "downloads-list"),
    *both("downloads/bulk", DownloadsBulkView.as_view(), "downloads-bulk"),
    *both("downloads/<uuid:pk>", job, "downloads-detail"),
    *both("downloads/<uuid:pk>/cancel", cancel, "downloads-cancel"),
    *both("downloads/<uuid:pk>/retry", retry, "downloads-retry"),
]
