"""Stage 4: anitopy 2.1.1 for what a fansub name says (group, resolution,
version, type), with corrections for what it gets wrong: split episodes
(``05a``), numbers that belong to the title (``Fairy Tail - 100 Years Quest -
01``)."""

from __future__ import annotations

import re
from typing import Any

import anitopy

from .. import markers
from ..languages import LANGUAGE_WORDS
from ..text import has_cjk, height_of
from .draft import (
    BARE_RESOLUTIONS,
    BATCH_WORDS,
    DASHED_KIND,
    NOT_A_GROUP,
    PARSER_LOCK,
    SCENE_GROUP,
    SCENE_GROUP_NOT,
    SPECIAL_KINDS,
    TAG_WORDS,
    TRAILING_KIND_WORDS,
    VERSION,
    YEAR,
    Draft,
    as_list,
    first_int,
    logger,
)

# A dash left alone at the end ("Title - 160 -.mkv"): anitopy 2.1.1 loops
# forever looking for an episode title after it, so it never reaches anitopy.
_TRAILING_DASH = re.compile(r"[\s_]+[-\u2010-\u2015]+[\s_]*$")


def _anitopy(text: str) -> dict[str, Any]:
    text = _TRAILING_DASH.sub("", text) or text
    # anitopy 2.1.1 raises on a number that ends the name ("Title (Alias) 01"):
    # it looks at the token after it. An empty bracket gives it one.
    for attempt in (text, f"{text} []"):
        try:
            with PARSER_LOCK:
                return anitopy.parse(attempt) or {}
        except Exception:  # anitopy is a tokenizer over arbitrary text; never let one name break a listing
            logger.debug("anitopy failed on %r", attempt, exc_info=True)
    return {}


def _anitopy_episode(draft: Draft, value: Any) -> None:
    numbers = as_list(value)
    if not numbers:
        return
    first = numbers[0]
    if not first.isdecimal():
        split = markers.part_episode(first)
        whole, dot, fraction = first.partition(".")
        if split is not None:
            draft.episode, draft.part = split
        elif dot and whole.isdecimal() and fraction.isdecimal():
            draft.episode, draft.part = int(whole), "." + fraction
        else:
            return
    else:
        draft.episode = int(first)
    if len(numbers) > 1 and numbers[-1].isdecimal() and int(numbers[-1]) > draft.episode:
        draft.episode_end = int(numbers[-1])


def read_volume_file(draft: Draft) -> None:
    """'[Grp] Title Vol.1 (BD 720p).mkv': one video file of an OVA released by
    volumes, a volume each, so the volume is the episode. A name that is no
    file ("Title Vol.2 [BD]", "Vol.1-3 [BD]") stays a set."""
    volumes = as_list(draft.found.get("volume_number"))
    if not draft.video_file or draft.numbered() or not all(v.isdecimal() for v in volumes):
        return
    if len(volumes) == 1:
        draft.episode, draft.batch = int(volumes[0]), False
    elif len(volumes) == 2 and int(volumes[0]) < int(volumes[1]):
        # "Title Vol.2-4 (BD).mkv": one file holding those volumes, so those episodes
        draft.episode, draft.episode_end, draft.batch = int(volumes[0]), int(volumes[1]), True


# "Life Is Movie", "My Movie": a title cannot end on such a word, so the kind
# word after it is the title's own.
_LINKING_WORD_BEFORE = re.compile(r"(?<![^\W\d_])(?:is|are|a|an|my|your|our|of|to|and)$", re.IGNORECASE)


# "Title.The.Complete.Series": anitopy cuts the title at its batch word and
# leaves the article that goes with it.
# "Title - The Complete Season 1": the same after a dash.
_ARTICLE_OF_COMPLETE = re.compile(r"(?<=[\w-])[ ._]the[ ._]+complete(?![a-z])", re.IGNORECASE)


def _clean_anitopy_title(title: str, anime_types: list[str]) -> str:
    # anitopy leaves the type it found inside the title: "Title - OVA", "Title (TV)",
    # "Title The Movie" (whose "The" alone would be left at the end).
    # Kinds may stand together ("Title - TV Special"): the words come off from the end.
    title = title.strip()
    for word in [*reversed(anime_types), *anime_types]:
        for suffix in (f" - {word}", f" ({word})", f" The {word}", f" {word}"):
            if title.lower().endswith(suffix.lower()) and not _LINKING_WORD_BEFORE.search(title[: -len(suffix)]):
                # "Title The Movie": the article went with the kind word
                title = re.sub(r"\s+the$", "", title[: -len(suffix)], flags=re.IGNORECASE).rstrip(" -")
                break
    return title


