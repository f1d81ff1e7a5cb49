"""Stage 6: guessit as a second opinion for names nobody else numbered, only
where the number it finds is written as an episode number (it costs ~15 ms,
so it is not asked otherwise)."""

from __future__ import annotations

import re
from typing import Any

from .. import markers
from ..text import has_cjk
from .draft import BARE_RESOLUTIONS, MOVIE_WORDS, PARSER_LOCK, YEAR, Draft, as_list, first_int, logger


def _guessit(name: str) -> dict[str, Any]:
    from guessit import guessit  # slow to import and ~15 ms a call: only when needed

    try:
        with PARSER_LOCK:
            return dict(guessit(name))
    except Exception:  # guessit raises its own errors on odd input; a second opinion may fail quietly
        logger.debug("guessit failed on %r", name, exc_info=True)
        return {}


# A number written the ways _written_as_episode accepts ("E05", "#5", "show-05", "05").
_EPISODE_LIKE = re.compile(
    r"(?<![a-z])(?:e|ep|episode|eps|#)[ ._-]*\d|(?<=[a-z\])])[ ._]*[-_][ ._]*\d|^\s*\d+\s*$", re.IGNORECASE
)
# Digits that never number an episode.
_NO_EPISODE_DIGITS = re.compile(
    r"(?<![0-9])(?:19|20)\d\d(?![0-9])|\d{3,4}[pi](?![a-z])|\d{3,4}x\d{3,4}|[xh]\.?26[45]|\d+-?bits?|\d\.\d"
    r"|\b[0-9A-F]{8}\b|(?:aac|ac3|dd|ddp|eac3|flac|opus|dts)\d(?:\.\d)?|\b[248]k\b|hi10p?",
    re.IGNORECASE,
)


def _written_as_episode(text: str, number: int) -> bool:
    """Whether ``number`` appears in ``text`` the way episode numbers are
    written (``E05``, ``Ep 5``, ``#5``, ``show-05``, a bare ``05`` name),
    and not as part of a decimal (``3.33``) or as the title's first word
    (``1001 Nights``)."""
    digits = rf"0*{number}"
    marked = rf"(?:(?<![a-z])(?:e|ep|episode|eps|#)[ ._-]*{digits}(?![0-9.]))"
    if re.search(marked, text, re.IGNORECASE):
        return True
    if re.search(rf"(?:\d[.,]{digits}|{digits}[.,]\d)", text):
        return False
    if re.fullmatch(digits, text.strip()):
        return True  # "03.mkv"
    return re.search(rf"(?<=[a-z\])])[ ._]*[-_][ ._]*{digits}(?![0-9])", text, re.IGNORECASE) is not None


# guessit's cost grows faster than the name (a run of digits: about 1 s
# per 100 characters); no file name is longer than this.
_LONGEST_FOR_GUESSIT = 255


def read_guessit(draft: Draft) -> dict[str, Any]:
    if draft.numbered() or draft.kinds or draft.batch or draft.cjk or len(draft.text) > _LONGEST_FOR_GUESSIT:
        return {}
    if draft.text[-1:].isdecimal() and markers.ends_with_signature(draft.text):
        return {}  # "…2xRus.Eng.E180": the only number left is the signature's
    if not _EPISODE_LIKE.search(_NO_EPISODE_DIGITS.sub(" ", draft.text)):
        # No number written the way _written_as_episode accepts (years,
        # resolutions, codecs and hashes aside): guessit (~15 ms a call) would
        # find no episode the stages before missed.
        return {}
    guessed = _guessit(draft.text)
    if guessed.get("type") != "episode":
        return guessed
    episodes = [int(e) for e in as_list(guessed.get("episode")) if e.isdecimal()]
    if not episodes or not _written_as_episode(draft.text, episodes[0]):
        return guessed
    draft.episode = episodes[0]
    if len(episodes) > 1 and episodes[-1] > draft.episode:
        draft.episode_end = episodes[-1]
    guessed_title = str(guessed.get("title") or "")
    if guessed_title:
        draft.title = guessed_title  # anitopy's title kept the number: "show-03"
    season = first_int(guessed.get("season"))
    if draft.season is None and season is not None and season < 100:  # guessit takes years for seasons
        draft.season = season
    return guessed


