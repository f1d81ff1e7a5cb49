"""Series titles inside release names: what is left once the markers are
cut, cleaned of season and year markers, and split into aliases when a
name gives the title in two scripts (``葬送的芙莉莲 / Sousou no Frieren``)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .languages import LANGUAGE_WORDS
from .markers import SEASON_NUMBER, SEASON_WORDS, cjk_season, season_number
from .text import has_cjk, has_latin

_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7}
# Season markers written inside titles (the scene ones, S01E05, are cut
# before the title is read); "SS2" is a short form some fansubs write;
# "10º Temporada" (the ordinal sign folded to "o" by ``prepare``) a
# Portuguese or Spanish one ("1ª a 8ª Temporada" a span of them); "3. série",
# "2. řada" a Czech or Slovak one; a bare ordinal ending the title ("Title 4th - 05") and Russian trackers'
# "TV-2" ("ТВ-2") and "2 сезон" are seasons too.
_SEASON_MARKER = re.compile(
    rf"""(?:^|(?<=[\s(\[:_.-]))(?:
        SS?(?P<s>\d{{1,2}})(?:-S?\d{{1,2}}|\s*-\s*S\d{{1,2}})?(?:D\d{{1,2}}(?:[-&]\d{{1,2}})*)?(?:P\d{{1,2}})?(?:v\d)?
      | (?P<o>\d{{1,2}})(?:(?:st|nd|rd|th)\s+Season
        |(?:o|a|°)\.?(?:\s+(?:a|e|y|-)\s+\d{{1,2}}(?:o|a|°)\.?)?\s+Temporadas?|\.\s*(?:s[ée]ri[ea]|řada)|\s+сезон)
      | {SEASON_WORDS}(?:[\s._]*|-)(?P<n>{SEASON_NUMBER})(?:(?:-|\s*(?:to|&|and)\s*)\d{{1,2}})?
        (?:[\s._]?of[\s._]?\d{{1,2}})?
      | (?P<w>first|second|third|fourth|fifth|sixth|seventh)\s+Season
      | (?P<x>\d{{1,2}})xAll
      | (?P<b>\d{{1,2}})(?:st|nd|rd|th)(?=\s*$)
      | (?:TV|ТВ)-(?P<t>\d{{1,2}})
    )(?=$|[\s)\]:,_.-])""",
    re.IGNORECASE | re.VERBOSE,
)
# A date in a title: 2010-11-23, 2016.07.08, 2016 02 25, 03-29-2012.
_DATE = re.compile(
    r"(?<![0-9])(?:(?:19|20)\d\d[-. ](?:0[1-9]|1[0-2])[-. ](?:0[1-9]|[12]\d|3[01])"
    r"|(?:0[1-9]|1[0-2])[-.](?:0[1-9]|[12]\d|3[01])[-.](?:19|20)\d\d)(?![0-9])"
)
# "The Complete Series", "Complete", "Season Pack" ending a title: a batch word.
_COMPLETE_AT_END = re.compile(
    r"\s+(?:(?:the\s+)?complete(?:\s+(?:series|collection|seasons?))?|all(?:\s+seasons?)?|season\s+pack)$",
    re.IGNORECASE,
)
# "(2019)", and the years a series aired: "(2024-2025)", "(TV Series 2006-2007)" (its first year kept).
_YEAR_IN_BRACKETS = re.compile(
    r"[(\[](?:TV[\s-]+(?:Mini[\s-]?)?Series\s+)?(?P<year>(?:19[3-9]|20[0-4])\d)(?:\s*[-–]\s*(?:19|20)\d\d)?[)\]]"
)
# A release's year is a past one: "Night Head 2041", "SAC_2045" are titles.
_YEAR_AT_END = re.compile(r"\s(?P<year>(?:19[3-9]|20[0-2])\d)$")
# "Title 2010-2016": the years a series aired, bare, end its title.
_YEARS_AT_END = re.compile(r"\s(?P<year>(?:19[3-9]|20[0-4])\d)\s*[-–]\s*(?:19|20)\d\d$")
_RESOLUTION = re.compile(r"(?<![\w.])(?:360|480|576|720|1080|1440|2160)[pi](?![\w])", re.IGNORECASE)
_EDGE_JUNK = " -_.:,~|/&+"
# A bracket left open where a marker was cut out of it: "Title [Cap" (from
# "[Cap.2x05]"), "Title (" (from "(ТВ-2): …").
_OPEN_AT_END = re.compile(r"\s*[\[(](?:Cap[ií]tulo|Cap|Ep)?\.?$", re.IGNORECASE)
_EMPTY_BRACKETS = re.compile(r"\(\s*\)|\[\s*\]")


@dataclass(frozen=True)
class CleanTitle:
    title: str
    aliases: tuple[str, ...]
    season: int | None
    year: int | None


def season_marker(title: str) -> tuple[int | None, str]:
    """The season a title names ("2nd Season", "S2", "Season 2", "第二季")
    and the title without it."""
    match = _SEASON_MARKER.search(title)
    if match:
        if match.group("w"):
            season = _ORDINALS[match.group("w").lower()]
        else:
            number = match.group("s") or match.group("o") or match.group("n") or match.group("x") or match.group("b")
            season = season_number(number or match.group("t"))
        rest = title[: match.start()] + " " + title[match.end() :]
        return season, _tidy(rest)
    cjk = cjk_season(title)
    if cjk is not None:
        return cjk.season, _tidy(title[: cjk.start] + " " + title[cjk.end :])
    return None, title


def _tidy(title: str) -> str:
    title = _EMPTY_BRACKETS.sub(" ", title)
    title = _OPEN_AT_END.sub("", " ".join(title.split()))
    return title.strip(_EDGE_JUNK).strip()


def _year(title: str, *, bare: bool) -> tuple[int | None, str]:
    """A year in brackets ("Title (2024)"), or ending the title of a scene
    name ("Title.2024.S01E05") or of a name with no episode ("Spirited Away
    2001 (BD Remux)"): ``bare``. Elsewhere a number that looks like a year is
    the title's own ("Tokyo 2020 - 05", "2001 Nights")."""
    found = list(_YEAR_IN_BRACKETS.finditer(title))
    match = found[-1] if found else None
    if match is None:
        years = _YEARS_AT_END.search(title) if "-" in title or "–" in title else None
        match = years or (_YEAR_AT_END.search(title) if bare else None)
    if match is None:
        return None, title
    if found:
        # "Pocket Monsters (2019) / 精灵宝可梦(2019)": each alias says the year
        rest = _tidy(_YEAR_IN_BRACKETS.sub(" ", title))
    else:
        rest = _tidy(title[: match.start()] + " " + title[match.end() :])
    if not rest:
        return None, title
    return int(match.group("year")), rest


_SCRIPT_UNDERSCORE = re.compile(r"(?<![A-Za-z0-9])_+|_+(?![A-Za-z0-9])")
_SPACED_SLASH = re.compile(r"\s/\s")
_BARE_SLASH_BETWEEN_SCRIPTS = re.compile(r"(?<![A-Za-z0-9])/|/(?![A-Za-z0-9])")


def split_aliases(title: str) -> tuple[str, ...]:
    """'葬送的芙莉莲 / Sousou no Frieren' -> both; '间谍过家家 SPY×FAMILY' ->
    both; 'Fate/Zero' stays whole (one script on both sides)."""
    # An underscore next to a non-Latin character separates two titles
    # ("药屋少女的呢喃_Kusuriya"); between two Latin letters it is a space
    # ("海贼王One_Piece").
    parts = [_SCRIPT_UNDERSCORE.sub("/", title) if has_cjk(title) else title]
    # A name that parts its titles with spaced slashes ("Fate/Grand Order -绝对… /
    # Fate/Grand Order -絶対…") writes a bare one between letters as a title's own.
    bare = _BARE_SLASH_BETWEEN_SCRIPTS if _SPACED_SLASH.search(title) else re.compile(r"/")
    for splitter in (re.compile(r"\s+/\s+|\s*[|｜]\s*"), bare):
        next_parts = []
        for part in parts:
            pieces = [p.strip() for p in splitter.split(part) if p.strip()]
            # a bare "/" splits where a CJK title stands on one side
            # ("数码宝贝/数码兽", "葬送的芙莉莲/Frieren"); between Latin words
            # it is the title's own: "Fate/Zero" is one title
            if splitter is bare and not any(has_cjk(p) for p in pieces):
                pieces = [part]
            next_parts.extend(pieces)
        parts = next_parts
    parts = [alias for part in parts for alias in _parenthesized_alias(part)]
    whole = _sharing_a_latin_tail(parts)
    aliases: list[str] = []
    fragments: list[str] = []
    for part in parts:
        runs = _split_script_runs(part)
        (aliases if len(runs) == 1 else fragments).extend(runs)
    if not any(has_latin(a) and not has_cjk(a) for a in aliases):
        aliases, fragments = [], []
        for part in parts:
            aliases.extend(_split_script_runs(part))
    # A title the name gives whole ("… / Anime Title") comes before a Latin
    # run cut from a mixed one ("刀剑神域: Alicization").
    aliases += fragments
    aliases += [part for part in parts if part in whole]
    return tuple(dict.fromkeys(a for a in (_tidy(_underscores(a)) for a in aliases) if a))


# "Title. (Alias.)": a full stop (left as a space by the dots rule) may end the alias.
_PARENTHESIZED = re.compile(r"^(?P<a>.*\S)\s*\((?P<b>[^()]*[^\s().])[\s.]*\)$")
# "Romaji (English) - Arc": the other name before the arc's; the arc follows either.
_PARENTHESIZED_BEFORE_ARC = re.compile(r"^(?P<a>[^()]*\S)\s*\((?P<b>[^()]*[^\s().])\)\s+-\s+(?P<c>[^()\s][^()]*)$")


# Words that make a parenthesised note a tag or a kind, not another title.
_NOTE_WORDS = frozenset({
    "dub", "dubbed", "dubs", "sub", "subs", "subbed", "batch", "weekly", "complete", "uncensored", "censored",
    "tv", "movie", "movies", "ova", "ovas", "oad", "special", "specials", "remastered", "remaster", "dual",
    "audio", "multi", "raw", "season", "seasons", "part", "cour", "bd", "web", "uncut", "director's", "cut",
    "edition", "version", "ver", "unofficial", "official",
})  # fmt: skip


# A note that names a cut of the series or says it is the series, not a film:
# the title before it is the series' name as well.
_CUT_NOTE_WORDS = frozenset({"version", "edition", "cut", "series"})


_TECHNICAL = re.compile(
    r"(?<![a-z0-9])(?:\d{3,4}[pi]|x26[45]|h\.?26[45]|hevc|avc|aac|flac|ac3|e-?ac-?3|opus|dts|bd(?:rip)?|web(?:rip|-?dl)?"
    r"|dvd(?:rip)?|hdtv|blu-?ray|\d+-?bits?|hi10p?|remux|mkv|mp4)(?![a-z0-9])",
    re.IGNORECASE,
)


_DUB_WORDS = frozenset({"dub", "dubbed", "sub", "subbed"})


def _is_dub_note(note: str) -> bool:
    """'JP Dub', 'English Dubbed': a language (or its two-letter code) and the word dub or sub."""
    words = note.lower().split()
    languages = [w for w in words if w not in _DUB_WORDS]
    return len(languages) < len(words) and all(w in LANGUAGE_WORDS or re.fullmatch("[a-z]{2}", w) for w in languages)


def _parenthesized_alias(part: str) -> list[str]:
    """'樱桃小丸子 (Chibi Maruko-chan)' -> both: a title in one script and, in
    parentheses, its name in the other. In one script the title stays whole
    and first, and the two names are aliases too: 'Tensei Shitara Slime Datta
    Ken (That Time I Got Reincarnated as a Slime)' is what neither name is
    written as anywhere else, so an item titled either would not match it."""
    match = _PARENTHESIZED.match(part)
    if match is None:
        return _parenthesized_before_arc(part)
    a, b = match.group("a").strip(_EDGE_JUNK), match.group("b")
    if a and _is_dub_note(b):
        return [match.group("a").strip()]  # "Title 2 (JP Dub)": which audio, not a name
    if has_cjk(a) != has_cjk(b):
        return [match.group("a"), b]
    # "(Rent-A-Alias)": a hyphen joins the words of one phrase, each counts
    words = re.findall(r"[^\W\d_][\w'’.!?]*", b)
    if (
        has_cjk(b)
        or len(words) < 2
        or not a
        or _TECHNICAL.search(b)
        or any(w.lower().strip(".!?") in _NOTE_WORDS for w in words)
    ):
        if a and words and words[-1].lower() in _CUT_NOTE_WORDS:
            return [part, a]  # "Title (Broadcast Version)", "Title (Series)": the series' name too
        return [part]  # "Lantern Tales (Red)", "Title (Dubbed)", "Title (BDRip x264)": one title
    return [part, a, b]


def _parenthesized_before_arc(part: str) -> list[str]:
    """'Kaze no Uta (Song of Wind) - Kouya-hen': the title whole, the title
    without the other name, and the other name (the same tests as at the end:
    a one-word or technical note stays part of the title)."""
    match = _PARENTHESIZED_BEFORE_ARC.match(part)
    if match is None:
        return [part]
    a, b, c = match.group("a").strip(_EDGE_JUNK), match.group("b"), match.group("c").strip()
    names = _parenthesized_alias(f"{a} ({b})")
    if len(names) < 3:
        return [part]
    return [part, f"{a} - {c}", b]


def _underscores(alias: str) -> str:
    """'Dungeon_Meshi' -> 'Dungeon Meshi': underscores as word separators."""
    return alias.replace("_", " ") if " " not in alias and not has_cjk(alias) else alias


_SCRIPT_RUNS = re.compile(
    r"^(?P<a>[^A-Za-z]*[^\x00-\x7f][^A-Za-z]*?)(?:\s+|(?<=[\u3040-\u30ff\u3400-\u9fff])(?=[A-Za-z]{2}))(?P<b>[A-Za-z0-9].*)$"
)
# "Love Live! 虹咲…", "Fate/Grand Order -绝对魔兽战线-": a Latin run, then a CJK one (a dash may lead it).
# "RPG Real Estate - RPG 不動產" (ANi's "English - 中文"): the CJK name may open
# with one Latin word; the English name ends at the spaced dash.
_LATIN_DASH_CJK = re.compile(
    r"^(?P<a>[A-Za-z][^\u3040-\u9fff]*?)\s+-\s+(?P<b>[A-Za-z0-9!:×]+\s*[\u3040-\u30ff\u3400-\u9fff].*)$"
)
_SCRIPT_RUNS_REVERSED = re.compile(r"^(?P<a>[A-Za-z][^\u3040-\u9fff]*?)\s+-?(?P<b>[\u3040-\u30ff\u3400-\u9fff].*)$")


# "喧哗番长 乙女-girl beats boys- Kenka Banchou Otome": a CJK title carrying its
# own Latin subtitle between dashes (or tildes), then the romanised title.
_CJK_THEN_DASHED_SUBTITLE = re.compile(
    r"^(?P<a>[^A-Za-z]*[\u3040-\u30ff\u3400-\u9fff][^A-Za-z]*?[-‐~～][^-‐~～\u3040-\u9fff]+[-‐~～])"
    r"\s+(?P<b>[A-Za-z][^\u3040-\u9fff]*)$"
)


_LATIN_TAIL = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]\S*\s+(?P<tail>[A-Za-z][^\u3040-\u9fff]*)$")


