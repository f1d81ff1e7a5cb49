"""The user's pick, "download this one instead": a release the last check
saw for an episode becomes the episode's release and is downloaded (the
dashboard and the API share this).

A batch release ("Show - 01-12 [Batch]") picked by hand is what the
check's own batch choice is: one torrent job for the episodes it holds
that are not downloaded or being downloaded, each to its own file."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

from downloads.models import DownloadJob
from watchlist.models import Episode, EpisodeState, ReleaseDecision, WatchlistItem

from .batches import number_span
from .choose import batch_span, episode_span
from .upgrade import ReplaceRefused, replace_release

log = logging.getLogger(__name__)

# A decision with one of these codes is no episode of the item: picking it
# would put another series, a batch or another season under an episode.
# Lazy: translated when said, in the language of whoever asked.
_NOT_AN_EPISODE = gettext_lazy("%(reason)s: it is not one of this series' episodes")

# The states in which an episode that already has the picked release refuses it.
_BUSY_STATES = {
    EpisodeState.QUEUED: pgettext_lazy("episode state", "queued"),
    EpisodeState.DOWNLOADED: pgettext_lazy("episode state", "downloaded"),
}


# Recorded episodes in these states take a picked batch's release; the
# others are downloaded or being downloaded, and keep theirs.
_TAKES_A_BATCH = (EpisodeState.NEW, EpisodeState.FAILED, EpisodeState.SKIPPED)


class PickRefused(Exception):
    """The release cannot be picked; ``conflict`` when the episode is busy
    (a download is running), else the release itself is the problem, or
    the request's ``field`` (a bad episode number) is."""

    def __init__(self, message: str, *, conflict: bool = False, field: str | None = None) -> None:
        super().__init__(message)
        self.conflict = conflict
        self.field = field


@dataclass(frozen=True)
class Picked:
    episode: int | None  # None for a special
    job: DownloadJob | None
    message: str
    episodes: tuple[int, ...] = ()  # every episode the job fetches (several for a batch)


def parse_episode(value: object) -> int | None:
    """The optional episode of a pick request ("for episode 5"): a whole
    number from 1, or nothing; anything else is the field's error."""
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not (isinstance(value, int) or (isinstance(value, str) and value.isdecimal())):
        raise PickRefused(_("A whole number is required."), field="episode")
    number = int(value)
    if number < 1:
        raise PickRefused(_("Episode numbers start at 1."), field="episode")
    return number


def pick(item: WatchlistItem, decision: ReleaseDecision, episode: int | None = None) -> Picked:
    """``episode``: the episode the user picked the release for; a batch
    must hold it, a single release must be it. None: the release's own."""
    from watchlist.downloading import queue_release_download, queue_special_download

    release = decision.release
    if release is None:
        raise PickRefused(_("the source no longer lists this release; check the series again"))
    if release.episode_end is not None and decision.code != "other_series":
        return _pick_batch(item, decision, episode)
    if episode is not None and decision.episode is not None and episode != decision.episode:
        raise PickRefused(
            _("This release is episode %(number)d, not episode %(asked)d.")
            % {"number": decision.episode, "asked": episode},
            field="episode",
        )
    if decision.code == "special" and item.include_specials:
        job = queue_special_download(item, release)
        _mark_chosen(item, decision)
        return Picked(None, job, _("The special is queued for download."))
    if decision.episode is None:
        raise PickRefused(_not_an_episode(decision.reason))
    number = decision.episode
    with transaction.atomic():
        episode, created = _locked_or_created(item, number, release)
        if created:
            job = queue_release_download(episode)
        elif episode.url == release.url:
            if episode.state not in (EpisodeState.NEW, EpisodeState.FAILED, EpisodeState.SKIPPED):
                state = _BUSY_STATES.get(episode.state, episode.state)
                raise PickRefused(
                    _("this is already the release of episode %(number)d (%(state)s)")
                    % {"number": number, "state": state},
                    conflict=True,
                )
            Episode.objects.filter(pk=episode.pk).update(pinned=True)
            job = queue_release_download(episode)
        else:
            try:
                job = replace_release(episode, release, download=True, pinned=True)
            except ReplaceRefused as exc:
                raise PickRefused(str(exc), conflict=True) from None
        _mark_chosen(item, decision)
    message = _("Episode %(number)d: this release is queued for download.") % {"number": number}
    return Picked(number, job, message, (number,))


def _pick_batch(item: WatchlistItem, decision: ReleaseDecision, asked: int | None) -> Picked:
    from watchlist.downloading import is_torrent_link

    release = decision.release
    if not is_torrent_link(release.url, release.infohash, provider_id=item.provider_id, typed=release.typed_torrent):
        raise PickRefused(_("this batch is no torrent: its episodes cannot be downloaded one by one"))
    span = batch_span(item, release)
    if span is None or span.code:
        raise PickRefused(_not_an_episode(span.reason if span is not None else decision.reason))
    if asked is not None and asked not in span.numbers:
        raise PickRefused(
            _("Episode %(number)d is not in this batch (episodes %(span)s).")
            % {"number": asked, "span": number_span(span.numbers)},
            field="episode",
        )
    with transaction.atomic():
        recorded = {episode.number: episode for episode in _locked(item).filter(number__in=span.numbers)}
        wanted = [number for number in span.numbers if _batch_wants(item, recorded.get(number), number, asked)]
        if asked is not None and asked not in wanted:
            raise PickRefused(
                _("episode %(number)d is downloaded or being downloaded already") % {"number": asked}, conflict=True
            )
        if not wanted:
            raise PickRefused(_("every episode of this batch is downloaded or being downloaded"), conflict=True)
        episodes = _take_batch(item, recorded, wanted, release, asked)
        wanted = [episode.number for episode in episodes]
        job = _queue_batch(item, episodes)
        _mark_chosen_batch(item, decision, wanted)
    shown = number_span(wanted)
    message = ngettext(
        "Episode %(span)s: this batch is queued for download.",
        "Episodes %(span)s: this batch is queued for download, in one job.",
        len(wanted),
    ) % {"span": shown}
    return Picked(asked if asked is not None else wanted[0], job, message, tuple(wanted))


