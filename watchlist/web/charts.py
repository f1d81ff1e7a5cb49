"""Server-side chart geometry for inline SVG: the dashboard ships no chart
library, and an SVG drawn by the template works offline and without
JavaScript."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# Labels sit above their bar rather than beside it, so long provider names
# never squeeze the bars on a phone.
WIDTH = 400
ROW_HEIGHT = 40
BAR_HEIGHT = 14
LABEL_GAP = 6
VALUE_SPACE = 44  # room after the longest bar for its count


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    label_y: int
    bar_y: int
    width: float
    value_x: float


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    bar_height: int
    bars: list[Bar]
    total: int


def bar_chart(counts: Mapping[str, int], labels: Mapping[str, str] | None = None) -> BarChart:
    """Horizontal bars, largest first, scaled to the largest value."""
    labels = labels or {}
    rows = sorted(counts.items(), key=lambda kv: (-kv[1], labels.get(kv[0], kv[0]).lower()))
    peak = max((value for _, value in rows), default=0)
    usable = WIDTH - VALUE_SPACE
    bars = []
    for index, (key, value) in enumerate(rows):
        top = index * ROW_HEIGHT
        # A zero still gets a sliver, so its row reads as "none" not "missing".
        width = max(2.0, usable * value / peak) if peak else 2.0
        bars.append(
            Bar(
                label=labels.get(key, key),
                value=value,
                label_y=top + 12,
                bar_y=top + 12 + LABEL_GAP,
                width=round(width, 1),
                value_x=round(width + 6, 1),
            )
        )
    height = max(ROW_HEIGHT, len(rows) * ROW_HEIGHT)
    return BarChart(width=WIDTH, height=height, bar_height=BAR_HEIGHT, bars=bars, total=sum(counts.values()))


# Columns for a time series (one per day), in the bars' 400-unit box: a
# wider box would shrink its date labels below reading size on a phone.
COLUMN_WIDTH = WIDTH
COLUMN_AREA_HEIGHT = 120
COLUMN_AXIS_SPACE = 18  # below the columns: the first/last date labels
COLUMN_GAP = 2


@dataclass(frozen=True)
class Column:
    label: str
    value: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class ColumnChart:
    width: int
    height: int
    baseline: int
    columns: list[Column]
    total: int
    peak: int
    first_label: str
    last_label: str


def column_chart(series: Sequence[tuple[str, int]]) -> ColumnChart:
    """Vertical columns in the given order (oldest day first), scaled to the
    largest value; empty days keep a hairline so the time axis stays even."""
    count = max(1, len(series))
    slot = COLUMN_WIDTH / count
    peak = max((value for _, value in series), default=0)
    columns = []
    for index, (label, value) in enumerate(series):
        height = COLUMN_AREA_HEIGHT * value / peak if peak else 0.0
        height = max(1.0, height)
        columns.append(
            Column(
                label=label,
                value=value,
                x=round(index * slot + COLUMN_GAP / 2, 1),
                y=round(COLUMN_AREA_HEIGHT - height, 1),
                width=round(max(1.0, slot - COLUMN_GAP), 1),
                height=round(height, 1),
            )
        )
    return ColumnChart(
        width=COLUMN_WIDTH,
        height=COLUMN_AREA_HEIGHT + COLUMN_AXIS_SPACE,
        baseline=COLUMN_AREA_HEIGHT,
        columns=columns,
        total=sum(value for _, value in series),
        peak=peak,
        first_label=series[0][0] if series else "",
        last_label=series[-1][0] if series else "",
    )