def _sharing_a_latin_tail(parts: list[str]) -> set[str]:
    """'苍穹之法芙娜 The Beyond / 蒼穹のファフナー THE BEYOND': a Latin run that
    ends two names in two other scripts may be their subtitle, not a third name
    (or the romaji name both add: '鬼灭之刃 Kimetsu / 鬼滅の刃 Kimetsu'), so
    each whole name is an alias too."""
    tails: dict[str, list[str]] = {}
    for part in parts:
        if (found := _LATIN_TAIL.search(part)) is not None:
            tails.setdefault(found.group("tail").casefold(), []).append(part)
    return {part for same in tails.values() if len(same) > 1 for part in same}


def _split_script_runs(part: str) -> list[str]:
    """'海贼王 One Piece' -> ['海贼王', 'One Piece'] (a CJK run, then Latin).
    A Latin run before the CJK one ('Love Live! 虹咲学园…') is more often the
    start of the title than a translation: the whole stays an alias too."""
    if not (has_cjk(part) and has_latin(part)):
        return [part]
    match = _SCRIPT_RUNS.match(part)
    # "龙珠GT", "数码宝贝X": a short capital suffix glued to the CJK title is the title's own;
    # so is one lower-case-led word after it ("先导者 will+Dress"): a romanised title is capitalised
    suffix = match is not None and (
        (re.fullmatch(r"[A-Z]{1,3}", match.group("b")) and not part[match.start("b") - 1].isspace())
        or re.fullmatch(r"[a-z]\S*", match.group("b")) is not None
    )
    if match and has_cjk(match.group("a")) and not has_cjk(match.group("b")) and not suffix:
        if _OWNED_WORD_AT_END.search(part):
            # the whole title first: primary_of keeps it before the word
            return [part, match.group("a"), match.group("b")]
        return _glued_word_split(part, match.group("a"), match.group("b"))
    match = _LATIN_DASH_CJK.match(part) or _SCRIPT_RUNS_REVERSED.match(part)
    if match and not has_cjk(match.group("a")):
        return [match.group("a"), match.group("b"), part]
    match = _CJK_THEN_DASHED_SUBTITLE.match(part)
    if match:
        return [match.group("a"), match.group("b")]
    return [part]


