"""Template filter that shows a stored download link without its secrets."""

from __future__ import annotations

from django import template

from downloads.net.secrets import mask_url_secrets

register = template.Library()


@register.filter
def masked_url(url: str) -> str:
    return mask_url_secrets(url or "")