def _locked(item: WatchlistItem):
    """The item's episodes, to be locked for the pick's transaction. Only
    their rows: Episode's default ordering joins the item, and FOR UPDATE
    would then lock the item's row as well, which a check inserting an
    episode needs (its foreign-key check, at commit) while the pick waits
    for that very episode: a deadlock."""
    return Episode.objects.select_for_update(of=("self",)).filter(item=item).order_by("number")


def _locked_or_created(item: WatchlistItem, number: int, release) -> tuple[Episode, bool]:
    """The item's episode `number`, locked until the pick commits, or a new
    one with the picked release (True).

    A check may record the same episode between this look and the insert
    (its transaction was not committed yet when we looked). The unique
    (item, number) constraint then refuses our insert, once the check has
    committed; the insert ran in a savepoint, so the pick goes on with the
    check's row, as if it had been there first, instead of failing."""
    episode = _locked(item).filter(number=number).first()
    if episode is not None:
        return episode, False
    try:
        with transaction.atomic():
            return _take_release(item, None, number, release), True
    except IntegrityError:
        recorded = _locked(item).filter(number=number).first()
        if recorded is None:
            raise  # another constraint than the episode's number
        log.info("item %s episode %s: recorded by a check during the pick; the pick goes on with it", item.pk, number)
        return recorded, False


def _not_an_episode(reason: str) -> str:
    # The reason is the check's, recorded in English like the rest of its decisions.
    return _NOT_AN_EPISODE % {"reason": reason or _("this release")}


def _batch_wants(item: WatchlistItem, episode: Episode | None, number: int, asked: int | None) -> bool:
    """Whether a picked batch fills this episode. As for the check's batch
    choice, an episode never recorded counts from the last one downloaded
    (earlier ones are had elsewhere), unless the user asked for it."""
    if episode is None:
        return number > item.last_episode_downloaded or number == asked
    return episode.state in _TAKES_A_BATCH


def _take_batch(
    item: WatchlistItem, recorded: dict[int, Episode], wanted: list[int], release, asked: int | None
) -> list[Episode]:
    """The wanted episodes with the batch's release. One a check recorded
    meanwhile (`_locked_or_created`) is judged again: a check that queued
    its own download keeps it, and the batch goes without that episode."""
    episodes = []
    for number in wanted:
        episode = recorded.get(number)
        if episode is not None:
            episodes.append(_take_release(item, episode, number, release))
            continue
        episode, created = _locked_or_created(item, number, release)
        if created:
            episodes.append(episode)
        elif _batch_wants(item, episode, number, asked):
            episodes.append(_take_release(item, episode, number, release))
    if asked is not None and asked not in {episode.number for episode in episodes}:
        raise PickRefused(
            _("episode %(number)d is downloaded or being downloaded already") % {"number": asked}, conflict=True
        )
    if not episodes:
        raise PickRefused(_("every episode of this batch is downloaded or being downloaded"), conflict=True)
    return episodes


def _take_release(item: WatchlistItem, episode: Episode | None, number: int, release) -> Episode:
    fields = {
        "url": release.url,
        "release": release,
        "title": release.title,
        "resolution": release.resolution,
        "version": release.version,
        "language": release.language,
        # The user's choice: no failover to another release, no automatic upgrade.
        "pinned": True,
    }
    if episode is None:
        season = item.season if item.season is not None else release.season
        return Episode.objects.create(item=item, number=number, season=season, **fields)
    Episode.objects.filter(pk=episode.pk).update(**fields)
    episode.refresh_from_db()
    return episode


def _queue_batch(item: WatchlistItem, episodes: list[Episode]) -> DownloadJob:
    from watchlist.downloading import batch_downloads_possible, queue_batch_download, queue_release_download

    if len(episodes) > 1 and batch_downloads_possible():
        return queue_batch_download(item, episodes)
    # One episode, or a client that places one file per job: each episode's
    # own job, keyed on the link (an earlier job of the episode had another).
    jobs = [queue_release_download(episode) for episode in episodes]
    return jobs[0]


def _mark_chosen(item: WatchlistItem, decision: ReleaseDecision) -> None:
    others = ReleaseDecision.objects.filter(item=item, picked=True).exclude(pk=decision.pk)
    if decision.episode is not None:
        others.filter(episode=decision.episode).update(
            picked=False, code="not_chosen", reason="you chose another release"
        )
    ReleaseDecision.objects.filter(pk=decision.pk).update(picked=True, code="chosen", reason="chosen by you")


def _mark_chosen_batch(item: WatchlistItem, decision: ReleaseDecision, numbers: list[int]) -> None:
    ReleaseDecision.objects.filter(item=item, picked=True, episode__in=numbers).exclude(pk=decision.pk).update(
        picked=False, code="not_chosen", reason="you chose a batch for it"
    )
    ReleaseDecision.objects.filter(pk=decision.pk).update(
        picked=True, code="chosen", reason=f"chosen by you for {episode_span(numbers)}"
    )