# "Kamen Rider V3 - 12": a capital V and digit after a title's word and
# right before the " - 12" episode is the title's own ("Title V2 [BD]", no
# episode, may be a second release of a set); a version follows the episode
# ("- 12v2", "- 12 v2").
_VERSION_IN_TITLE = re.compile(r"(?<=[A-Za-z] )V\d(?=\s+-\s+\d|\s+\((?:19|20)\d\d\)\s+-\s+\d)")


def _title_version(draft: Draft, text: str, title: str, found: dict[str, Any]) -> str:
    if found.get("release_version") is None or " V" not in text:
        return title
    match = _VERSION_IN_TITLE.search(text)
    if match is None or not title or not text[: match.start()].rstrip().endswith(title):
        return title
    later = VERSION.search(text, match.end())
    draft.version = int(later.group(1)) if later else 1
    return f"{title} {match.group()}"


def read_anitopy(draft: Draft) -> None:
    text = markers.strip_season_tags(draft.text) if has_cjk(draft.text) else draft.text
    found = draft.found = _anitopy(text)
    anime_types = as_list(found.get("anime_type"))
    draft.kinds += [SPECIAL_KINDS[t.lower()] for t in anime_types if t.lower() in SPECIAL_KINDS]
    release_info = {t.lower() for t in as_list(found.get("release_information"))}
    if release_info & BATCH_WORDS or found.get("volume_number") is not None:
        draft.batch = True
    title = _clean_anitopy_title(str(found.get("anime_title") or ""), anime_types)
    title = _title_version(draft, text, title, found)
    if draft.batch and _ARTICLE_OF_COMPLETE.search(text):
        title = re.sub(r"(?:\s+-)?\s+the$", "", title, flags=re.IGNORECASE)  # "Title.The.Complete.Series"
    dashed_kind = DASHED_KIND.search(title)
    if dashed_kind and found.get("episode_number") is not None:
        # "Title - SP 01": anitopy keeps a spaced kind word in the title
        draft.kinds.append(SPECIAL_KINDS[dashed_kind.group("kind").lower()])
        title = title[: dashed_kind.start()]
    words = title.split()
    if len(words) > 1 and words[-1].lower() in TRAILING_KIND_WORDS:
        # anitopy does not know "Trailer 2"/"Teaser"/"Pilot": they stay in the title
        draft.kinds.append(SPECIAL_KINDS[words[-1].lower()])
        title = _clean_anitopy_title(title, [words[-1]])
    if not draft.numbered():
        _anitopy_episode(draft, found.get("episode_number"))
        if draft.numbered():
            title = _number_fixes(draft, title, found)
            title = _number_before_parentheses(draft, title)
            title = _number_before_promo(draft, title)
    if not draft.title and not draft.title_is_scene:
        draft.title = title
    if draft.season is None:
        draft.season = first_int(found.get("anime_season"))
    if draft.year is None:
        draft.year = first_int(found.get("anime_year"))
    if not draft.group:
        draft.group = _anitopy_group(draft, str(found.get("release_group") or "")) or _dotted_group(draft.text)
    if draft.resolution is None:
        for value in as_list(found.get("video_resolution")):
            draft.resolution = height_of(value)
            if draft.resolution:
                break
    if draft.version is None:
        draft.version = first_int(found.get("release_version"))


def _anitopy_group(draft: Draft, group: str) -> str:
    """anitopy's group when it leads the name in brackets; anitopy also
    takes a trailing "[eztv]" or a 「title」 for one."""
    leading = re.match(r"^\s*[\[(]([^\])]*)[\])]", draft.text)
    is_leading = leading is not None and group and group in leading.group(1)
    if is_leading and not draft.leading_title and not (NOT_A_GROUP.match(group) or group.lower() in LANGUAGE_WORDS):
        return group
    return ""


