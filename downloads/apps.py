from django.apps import AppConfig


class DownloadsConfig(AppConfig):
    name = "downloads"
    verbose_name = "Downloads"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Put yt-dlp's requests behind the address guard for the whole
        # process at start-up, not only from the first YoutubeDL we build.
        from .net import ytdlp_guard_params

        ytdlp_guard_params()
