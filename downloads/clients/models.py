"""The torrent client staff configured (a model of the ``downloads`` app,
imported by downloads/models.py)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ClientKind(models.TextChoices):
    # The values are the names of the download backends that use them.
    QBITTORRENT = "qbittorrent", "qBittorrent"
    TRANSMISSION = "transmission", "Transmission"


class TorrentClient(models.Model):
    """A qBittorrent or Transmission that torrent releases are sent to
    instead of the embedded engine, while it is enabled (one at a time).

    The password is stored encrypted (cipher.py) and never shown back.
    Paths are the ones the client sees; `path_mappings` turns them into
    paths this server sees when the client runs in another container or
    on another machine that shares the folder."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("client"), max_length=16, choices=ClientKind.choices)
    # Not a URLField: Django's URL validator wants a dotted domain, and a
    # client is often reached by a container or LAN name ("qbittorrent").
    url = models.CharField(
        _("web UI URL"),
        max_length=500,
        help_text=_("qBittorrent: its Web UI, e.g. http://qbittorrent:8080. Transmission: http://transmission:9091."),
    )
    username = models.CharField(_("user name"), max_length=150, blank=True, default="")
    password_encrypted = models.TextField(blank=True, default="")
    category = models.CharField(
        _("category or label"),
        max_length=100,
        blank=True,
        default="anime",
        help_text=_("qBittorrent category or Transmission label given to every torrent sent."),
    )
    save_path = models.CharField(
        _("save path"),
        max_length=1000,
        blank=True,
        default="",
        help_text=_("Where the client saves these torrents, as the client sees it. Empty: its own default."),
    )
    # [[remote prefix, local prefix], ...]: longest remote prefix wins (paths.py).
    path_mappings = models.JSONField(_("remote path mappings"), default=list, blank=True)
    remove_after_import = models.BooleanField(
        _("remove after import"),
        default=False,
        help_text=_(
            "Remove the torrent and its data from the client once the file is in the library. Off: it keeps seeding."
        ),
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("torrent client")
        verbose_name_plural = _("torrent clients")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ClientKind.values), name="torrentclient_kind_valid"),
            # One enabled client decides where torrents go; two would make
            # the choice depend on row order.
            models.UniqueConstraint(fields=["enabled"], condition=Q(enabled=True), name="torrentclient_one_enabled"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"

    @property
    def has_password(self) -> bool:
        return bool(self.password_encrypted)

    def set_password(self, password: str) -> None:
        from . import cipher

        self.password_encrypted = cipher.encrypt(password)

    def password(self) -> str:
        from . import cipher

        return cipher.decrypt(self.password_encrypted)
