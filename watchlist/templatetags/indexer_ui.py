"""Template filters of the indexer pages."""

from __future__ import annotations

from django import template

from ..indexers.models import Indexer
from ..indexers.status import caps_words, is_failing, state_words

register = template.Library()


@register.filter
def indexer_state(indexer: Indexer) -> str:
    return state_words(indexer, translated=True)


@register.filter
def indexer_searches(indexer: Indexer) -> str:
    return caps_words(indexer)


@register.filter
def indexer_failing(indexer: Indexer) -> bool:
    return is_failing(indexer)
