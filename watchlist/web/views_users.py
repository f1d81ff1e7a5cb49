"""Staff manage accounts from the dashboard: create, disable, make staff,
reset a password (watchlist/accounts.py holds the rules). Non-staff get a
403. A password made here is shown once, on the page that answers the
action, never through the message store."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from .. import accounts


def staff_only(request: HttpRequest) -> None:
    if not request.user.is_staff:
        raise PermissionDenied("Only staff manage accounts.")


class NewUserForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocapitalize": "none", "autocomplete": "off"}),
    )
    password = forms.CharField(
        label=_("Password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Leave empty to have one made for you (shown once)."),
    )
    is_staff = forms.BooleanField(label=_("Staff (sees the System and Users pages)"), required=False)

    def clean_username(self) -> str:
        User = get_user_model()
        username = User.normalize_username(self.cleaned_data["username"].strip())
        field = User._meta.get_field(User.USERNAME_FIELD)
        try:
            field.run_validators(username)
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from None
        if User.objects.filter(**{f"{User.USERNAME_FIELD}__iexact": username}).exists():
            raise forms.ValidationError("This username is taken.")
        return username

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        password = cleaned.get("password")
        if password:
            User = get_user_model()
            try:
                password_validation.validate_password(password, User(username=cleaned.get("username", "")))
            except ValidationError as exc:
                self.add_error("password", exc)
        return cleaned


def _page(request: HttpRequest, form: NewUserForm, status: int = 200, **extra: Any) -> HttpResponse:
    User = get_user_model()
    users = User.objects.annotate(series=Count("watchlist_items")).order_by("username")
    return render(request, "watchlist/users.html", {"form": form, "users": users, **extra}, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def users_page(request: HttpRequest) -> HttpResponse:
    staff_only(request)
    if request.method == "GET":
        return _page(request, NewUserForm())
    form = NewUserForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    password = form.cleaned_data["password"] or accounts.generated_password()
    user = accounts.create_user(form.cleaned_data["username"], password, staff=form.cleaned_data["is_staff"])
    shown = password if not form.cleaned_data["password"] else None
    return _page(request, NewUserForm(), created=user, shown_password=shown)


def _target(request: HttpRequest, pk: int) -> Any:
    staff_only(request)
    return get_object_or_404(get_user_model(), pk=pk)


def _answer(request: HttpRequest, refused: accounts.Refusal | None, done: str) -> HttpResponse:
    if refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, done)
    return redirect("web:users")


@require_POST
@login_required
def user_active(request: HttpRequest, pk: int) -> HttpResponse:
    target = _target(request, pk)
    active = request.POST.get("active") == "on"
    refused = accounts.set_active(request.user, target, active)
    name = target.get_username()
    done = (
        f"{name} can sign in again; their schedule is on."
        if active
        else f"{name} is disabled: signed out everywhere, API tokens refused, schedule stopped."
    )
    return _answer(request, refused, done)


@require_POST
@login_required
def user_staff(request: HttpRequest, pk: int) -> HttpResponse:
    target = _target(request, pk)
    staff = request.POST.get("staff") == "on"
    refused = accounts.set_staff(request.user, target, staff)
    done = f"{target.get_username()} is {'now' if staff else 'no longer'} staff."
    return _answer(request, refused, done)


@require_POST
@login_required
def user_password(request: HttpRequest, pk: int) -> HttpResponse:
    target = _target(request, pk)
    password, refused = accounts.reset_password(request.user, target)
    if refused:
        return _answer(request, refused, "")
    return _page(request, NewUserForm(), reset_user=target, shown_password=password)