def _glued_word_split(part: str, cjk: str, latin: str) -> list[str]:
    """'忘却Battery Boukyaku Battery' -> ['忘却Battery', 'Boukyaku Battery']: a
    Latin word glued to the CJK run that the romanised title repeats at its
    end is the CJK title's own ('海贼王One Piece' stays ['海贼王', 'One Piece'])."""
    glued, _, rest = latin.partition(" ")
    if part[len(cjk) :].startswith(glued) and rest.split() and rest.split()[-1] == glued and len(rest.split()) > 1:
        return [cjk + glued, rest]
    return [cjk, latin]


# "星之少女灯 EXCEEDS", "灯塔骑士Zwei": a CJK title ending in one Latin word,
# in capitals or glued to it, is a title of its own with a Latin word in it
# (a romanised alias is capitalised words apart from it: "灯塔 Harbor").
_OWNED_WORD_AT_END = re.compile(r"[\u3040-\u30ff\u3400-\u9fff](?:[A-Za-z]{2,}|\s+[A-Z]{2,})$")


def primary_of(aliases: tuple[str, ...]) -> str:
    """The Latin-script alias when there is one: what most users type; not
    the Latin word a CJK title ends with when that title comes first and
    the name gives no other Latin title ("迷雾Lantern Kiri no Lantern")."""
    owned = _OWNED_WORD_AT_END.search(aliases[0]) if aliases and not aliases[0].isascii() else None
    if owned is not None:
        word = owned.group()[1:].strip()
        if all(alias == word for alias in aliases if has_latin(alias) and not has_cjk(alias)):
            return aliases[0]
    for alias in aliases:
        if has_latin(alias) and not has_cjk(alias):
            return alias
    return aliases[0] if aliases else ""


