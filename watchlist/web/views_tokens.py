"""Dashboard: named API tokens with a scope (created, shown once, listed,
revoked) and the secret feed URLs, on the API token page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from .. import tokens
from ..api.notify_serializers import ApiTokenSerializer
from ..feedkeys import rotate_feed_key
from ..models import ApiToken, TokenScope
from ..notify.feeds import feed_urls
from .stored_labels import translated


class NamedTokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("What uses it, e.g. “backup script”."))
    scope = forms.ChoiceField(
        label=_("Access"),
        choices=translated(TokenScope.choices),
        initial=TokenScope.READ,
        help_text=_("Read only: GET requests only. Feeds and calendar only: nothing but your feed URLs."),
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.errors:
            return cleaned
        serializer = ApiTokenSerializer(data=cleaned, context={"user": self.user})
        if not serializer.is_valid():
            for name, errors in serializer.errors.items():
                for error in errors:
                    self.add_error(name if name in self.fields else None, str(error))
        return cleaned


def token_page_context(request: HttpRequest, form: NamedTokenForm | None = None) -> dict[str, Any]:
    """What the API token page shows beyond the account's own token."""
    return {
        "named_tokens": ApiToken.objects.filter(user=request.user),
        "named_form": form or NamedTokenForm(user=request.user),
        "feeds": feed_urls(request.user, request),
    }


@require_POST
@login_required
def named_token_create(request: HttpRequest) -> HttpResponse:
    from .views_account import render_token_page

    form = NamedTokenForm(request.POST, user=request.user)
    if not form.is_valid():
        return render_token_page(request, token_page_context(request, form), status=400)
    row, plain = tokens.create_token(request.user, form.cleaned_data["name"], form.cleaned_data["scope"])
    # Rendered, not redirected: the token must not travel through the
    # session's message storage, and it is shown this once only.
    context = token_page_context(request)
    context.update(new_token=plain, new_token_row=row)
    return render_token_page(request, context, status=201)


@require_POST
@login_required
def named_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    if tokens.revoke(request.user, pk):
        messages.success(request, _("Token revoked. Programs using it can no longer reach the API."))
    return redirect("web:token")


@require_POST
@login_required
def feed_rotate(request: HttpRequest) -> HttpResponse:
    rotate_feed_key(request.user)
    messages.success(
        request, _("New feed URLs made. The old ones no longer work; give the new one to your podcast app.")
    )
    return redirect("web:token")
