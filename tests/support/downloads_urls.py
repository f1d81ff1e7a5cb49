"""URLconf for the downloads API tests: the app's routes under /api/, as
the project will include them, plus the admin and the schema."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/", include("downloads.urls")),
]
