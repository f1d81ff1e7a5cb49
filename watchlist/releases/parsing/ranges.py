"""Stage 5: ranges (``01 ~ 10``, ``01-02-03``, ``01 - 119 [Batch]``), season
numbers that are no episode, and the episode written before or glued to the
title (``[Grp] 01 - Title``, ``Title-ep1``, ``5of9``)."""

from __future__ import annotations

import re

from .. import markers
from .anitopy_reading import title_before
from .draft import BARE_RESOLUTIONS, EPISODE_WORD, TAG_WORDS, YEAR, Draft
from .scene import scene_head


def _drop_season_range(draft: Draft) -> None:
    """'(001-1122) (Season 1-21)': anitopy, missing a four-digit range, took the
    seasons' range for the episodes; its last number written nowhere but in the
    season marker gives it away, and the bracketed range outside it is read instead."""
    spans = markers.season_spans(draft.text) if draft.episode_end is not None and not draft.scene else []
    bracketed = markers.bracketed_range(draft.text) if spans else None
    if bracketed is None or any(start <= bracketed.start < end for start, end in spans):
        return
    written = re.finditer(rf"(?<![0-9])0*{draft.episode_end}(?![0-9])", draft.text)
    if all(any(start <= found.start() < end for start, end in spans) for found in written):
        draft.episode = draft.episode_end = None


def _marked_before(text: str, position: int, episode: int) -> bool:
    """'Title E05 - 3-4-5 Lift Off!', 'Title - 05 - 3-4-5 Lift Off!': the episode
    is written with its marker or between dashes before the range, so the
    range is its title's, not a batch it ends."""
    marked = re.compile(rf"(?:(?<![a-z0-9])(?:EP?|Episode)[ ._]?|\s-\s+)0*{episode}(?![0-9])", re.IGNORECASE)
    return marked.search(text, 0, position) is not None


# "Title＃08-02": a broadcast's episode 8 shown in parts, the second here
# (a smaller number after the dash is no range's end).
_HASH_PART = re.compile(r"#(?P<ep>\d{1,4})-(?P<part>\d{1,2})(?![0-9])")


def _read_hash_part(draft: Draft, text: str) -> bool:
    match = _HASH_PART.search(text) if "#" in text else None
    if match is None or int(match.group("part")) >= int(match.group("ep")):
        return False
    if draft.episode not in (None, int(match.group("part"))):
        return False
    draft.episode, draft.episode_end = int(match.group("ep")), None
    if "#" in draft.title:
        draft.title = draft.title[: draft.title.index("#")]
    return True


def read_ranges(draft: Draft) -> None:
    text = draft.text
    if _read_hash_part(draft, text):
        return
    summed = markers.tracker_sum_range(text)
    if summed is not None:
        # "[TV+Special] [12+13 из 12+14]": the specials' count after the "+" is
        # no episode ("12+13" is not a list of two).
        draft.episode, draft.episode_end = summed.episode, summed.episode_end
        chain = text[summed.start : summed.end]
        if chain in draft.title:
            # the kind's bracket before it ("Title [OVA+Special] [01-06+2 из 6+2]") goes too
            head = draft.title[: draft.title.index(chain)]
            draft.title = head.split(" [", 1)[0] if not head.startswith("[") else head.rstrip(" [")
        return
    _drop_season_range(draft)
    if draft.episode_end is not None:
        longer = markers.chained_episodes(text)  # "01+02+03": anitopy stops at the second
        if longer is not None and longer.episode == draft.episode and longer.episode_end > draft.episode_end:
            draft.episode_end = longer.episode_end
        return
    marker = (
        markers.episode_list(text)
        or markers.hash_range(text)
        or markers.tilde_range(text, draft.episode)
        or markers.chained_episodes(text)
        or markers.bracketed_range(text)
        or markers.dashed_range(text)
        or markers.comma_list(text)
    )
    if (
        marker is not None
        and draft.episode == marker.episode_end
        and marker.episode_end is not None
        and not _marked_before(text, marker.start, draft.episode)
    ):
        draft.episode = marker.episode  # "(01 - 12)": anitopy took the range's last number alone
    if marker is None:
        marker = markers.spaced_range(text)
        if marker is not None and draft.episode == marker.episode_end:
            draft.episode = marker.episode  # anitopy took the range's last number alone
    if marker is None or (draft.episode is not None and marker.episode != draft.episode):
        return
    draft.episode, draft.episode_end = marker.episode, marker.episode_end
    chain = text[marker.start : marker.end]
    first = chain.split()[0]
    opened = re.search(rf"[\[(]\s*(?:[a-z]+\.?:?\s*)?0*{marker.episode}\s*[-~]", draft.title, re.IGNORECASE)
    if chain in draft.title:
        draft.title = draft.title[: draft.title.index(chain)]
    elif opened is not None and chain[0] in "[(":
        draft.title = draft.title[: opened.start()]  # "(0001-1071+Movies)": anitopy spaced out the "+"
    elif draft.title.rstrip().endswith(" " + first):
        draft.title = draft.title.rstrip()[: -len(first)]  # "Title 01 - 119": anitopy kept the "01"
    else:
        # "Title E10 - E17", "Title #1-4": anitopy kept the first number with its episode letter or sign
        head = re.sub(rf"\s+EP?\.?\s*{re.escape(first)}$", "", draft.title.rstrip(), flags=re.IGNORECASE)
        draft.title = re.sub(rf"\s+#{marker.episode}$", "", head)


