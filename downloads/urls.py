"""Download routes, included by the project under /api/, each with and
without a trailing slash like the rest of the API."""

from watchlist_project.routing import both

from .api import DownloadJobViewSet
from .api_bulk import DownloadsBulkView
from .clients.api import TorrentClientViewSet

jobs = DownloadJobViewSet.as_view({"get": "list"})
job = DownloadJobViewSet.as_view({"get": "retrieve"})
cancel = DownloadJobViewSet.as_view({"post": "cancel"})
retry = DownloadJobViewSet.as_view({"post": "retry"})
torrent_clients = TorrentClientViewSet.as_view({"get": "list", "post": "create"})
torrent_client = TorrentClientViewSet.as_view({"get": "retrieve", "patch": "partial_update", "delete": "destroy"})
torrent_client_test = TorrentClientViewSet.as_view({"post": "test"})


urlpatterns = [
    *both("downloads", jobs, "downloads-list"),
    *both("downloads/bulk", DownloadsBulkView.as_view(), "downloads-bulk"),
    *both("downloads/<uuid:pk>", job, "downloads-detail"),
    *both("downloads/<uuid:pk>/cancel", cancel, "downloads-cancel"),
    *both("downloads/<uuid:pk>/retry", retry, "downloads-retry"),
    *both("torrent-clients", torrent_clients, "torrent-clients-list"),
    *both("torrent-clients/<int:pk>", torrent_client, "torrent-clients-detail"),
    *both("torrent-clients/<int:pk>/test", torrent_client_test, "torrent-clients-test"),
]
