"""Signing in and out, and the user's API token."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from rest_framework.authtoken.models import Token

from .forms import RateLimitedAuthenticationForm


class SignInView(auth_views.LoginView):
    form_class = RateLimitedAuthenticationForm
    redirect_authenticated_user = True
    # The dashboard's home, whatever LOGIN_REDIRECT_URL says; `?next=` wins.
    next_page = reverse_lazy("web:home")

    def form_invalid(self, form: RateLimitedAuthenticationForm) -> HttpResponse:
        response = super().form_invalid(form)
        if form.lockout is not None:
            response.status_code = 429
            response["Retry-After"] = str(form.lockout.retry_after_seconds)
        return response


class SignOutView(auth_views.LogoutView):
    next_page = reverse_lazy("web:login")


def render_token_page(request: HttpRequest, extra: dict, status: int = 200) -> HttpResponse:
    token = Token.objects.filter(user=request.user).first()
    context = {
        "token": token,
        "api_url": request.build_absolute_uri(reverse("watchlist-list")),
        **extra,
    }
    return render(request, "watchlist/token.html", context, status=status)


@require_GET
@login_required
def token_page(request: HttpRequest) -> HttpResponse:
    from .views_tokens import token_page_context  # named tokens and feeds

    return render_token_page(request, token_page_context(request))


@require_POST
@login_required
def token_create(request: HttpRequest) -> HttpResponse:
    # get_or_create: a second click (or a second tab) keeps the same token.
    _token, created = Token.objects.get_or_create(user=request.user)
    if created:
        messages.success(request, _("Your API token is ready."))
    return redirect("web:token")


@require_POST
@login_required
def token_regenerate(request: HttpRequest) -> HttpResponse:
    with transaction.atomic():
        Token.objects.filter(user=request.user).delete()
        Token.objects.create(user=request.user)
    messages.success(request, _("New token created. The old one no longer works."))
    return redirect("web:token")


@require_POST
@login_required
def token_revoke(request: HttpRequest) -> HttpResponse:
    deleted, _by_model = Token.objects.filter(user=request.user).delete()
    if deleted:
        messages.success(request, _("Token revoked. Scripts using it can no longer reach the API."))
    return redirect("web:token")
