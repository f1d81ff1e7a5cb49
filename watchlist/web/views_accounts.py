"""The user's own account page: change your password, see and sign out your
other sessions (watchlist/accounts.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from ..accounts import other_sessions, sign_out_sessions


def _page(request: HttpRequest, form: PasswordChangeForm, status: int = 200) -> HttpResponse:
    context = {"form": form, "sessions": other_sessions(request.user, request.session.session_key)}
    return render(request, "watchlist/account.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def account_page(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _page(request, PasswordChangeForm(request.user))
    form = PasswordChangeForm(request.user, request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    user = form.save()
    # This session stays signed in; every other one ends now (a changed
    # password is often a reaction to a session someone else holds).
    update_session_auth_hash(request, user)
    ended = sign_out_sessions(user, keep=request.session.session_key)
    text = _("Your password is changed.")
    if ended:
        text += " " + ngettext("%(n)d other session signed out.", "%(n)d other sessions signed out.", ended) % {
            "n": ended
        }
    messages.success(request, text)
    return redirect("web:account")


@require_POST
@login_required
def sign_out_others(request: HttpRequest) -> HttpResponse:
    ended = sign_out_sessions(request.user, keep=request.session.session_key)
    if ended:
        messages.success(
            request,
            ngettext("Signed out %(n)d other session.", "Signed out %(n)d other sessions.", ended) % {"n": ended},
        )
    else:
        messages.info(request, _("You had no other session."))
    return redirect("web:account")
