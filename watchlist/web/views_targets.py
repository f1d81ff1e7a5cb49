"""Dashboard: the user's notification targets (the same rules as
/api/notifications/targets: the API serializer decides), the test button,
and the digest option."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from ..api.notify_serializers import NotificationTargetSerializer
from ..models import DigestMode, NotificationTarget, WatchlistSettings
from ..notify.delivery import send_test
from ..notify.kinds import DEFAULT_EVENTS, EventKind
from .responses import is_htmx_swap
from .stored_labels import translated


class TargetForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("Yours to choose, e.g. “Discord” or “Email”."))
    url = forms.CharField(
        label=_("Apprise URL"),
        max_length=2000,
        required=False,
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off", "class": "mono"}),
        help_text=_(
            "discord://webhook_id/webhook_token, ntfys://ntfy.sh/your-topic, "
            "mailtos://user:password@mail.example.org?to=you@example.org, json://host/path … "
            "Stored encrypted; shown back masked."
        ),
    )
    events = forms.MultipleChoiceField(
        label=_("Send"), choices=translated(EventKind.choices), widget=forms.CheckboxSelectMultiple, required=False
    )
    enabled = forms.BooleanField(label=_("On"), required=False, initial=True)

    def __init__(self, *args: Any, instance: NotificationTarget | None = None, owner: Any = None, **kwargs: Any):
        self.instance = instance
        self.owner = owner
        super().__init__(*args, **kwargs)
        if instance is not None:
            self.fields["url"].help_text = _("Now: %(url)s. Leave empty to keep it.") % {"url": instance.url_masked}
        else:
            self.fields["url"].required = True

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.errors:
            return cleaned
        data = {
            "name": cleaned.get("name", ""),
            "events": cleaned.get("events") or [],
            "enabled": bool(cleaned.get("enabled")),
        }
        if cleaned.get("url"):
            data["url"] = cleaned["url"]
        if not data["events"]:
            self.add_error("events", "Choose at least one kind of event.")
            return cleaned
        serializer = NotificationTargetSerializer(
            self.instance, data=data, partial=self.instance is not None, context={"owner": self.owner}
        )
        if serializer.is_valid():
            self.serializer = serializer
        else:
            for name, errors in serializer.errors.items():
                for error in errors if isinstance(errors, list) else [errors]:
                    self.add_error(name if name in self.fields else None, str(error))
        return cleaned

    def save(self) -> NotificationTarget:
        return self.serializer.save()


class DigestForm(forms.Form):
    notification_digest = forms.ChoiceField(
        label=_("Send messages"),
        choices=translated(DigestMode.choices),
        widget=forms.RadioSelect,
        help_text=_("Immediately still groups events that come close together into one message."),
    )


def _page(request: HttpRequest, form: TargetForm, status: int = 200) -> HttpResponse:
    row = WatchlistSettings.for_user(request.user)
    context = {
        "targets": NotificationTarget.objects.filter(owner=request.user),
        "form": form,
        "digest_form": DigestForm(initial={"notification_digest": row.notification_digest}),
    }
    return render(request, "watchlist/targets/page.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def targets_page(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _page(request, TargetForm(owner=request.user, initial={"events": DEFAULT_EVENTS, "enabled": True}))
    form = TargetForm(request.POST, owner=request.user)
    if not form.is_valid():
        return _page(request, form, status=400)
    target = form.save()
    messages.success(request, _("Target “%(name)s” added. Use “Send a test” to check it.") % {"name": target.name})
    return redirect("web:notification-targets")


@require_http_methods(["GET", "POST"])
@login_required
def target_edit(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_object_or_404(NotificationTarget, pk=pk, owner=request.user)
    if request.method == "GET":
        initial = {"name": target.name, "events": target.events, "enabled": target.enabled}
        form = TargetForm(instance=target, owner=request.user, initial=initial)
        return render(request, "watchlist/targets/edit.html", {"form": form, "target": target})
    form = TargetForm(request.POST, instance=target, owner=request.user)
    if not form.is_valid():
        return render(request, "watchlist/targets/edit.html", {"form": form, "target": target}, status=400)
    form.save()
    messages.success(request, _("Target “%(name)s” saved.") % {"name": target.name})
    return redirect("web:notification-targets")


@require_POST
@login_required
def target_delete(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_object_or_404(NotificationTarget, pk=pk, owner=request.user)
    target.delete()
    messages.success(request, _("Target “%(name)s” deleted.") % {"name": target.name})
    return redirect("web:notification-targets")


@require_POST
@login_required
def target_test(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_object_or_404(NotificationTarget, pk=pk, owner=request.user)
    outcome = send_test(target)
    if is_htmx_swap(request):
        return render(request, "watchlist/targets/_target.html", {"target": target, "tested": outcome})
    if outcome.ok:
        messages.success(request, _("Test sent to “%(name)s”.") % {"name": target.name})
    else:
        messages.error(
            request, _("The test to “%(name)s” failed: %(error)s") % {"name": target.name, "error": outcome.error}
        )
    return redirect("web:notification-targets")


@require_POST
@login_required
def digest_save(request: HttpRequest) -> HttpResponse:
    form = DigestForm(request.POST)
    if form.is_valid():
        WatchlistSettings.for_user(request.user)
        WatchlistSettings.objects.filter(user=request.user).update(
            notification_digest=form.cleaned_data["notification_digest"]
        )
        messages.success(request, "Saved: " + DigestMode(form.cleaned_data["notification_digest"]).label + ".")
    else:
        messages.error(request, _("Choose how often messages are sent."))
    return redirect("web:notification-targets")
