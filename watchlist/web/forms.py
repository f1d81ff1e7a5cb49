"""Dashboard forms.

The item and settings forms render HTML, but their rules are the API's: each
one hands its data to the DRF serializer the API uses and shows that
serializer's errors beside the fields. The Django fields only turn strings into
Python values (and hold labels and widgets), so a rule changed in the
serializer changes the dashboard too.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .. import signin_lockout
from ..api.releases import ReleaseRulesSerializer
from ..api.serializers import WatchlistItemSerializer, WatchlistSettingsSerializer
from ..models import ItemStatus, Quality, ResolutionMode, WatchlistItem
from ..providers import all_providers, detect_provider
from .stored_labels import translated

DETECT = ""  # the provider choice that means "detect from the URL"


def _messages(errors: Any) -> list[str]:
    """DRF error details (lists, nested dicts for list items) as flat strings."""
    if isinstance(errors, dict):
        return [message for value in errors.values() for message in _messages(value)]
    if isinstance(errors, list):
        return [message for value in errors for message in _messages(value)]
    return [str(errors)]


class SerializerForm(forms.Form):
    serializer_class: ClassVar[type[serializers.Serializer]]

    def __init__(self, *args: Any, instance: Any = None, **kwargs: Any) -> None:
        self.instance = instance
        self.serializer: serializers.Serializer | None = None
        super().__init__(*args, **kwargs)
        rules = self.serializer_class().fields
        for name, field in self.fields.items():
            if name in rules:
                self._mirror_constraints(field, rules[name])

    @staticmethod
    def _mirror_constraints(field: forms.Field, rule: serializers.Field) -> None:
        """Copy the serializer's limits into HTML attributes: the browser
        helps early, the serializer still decides."""
        attrs = field.widget.attrs
        if rule.required and not getattr(rule, "allow_blank", True) and not isinstance(field, forms.BooleanField):
            attrs["required"] = True
        for rule_attr, html_attr in (("max_length", "maxlength"), ("min_value", "min"), ("max_value", "max")):
            value = getattr(rule, rule_attr, None)
            # A ListField's max_length counts items, not characters.
            if value is not None and not isinstance(rule, serializers.ListField):
                attrs[html_attr] = value

    def serializer_data(self) -> dict[str, Any]:
        """The cleaned values in the shape the API accepts. Empty optional
        inputs are left out, so the serializer's own defaults apply."""
        rules = self.serializer_class().fields
        data = {}
        for name, value in self.cleaned_data.items():
            if name in rules and value is not None and value != "":
                data[name] = value
        return data

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        data = self.serializer_data()
        serializer = self.serializer_class(self.instance, data=data)
        if serializer.is_valid():
            self.serializer = serializer
            return cleaned
        for name, errors in serializer.errors.items():
            target = name if name in self.fields else None
            if target is not None and target in self.errors:
                continue  # the input could not even be parsed; that error says enough
            for message in _messages(errors):
                self.add_error(target, message)
        return cleaned

    @property
    def validated_data(self) -> dict[str, Any]:
        if self.serializer is None:
            raise ValueError("the form is not valid (call is_valid() first)")
        return dict(self.serializer.validated_data)

    def save(self) -> Any:
        """Save through the serializer, for forms whose API saves that way."""
        if self.serializer is None:
            raise ValueError("the form is not valid (call is_valid() first)")
        return self.serializer.save()


def provider_choices() -> list[tuple[str, str]]:
    providers = sorted(all_providers().values(), key=lambda p: p.name.lower())
    return [(DETECT, _("Detect from the URL")), *translated((p.id, p.name) for p in providers)]


