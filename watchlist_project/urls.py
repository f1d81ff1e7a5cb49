from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from .health import healthz

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file: no inline script
    # under the Content-Security-Policy.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/", include("watchlist.api.urls")),
    path("api/", include("downloads.urls")),
    path("feeds/", include("watchlist.notify.urls")),
    path("", include("watchlist.web.urls")),
]

handler404 = "watchlist_project.errors.not_found"
handler500 = "watchlist_project.errors.server_error"
