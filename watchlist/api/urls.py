"""API routes, each with and without a trailing slash (see `both`)."""

from watchlist_project.routing import both

from .calendar import CalendarFeedUrlRotateView, CalendarFeedUrlView, CalendarView
from .checks import CheckAllView, ItemCheckView
from .metadata import MetadataSearchView, MetadataSeriesView, PosterView
from .providers import ProvidersView
from .scheduler import SchedulerStartView, SchedulerStatusView, SchedulerStopView
from .system import SystemStatusView
from .token import ObtainTokenView
from .views import WatchlistItemViewSet, WatchlistSettingsView, WatchlistStatsView

items = WatchlistItemViewSet.as_view({"get": "list", "post": "create"})
item = WatchlistItemViewSet.as_view({"get": "retrieve", "put": "update", "delete": "destroy"})
pause = WatchlistItemViewSet.as_view({"post": "pause"})
resume = WatchlistItemViewSet.as_view({"post": "resume"})


urlpatterns = [
    *both("auth/token", ObtainTokenView.as_view(), "api-token"),
    *both("providers", ProvidersView.as_view(), "api-providers"),
    *both("watchlist", items, "watchlist-list"),
    # Named routes before the item route: "settings" must never be an item id
    # (the <uuid:> converter would refuse it anyway).
    *both("watchlist/settings", WatchlistSettingsView.as_view(), "watchlist-settings"),
    *both("watchlist/stats", WatchlistStatsView.as_view(), "watchlist-stats"),
    *both("watchlist/check-all", CheckAllView.as_view(), "watchlist-check-all"),
    *both("watchlist/scheduler/status", SchedulerStatusView.as_view(), "scheduler-status"),
    *both("watchlist/scheduler/start", SchedulerStartView.as_view(), "scheduler-start"),
    *both("watchlist/scheduler/stop", SchedulerStopView.as_view(), "scheduler-stop"),
    *both("system/status", SystemStatusView.as_view(), "system-status"),
    *both("watchlist/<uuid:pk>", item, "watchlist-detail"),
    *both("watchlist/<uuid:pk>/pause", pause, "watchlist-pause"),
    *both("watchlist/<uuid:pk>/resume", resume, "watchlist-resume"),
    *both("watchlist/<uuid:pk>/check", ItemCheckView.as_view(), "watchlist-check"),
    *both("metadata/search", MetadataSearchView.as_view(), "metadata-search"),
    *both("metadata/series/<int:anilist_id>", MetadataSeriesView.as_view(), "metadata-series"),
    *both("metadata/posters/<int:anilist_id>", PosterView.as_view(), "metadata-poster"),
    *both("calendar", CalendarView.as_view(), "calendar"),
    *both("calendar/feed-url", CalendarFeedUrlView.as_view(), "calendar-feed-url"),
    *both("calendar/feed-url/rotate", CalendarFeedUrlRotateView.as_view(), "calendar-feed-url-rotate"),
]