# "1.01. Title.mkv": a season's file, its season and episode first, then the
# title as after "003. Title" below. Only a file: "Title 1.01" or a folder
# "1.01. Title" may name a version.
_LEADING_SEASON_EPISODE = re.compile(
    r"^(?P<season>\d{1,2})\.(?P<ep>\d{2})\.\s+(?P<title>[^\W\d_][^\[\]()]*?)(?:\s+-\s+[^\[\]()]*)?$"
)
# "[Group] 01 - Title [..]", "003. Title - Episode Title", "003-004. Title",
# a dub's "03 · Episode Title [Team]":
# the episode first, then the series' title up to the next " - " or tag.
_LEADING_EPISODE = re.compile(
    r"^(?:\s*\[[^\]]*\])*\s*(?P<ep>\d{1,4})(?:-(?P<end>\d{1,4}))?(?:\.\s+|\s+[-·]\s+)"
    r"(?P<title>[^\W\d_][^\[(]*?)(?:\s+-\s+.*|\s*[\[(].*)?$"
)
# "[Grp] 06 Title II (720p)": a zero-padded episode between the group and the
# title ("[Grp] 91 Days [BD]" is a title that starts with a number).
_PADDED_FIRST = re.compile(
    r"^(?:\s*\[[^\]]*\])+\s*(?P<ep>0\d{1,3})(?:v\d)?\s+(?P<title>[^\W\d_][^\[(]*?)\s*(?:[\[(].*)?$"
)
# "[Grp] 05.mkv", "214.mp4": a file named by its number alone (after its group).
# "07 [Dub Team].mp4": a dub's file, its number then the team's bracket.
_GROUP_THEN_NUMBER = re.compile(
    r"^(?P<group>(?:\s*\[[^\]]*\])*)\s*(?P<ep>\d{1,4})(?:v\d)?\s*(?P<team>\[[^\]\d]+\])?\s*$"
)
# "Ma10p"/"Ma444-10p" name a Blu-ray encode as "BDRip" does.
DISC_OR_SET = re.compile(
    r"(?<![a-z])(?:BD|BDRip|BDMV|Blu-?Ray|DVD|DVDRip|Remux|Batch|Complete|Ma10p|Ma444-10p)(?![a-z])", re.IGNORECASE
)
# "02 The Invitation.mp4": a zero-padded number leading a name that has no
# other digit (so "07 Ghost 05" and "07 Ghost [BD 1080p]" are left alone).
_PADDED_FIRST_ALONE = re.compile(r"^(?P<ep>0\d{1,2})\s+(?P<title>[^\W\d_][^\d\[(]*?)\s*$")
# "Detective-Conan-656 Title", "Show-121.H264.Grp": a title joined by dashes,
# the episode glued to it by one more.
_GLUED_DASH_NUMBER = re.compile(r"^(?P<title>[^\W\d_][^\W_]*(?:-[^\W\d_][^\W_]*)*)-(?P<ep>\d{2,4})(?=$|[ ._])")
# "Title - 118-The Name", "Title_-_203-Name": the episode after " - ", joined by a dash to the
# episode's name (a letter after the dash, so "- 101-102" stays a range).
_DASHED_EPISODE_NAME = re.compile(r"^(?P<title>[^\W\d_][^\[\]()]*?)[\s_]+-[\s_]+(?P<ep>\d{2,4})-(?=[^\W\d_])")
# "Title--07_720p.mp4", "2Stream_Title--09_480p.mp4" (a download site's file,
# its name glued before the title): the episode joined to the title by two dashes.
_DOUBLE_DASH_NUMBER = re.compile(r"^(?P<title>[^\W_][^\[\]()]*?)--(?P<ep>\d{1,4})(?=$|[ ._])")
# "[Grp]Title. 05. [BDRip. h264. 1920x1080]": the episode between two full
# stops after the title, the tags' bracket next.
_STOPPED_EPISODE = re.compile(r"^(?:\s*\[[^\]]*\])+\s*(?P<title>[^\W\d_][^\[\]]*?)\.\s+(?P<ep>\d{1,4})\.\s*\[")
# "Title.(01.serija)", "Title.(08.seriya)", "Title 5 эпизод": the number, then
# the Russian word for episode.
_NUMBER_THEN_EPISODE_WORD = re.compile(
    r"(?<![0-9])(?P<ep>\d{1,4})[ ._]?(?:serija|seriya|serya|серия|серии|эпизод)(?![a-zа-я])", re.I
)


