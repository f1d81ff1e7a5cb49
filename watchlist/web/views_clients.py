"""Dashboard: the torrent client staff send torrent releases to (qBittorrent
or Transmission) instead of the embedded engine. The form is the admin's
(downloads/clients/forms.py); the password is never rendered back; “Test”
logs in and asks the client's version now."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from downloads.clients.choice import EMBEDDED, torrent_backend
from downloads.clients.forms import TorrentClientForm
from downloads.clients.models import TorrentClient
from downloads.clients.probe import ProbeOutcome, probe_client

from .staff_managed import StaffManaged

CLIENTS = StaffManaged(
    model=TorrentClient,
    noun="client",
    page_route="web:torrent-clients",
    row_template="watchlist/clients/_client.html",
    edit_template="watchlist/clients/edit.html",
    refusal=_("Only staff manage torrent clients."),
    saved=_("Client “%(name)s” saved."),
    deleted=_("Client “%(name)s” deleted."),
)


def _page(request: HttpRequest, form: TorrentClientForm, status: int = 200) -> HttpResponse:
    clients = TorrentClient.objects.order_by("name")
    # What torrent_backend() decides, named for people: the client, or the built-in engine.
    active = clients.filter(enabled=True).first() if torrent_backend() != EMBEDDED else None
    context = {"clients": clients, "form": form, "active": active}
    return render(request, "watchlist/clients/page.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def clients_page(request: HttpRequest) -> HttpResponse:
    CLIENTS.require_staff(request)
    if request.method == "GET":
        enabled = not TorrentClient.objects.filter(enabled=True).exists()
        return _page(request, TorrentClientForm(initial={"enabled": enabled}))
    form = TorrentClientForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    client = form.save()
    messages.success(
        request, _("Client “%(name)s” added. Use “Test” to check its address and password.") % {"name": client.name}
    )
    return redirect("web:torrent-clients")


def _test_words(client: TorrentClient, outcome: ProbeOutcome) -> tuple[str, str]:
    answer = _("“%(name)s” answers: %(version)s.") % {"name": client.name, "version": outcome.version}
    return f"{answer} {outcome.folder}".strip(), outcome.error


client_edit = CLIENTS.edit_view(lambda client, data: TorrentClientForm(data, instance=client))
client_delete = CLIENTS.delete_view()
client_test = CLIENTS.test_view(probe_client, _test_words)
