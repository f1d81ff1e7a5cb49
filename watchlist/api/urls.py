"""API routes, each with and without a trailing slash (see `both`)."""

from watchlist_project.routing import both

from .bulk import WatchlistBulkView
from .calendar import CalendarFeedUrlRotateView, CalendarFeedUrlView, CalendarView
from .checks import CheckAllView, ItemCheckView
from .indexers import IndexerSearchView, IndexerViewSet, ItemIndexerSearchesView
from .metadata import MetadataSearchView, MetadataSeriesView, PosterView
from .notify_views import ApiTokenViewSet, FeedRotateView, FeedUrlsView, NotificationTargetViewSet
from .preview import SourcePreviewView
from .providers import ProvidersView
from .releases import ItemReleaseRulesView, ItemReleasesView, ReleasePickView, UserReleaseRulesView
from .scheduler import SchedulerStartView, SchedulerStatusView, SchedulerStopView
from .system import SystemStatusView
from .token import ObtainTokenView
from .views import WatchlistItemViewSet, WatchlistSettingsView, WatchlistStatsView

items = WatchlistItemViewSet.as_view({"get": "list", "post": "create"})
item = WatchlistItemViewSet.as_view({"get": "retrieve", "put": "update", "delete": "destroy"})
pause = WatchlistItemViewSet.as_view({"post": "pause"})
resume = WatchlistItemViewSet.as_view({"post": "resume"})
targets = NotificationTargetViewSet.as_view({"get": "list", "post": "create"})
target = NotificationTargetViewSet.as_view({"get": "retrieve", "put": "update", "delete": "destroy"})
target_test = NotificationTargetViewSet.as_view({"post": "test"})
api_tokens = ApiTokenViewSet.as_view({"get": "list", "post": "create"})
api_token = ApiTokenViewSet.as_view({"delete": "destroy"})
indexers = IndexerViewSet.as_view({"get": "list", "post": "create"})
indexer = IndexerViewSet.as_view({"get": "retrieve", "put": "update", "delete": "destroy"})
indexer_test = IndexerViewSet.as_view({"post": "test"})


urlpatterns = [
    *both("auth/token", ObtainTokenView.as_view(), "api-token"),
    *both("providers", ProvidersView.as_view(), "api-providers"),
    *both("watchlist", items, "watchlist-list"),
    # Named routes before the item route: "settings" must never be an item id
    # (the <uuid:> converter would refuse it anyway).
    *both("watchlist/settings", WatchlistSettingsView.as_view(), "watchlist-settings"),
    *both("watchlist/stats", WatchlistStatsView.as_view(), "watchlist-stats"),
    *both("watchlist/check-all", CheckAllView.as_view(), "watchlist-check-all"),
    *both("watchlist/bulk", WatchlistBulkView.as_view(), "watchlist-bulk"),
    *both("watchlist/preview", SourcePreviewView.as_view(), "watchlist-preview"),
    *both("watchlist/release-rules", UserReleaseRulesView.as_view(), "release-rules"),
    *both("watchlist/scheduler/status", SchedulerStatusView.as_view(), "scheduler-status"),
    *both("watchlist/scheduler/start", SchedulerStartView.as_view(), "scheduler-start"),
    *both("watchlist/scheduler/stop", SchedulerStopView.as_view(), "scheduler-stop"),
    *both("system/status", SystemStatusView.as_view(), "system-status"),
    *both("watchlist/<uuid:pk>", item, "watchlist-detail"),
    *both("watchlist/<uuid:pk>/pause", pause, "watchlist-pause"),
    *both("watchlist/<uuid:pk>/resume", resume, "watchlist-resume"),
    *both("watchlist/<uuid:pk>/check", ItemCheckView.as_view(), "watchlist-check"),
    *both("notifications/targets", targets, "notification-targets"),
    *both("notifications/targets/<int:pk>", target, "notification-target"),
    *both("notifications/targets/<int:pk>/test", target_test, "notification-target-test"),
    *both("tokens", api_tokens, "api-tokens"),
    *both("tokens/<int:pk>", api_token, "api-token-detail"),
    *both("feeds", FeedUrlsView.as_view(), "feed-urls"),
    *both("feeds/rotate", FeedRotateView.as_view(), "feed-rotate"),
    *both("watchlist/<uuid:pk>/release-rules", ItemReleaseRulesView.as_view(), "item-release-rules"),
    *both("watchlist/<uuid:pk>/releases", ItemReleasesView.as_view(), "item-releases"),
    *both("watchlist/<uuid:pk>/releases/<int:decision_id>/pick", ReleasePickView.as_view(), "item-release-pick"),
    *both("metadata/search", MetadataSearchView.as_view(), "metadata-search"),
    *both("metadata/series/<int:anilist_id>", MetadataSeriesView.as_view(), "metadata-series"),
    *both("metadata/posters/<int:anilist_id>", PosterView.as_view(), "metadata-poster"),
    *both("calendar", CalendarView.as_view(), "calendar"),
    *both("calendar/feed-url", CalendarFeedUrlView.as_view(), "calendar-feed-url"),
    *both("calendar/feed-url/rotate", CalendarFeedUrlRotateView.as_view(), "calendar-feed-url-rotate"),
    *both("indexers", indexers, "indexers"),
    *both("indexers/search", IndexerSearchView.as_view(), "indexer-search"),
    *both("indexers/<int:pk>", indexer, "indexer-detail"),
    *both("indexers/<int:pk>/test", indexer_test, "indexer-test"),
    *both("watchlist/<uuid:pk>/indexers", ItemIndexerSearchesView.as_view(), "item-indexer-searches"),
]
