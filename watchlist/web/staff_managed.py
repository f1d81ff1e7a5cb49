"""The flow shared by the dashboard pages where staff manage a service the
whole site uses (Torznab indexers, the torrent client): staff only, edit,
delete, and a "Test" that asks the service now and answers in its row (htmx)
or as a page-wide message. What differs between those pages is data (the
model, its form, its templates and words), so the flow is written once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from .responses import is_htmx_swap

# The edit form of one object: bound to the posted data, or unbound (None) to show it.
FormFor = Callable[[Any, QueryDict | None], forms.BaseForm]
# Ask the service now; its outcome has .ok and .error.
Probe = Callable[[Any], Any]
# The page-wide messages for a passed and a failed test of one object.
TestWords = Callable[[Any, Any], tuple[str, str]]
View = Callable[..., HttpResponse]


@dataclass(frozen=True)
class StaffManaged:
    model: type[models.Model]
    noun: str  # the template context's name for one object: "indexer", "client"
    page_route: str  # the list page's URL name, where every action returns
    row_template: str
    edit_template: str
    refusal: str  # why someone who is not staff gets a 403
    saved: str  # "... “%(name)s” saved."
    deleted: str  # "... “%(name)s” deleted."

    def require_staff(self, request: HttpRequest) -> None:
        if not request.user.is_staff:
            raise PermissionDenied(str(self.refusal))

    def get(self, request: HttpRequest, pk: int) -> Any:
        self.require_staff(request)
        return get_object_or_404(self.model, pk=pk)

    def edit(self, request: HttpRequest, pk: int, form_for: FormFor) -> HttpResponse:
        thing = self.get(request, pk)
        form = form_for(thing, request.POST if request.method == "POST" else None)
        context = {"form": form, self.noun: thing}
        if request.method != "POST":
            return render(request, self.edit_template, context)
        if not form.is_valid():
            return render(request, self.edit_template, context, status=400)
        form.save()
        messages.success(request, str(self.saved) % {"name": thing.name})
        return redirect(self.page_route)

    def delete(self, request: HttpRequest, pk: int) -> HttpResponse:
        thing = self.get(request, pk)
        thing.delete()
        messages.success(request, str(self.deleted) % {"name": thing.name})
        return redirect(self.page_route)

    def test(self, request: HttpRequest, pk: int, probe: Probe, words: TestWords) -> HttpResponse:
        """Ask the service now; answer with its row again, the outcome in it
        (htmx), or, for a plain post, with the outcome as a page message."""
        thing = self.get(request, pk)
        outcome = probe(thing)
        if is_htmx_swap(request):
            return render(request, self.row_template, {self.noun: thing, "tested": outcome})
        passed, failed = words(thing, outcome)
        if outcome.ok:
            messages.success(request, passed)
        else:
            messages.error(request, failed)
        return redirect(self.page_route)

    # The views, signed in and by method, for the URL patterns.
    def edit_view(self, form_for: FormFor) -> View:
        return require_http_methods(["GET", "POST"])(
            login_required(lambda request, pk: self.edit(request, pk, form_for))
        )

    def delete_view(self) -> View:
        return require_POST(login_required(self.delete))

    def test_view(self, probe: Probe, words: TestWords) -> View:
        return require_POST(login_required(lambda request, pk: self.test(request, pk, probe, words)))
