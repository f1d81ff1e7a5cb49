"""Human names for stored ids."""

from __future__ import annotations

from ..providers import all_providers


def provider_names() -> dict[str, str]:
    return {provider_id: provider.name for provider_id, provider in all_providers().items()}


def provider_name(provider_id: str) -> str:
    """The provider's display name; the bare id for a plug-in that is gone."""
    return provider_names().get(provider_id, provider_id)