class ItemForm(SerializerForm):
    serializer_class = WatchlistItemSerializer
    # Set by the view when the service refuses a second copy of a source.
    duplicate: WatchlistItem | None = None

    anime_title = forms.CharField(label=_("Title"), required=False)
    anime_url = forms.CharField(
        label=_("Source URL"),
        required=False,
        widget=forms.URLInput(attrs={"placeholder": "https://example.org/series/feed.xml", "inputmode": "url"}),
        help_text=_(
            "An RSS/Atom feed, a directory listing of video files, or a playlist page. "
            "With the provider “Indexers (Torznab)”, leave it empty: your indexers are searched by title."
        ),
    )
    provider_id = forms.ChoiceField(label=_("Provider"), required=False, choices=provider_choices)
    lang = forms.CharField(
        label=_("Language"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "e.g. vostfr, en", "autocapitalize": "none"}),
        help_text=_("Only releases in this language are picked. Leave empty for any."),
    )
    quality_preference = forms.ChoiceField(
        label=_("Quality"), choices=translated(Quality.choices), initial=Quality.AUTO
    )
    auto_download = forms.BooleanField(label=_("Download new episodes automatically"), required=False, initial=True)
    last_episode_downloaded = forms.IntegerField(
        label=_("Last episode you have"),
        required=False,
        initial=0,
        help_text=_("Episodes after this one count as new. 0 = from the first episode."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    status = forms.ChoiceField(label=_("Status"), choices=translated(ItemStatus.choices), initial=ItemStatus.ACTIVE)
    poster_image = forms.CharField(
        label=_("Poster image URL"), required=False, widget=forms.URLInput(attrs={"inputmode": "url"})
    )
    synopsis = forms.CharField(label=_("Synopsis"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    genres = forms.CharField(
        label=_("Genres"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "Adventure, Fantasy"}),
        help_text=_("Separated by commas."),
    )
    title_aliases = forms.CharField(
        label=_("Other titles"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "Sousou no Frieren\nFrieren: Beyond Journey's End"}),
        help_text=_(
            "One per line: the titles release names give this series. A release counts only when its "
            "title is one of these or the title above."
        ),
    )
    season = forms.IntegerField(
        label=_("Season"),
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=_("The season this entry follows; empty for the whole show."),
    )
    first_absolute_episode = forms.IntegerField(
        label=_("Season starts at episode"),
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=_("When releases number episodes across seasons: with 25 here, episode 29 is this season's 5."),
    )
    include_specials = forms.BooleanField(
        label=_("Take specials too"), required=False, help_text=_("OVAs, movies, recaps and other extras.")
    )
    anilist_id = forms.IntegerField(
        label=_("AniList id"),
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=_("Links the series to AniList: episode count, air times, poster. The number in its AniList URL."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.detecting = False  # True while "Detect from the URL" is being resolved
        if self.instance is None:
            # A new item starts active; pausing is one click on the list.
            del self.fields["status"]
        elif not self.is_bound:
            self.initial = {name: getattr(self.instance, name) for name in self.fields if hasattr(self.instance, name)}
            self.initial["genres"] = ", ".join(self.instance.genres)
            self.initial["title_aliases"] = "\n".join(self.instance.title_aliases)
            self.initial["anilist_id"] = self.instance.series.anilist_id if self.instance.series_id else None

    def serializer_data(self) -> dict[str, Any]:
        data = super().serializer_data()
        # An unchecked box is "off", not "missing": keep False.
        data["auto_download"] = self.cleaned_data.get("auto_download", False)
        if self.instance is not None:
            # Edits replace the whole item, so cleared optional fields are cleared.
            for name in ("lang", "poster_image", "synopsis"):
                data.setdefault(name, "")
            data.setdefault("anilist_id", None)
        raw_genres = self.cleaned_data.get("genres") or ""
        data["genres"] = [genre.strip() for genre in raw_genres.split(",") if genre.strip()]
        raw_aliases = self.cleaned_data.get("title_aliases") or ""
        data["title_aliases"] = [alias.strip() for alias in raw_aliases.splitlines() if alias.strip()]
        data["include_specials"] = self.cleaned_data.get("include_specials", False)
        for name in ("season", "first_absolute_episode"):
            data.setdefault(name, None)  # emptied: the whole show / no absolute numbering
        # Only an explicit "Detect" choice detects; an unparseable choice
        # keeps its own error.
        self.detecting = self.cleaned_data.get("provider_id") == DETECT
        if self.detecting and data.get("anime_url"):
            detected = detect_provider(data["anime_url"])
            if detected is not None:
                data["provider_id"] = detected.id
        return data

    def clean(self) -> dict[str, Any]:
        self.detecting = False
        cleaned = super().clean()
        if self.detecting and "provider_id" in self.errors:
            # The serializer only knows the id is missing. With a bad or empty
            # URL, the URL's own error explains it; otherwise say why.
            if "anime_url" in self.errors:
                del self.errors["provider_id"]
            else:
                self.errors["provider_id"] = self.error_class(
                    ["No provider recognised this URL. Choose one from the list."], renderer=self.renderer
                )
        return cleaned


def time_zone_choices() -> list[tuple[str, str]]:
    from django.conf import settings

    from ..metadata.calendar import zone_names

    return [
        ("", _("Server default (%(zone)s)") % {"zone": settings.TIME_ZONE}),
        *((name, name) for name in sorted(zone_names())),
    ]


class SettingsForm(SerializerForm):
    serializer_class = WatchlistSettingsSerializer

    check_interval_hours = forms.IntegerField(
        label=_("Check every (hours)"),
        help_text=_("How often your active series are checked for new episodes."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    auto_download_enabled = forms.BooleanField(
        label=_("Automatic downloads"),
        required=False,
        help_text=_("Off: new episodes are recorded but nothing is downloaded, whatever each series says."),
    )
    max_concurrent_auto_downloads = forms.IntegerField(
        label=_("Downloads at the same time"),
        help_text=_("More wait in the queue until a slot frees."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    notify_on_new_episodes = forms.BooleanField(label=_("Notify me about new episodes"), required=False)
    include_completed_anime = forms.BooleanField(
        label=_("Keep checking completed series"),
        required=False,
        help_text=_("Useful for series that get extra episodes or new versions after they end."),
    )
    complete_finished_series = forms.BooleanField(
        label=_("Complete finished series by themselves"),
        required=False,
        help_text=_("When AniList says a series has ended and every episode is downloaded, it moves to Completed."),
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        required=False,
        choices=time_zone_choices,
        help_text=_("Air times on the calendar and every time on these pages."),
    )

    def serializer_data(self) -> dict[str, Any]:
        data = super().serializer_data()
        for name, field in self.fields.items():
            if isinstance(field, forms.BooleanField):
                data[name] = self.cleaned_data.get(name, False)
        # "" is a choice here (the server's zone), not a missing value.
        data["time_zone"] = self.cleaned_data.get("time_zone") or ""
        return data


def _comma_list(text: str | None) -> list[str]:
    return [word.strip() for word in (text or "").split(",") if word.strip()]


class ReleaseRulesForm(SerializerForm):
    """The user's release rules, or one item's overrides (``for_item``):
    the rules of PUT /api/watchlist/release-rules."""

    serializer_class = ReleaseRulesSerializer

    LIST_FIELDS = ("preferred_groups", "blocked_groups", "required_words", "forbidden_words")
    NULLABLE = ("resolution", "min_seeders", "max_episode_mb", "skip_remakes")

    preferred_groups = forms.CharField(
        label=_("Preferred groups"), required=False, help_text=_("Separated by commas; taken first.")
    )
    blocked_groups = forms.CharField(label=_("Blocked groups"), required=False, help_text=_("Never taken."))
    required_words = forms.CharField(
        label=_("Required words"), required=False, help_text=_("Every release must have them.")
    )
    forbidden_words = forms.CharField(
        label=_("Forbidden words"), required=False, help_text=_("No release may have them.")
    )
    resolution_mode = forms.ChoiceField(
        label=_("Resolution rule"),
        required=False,
        choices=[("", _("Default: the preferred one, else the nearest")), *translated(ResolutionMode.choices)],
    )
    resolution = forms.TypedChoiceField(
        label=_("Resolution to aim at"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("The best available")), *((h, f"{h}p") for h in (2160, 1440, 1080, 720, 576, 480, 360))],
        help_text=_("For series whose quality is “Best available”."),
    )
    language = forms.CharField(
        label=_("Language"), required=False, help_text=_("For series that name none, e.g. vostfr, en. Empty: any.")
    )
    min_seeders = forms.IntegerField(label=_("Minimum seeders"), required=False, help_text=_("Torrents only."))
    max_episode_mb = forms.IntegerField(label=_("Largest episode (MB)"), required=False)
    skip_remakes = forms.TypedChoiceField(
        label=_("Remakes"),
        required=False,
        coerce=lambda value: value == "skip",
        empty_value=None,
        choices=[("", _("Default: skip them")), ("skip", _("Skip them")), ("take", _("Take them"))],
    )

    def __init__(self, *args: Any, for_item: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if for_item:
            self.fields["resolution_mode"].choices = [
                ("", _("As in your release rules")),
                *translated(ResolutionMode.choices),
            ]
            self.fields["skip_remakes"].choices = [
                ("", _("As in your release rules")),
                ("skip", _("Skip them")),
                ("take", _("Take them")),
            ]
            self.fields["resolution"].choices = [
                ("", _("As in your release rules")),
                *self.fields["resolution"].choices[1:],
            ]
        if self.instance is not None and not self.is_bound:
            self.initial = {name: getattr(self.instance, name) for name in self.fields}
            for name in self.LIST_FIELDS:
                self.initial[name] = ", ".join(getattr(self.instance, name))
            remakes = self.instance.skip_remakes
            self.initial["skip_remakes"] = "" if remakes is None else ("skip" if remakes else "take")

    def serializer_data(self) -> dict[str, Any]:
        data = super().serializer_data()
        for name in self.LIST_FIELDS:
            data[name] = _comma_list(self.cleaned_data.get(name))
        for name in self.NULLABLE:
            data.setdefault(name, None)
        data.setdefault("resolution_mode", "")
        data.setdefault("language", "")
        return data


class RateLimitedAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "rate_limited": "Too many failed sign-in attempts. Try again in %(minutes)s minute%(plural)s.",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lockout: signin_lockout.Lockout | None = None
        self.fields["username"].widget.attrs.update({"autocapitalize": "none", "autocomplete": "username"})

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        # Checked before the password, so a locked-out guess costs nothing
        # and tells nothing.
        self.lockout = signin_lockout.lockout_for(self.request, username)
        if self.lockout is not None:
            minutes = self.lockout.retry_after_minutes
            raise ValidationError(
                self.error_messages["rate_limited"],
                code="rate_limited",
                params={"minutes": minutes, "plural": "" if minutes == 1 else "s"},
            )
        try:
            cleaned = super().clean()
        except ValidationError as exc:
            if exc.code == "invalid_login":
                signin_lockout.record_failure(self.request, username)
            raise
        if self.user_cache is not None:
            signin_lockout.clear(self.request, username)
        return cleaned