_DASH_DECIMAL = re.compile(r"[\s_][-–][\s_]+(?P<ep>\d{1,4})\.(?P<frac>\d)(?=[\s_]*(?:$|[\[(]))")
# A dotted scene name numbering its episode without a season: two digits,
# then the episode's title and the scene words ("Apollo.13.1995.720p" and
# "Title.12.720p" have no episode title: they stay unnumbered).
_DOTTED_EPISODE = re.compile(
    r"^(?P<title>[^\s\[\]()]+?)(?<![0-9])\.(?P<ep>\d{2})\.(?=[A-Za-z][a-z]*\.)(?![^.]*\.(?:19|20)\d\d\.)"
    r"(?=.*\.(?:720p|1080p|2160p|480p|hdtv|web|webrip|web-dl|bluray|bdrip|dvdrip)[.-])",
    re.IGNORECASE,
)
# "5of9", "[05 of 12]", the Russian "[05 из 12]", a bracketed "[05/12]" (a
# date's "05/12/2020" is none), "[34_of_XX]" (the total not known yet).
_OF_COUNT = re.compile(
    r"(?<![0-9/])(?P<ep>\d{1,3})(?:[ ._]?(?:of|из)[ ._]?|(?<=\[\d\d)/|(?<=\[\d)/)(?P<of>\d{1,3}|XX+(?=\]))(?![0-9/])",
    re.IGNORECASE,
)


# A tracker's "[3 из 12]", "[1 of 12]", "[1 из XX]": the episode, then how
# many the season has (or will have).
_BRACKETED_COUNT = re.compile(r"\[(?P<ep>\d{1,4})\s+(?:of|из)\s+(?:\d{1,4}\+?|X+|\?)\]", re.IGNORECASE)


def read_bracketed_count(draft: Draft) -> None:
    """'Title 2 [TV] [3 из 12]': the bracket names the episode; the number
    ending the title before it, which anitopy took, is the title's."""
    if draft.scene or draft.episode_end is not None or draft.episode is None:
        return
    match = _BRACKETED_COUNT.search(draft.text)
    if match is not None and int(match.group("ep")) != draft.episode:
        draft.episode, draft.part = int(match.group("ep")), ""


# "86 - Eighty Six 02": what follows a leading number ends with a zero-padded one.
_TITLE_ENDING_PADDED = re.compile(r"^(?P<title>.*\S)\s+(?P<ep>0\d{1,3})$")


def _read_padded_after_title_number(draft: Draft, match: re.Match[str]) -> bool:
    """'86 - Eighty Six 02.avi': a title that opens with its own number (not
    zero-padded) and " - "; the padded number ending it is the episode."""
    trailing = _TITLE_ENDING_PADDED.match(match.group("title").strip())
    if trailing is None or match.group("end") is not None or match.group("ep").startswith("0"):
        return False
    draft.episode, draft.title = int(trailing.group("ep")), f"{match.group('ep')} - {trailing.group('title')}"
    return True


