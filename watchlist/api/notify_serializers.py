"""Serializers of notification targets, named tokens and feed URLs."""

from __future__ import annotations

from django.db import transaction
from rest_framework import serializers

from ..models import ApiToken, NotificationTarget, TokenScope
from ..notify import cipher, targets
from ..notify.kinds import DEFAULT_EVENTS, EventKind
from .fields import StrictFieldsMixin

MAX_TARGETS_PER_USER = 20
MAX_TOKENS_PER_USER = 50


class NotificationTargetSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    """`url` is write-only: it is stored encrypted and answered as
    `url_masked` (secrets hidden) only."""

    name = serializers.CharField(max_length=100, trim_whitespace=True)
    url = serializers.CharField(
        write_only=True,
        max_length=targets.MAX_URL_LENGTH,
        trim_whitespace=True,
        help_text="An Apprise URL, e.g. `discord://id/token`, `ntfys://ntfy.sh/topic`, `mailtos://user:pass@host`.",
    )
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=EventKind.choices),
        allow_empty=False,
        max_length=len(EventKind.values),
        required=False,
        default=list(DEFAULT_EVENTS),
    )
    enabled = serializers.BooleanField(required=False, default=True)

    class Meta:
        model = NotificationTarget
        fields = [
            "id",
            "name",
            "url",
            "url_masked",
            "events",
            "enabled",
            "last_sent_at",
            "last_error",
            "last_error_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "id",
            "url_masked",
            "last_sent_at",
            "last_error",
            "last_error_at",
            "created_at",
            "updated_at",
        ]

    def _owner(self):
        if self.instance is not None:
            return self.instance.owner
        return self.context["owner"]

    def validate_url(self, value: str) -> str:
        try:
            self._masked = targets.validate(value)
        except targets.TargetURLError as exc:
            raise serializers.ValidationError(str(exc)) from None
        return value.strip()

    def validate_events(self, value: list[str]) -> list[str]:
        # Keep the canonical order, drop repeats.
        return [kind for kind in EventKind.values if kind in value]

    def validate_name(self, value: str) -> str:
        others = NotificationTarget.objects.filter(owner=self._owner(), name=value)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise serializers.ValidationError("You already have a target with this name.")
        return value

    def validate(self, attrs: dict) -> dict:
        if self.instance is None:
            if "url" not in attrs:
                raise serializers.ValidationError({"url": ["This field is required."]})
            if NotificationTarget.objects.filter(owner=self._owner()).count() >= MAX_TARGETS_PER_USER:
                raise serializers.ValidationError(
                    {"name": [f"You have {MAX_TARGETS_PER_USER} targets already; delete one first."]}
                )
        return attrs

    def _store_url(self, attrs: dict) -> dict:
        url = attrs.pop("url", None)
        if url is not None:
            attrs["url_encrypted"] = cipher.encrypt(url)
            attrs["url_masked"] = self._masked
            # A new URL starts with a clean slate.
            attrs["last_error"], attrs["last_error_at"] = "", None
        return attrs

    def create(self, validated_data: dict) -> NotificationTarget:
        return NotificationTarget.objects.create(owner=self._owner(), **self._store_url(validated_data))

    def update(self, instance: NotificationTarget, validated_data: dict) -> NotificationTarget:
        with transaction.atomic():
            for name, value in self._store_url(validated_data).items():
                setattr(instance, name, value)
            instance.save()
        return instance


class TargetTestSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    error = serializers.CharField(allow_blank=True)
    target = NotificationTargetSerializer()


class ApiTokenSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    name = serializers.CharField(max_length=100, trim_whitespace=True)
    scope = serializers.ChoiceField(choices=TokenScope.choices, required=False, default=TokenScope.READ)
    shown = serializers.SerializerMethodField(help_text="The token's first characters, to tell it apart.")

    class Meta:
        model = ApiToken
        fields = ["id", "name", "scope", "shown", "created_at", "last_used_at"]
        read_only_fields = ["id", "shown", "created_at", "last_used_at"]

    def get_shown(self, token: ApiToken) -> str:
        from ..tokens import shown

        return shown(token)

    def validate_name(self, value: str) -> str:
        user = self.context["user"]
        if ApiToken.objects.filter(user=user, name=value).exists():
            raise serializers.ValidationError("You already have a token with this name.")
        if ApiToken.objects.filter(user=user).count() >= MAX_TOKENS_PER_USER:
            raise serializers.ValidationError(f"You have {MAX_TOKENS_PER_USER} tokens already; revoke one first.")
        return value


class NewApiTokenSerializer(ApiTokenSerializer):
    token = serializers.CharField(read_only=True, help_text="The token itself: shown this once, never again.")

    class Meta(ApiTokenSerializer.Meta):
        fields = [*ApiTokenSerializer.Meta.fields, "token"]
        read_only_fields = [*ApiTokenSerializer.Meta.read_only_fields, "token"]


class FeedUrlsSerializer(serializers.Serializer):
    episodes_rss = serializers.URLField(help_text="RSS 2.0 feed of your downloaded episodes (secret URL).")
    episodes_atom = serializers.URLField(help_text="The same feed as Atom.")