def _cut_after_season(title: str) -> str:
    """'Dexter Saison VII FRENCH' -> 'Dexter Saison VII': what a release
    name writes after the season of a titled name is tags or an episode
    title, not the series' name."""
    match = _SEASON_MARKER.search(title)
    if match is None or not _tidy(title[: match.start()]) or "/" in title[match.end() :]:
        return title
    # "Title [Сезон 2] …": the bracket the season stands in closes with it.
    closing = title[match.end() : match.end() + 1]
    opened = title[: match.start()].rstrip()[-1:]
    return title[: match.end() + (closing != "" and opened + closing in ("[]", "()"))]


def _cut_at_date(title: str) -> str:
    """'Show Name - 2010-11-23 - Ep Name' -> 'Show Name': a dated episode;
    'Show Name (2011) 1080p MKV' -> 'Show Name (2011)': a resolution (and the
    tags after it) left before a scene marker is never the title's."""
    match = _DATE.search(title) or _RESOLUTION.search(title)
    return title[: match.start()] if match and _tidy(title[: match.start()]) else title


# "Boondocks, The": a library's sorting form; the article goes back in front.
_TRAILING_ARTICLE = re.compile(r"^(?P<rest>[^,/|]*[^\W\d_].*?),\s+(?P<article>The|A|An)$", re.IGNORECASE)


