"""Dashboard: the torrent client staff send torrent releases to (qBittorrent
or Transmission) instead of the embedded engine. The form is the admin's
(downloads/clients/forms.py); the password is never rendered back; “Test”
logs in and asks the client's version now."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from downloads.clients.choice import EMBEDDED, torrent_backend
from downloads.clients.forms import TorrentClientForm
from downloads.clients.models import TorrentClient
from downloads.clients.probe import probe_client

from .responses import is_htmx_swap


def _staff(request: HttpRequest) -> None:
    if not request.user.is_staff:
        raise PermissionDenied(_("Only staff manage torrent clients."))


def _page(request: HttpRequest, form: TorrentClientForm, status: int = 200) -> HttpResponse:
    clients = TorrentClient.objects.order_by("name")
    # What torrent_backend() decides, named for people: the client, or the built-in engine.
    active = clients.filter(enabled=True).first() if torrent_backend() != EMBEDDED else None
    context = {"clients": clients, "form": form, "active": active}
    return render(request, "watchlist/clients/page.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def clients_page(request: HttpRequest) -> HttpResponse:
    _staff(request)
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


@require_http_methods(["GET", "POST"])
@login_required
def client_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request)
    client = get_object_or_404(TorrentClient, pk=pk)
    form = TorrentClientForm(request.POST or None, instance=client)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("Client “%(name)s” saved.") % {"name": client.name})
            return redirect("web:torrent-clients")
        return render(request, "watchlist/clients/edit.html", {"form": form, "client": client}, status=400)
    return render(request, "watchlist/clients/edit.html", {"form": form, "client": client})


@require_POST
@login_required
def client_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request)
    client = get_object_or_404(TorrentClient, pk=pk)
    client.delete()
    messages.success(request, _("Client “%(name)s” deleted.") % {"name": client.name})
    return redirect("web:torrent-clients")


@require_POST
@login_required
def client_test(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request)
    client = get_object_or_404(TorrentClient, pk=pk)
    outcome = probe_client(client)
    if is_htmx_swap(request):
        return render(request, "watchlist/clients/_client.html", {"client": client, "tested": outcome})
    if outcome.ok:
        answer = _("“%(name)s” answers: %(version)s.") % {"name": client.name, "version": outcome.version}
        messages.success(request, f"{answer} {outcome.folder}".strip())
    else:
        messages.error(request, outcome.error)
    return redirect("web:torrent-clients")