def _read_leading_episode(draft: Draft, match: re.Match[str]) -> None:
    """'[Grp] 01 - Title', '003-004. Title'."""
    if _read_padded_after_title_number(draft, match):
        return
    first = int(match.group("ep"))
    last = int(match.group("end")) if match.group("end") else None
    draft.episode = first
    draft.episode_end = last if last is not None and last > first else None
    draft.title = match.group("title")


def _numbered_file(draft: Draft) -> int | None:
    """'[Grp] 05.mkv', '214.mp4': a file of a batch named by its number ('[Grp]
    86', no file, is the series "86"; '1080.mkv' is a frame height)."""
    match = _GROUP_THEN_NUMBER.match(draft.text)
    if match is None or YEAR.match(match.group("ep")):
        return None
    if not match.group("group") and (not draft.video_file or match.group("ep") in BARE_RESOLUTIONS):
        return None
    if match.group("team") and not draft.video_file:
        return None
    return int(match.group("ep")) if draft.video_file or match.group("ep").startswith("0") else None


def _read_dash_joined(draft: Draft, text: str) -> bool:
    """An episode joined by a bare dash to the title or to the episode's name."""
    match = _GLUED_DASH_NUMBER.match(text)
    if match and not YEAR.match(match.group("ep")):
        # "Detective-Conan-656 Title", "Show-121.H264.Grp": the number glued to a dash-joined title
        draft.episode, draft.title = int(match.group("ep")), match.group("title").replace("-", " ")
        return True
    match = _DASHED_EPISODE_NAME.match(text) or _DOUBLE_DASH_NUMBER.match(text)
    if match and not YEAR.match(match.group("ep")):
        title = match.group("title")
        draft.episode, draft.title = int(match.group("ep")), title.replace("_", " ") if " " not in title else title
        return True
    return False


def _read_of_count(draft: Draft, text: str) -> bool:
    """'5of9', '[05 of 12]', '[34_of_XX]': the episode counted against the
    season's total; whether the name was numbered so."""
    match = _OF_COUNT.search(text)
    if match is None or any(start <= match.start() < end for start, end in markers.season_spans(text)):
        return False
    total = match.group("of")
    if total.isdecimal() and int(match.group("ep")) > int(total):
        return False
    draft.episode = int(match.group("ep"))  # "5of9": a mini-series' fifth part
    if not text.startswith("[") and draft.season is None and not markers.season_spans(text):
        draft.season = 1  # numbered in season 1, as for "Part 5" (a fansub's "[05 of 12]" says nothing)
    head = scene_head(text, match.start()).rstrip(" -._[(")
    head = re.sub(r"(?<=\w)[ ._]TV$", "", head)  # "Title_TV_[07_of_XX]": the TV series, no title word
    if head and not markers.season_spans(head):
        draft.title = head
    return True


def read_leading(draft: Draft) -> None:
    """Names that write the episode before the title, or glue an episode
    word to it; anitopy reads neither."""
    if draft.kinds or draft.batch or draft.cjk:
        return
    text = draft.text
    match = _LEADING_EPISODE.match(text)
    if draft.numbered():
        if match and draft.episode == int(match.group("ep")) and draft.episode_end is None:
            _read_padded_after_title_number(draft, match)  # anitopy read "86 - Eighty Six 02" as 86
        return
    if match and not YEAR.match(match.group("ep")):
        _read_leading_episode(draft, match)
        return
    if draft.video_file and (leading := _LEADING_SEASON_EPISODE.match(text)):
        draft.season, draft.episode = int(leading.group("season")), int(leading.group("ep"))
        draft.title = leading.group("title")
        return
    if (number := _numbered_file(draft)) is not None:
        draft.episode, draft.title = number, ""
        return
    match = _PADDED_FIRST.match(text) or _PADDED_FIRST_ALONE.match(text)
    if match and (draft.video_file or not DISC_OR_SET.search(text)):
        # "[Grp] 07 Ghost [BD 1080p]" (no file): a disc set of the series "07 Ghost"
        draft.episode, draft.title = int(match.group("ep")), match.group("title")
        return
    if _read_dash_joined(draft, text):
        return
    if _read_of_count(draft, text):
        return
    match = _DASH_DECIMAL.search(text)
    if match:
        draft.episode, draft.part = int(match.group("ep")), "." + match.group("frac")  # " - 04.1"
        draft.title = re.sub(r"^\s*(?:\[[^\]]*\]\s*)+", "", text[: match.start()])
        return
    match = _STOPPED_EPISODE.match(text)
    if match and not YEAR.match(match.group("ep")):
        draft.episode, draft.title = int(match.group("ep")), match.group("title")
        return
    match = _DOTTED_EPISODE.match(text)
    if match and not YEAR.match(match.group("ep")):
        draft.episode = int(match.group("ep"))  # "The.Animatrix.08.A.Detective.Story.720p.BluRay"
        draft.title = match.group("title").replace(".", " ")
        return
    match = EPISODE_WORD.search(text) or _NUMBER_THEN_EPISODE_WORD.search(text)
    if match and match.start() > 0:
        draft.episode = int(match.group("ep"))
        head = re.sub(r"^\s*(?:\[[^\]]*\]\s*)+", "", text[: match.start()]).rstrip(" -._([")
        if head:
            draft.title = head.replace("_", " ") if " " not in head else head


