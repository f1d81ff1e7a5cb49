"""The item page's check history in plain words.

Each check says what it found ("2 new episodes (5, 6), 2 queued", "No new
episodes") and what the source did, in words a user reads at a glance:
"Source unchanged since 21:04" rather than "Revalidated (304) · 221 ms".
"Since" is the last check of this series that read the source's listing
anew (a 200 answer).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..models import CheckRun, SourceStatus


@dataclass(frozen=True)
class HistoryLine:
    run: CheckRun
    level: str  # "success", "warning", "error"
    outcome: str
    source: str  # what the source did, before any time ("Source unchanged since")
    since: datetime | None = None  # the time that ends ``source``, when it has one


def _outcome(run: CheckRun) -> tuple[str, str]:
    if run.error:
        return "error", run.error
    if run.new_episodes:
        numbers = ", ".join(str(n) for n in run.new_episode_numbers or [])
        text = ngettext("%(n)d new episode", "%(n)d new episodes", run.new_episodes) % {"n": run.new_episodes}
        text += f" ({numbers})" if numbers else ""
        queued = len(run.queued_episode_numbers or [])
        if queued:
            text += ", " + _("%(n)d queued") % {"n": queued}
        return "success", text
    return "success", _("No new episodes")


def _source(run: CheckRun, last_read: datetime | None) -> tuple[str, datetime | None]:
    status = run.source_status
    if status == SourceStatus.FETCHED:
        return _("Source read anew (it had changed)"), None
    if status == SourceStatus.NOT_MODIFIED:
        return (_("Source unchanged since"), last_read) if last_read else (_("Source unchanged, the server said"), None)
    if status == SourceStatus.FRESH:
        if last_read:
            return _("Source read a few minutes before, unchanged since"), last_read
        return _("Source read a few minutes before; not asked again"), None
    if status == SourceStatus.STALE:
        return _("Source busy with another check; its last listing was used"), None
    if status == SourceStatus.ERROR:
        return _("The source could not be read"), None
    return "", None


def history_lines(runs: list[CheckRun], read_before: datetime | None = None) -> list[HistoryLine]:
    """``runs`` newest first (as the page lists them); ``read_before``: the
    last anew-read before the oldest of them, if any."""
    lines: list[HistoryLine] = []
    last_read = read_before
    for run in reversed(runs):
        level, outcome = _outcome(run)
        source, since = _source(run, last_read)
        lines.append(HistoryLine(run, level, outcome, source, since))
        if run.source_status == SourceStatus.FETCHED:
            last_read = run.started_at
    return list(reversed(lines))


def history_for(item, shown: int) -> list[HistoryLine]:
    runs = list(item.check_runs.order_by("-started_at")[:shown])
    read_before = None
    if runs:
        read_before = (
            item.check_runs.filter(source_status=SourceStatus.FETCHED, started_at__lt=runs[-1].started_at)
            .order_by("-started_at")
            .values_list("started_at", flat=True)
            .first()
        )
    return history_lines(runs, read_before)
