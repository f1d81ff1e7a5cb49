"""The form staff fill for a torrent client, in the admin and on the
dashboard alike: the password is write-only (left empty on a change, the
stored one is kept), path mappings are written one pair per line, and only
one client can be enabled at a time."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.utils.translation import gettext_lazy as _

from . import paths
from .models import TorrentClient


class TorrentClientForm(forms.ModelForm):
    url = forms.CharField(
        label=_("Web UI URL"),
        max_length=500,
        widget=forms.URLInput(attrs={"spellcheck": "false", "class": "mono", "inputmode": "url"}),
        help_text=TorrentClient._meta.get_field("url").help_text,
    )
    password = forms.CharField(
        label=_("Password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Stored encrypted, never shown again."),
    )
    path_mappings_text = forms.CharField(
        label=_("Remote path mappings"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false", "class": "mono"}),
        help_text=_(
            "When the client sees its files under another path than this server (a container), one pair per "
            "line: “/downloads => /srv/torrents”. Empty: the same paths."
        ),
    )

    class Meta:
        model = TorrentClient
        fields = ["name", "kind", "url", "username", "category", "save_path", "remove_after_import", "enabled"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("path_mappings_text", paths.as_text(self.instance.path_mappings))
            if self.instance.has_password:
                self.fields["password"].help_text = _("A password is stored; leave empty to keep it.")

    def clean_url(self) -> str:
        url = self.cleaned_data["url"].strip()
        if "://" not in url:
            url = f"http://{url}"  # a client on the LAN rarely has TLS
        parts = urlsplit(url)
        try:
            parts.port  # noqa: B018 - raises on a port that is not a number
        except ValueError:
            raise forms.ValidationError(_("The port is not a number.")) from None
        if parts.scheme not in ("http", "https") or not parts.hostname or any(c.isspace() for c in url):
            raise forms.ValidationError(
                _("Enter an http:// or https:// address with a host name, e.g. http://qbittorrent:8080.")
            )
        return url

    def clean_path_mappings_text(self) -> list[list[str]]:
        return paths.parse(self.cleaned_data.get("path_mappings_text") or "")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("enabled"):
            others = TorrentClient.objects.filter(enabled=True).exclude(pk=self.instance.pk)
            other = others.first()
            if other is not None:
                self.add_error(
                    "enabled",
                    _("“%(name)s” is enabled; turn it off first (one client receives the torrents).")
                    % {"name": other.name},
                )
        return cleaned

    def save(self, commit: bool = True) -> TorrentClient:
        client = super().save(commit=False)
        client.path_mappings = self.cleaned_data.get("path_mappings_text") or []
        if self.cleaned_data.get("password"):
            client.set_password(self.cleaned_data["password"])
        if commit:
            client.save()
        return client
