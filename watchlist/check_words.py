"""What a check found, in plain words and at the right level.

Green is for a source that answered with episodes of the series. A source
that cannot be read (a 404, a refused address) is an error; a source that
answers but lists no episode of this series at all (an empty page, a "soft
404", a group feed of other shows) is a warning: "No new episodes" in green
would say all is well when nothing will ever be found there.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext, ngettext

from .models import CheckRun, Episode, ReleaseDecision, WatchlistItem


@dataclass(frozen=True)
class Verdict:
    level: str  # "success", "warning" or "error": the message and card colours
    text: str

    @property
    def failed(self) -> bool:
        return self.level == "error"


def lists_nothing_for(item: WatchlistItem) -> tuple[bool, int]:
    """(True when the item's last check saw no release that is one of its
    episodes and it has none recorded, the number of releases it saw)."""
    decisions = ReleaseDecision.objects.filter(item_id=item.pk)
    if decisions.filter(episode__isnull=False).exists() or Episode.objects.filter(item_id=item.pk).exists():
        return False, 0
    return True, decisions.count()


def _found_text(new: int, queued: int) -> str:
    # Built when shown, in the reader's language.
    text = ngettext("%(count)d new episode", "%(count)d new episodes", new) % {"count": new}
    if queued:
        text += gettext(", %(count)d queued") % {"count": queued}
    return text


def verdict(*, new: int, queued: int, error: str | None, item: WatchlistItem | None = None) -> Verdict:
    if error:
        return Verdict("error", gettext("Check failed: %(error)s") % {"error": error})
    if new:
        return Verdict("success", _found_text(new, queued))
    if item is not None:
        empty, seen = lists_nothing_for(item)
        if empty:
            if seen:
                text = ngettext(
                    "The source answered, but lists no episode of this series"
                    " (%(count)d release of other series or extras)",
                    "The source answered, but lists no episode of this series"
                    " (%(count)d releases of other series or extras)",
                    seen,
                ) % {"count": seen}
            else:
                text = gettext("The source answered, but lists no episode of this series")
            return Verdict("warning", text)
    return Verdict("success", gettext("No new episodes"))


def verdict_of_run(run: CheckRun, item: WatchlistItem) -> Verdict:
    """The verdict of a stored check (a background one, shown on the card)."""
    return verdict(
        new=run.new_episodes, queued=len(run.queued_episode_numbers or []), error=run.error or None, item=item
    )