# A note in parentheses that says something of an episode ("(With Fixed
# Episodes & Missing EP218)"): words, then the episode's marked number.
_EPISODE_IN_NOTE = r"\([^()]*[^\W\d_][^()]*?(?:EP|Episode)\.?\s?0*{n}(?![0-9])[^()]*\)"


def drop_episode_noted_in_batch(draft: Draft) -> None:
    """'Title Complete Series (... Missing EP218) [Batch]': the set's note names
    an episode it lacks or fixed; the set itself has no episode."""
    if not draft.batch or draft.episode is None or draft.episode_end is not None or draft.scene:
        return
    note = re.compile(_EPISODE_IN_NOTE.format(n=draft.episode), re.IGNORECASE)
    if note.search(draft.text) is None:
        return
    if re.search(rf"(?<![0-9]){draft.episode}(?![0-9])", note.sub(" ", draft.text)) is None:
        draft.episode, draft.part = None, ""


# "Title_Orphans_2-01.mkv": the title's own number, then the episode glued by
# a dash; a range never runs backwards, so "2-01" is no range from 2 to 1.
_TITLE_NUMBER_DASH_EPISODE = re.compile(
    r"^(?P<title>[^\[\]()]*[^\W\d_][^\[\]()]*?[ _](?P<n>\d{1,2}))-(?P<ep>\d{2,3})(?=[ ._]*(?:$|[\[(]))"
)


# "[Grp] Title-25 OVA [BD]": anitopy takes the kind word and leaves the
# episode glued to the title by a dash ("Title-25"); the kind word right
# after the number says it is the special's episode.
_GLUED_NUMBER_THEN_KIND = r"-{n}[ ._]+(?:OVA|OAD|OAV|SP|Specials?|TVSP)(?![a-z])"


def read_glued_number_before_kind(draft: Draft) -> None:
    if draft.numbered() or not draft.kinds or draft.batch:
        return
    match = re.fullmatch(r"(?P<title>.*[^\W\d_])-(?P<ep>\d{2,4})", draft.title)
    if match is None or YEAR.match(match.group("ep")):
        return
    if re.search(_GLUED_NUMBER_THEN_KIND.format(n=match.group("ep")), draft.text, re.IGNORECASE):
        draft.episode, draft.title = int(match.group("ep")), match.group("title")


def read_number_after_title_number(draft: Draft) -> None:
    if draft.numbered() or draft.kinds or draft.batch or draft.cjk:
        return
    match = _TITLE_NUMBER_DASH_EPISODE.match(draft.text)
    if match is not None and int(match.group("ep")) < int(match.group("n")):
        draft.episode = int(match.group("ep"))
        draft.title = match.group("title").replace("_", " ")


# "Title.the.Animation.5.1080p": a series named "… the Animation" is the TV
# anime of a work, and a bare number right after those words is its episode
# (anitopy keeps it in the title when it is not zero-padded).
_ANIMATION_THEN_NUMBER = re.compile(
    r"[ ._]the[ ._]animation(?P<gap>[ ._]+)(?P<ep>\d{1,3})(?=[ ._]*(?:$|[\[(]|\d{3,4}p|[A-Za-z]))", re.IGNORECASE
)


def read_animation_number(draft: Draft) -> None:
    if draft.numbered() or draft.kinds or draft.batch or draft.cjk:
        return
    match = _ANIMATION_THEN_NUMBER.search(draft.text)
    if match is not None:
        draft.episode = int(match.group("ep"))
        draft.title = title_before(draft.text, match.start("gap"))


