"""Accounts: sessions, passwords, and what staff do to other users.

The dashboard's account page (change your password, sign out your other
sessions) and the staff's users page (create, disable, make staff, reset a
password) call these, so the rules live in one place:

- signing out elsewhere deletes the other sessions outright (a stolen
  session cookie stops working at once), those recorded at sign-in
  (`AccountSession`) and any older one found by reading the live sessions;
- a disabled account is signed out everywhere and its schedule stopped
  (its API tokens are refused because the account is inactive);
- nobody disables or demotes themselves, and staff who are not superusers
  cannot act on a superuser (no way up through a password reset).
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model, user_logged_in, user_logged_out
from django.contrib.sessions.models import Session
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from watchlist_project.security import client_address

from . import schedule
from .account_models import AccountSession
from .models import WatchlistSettings

logger = logging.getLogger(__name__)

GENERATED_PASSWORD_BYTES = 12


@receiver(user_logged_in, dispatch_uid="watchlist_account_session_in")
def remember_session(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    session = getattr(request, "session", None)
    if request is None or session is None:
        return
    if session.session_key is None:
        session.save()
    try:
        AccountSession.objects.update_or_create(
            session_key=session.session_key,
            defaults={
                "user": user,
                "signed_in_at": timezone.now(),
                "user_agent": request.headers.get("User-Agent", "")[:300],
                "address": client_address(request)[:64],
            },
        )
    except Exception:
        # A sign-in must never fail because of this bookkeeping.
        logger.warning("could not record the session of %s", user, exc_info=True)


@receiver(user_logged_out, dispatch_uid="watchlist_account_session_out")
def forget_session(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    key = getattr(getattr(request, "session", None), "session_key", None)
    if key:
        AccountSession.objects.filter(session_key=key).delete()


def _live_session_keys(user: Any) -> set[str]:
    """Keys of the user's unexpired sessions, recorded or not (sessions
    from before sign-ins were recorded are found by reading them)."""
    keys = set(AccountSession.objects.filter(user=user).values_list("session_key", flat=True))
    user_id = str(user.pk)
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        # get_decoded() answers {} for a session it cannot read: nobody's.
        if str(session.get_decoded().get("_auth_user_id")) == user_id:
            keys.add(session.session_key)
    return keys


def sign_out_sessions(user: Any, *, keep: str | None = None) -> int:
    """End every session of ``user`` except ``keep``; return how many ended."""
    keys = _live_session_keys(user) - {keep}
    with transaction.atomic():
        ended, _ = Session.objects.filter(session_key__in=keys).delete()
        AccountSession.objects.filter(user=user).exclude(session_key=keep or "").delete()
    return ended


def other_sessions(user: Any, current_key: str | None) -> list[AccountSession]:
    live = set(Session.objects.filter(expire_date__gt=timezone.now()).values_list("session_key", flat=True))
    rows = AccountSession.objects.filter(user=user).exclude(session_key=current_key or "")
    return [row for row in rows if row.session_key in live]


def generated_password() -> str:
    return secrets.token_urlsafe(GENERATED_PASSWORD_BYTES)


@dataclass(frozen=True)
class Refusal:
    message: str


def may_manage(actor: Any, target: Any) -> Refusal | None:
    """Whether staff ``actor`` may change ``target``'s account at all."""
    if not actor.is_staff:
        return Refusal("Only staff manage accounts.")
    if target.is_superuser and not actor.is_superuser:
        return Refusal(f"{target.get_username()} is a superuser; only a superuser can change that account.")
    return None


def set_active(actor: Any, target: Any, active: bool) -> Refusal | None:
    refused = may_manage(actor, target)
    if refused:
        return refused
    if target.pk == actor.pk and not active:
        return Refusal("You cannot disable your own account.")
    with transaction.atomic():
        target.is_active = active
        target.save(update_fields=["is_active"])
        row = WatchlistSettings.for_user(target)
        if active:
            schedule.start(row)
        else:
            # Nothing of a disabled account keeps running on its behalf.
            schedule.stop(row)
    if not active:
        sign_out_sessions(target)
    return None


def set_staff(actor: Any, target: Any, staff: bool) -> Refusal | None:
    refused = may_manage(actor, target)
    if refused:
        return refused
    if target.pk == actor.pk and not staff:
        return Refusal("You cannot remove your own staff status.")
    target.is_staff = staff
    target.save(update_fields=["is_staff"])
    return None


def reset_password(actor: Any, target: Any) -> tuple[str | None, Refusal | None]:
    """A new random password for ``target`` (shown once to the actor); every
    session of the target ends."""
    refused = may_manage(actor, target)
    if refused:
        return None, refused
    password = generated_password()
    target.set_password(password)
    target.save(update_fields=["password"])
    sign_out_sessions(target)
    return password, None


def create_user(username: str, password: str, *, staff: bool) -> Any:
    user = get_user_model().objects.create_user(username=username, password=password)
    if staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    WatchlistSettings.for_user(user)
    return user