# "灌篮高手日语版098", "三国演义01.桃园三结义", "名侦探柯南 976 追踪!侦探出租车",
# "咒术回战第1季02", "少年白马醉春风 第15 以剑为刀", "天道EP22": a CJK title, then
# the episode's number (maybe marked), then maybe the episode's own CJK title.
_CJK_TITLE_THEN_NUMBER = re.compile(
    r"^(?P<title>.*?[\u3040-\u30ff\u3400-\u9fff])(?P<space>\s*)(?P<di>第\s*|(?:EP?|#)\.?)?(?P<ep>\d{2,4})"
    r"(?P<rest>[ ._]+[\u3040-\u30ff\u3400-\u9fff].*)?$"
)


# "49. さらばヌメモン": a file of a set, its episode and then the episode's own CJK title.
_LEADING_CJK_EPISODE = re.compile(r"^(?P<ep>\d{1,3})\.\s+(?=[\u3040-\u30ff\u3400-\u9fff])[^\[\]()]*$")


def _cjk_title_then_number(part: str) -> re.Match[str] | None:
    match = _CJK_TITLE_THEN_NUMBER.match(part)
    if match is None or YEAR.match(match.group("ep")) or match.group("ep") in BARE_RESOLUTIONS:
        return None
    ep = match.group("ep")
    # A number glued to the title with nothing after it is the title's own
    # ("僵尸100", "怪獸8號"), unless written as an episode: zero-padded,
    # after 第 or a season marker, or followed by the episode's title.
    said = match.group("di") or match.group("rest") or ep.startswith("0") or match.group("title")[-1] in "季期部"
    spaced = bool(match.group("space")) and len(ep) >= 3
    return match if said or spaced else None


# "マッサン(80) [字]", "入間くん4(6) [字]": a broadcast's programme title with
# the episode in parentheses glued to it (its own title in 「」 is already
# gone), maybe after a season's number glued to the title.
_CJK_TITLE_PAREN_NUMBER = re.compile(
    r"^(?P<title>[^\[\]()]*[\u3040-\u30ff\u3400-\u9fff](?P<season>\d)?)\((?P<ep>\d{1,4})\)(?=\s*(?:\[|$))"
)


def read_cjk_parenthesized_number(draft: Draft) -> None:
    """A CJK title then '(N)': the episode; a digit glued before it, which the
    stages before took for the episode, is the season's."""
    if draft.kinds or draft.batch or "(" not in draft.text:
        return
    match = _CJK_TITLE_PAREN_NUMBER.match(draft.text)
    if match is None or YEAR.match(match.group("ep")):
        return
    season, episode = match.group("season"), int(match.group("ep"))
    if draft.episode not in (None, episode) and (season is None or draft.episode != int(season)):
        return
    draft.episode, draft.episode_end = episode, None
    draft.title = match.group("title")[: -1 if season else None].strip()


def read_cjk_trailing_number(draft: Draft) -> None:
    """A CJK title (or one alias of it) ending with the episode number; the
    stages before took the number for part of the title."""
    # An OVA is numbered like an episode ("【OVA】Title03.mp4": the third OVA).
    if draft.numbered() or (draft.kinds and draft.kinds != ["ova"]) or draft.batch or not has_cjk(draft.title):
        return
    if MOVIE_WORDS.search(draft.text):
        return  # "名侦探柯南 剧场版 27 …": the film's number in its series
    if leading := _LEADING_CJK_EPISODE.match(draft.text):
        draft.episode, draft.title = int(leading.group("ep")), ""  # "49. さらばヌメモン": the episode, then its title
        return
    parts = draft.title.split(" / ")
    for index, part in enumerate(parts):
        match = _cjk_title_then_number(part.strip())
        if match is not None:
            draft.episode = int(match.group("ep"))
            parts[index] = match.group("title").strip()
            draft.title = " / ".join(parts)
            return