# "Title (2024) - 01SubsPlease" (a side file: subtitles): the group's name
# glued to the episode that ends the name.
_EPISODE_THEN_GROUP = re.compile(
    r"\s-\s(?P<ep>\d{2,4})(?P<group>[A-Z][a-z]+[A-Z]?[A-Za-z]+)(?:\.(?:ass|ssa|srt|smi|sub|vtt|sup|idx|mka|flac|aac))?$"
)


def read_glued_group(draft: Draft) -> None:
    if draft.numbered() or draft.kinds:
        return
    match = _EPISODE_THEN_GROUP.search(draft.text)
    title = re.sub(r"^\s*(?:\[[^\]]*\]\s*)+", "", draft.text[: match.start()]).strip() if match else ""
    if match is None or not re.search(r"[^\W\d_]", title) or YEAR.match(match.group("ep")):
        return
    draft.episode, draft.title = int(match.group("ep")), title
    draft.group = draft.group or match.group("group")


def drop_season_numbers(draft: Draft) -> None:
    """A number anitopy, guessit or a range took from a season marker is no
    episode ("Season 1-3", "Seasons 1 & 2", "Seasons 4 Complete")."""
    if draft.scene or draft.episode is None:
        return
    spans = markers.season_spans(draft.text)
    if not spans:
        return
    pack = markers.season_pack(draft.text)
    numbers = [n for n in (draft.episode, draft.episode_end) if n is not None]
    if pack is not None and _title_number_before_pack(draft, pack, numbers):
        return
    for number in numbers:
        # the channels' ".1" / ".0" ("DTS 5.1") never write the episode ("Season.3.2of6" does)
        channels = r"(?<![0-9]\.)" if number <= 1 else ""
        for found in re.finditer(rf"(?<![0-9]){channels}0*{number}(?![0-9])", draft.text):
            if not any(start <= found.start() < end for start, end in spans):
                return  # written outside the season marker too: an episode
    draft.episode = draft.episode_end = None
    draft.part = ""
    head = scene_head(draft.text, spans[0][0]).strip(" -._")
    if head and not draft.cjk:
        draft.title = head  # anitopy's title stopped at the number it took


def _title_words_only(between: str) -> bool:
    """'', '.Bucket.List.of.the.Dead.': nothing, or words of a title (no tag, no number)."""
    words = [w for w in re.split(r"[ ._]+", between) if w]
    return all(re.fullmatch(r"[^\W\d_][\w']*", w) and not TAG_WORDS.match(w) for w in words)


_EPISODE_WORD_NUMBER = re.compile(r"(?<![a-z0-9])(?:eps?|episodes?)[ ._]?\d", re.IGNORECASE)


def _in_noted_alias(text: str, position: int) -> bool:
    """'(Kidou Senshi Gundam 00 Season 1)': the other name in a note, with its
    own season marker; a number repeated there is still the title's."""
    for note in re.finditer(r"\(([^()]*)\)", text):
        if note.start() < position < note.end() and markers.season_spans(note.group(1)):
            return True
    return False


def _title_number_before_pack(draft: Draft, pack: markers.Marker, numbers: list[int]) -> bool:
    """'Reno.911.S01.DVDRip', 'Hawaii Five 0 S01 720p', '[Grp] Zom 100 Bucket
    List of the Dead - S1 - BD': a number written only before a season pack's
    marker is the title's; the title runs up to the marker. (A number after a
    dash behind the marker is an episode: no pack then.)"""
    text = draft.text
    if pack.start == 0 or re.match(r"\[[^\]]*\d", text) or re.search(r"\s-\s*\d", text[pack.end :]):
        return False
    if draft.episode_end is not None or _EPISODE_WORD_NUMBER.search(text, 0, pack.start):
        return False  # "Title 201-224 S01", "Title.Episodes.4-9.Season.2": the numbers are the episodes'

    found = [m for n in numbers for m in re.finditer(rf"(?<![0-9])0*{n}(?![0-9])", text)]
    found = [m for m in found if not _in_noted_alias(text, m.start())]
    if not found or max(m.start() for m in found) >= pack.start:
        return False
    if not any(_title_words_only(text[m.end() : pack.start].rstrip(" -")) for m in found):
        return False  # only a number before the marker, or before title words and then the marker
    draft.episode = draft.episode_end = None
    draft.part = ""
    draft.title = scene_head(text, pack.start)
    draft.title_is_scene = True
    return True