def _dotted_group(text: str) -> str:
    """'Title.153.480p.x264-Grp': a dotted name's group after its last dash,
    as in a scene name (anitopy reads none there)."""
    if " " in text or "." not in text or text.startswith("[") or (match := SCENE_GROUP.search(text)) is None:
        return ""
    group = match.group("group")
    return "" if group.lower() in SCENE_GROUP_NOT or NOT_A_GROUP.match(group) else group


def _number_fixes(draft: Draft, title: str, found: dict[str, Any]) -> str:
    """Numbers anitopy took for the episode that belong to the title."""
    text = draft.text
    raw = as_list(found.get("episode_number"))[0]
    if text.endswith(raw) and markers.ends_with_signature(text):
        draft.episode, draft.episode_end, draft.part = None, None, ""
        return title
    position = _raw_position(text, raw)
    late = markers.dash_episode(text) or _episode_between_dashes(text, position)
    between = text[position + len(raw) : late.start] if late is not None and position is not None else ""
    inside_word = position is not None and re.search(r"[a-z]\d*[._]?$", text[:position], re.IGNORECASE) is not None
    in_tags = position is not None and late is not None and position > late.end and inside_brackets(text, position)
    if late is None and position is not None and not re.search(r"(?:E|EP|#)\.?\s?$", text[:position], re.I):
        late = _marked_episode_after(text, position + len(raw))
        between = text[position + len(raw) : late.start] if late is not None else ""
        if late is not None and not re.search(r"[^\W\d_]", between):
            # "Fujimoto Tatsuki 17-26 E01", "2.5 Jigen no Ririsa E01": a marked
            # episode after the number anitopy took names the episode
            between = between + "E"
    if (
        late is not None
        and (late.episode != draft.episode or not raw.isdecimal() or draft.episode_end is not None)
        and position is not None
        and (
            (
                position < late.start
                # "Ranma 1-2 (2024) - 03": the title's number, its year, then the episode
                and (re.search(r"[^\W\d_]|\((?:19|20)\d\d\)", between) or inside_word or "." in raw)
            )
            # "Title - 01 [1080p 10b ...]": anitopy read a tag's number
            or in_tags
        )
    ):
        # "Fairy Tail - 100 Years Quest - 01", "2.5 Jigen no Ririsa - 05",
        # "Nier Automata Ver1.1a - 05": the number anitopy took comes before
        # the " - 05" where fansub names put the episode.
        head = re.sub(r"^\s*(?:\[[^\]]*\]\s*)+", "", text[: late.start]).rstrip(" -")
        draft.episode, draft.episode_end, draft.part = late.episode, None, ""
        if late.version is not None:
            draft.version = late.version
        return head
    later = _LATER_EPISODE.match(text, position + len(raw)) if position is not None and late is None else None
    if later is not None and _only_tags(later.group("rest")) and re.fullmatch(r"[1-9]\d?", raw):
        # "Title 2 - The Subtitle 04 vostfr": the title's number, an alias, then the episode
        draft.episode, draft.episode_end, draft.part = int(later.group("ep")), None, ""
        return f"{title} {raw}" if not title.endswith(raw) else title
    leading = _LEADING_NUMBER.match(text)
    if (
        leading is not None
        and late is None
        and position is not None
        and position > leading.end("ep")
        and not re.search(r"(?<![a-z])S\d{1,2}\s?x?E\d", text, re.IGNORECASE)
    ):
        # "02 - Title 14 More", "7 - 12 Angry Men": the number that leads the name
        draft.episode, draft.episode_end, draft.part = int(leading.group("ep")), None, ""
        return leading.group("title").strip()
    after = _number_after(text, raw, position)
    if after is not None:
        # "Title 2 05 [720p]": the season's number kept in the title, then the episode
        draft.episode, draft.episode_end, draft.part = int(after.group("ep")), None, ""
        if after.group("v"):
            draft.version = int(after.group("v"))
        if len(raw) > 2:
            return title_before(text, after.start())
        return f"{title} {raw}" if not title.endswith(raw) else title
    if late is None and re.search(rf"(?<![A-Za-z])No\.\s?{re.escape(raw)}(?![0-9])", text):
        # "Kaiju No. 8", "Blue Submarine No.6": the title's number
        draft.episode, draft.episode_end, draft.part = None, None, ""
        return title if title.endswith(raw) else f"{title} {raw}".strip()
    if position is not None and _single_digit_of_title(text, raw, position, "movie" in draft.kinds):
        # "Byousoku 5 Centimeter [BD 1080p]": one unpadded digit inside the
        # title's words, and nothing after them but tags, names no episode.
        draft.episode, draft.episode_end, draft.part = None, None, ""
        head = re.split(r"\s*[\[(]", re.sub(r"^\s*(?:\[[^\]]*\]\s*)+", "", text), maxsplit=1)[0].split()
        tag_at = next((i for i, w in enumerate(head) if i and TAG_WORDS.match(w)), len(head))
        return " ".join(head[:tag_at])
    if position is not None and re.search(r"(?<![a-z])(?:cour|part|pt\.?)[ ._]*$", text[:position], re.IGNORECASE):
        # "Bleach - Sennen Kessen-hen cour 2 (1080p)": the second cour, all of it
        draft.episode, draft.episode_end, draft.part = None, None, ""
        return re.sub(r"[ ._]+(?:cour|part|pt\.?)$", "", title, flags=re.IGNORECASE)
    if position is not None and (raw == "0" or re.search(r"\d[.,]$", text[:position])):
        # "Jujutsu Kaisen 0", "Evangelion.3.33": a number of the title.
        draft.episode, draft.episode_end, draft.part = None, None, ""
        return _title_with_decimal(title, text, raw, position, found)
    return title