# "有頂天家族 2 Uchouten Kazoku 2", "碧蓝航线 S2_Azur Lane S2", "约会大作战S4 Date A
# Live IV": a season number ending the CJK name parts it from the Latin one.
_SEASON_BETWEEN_SCRIPTS = re.compile(
    r"(?<=[\u3040-\u30ff\u3400-\u9fff])\s*(?P<season>S\d{1,2}|\d{1,2})(?:\s+|_)(?=[A-Za-z])"
)


def clean_title(raw: str, *, scene: bool = False) -> CleanTitle:
    raw = _SEASON_BETWEEN_SCRIPTS.sub(r" \g<season> / ", raw)
    title = _COMPLETE_AT_END.sub("", _cut_after_season(_cut_at_date(_tidy(raw))))
    season, title = season_marker(title)
    year, title = _year(title, bare=scene)
    if season is None:
        season, title = season_marker(title)  # "Title (2024) Season 2"
    title = _COMPLETE_AT_END.sub("", title)
    if "," in title:
        title = _TRAILING_ARTICLE.sub(r"\g<article> \g<rest>", title)
    aliases = split_aliases(title) if title else ()
    # Each alias may carry its own season marker ("第二季 / 2nd Season").
    cleaned = []
    for alias in aliases:
        alias_season, alias = season_marker(alias)
        season = season if season is not None else alias_season
        if alias:
            cleaned.append(alias)
    aliases = tuple(dict.fromkeys(cleaned))
    primary = primary_of(aliases)
    ordered = (primary, *(a for a in aliases if a != primary)) if primary else ()
    return CleanTitle(title=primary, aliases=ordered, season=season or None, year=year)


def roman_season(title: str) -> tuple[int | None, str]:
    """'Mob Psycho 100 III' -> (3, 'Mob Psycho 100'): for matching only, the
    parsed title keeps the numeral (it is part of the series' name)."""
    match = re.search(r"\s(II|III|IV|V|VI)$", title)
    if not match:
        return None, title
    value = {"II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6}[match.group(1)]
    return value, title[: match.start()].rstrip()
