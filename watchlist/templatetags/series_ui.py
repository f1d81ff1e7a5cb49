"""Template helpers for series metadata: facts line, episode progress,
posters from this server, air times."""

from __future__ import annotations

from django import template

from ..api.metadata_serializers import item_poster_url
from ..metadata.episodes import episodes_have, episodes_total
from ..metadata.models import Series, SeriesStatus
from ..metadata.titles import titles_of
from ..models import WatchlistItem

register = template.Library()

_FORMATS = {"TV": "TV", "TV_SHORT": "TV short", "MOVIE": "Film", "SPECIAL": "Special", "OVA": "OVA", "ONA": "ONA"}


@register.simple_tag
def series_facts(series: Series) -> str:
    """ "TV · Fall 2023 · 28 episodes · Finished" (what is known of it)."""
    parts = []
    if series.format:
        parts.append(_FORMATS.get(series.format, series.format.replace("_", " ").title()))
    if series.season and series.season_year:
        parts.append(f"{series.season.title()} {series.season_year}")
    elif series.season_year:
        parts.append(str(series.season_year))
    if series.episodes:
        parts.append(f"{series.episodes} episode{'s' if series.episodes != 1 else ''}")
    if series.status:
        parts.append(series_status(series))
    return " · ".join(parts)


@register.simple_tag
def series_status(series: Series) -> str:
    if not series.status:
        return "Unknown"
    return SeriesStatus(series.status).label if series.status in SeriesStatus.values else series.status.title()


@register.simple_tag
def item_poster_src(item: WatchlistItem) -> str:
    return item_poster_url(item)


@register.simple_tag
def episode_progress(item: WatchlistItem) -> str:
    """ "12 of 24" for a series with a known total; "" otherwise."""
    total = episodes_total(item)
    return f"{episodes_have(item)} of {total}" if total else ""


@register.simple_tag
def series_titles_text(series: Series) -> str:
    """Every title and synonym once: what release names are matched against."""
    return " · ".join(titles_of(series))
