"""Human names for stored ids."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ..providers import all_providers


def provider_names() -> dict[str, str]:
    """In the page's language (the names are listed in stored_labels.py)."""
    return {provider_id: _(provider.name) for provider_id, provider in all_providers().items()}


def provider_name(provider_id: str) -> str:
    """The provider's display name; the bare id for a plug-in that is gone."""
    return provider_names().get(provider_id, provider_id)