def _title_with_decimal(title: str, text: str, raw: str, position: int, found: dict[str, Any]) -> str:
    """'Film 3.0+1.11 Thrice Upon A Time': the decimal's last part, and the
    name anitopy took for the episode's after it, are the title's (a spaced
    name only: a dotted one has its dots turned to spaces later)."""
    if raw == "0" and not title.endswith(raw):
        return f"{title} 0"  # "Steins;Gate 0 [BDRip]": the title's own 0, as in "Steins;Gate 0 - 05"
    if raw == "0" or " " not in text or title.endswith(raw) or not title.endswith(text[: position - 1][-1:]):
        return title
    return f"{title}{text[position - 1]}{raw} {found.get('episode_title') or ''}".strip()


# "Title - 0083 Stardust Memory - 05 - Episode Name": an episode between two
# dashes after the number anitopy took, then the episode's own name.
_EPISODE_BETWEEN_DASHES = re.compile(r"\s-\s(?P<ep>\d{1,4})(?:v(?P<v>\d))?\s-\s(?=[^\W\d_])")


def _episode_between_dashes(text: str, start: int | None) -> markers.Marker | None:
    """Only when title words follow the number anitopy took ("- 05 - Name
    - 2 - Name" is an episode and its name's own number)."""
    if start is None or not re.match(r"\d+\s+[^\W\d_]", text[start:]):
        return None
    match = _EPISODE_BETWEEN_DASHES.search(text, start + 1)
    if match is None:
        return None
    version = int(match.group("v")) if match.group("v") else None
    return markers.Marker(start=match.start(), end=match.end("ep"), episode=int(match.group("ep")), version=version)


# "Title E01 [1080p]": an episode marked with its letter(s), then tags or the end.
_MARKED_EPISODE = re.compile(
    r"(?<![A-Za-z0-9])(?:E|EP|Ep\.)\s?(?P<ep>\d{1,4})(?:v(?P<v>\d))?(?=\s*(?:$|[\[(]))", re.IGNORECASE
)


def _marked_episode_after(text: str, start: int) -> markers.Marker | None:
    match = _MARKED_EPISODE.search(text, start)
    if match is None:
        return None
    version = int(match.group("v")) if match.group("v") else None
    return markers.Marker(start=match.start(), end=match.end(), episode=int(match.group("ep")), version=version)


# "Title 07 (1).mkv" (a browser's second copy), "Title - 29 (04)" (the
# season's number after the series-wide one): the first number is the episode.
_NUMBER_THEN_PARENTHESES = re.compile(r"(?<![0-9A-Za-z.])(?P<ep>\d{1,4})(?:v\d)?[ _]*\((?P<other>\d{1,4})\)")


