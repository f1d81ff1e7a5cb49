"""Less noise: events of one kind for one series become one line
("Frieren: episodes 5-8 downloaded"), and a batch of lines one message.

Used for the in-app rows (events.py merges into an unread row) and for the
messages targets get (delivery.py), so both read the same.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from .kinds import EventKind

APP_NAME = "Watchlist"


class EventLike(Protocol):
    kind: str
    series: str
    episodes: list[int]
    detail: str
    occurred_at: datetime

    @property
    def item_id(self): ...


def episode_ranges(numbers: Iterable[int]) -> str:
    """[5, 6, 7, 8] -> "5-8"; [1, 3, 4, 5, 9] -> "1, 3-5, 9"."""
    ordered = sorted(set(numbers))
    parts: list[str] = []
    start = previous = None
    for n in ordered:
        if start is None:
            start = previous = n
        elif n == previous + 1:
            previous = n
        else:
            parts.append(str(start) if start == previous else f"{start}-{previous}")
            start = previous = n
    if start is not None:
        parts.append(str(start) if start == previous else f"{start}-{previous}")
    return ", ".join(parts)


def _episodes_words(numbers: list[int]) -> str:
    noun = "episode" if len(set(numbers)) == 1 else "episodes"
    return f"{noun} {episode_ranges(numbers)}"


def line(kind: str, series: str, episodes: list[int], detail: str = "", count: int = 1) -> str:
    """One group in plain words, without a final full stop."""
    name = series or "A series"
    if kind == EventKind.NEW_EPISODES:
        return f"{name}: new {_episodes_words(episodes)}" if episodes else f"{name}: new episodes"
    if kind == EventKind.DOWNLOAD_COMPLETED:
        return f"{name}: {_episodes_words(episodes)} downloaded" if episodes else f"{name}: download completed"
    if kind == EventKind.DOWNLOAD_FAILED:
        what = _episodes_words(episodes) if episodes else "a download"
        return f"{name}: {what} could not be downloaded" + (f": {detail}" if detail else "")
    if kind == EventKind.SOURCE_FAILING:
        return f"{name}: the source keeps failing" + (f" ({detail})" if detail else "")
    if kind == EventKind.SERIES_COMPLETED:
        return f"{name}: every episode is downloaded; the series is complete"
    return f"{name}: {detail}" if detail else name


@dataclass
class Group:
    kind: str
    series: str
    item_id: object
    episodes: list[int] = field(default_factory=list)
    detail: str = ""
    count: int = 0
    first_at: datetime | None = None
    last_at: datetime | None = None

    def text(self) -> str:
        return line(self.kind, self.series, self.episodes, self.detail, self.count)


def group_events(events: Iterable[EventLike]) -> list[Group]:
    """Events grouped by (kind, series), in the order each group began."""
    groups: dict[tuple[str, object], Group] = {}
    for event in sorted(events, key=lambda e: e.occurred_at):
        key = (event.kind, event.item_id or event.series)
        group = groups.get(key)
        if group is None:
            group = groups[key] = Group(event.kind, event.series, event.item_id, first_at=event.occurred_at)
        for n in event.episodes or []:
            if n not in group.episodes:
                group.episodes.append(n)
        group.episodes.sort()
        group.detail = event.detail or group.detail  # the latest reason
        group.count += 1
        group.last_at = event.occurred_at
    return list(groups.values())


def compose(groups: list[Group]) -> tuple[str, str]:
    """(title, body) of one message carrying these groups."""
    if not groups:
        return APP_NAME, ""
    if len(groups) == 1:
        text = groups[0].text()
        return _clip(text, 250), text + "."
    title = f"{APP_NAME}: {len(groups)} updates"
    return title, "\n".join(f"- {group.text()}." for group in groups)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
