"""The language switch of the account menu (and of the sign-in page).

Choosing a language stores it in Django's language cookie, which
LocaleMiddleware reads before the browser's Accept-Language; choosing
"browser" removes the cookie so the browser's preference applies again.
A cookie rather than an account field: the sign-in page needs it too.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .responses import safe_next

FOLLOW_BROWSER = "browser"


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    choice = request.POST.get("language", "")
    known = {code for code, _name in settings.LANGUAGES}
    if choice != FOLLOW_BROWSER and choice not in known:
        return HttpResponseBadRequest(_("language: choose one of %(choices)s.") % {"choices": ", ".join(sorted(known))})
    response = redirect(safe_next(request, "/"))
    if choice == FOLLOW_BROWSER:
        response.delete_cookie(settings.LANGUAGE_COOKIE_NAME)
    else:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            choice,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response