def _number_before_parentheses(draft: Draft, title: str) -> str:
    if draft.episode_end is not None:
        return title
    for match in _NUMBER_THEN_PARENTHESES.finditer(draft.text):
        rest = re.sub(r"\[[^\]]*\]|\([^)]*\)", " ", draft.text[match.end() :])
        if re.search(r"(?<![0-9A-Za-z])\d{1,4}(?![0-9A-Za-z])", rest):
            continue  # "Gundam 00 (2) - 05": a number follows, the episode is there
        if int(match.group("other")) == draft.episode and not YEAR.match(match.group("ep")):
            draft.episode, draft.part = int(match.group("ep")), ""
            return re.sub(rf"[ _-]*{match.group('ep')}$", "", title.rstrip()) or title
    return title


_LATER_EPISODE = re.compile(r"\s+-\s+[^\W\d_][^\d\[\]()]*?\s(?P<ep>\d{2,4})(?:v\d)?(?P<rest>(?:\s.*)?)$")


def _only_tags(rest: str) -> bool:
    rest = re.sub(r"[\[(][^\])]*[\])]", " ", rest)
    words = rest.lower().split()
    return all(w in _NOT_TITLE_WORDS or w in LANGUAGE_WORDS or TAG_WORDS.match(w) for w in words)


_LEADING_NUMBER = re.compile(r"^(?P<ep>\d{1,3})(?:\s+-\s+|\.\s+)(?P<title>[^\[(]*?)\s*(?:[\[(].*)?$")
# A second number right after the one anitopy took, then tags or the end;
# or in a bracket of its own ("Steins;Gate 0 [05][1080p]").
_NEXT_NUMBER = re.compile(
    r"(?:[ ._]+|(?=\[))(?P<open>\[)?(?P<ep>\d{2,4})(?:v(?P<v>\d))?(?(open)\]|(?=[ ._]*(?:$|[\[(])))"
)
# The first zero-padded number that only tags follow (words may come before it).
_PADDED_NEXT = re.compile(
    r"(?<=[ ._])(?P<ep>0\d{1,3})(?:v(?P<v>\d))?(?=[ ._]*(?:$|[\[(]|\d{3,4}[pi](?![a-z])|(?:web|bd|hdtv)(?![a-z])))",
    re.IGNORECASE,
)


def _number_after(text: str, raw: str, position: int | None) -> re.Match[str] | None:
    if position is None or inside_brackets(text, position):
        return None
    if re.fullmatch(r"[1-9]\d{2,3}", raw) and not YEAR.match(raw):
        # "Mob Psycho 100 05", "Zom 100: ... Shitai 100 no Koto 05": the
        # title's number, then a zero-padded episode
        for found in re.finditer(rf"(?<![0-9.]){raw}(?![0-9])", text):
            after = _PADDED_NEXT.search(text, found.end())
            if after is not None and not inside_brackets(text, after.start("ep")):
                return after
        return None
    if not re.fullmatch(r"[1-9]\d?|00?", raw):
        return None
    after = _NEXT_NUMBER.match(text, position + len(raw))
    if after is None or YEAR.match(after.group("ep")) or after.group("ep") in BARE_RESOLUTIONS:
        return None  # "Title 2 [2021]", "Title 2 [1080]": a year, a frame height
    return after


_NOT_TITLE_WORDS = {"end", "final", "finale", "fin", "raw", "vostfr", "vf", "sub", "subs", "dub", "hd", "fhd", "uhd"}


def _single_digit_of_title(text: str, raw: str, position: int, movie: bool = False) -> bool:
    if not re.fullmatch(r"[1-9]", raw) or inside_brackets(text, position) or _NUMBER_THEN_KIND_AT_END.search(text):
        return False  # "Title 2 TVSP [1080p]": the season's special (_number_before_promo)
    if movie and re.match(r"\s+-\s+[^\W\d_]", text[position + 1 :]) and re.search(r"[^\W\d_]\s*$", text[:position]):
        return True  # "PSYCHO-PASS 3 - FIRST INSPECTOR (2020) [Movie]": a film's title holds the number
    after = re.match(r" (?P<words>[^\W\d_][^\[\]()]*?)\s*(?:[\[(].*)?$", text[position + 1 :])
    if after is None or not re.search(r"[^\W\d_]", text[:position]) or " - " in after.group("words"):
        return False
    words = after.group("words").lower().split()
    if any(w in _NOT_TITLE_WORDS or w in LANGUAGE_WORDS for w in words):
        return False
    # "Danganronpa 3 Future Arc 1080p BDRip": the title's words, then tags
    # without brackets; a word with a digit that is no tag ("2nd") says nothing.
    tag_at = next((i for i, w in enumerate(words) if TAG_WORDS.match(w) or re.search(r"\d", w)), len(words))
    return tag_at > 0 and (tag_at == len(words) or bool(TAG_WORDS.match(words[tag_at])))


