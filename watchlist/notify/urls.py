"""Feed routes (mounted at /feeds/): no session, the secret key is the access."""

from django.urls import path

from .feeds import DownloadedEpisodesAtomFeed, DownloadedEpisodesFeed, episode_file

urlpatterns = [
    path("<str:key>/episodes.rss", DownloadedEpisodesFeed(), name="feed-episodes-rss"),
    path("<str:key>/episodes.atom", DownloadedEpisodesAtomFeed(), name="feed-episodes-atom"),
    path("<str:key>/files/<uuid:job_id>/<str:filename>", episode_file, name="feed-episode-file"),
]
