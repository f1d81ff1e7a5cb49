"""The item rules of a torznab item, used by the item serializer (and so by
the API, the dashboard's forms, backups): its ``anime_url`` is a search
address made from its title and season (plan.py), not a URL to fetch, and
it may be left out."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..api.fields import HttpUrlField
from .plan import BadSearchURL, is_search_url, normalized_search_url, search_url

TORZNAB = "torznab"

_SOURCE_URL_SCHEMA = {
    "type": "string",
    "maxLength": 2000,
    "description": "An http(s) URL of the source; for provider_id torznab a search address "
    "(torznab:?q=<title>[&season=N]) made from the title when left out.",
    "pattern": "^(https?://|torznab:)",
}


@extend_schema_field(_SOURCE_URL_SCHEMA)
class SourceUrlField(HttpUrlField):
    """An http(s) URL, or a torznab search address."""

    def to_internal_value(self, data: Any) -> str:
        if isinstance(data, str) and is_search_url(data):
            try:
                return normalized_search_url(data)
            except BadSearchURL as exc:
                raise serializers.ValidationError(f"{exc}.") from None
        return super().to_internal_value(data)

    def run_validators(self, value: Any) -> None:
        if isinstance(value, str) and is_search_url(value):
            return  # checked by to_internal_value; the http(s) validator is for URLs
        super().run_validators(value)


def enabled_indexer_exists() -> bool:
    from .models import Indexer

    return Indexer.objects.filter(enabled=True).exists()


def complete_source(attrs: dict[str, Any], instance: Any) -> dict[str, Any]:
    """Check and fill ``anime_url`` for the item's provider (after the
    fields' own validation). Raises ValidationError naming the field."""
    provider = attrs.get("provider_id", getattr(instance, "provider_id", None))
    url = attrs.get("anime_url")
    if provider != TORZNAB:
        if url and is_search_url(url):
            raise serializers.ValidationError(
                {"anime_url": ["A torznab: search address goes with provider_id torznab (the indexers)."]}
            )
        if instance is None and not url:
            raise serializers.ValidationError({"anime_url": ["This field is required."]})
        return attrs
    if url and not is_search_url(url):
        raise serializers.ValidationError(
            {
                "anime_url": [
                    "A torznab item searches the indexers: leave the URL empty "
                    "(or give a torznab:?q=<title> search address)."
                ]
            }
        )
    switching = instance is None or getattr(instance, "provider_id", None) != TORZNAB
    if switching and not enabled_indexer_exists():
        raise serializers.ValidationError(
            {"provider_id": ["No indexer is enabled; an administrator adds Torznab indexers (Prowlarr, Jackett)."]}
        )
    # The address an edit form sends back unchanged follows the new title.
    unchanged = instance is not None and url == getattr(instance, "anime_url", None)
    renamed = "anime_title" in attrs or "season" in attrs
    if not url or (unchanged and renamed):
        title = attrs.get("anime_title") or getattr(instance, "anime_title", "")
        season = attrs["season"] if "season" in attrs else getattr(instance, "season", None)
        if not title:
            raise serializers.ValidationError({"anime_title": ["A torznab item searches by its title: give one."]})
        attrs["anime_url"] = search_url(title, season)
    return attrs