# "Title 3 - PV", "Title 2 - Pilot", "Chihayafuru 2 - OVA - Name", "Title 2 -
# TVSP": a promotional video, the pilot or a special of the third (second) season,
# not an episode. ("Title - 03 - PV" and "Title - Ep03 Preview" keep their
# episode: a dash before the number makes it one.)
_NUMBER_BEFORE_PROMO = re.compile(
    r"[^\W\d_][ _](?P<n>\d{1,2})[ _]+-[ _]+"
    r"(?P<kind>PV|CM|Trailer|Teaser|Pilot|OVA|OAD|OAV|SPs?|TVSP|Specials?|Movie|Film|Extras?|Recap|NCOP|NCED)\d*(?![a-z])",
    re.I,
)


# "Bleach - Gotei 13 Omake (DVDRip)", "Title 2 OVA [BD]": an unpadded number,
# then the kind of special and nothing but tags: the special of "Gotei 13".
# "TVSP" is a TV special.
_NUMBER_THEN_KIND_AT_END = re.compile(
    r"[^\W\d_][ _](?P<n>[1-9]\d?)[ _]+(?P<kind>Omake|OVA|OAD|OAV|SP|TVSP|Specials?|PV|CM|Recap|Pilot|Extras?)"
    r"(?=[ _]*(?:$|[\[(]))",
    re.I,
)


def _number_before_promo(draft: Draft, title: str) -> str:
    match = _NUMBER_BEFORE_PROMO.search(draft.text) or _NUMBER_THEN_KIND_AT_END.search(draft.text)
    if match is None or int(match.group("n")) != draft.episode:
        return title
    draft.episode, draft.episode_end, draft.part = None, None, ""
    kind = SPECIAL_KINDS[match.group("kind").lower()]
    if kind not in draft.kinds:
        draft.kinds.append(kind)
    return f"{title} {match.group('n')}" if not title.endswith(match.group("n")) else title


def title_before(text: str, end: int) -> str:
    """The name up to ``end``, the leading brackets (group, site) left out."""
    return re.sub(r"^\s*(?:\[[^\]]*\]\s*)+", "", text[:end]).strip(" -_.")


def inside_brackets(text: str, position: int) -> bool:
    before = text[:position]
    return before.rfind("[") > before.rfind("]") or before.rfind("(") > before.rfind(")")


def _raw_position(text: str, raw: str) -> int | None:
    """Where anitopy's episode string stands in the text (as a whole number);
    a word of its own first ("[U3-Web] Title 3 - Name": not the group's 3)."""
    match = re.search(rf"(?<![0-9A-Za-z]){re.escape(raw)}(?![0-9A-Za-z])", text) or re.search(
        rf"(?<![0-9]){re.escape(raw)}(?![0-9])", text
    )
    return match.start() if match else None


# "86 - Eighty Six - 01 - Undertaker": a title that starts with a number, then
# the episode between dashes, then the episode's title.
_NUMBERED_TITLE_THEN_EPISODE = re.compile(
    r"^(?P<lead>\d{1,4})\s+-\s+(?P<title>[^\W\d_][^\[\]()]*?)\s+-\s+(?P<ep>\d{1,4})(?:v\d)?\s+-\s+[^\W\d_]"
)


def read_numbered_title(draft: Draft) -> None:
    """The number leading the name is the title's when a later " - 01 - "
    numbers the episode (anitopy takes the first)."""
    match = _NUMBERED_TITLE_THEN_EPISODE.match(draft.text)
    if match is None or draft.episode != int(match.group("lead")) or draft.episode_end is not None:
        return
    draft.episode = int(match.group("ep"))
    draft.title = f"{match.group('lead')} - {match.group('title')}"


