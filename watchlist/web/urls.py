"""The browser dashboard's routes (mounted at the site root)."""

from django.urls import path

from . import (
    views_account,
    views_anilist,
    views_calendar,
    views_checks,
    views_downloads,
    views_items,
    views_notifications,
    views_search,
    views_settings,
    views_stats,
)

app_name = "web"

urlpatterns = [
    path("", views_items.item_list, name="home"),
    path("login/", views_account.SignInView.as_view(), name="login"),
    path("logout/", views_account.SignOutView.as_view(), name="logout"),
    path("items/new/", views_items.item_add, name="item-add"),
    path("items/search/", views_search.provider_search, name="provider-search"),
    path("items/anilist-search/", views_anilist.anilist_search, name="anilist-search"),
    path("items/<uuid:pk>/", views_items.item_detail, name="item"),
    path("items/<uuid:pk>/card/", views_items.item_card, name="item-card"),
    path("items/<uuid:pk>/edit/", views_items.item_edit, name="item-edit"),
    path("items/<uuid:pk>/delete/", views_items.item_delete, name="item-delete"),
    path("items/<uuid:pk>/pause/", views_items.item_pause, name="item-pause"),
    path("items/<uuid:pk>/resume/", views_items.item_resume, name="item-resume"),
    path("items/<uuid:pk>/auto-download/", views_items.item_auto_download, name="item-auto-download"),
    path("items/<uuid:pk>/check/", views_checks.item_check, name="item-check"),
    path("items/check-all/", views_checks.check_all, name="check-all"),
    path("items/<uuid:pk>/episodes/<int:number>/download/", views_checks.episode_download, name="episode-download"),
    path("downloads/", views_downloads.downloads_page, name="downloads"),
    path("downloads/active/", views_downloads.downloads_active, name="downloads-active"),
    path("downloads/<uuid:pk>/cancel/", views_downloads.job_cancel, name="download-cancel"),
    path("downloads/<uuid:pk>/retry/", views_downloads.job_retry, name="download-retry"),
    path("notifications/", views_notifications.notifications_page, name="notifications"),
    path("notifications/<int:pk>/read/", views_notifications.notification_read, name="notification-read"),
    path("notifications/read-all/", views_notifications.notifications_read_all, name="notifications-read-all"),
    path("settings/", views_settings.settings_page, name="settings"),
    path("settings/scheduler/", views_settings.scheduler_card, name="scheduler"),
    path("settings/scheduler/start/", views_settings.scheduler_start, name="scheduler-start"),
    path("settings/scheduler/stop/", views_settings.scheduler_stop, name="scheduler-stop"),
    path("stats/", views_stats.stats_page, name="stats"),
    path("calendar/", views_calendar.calendar_page, name="calendar"),
    path("calendar/rotate/", views_calendar.calendar_rotate, name="calendar-rotate"),
    path("calendar/<str:key>.ics", views_calendar.calendar_ics, name="calendar-ics"),
    path("account/token/", views_account.token_page, name="token"),
    path("account/token/create/", views_account.token_create, name="token-create"),
    path("account/token/regenerate/", views_account.token_regenerate, name="token-regenerate"),
    path("account/token/revoke/", views_account.token_revoke, name="token-revoke"),
]