# "[PV4]", "[CM05]", "[NCOP2]", "[Menu01]", "[Game OP1]", "[Web Preview 02]",
# "[Picture Drama 02]" (a bonus told over still images): the
# extra's own number in a bracket of its own (a word may say which extra); disc
# sets add a short suffix ("[NCED03_EP]": the ending as aired, "[Menu01_2]").
_EXTRA_NUMBER_BRACKET = re.compile(
    r"\[(?:[A-Za-z]+[ _])?(?P<kind>PV|CM|NCOP|NCED|OP|ED|Menu|Preview|Trailer|Teaser|Picture Drama)"
    r"[ _]?(?:EP)?0*(?P<n>\d{1,2})(?:_[A-Za-z0-9]{1,3})?\]",
    re.I,
)
# "[NCED_EP12]" (above) and "[Ep12_Creditless_ED]": the opening or ending as
# an episode aired it, named by that episode's number: an extra, not the episode.
_EXTRA_OF_EPISODE = re.compile(
    r"\[EP?0*(?P<n>\d{1,3})[ _](?:Creditless|Clean|Textless|Non[ _-]?Telop)[ _](?P<kind>OP|ED)\d?\]", re.I
)

# "NCED02.mkv", "SPs/PV03.mp4", "Menu01_1.mkv": a file named by the extra alone
# (the marker glued to its number opens the file name).
_EXTRA_FILE = re.compile(r"(?:^|(?<=/))(?P<kind>(?i:NCOP|NCED|Menu)|PV|CM)0*(?P<n>\d{1,2})(?:_\d{1,2})?(?=$|[\s.\[(])")


# "[PV][02]", "[Menu][04]": the marker and its number in two brackets; " - NCOP
# 12b", " - Opening 03 - Song", " ED 004 Song", " Picture Drama 03": written apart, the number
# maybe lettered ("12b": a variant of the 12th opening). "OP"/"ED" only in
# capitals, the words only before a number, so "Opening Night - 07" is a title.
_EXTRA_NUMBER_APART = re.compile(
    r"\[(?P<kind>PV|CM|NCOP|NCED|Menu|Preview|Trailer|Teaser|Tokuten|Interview)\]\s*(?:\[[A-Z]\d{1,2}\]\s*)?\[(?:SP)?0*(?P<n>\d{1,2})\]"
    r"|(?:^|(?<=[\s_-]))(?P<word>(?i:NCOP|NCED|Opening|Ending|PV|Menu|Preview|Picture Drama)|OP|ED|CM)"
    r"[ _]0*(?P<wn>\d{1,3})[a-c]?"
    r"(?=$|[\s_.\[(])",
    re.I,
)
# "Title - Vol.04 Menu": a volume's menu or promotion, the number the disc's.
_VOLUME_EXTRA = re.compile(r"\bVol\.?\s?0*(?P<n>\d{1,2})[ _](?P<kind>Menu|PV|CM|NCOP|NCED)(?=$|[\s.\[(])", re.I)
# "[Grp] Title [SP02] NCED - 03 (BD …)": a disc set's serial for its extras,
# then what the extra is and its own number; the title ends before the serial.
_SERIAL_THEN_EXTRA = re.compile(
    r" \[SP\d{1,2}\] (?P<kind>NCOP|NCED|Menu|PV|CM|Preview|(?:Non[ -]Telop |Creditless |Clean )?(?:Opening|Ending)"
    r"|(?:Program )?Promotion Video)(?= - \d| \(|$)",
    re.I,
)
_SERIAL_IN_TITLE = re.compile(r" \[SP\d{1,2}\] .*$")


def _serial_kind(words: str) -> str:
    """'Non Telop Opening' -> 'op', 'Program Promotion Video' -> 'pv'."""
    words = words.casefold()
    if words.endswith("opening"):
        return "op"
    if words.endswith("ending"):
        return "ed"
    return "pv" if words.endswith("promotion video") else words


_EXTRA_WORDS = {"opening": "op", "ending": "ed"}
# "Title - Character PV 1", "Title - Announcement PV 3": one word before the
# marker says which promotional video; it opens the dashed part after the
# title, so it is no word of the title.
_WORD_BEFORE_PROMO = re.compile(r" - (?P<word>[A-Z][a-z]+) (?:PV|CM)[ _]?\d")


def _extra_number(text: str) -> tuple[str, int | None, str] | None:
    """The extra's kind word, its number (None: the number written is none of
    the extra's) and the bracket to drop from the title."""
    if match := _EXTRA_NUMBER_BRACKET.search(text):
        return match.group("kind"), int(match.group("n")), match.group(0)[1:-1]
    if ("[E" in text or "[e" in text) and (match := _EXTRA_OF_EPISODE.search(text)):
        return match.group("kind"), int(match.group("n")), match.group(0)[1:-1]
    if "[SP" in text and (match := _SERIAL_THEN_EXTRA.search(text)):
        return _serial_kind(match.group("kind")), None, ""
    if match := _EXTRA_FILE.search(text):
        return match.group("kind"), int(match.group("n")), match.group("kind")
    if (match := _EXTRA_NUMBER_APART.search(text)) is None:
        if "Vol" in text and (match := _VOLUME_EXTRA.search(text)):
            return match.group("kind"), int(match.group("n")), ""
        return None
    if match.group("kind"):
        return match.group("kind"), int(match.group("n")), match.group("kind")
    word = match.group("word")
    return _EXTRA_WORDS.get(word.lower(), word), int(match.group("wn")), ""


def drop_extra_number(draft: Draft) -> None:
    """An opening, preview or menu numbered in its own bracket is no episode
    (an OVA's or a special's number is kept: those are numbered like episodes)."""
    if draft.episode_end is not None:
        return
    found = _extra_number(draft.text)
    if found is None or (found[1] is not None and draft.episode not in (None, found[1])):
        return
    draft.episode, draft.part = None, ""
    if draft.video_file and "Vol" in draft.text:
        draft.batch = False  # "Title - Vol.03 CM_01.mp4": one file of a volume, not the volume
    if "[SP" in draft.text:
        draft.kinds = [k for k in draft.kinds if k != "special"]  # "[SP02] NCED", "[menu][B2][SP3]": a set's serial
    kind = SPECIAL_KINDS[found[0].lower()]
    if kind not in draft.kinds:
        draft.kinds.append(kind)
    if found[2]:
        draft.title = " / ".join(t for t in draft.title.split(" / ") if t.strip() != found[2])
    elif found[1] is None:
        draft.title = _SERIAL_IN_TITLE.sub("", draft.title)  # "Title [SP02] NCED": the set's serial and the extra
    elif draft.title.casefold().endswith(" " + found[0].casefold()):
        draft.title = draft.title[: -len(found[0])].rstrip(" -_")  # "Title Picture Drama 03": the title's words
    if found[0].upper() in ("PV", "CM") and (word := _WORD_BEFORE_PROMO.search(draft.text)):
        draft.title = draft.title.removesuffix(" - " + word.group("word"))


_NOTED_SPECIAL = re.compile(r"\[(?P<kind>OAD|OVA|OAV|SP)0*(?P<ep>\d{1,2})\(\d{1,3}(?:\.\d{1,2})?\)\]", re.I)


def read_noted_bracket(draft: Draft) -> None:
    """'[VCB-Studio] Title [11(Director's Cut Ver.)][Ma10p_1080p]', '[13(OAD)]',
    '[14(OVA02)]': a bracket holding the episode and a note on it; anitopy
    reads nothing there, or the note's number."""
    if draft.scene or draft.episode_end is not None:
        return
    match = markers.NOTED_EPISODE_BRACKET.search(draft.text)
    if match is None:
        if draft.episode is None and "(" in draft.text and (special := _NOTED_SPECIAL.search(draft.text)):
            draft.episode = int(special.group("ep"))  # "[OAD02(3.25)]": the second OAD, its place in parentheses
            if (kind := SPECIAL_KINDS[special.group("kind").lower()]) not in draft.kinds:
                draft.kinds.append(kind)
        return
    if draft.numbered() and str(draft.episode) not in re.sub(r"^0+", "", match.group("note")):
        return
    draft.episode = int(match.group("ep"))
    kind = SPECIAL_KINDS.get(re.sub(r"[\d\s]+$", "", match.group("note")).lower())
    if kind is not None and kind not in draft.kinds:
        draft.kinds.append(kind)  # "[13(OAD)]": the disc set's 13th file is the OAD
