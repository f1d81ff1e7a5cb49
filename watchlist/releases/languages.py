"""Language tags of release names and of users' language labels.

Language tags (``normalize_language`` and the ``language`` of a parsed
name) follow the conventions of the trackers that use them:

==========  ==============================================================
tag         written in release names as
==========  ==============================================================
``vostfr``  VOSTFR, VOSTF, VOST, SUBFRENCH, STFR, "French Sub(s)",
            "FR Sub(s)", "Sub FR"
``vf``      VF, VFF, VFQ, VFI, TRUEFRENCH, FRENCH (scene: French audio),
            "French Dub"
``multi``   MULTI, MULTi, "Multi-Subs", "Multi Sub", "Multiple
            Subtitle(s)", MultiSub, "Dual Audio"
``en``      ENG, English, "Eng Sub", "English Sub(s)", EngSub, "En Sub"
``en-dub``  DUB, Dubbed, "Eng Dub", "English Dub(bed)" (a bare "Dub" on
            English-language trackers means an English dub)
``ja``      JPN, JAP, Japanese, RAW
``de``      GER, German, "Ger Sub", GerSub, "German Dub"
``es``      SPA, Spanish, ESP, Castellano, Latino
``it``      ITA, Italian
``pt-br``   PT-BR, PTBR, Portuguese
``ru``      RUS, Russian
``ar``      ARA, Arabic
``zh``      CHS, CHT, BIG5, Chinese, JPSC/JPTC (Japanese and Chinese
            subtitles), and the CJK subtitle notes (简繁, 简日双语, ...)
==========  ==============================================================

When a name carries several tags, the first of this order wins: multi,
vf, vostfr, en-dub, en, then the others; a MULTI release serves everyone,
and French tags are the most specific ones users filter on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_LANGUAGE_PHRASES: dict[tuple[str, ...], str] = {
    # two-word phrases are looked up before single words
    ("french", "sub"): "vostfr",
    ("french", "subs"): "vostfr",
    ("fr", "sub"): "vostfr",
    ("fr", "subs"): "vostfr",
    ("sub", "fr"): "vostfr",
    ("french", "dub"): "vf",
    ("multi", "sub"): "multi",
    ("multi", "subs"): "multi",
    ("multiple", "subtitle"): "multi",
    ("multiple", "subtitles"): "multi",
    ("dual", "audio"): "multi",
    ("eng", "sub"): "en",
    ("eng", "subs"): "en",
    ("en", "sub"): "en",
    ("english", "sub"): "en",
    ("english", "subs"): "en",
    ("english", "subbed"): "en",
    ("eng", "dub"): "en-dub",
    ("english", "dub"): "en-dub",
    ("english", "dubbed"): "en-dub",
    ("ger", "sub"): "de",
    ("german", "sub"): "de",
    ("german", "dub"): "de",
    ("pt", "br"): "pt-br",
    ("vost", "fr"): "vostfr",
    ("vo", "stfr"): "vostfr",
}
_LANGUAGE_WORDS: dict[str, str] = {
    "vostfr": "vostfr",
    "vostf": "vostfr",
    "vost": "vostfr",
    "subfrench": "vostfr",
    "stfr": "vostfr",
    "vf": "vf",
    "vff": "vf",
    "vfq": "vf",
    "vfi": "vf",
    "truefrench": "vf",
    "french": "vf",
    "multi": "multi",
    "multisub": "multi",
    "multisubs": "multi",
    "eng": "en",
    "english": "en",
    "engsub": "en",
    "dub": "en-dub",
    "dubbed": "en-dub",
    "jpn": "ja",
    "jap": "ja",
    "japanese": "ja",
    "raw": "ja",
    "ger": "de",
    "german": "de",
    "gersub": "de",
    "spa": "es",
    "esp": "es",
    "spanish": "es",
    "castellano": "es",
    "latino": "es",
    "ita": "it",
    "italian": "it",
    "ptbr": "pt-br",
    "portuguese": "pt-br",
    "rus": "ru",
    "russian": "ru",
    "ara": "ar",
    "arabic": "ar",
    "chs": "zh",
    "cht": "zh",
    "big5": "zh",
    "chinese": "zh",
    # Japanese with simplified / traditional Chinese subtitles (Nekomoe, ...)
    "jpsc": "zh",
    "jptc": "zh",
    "jpchs": "zh",
    "jpcht": "zh",
}
LANGUAGE_WORDS = _LANGUAGE_WORDS
_LANGUAGE_PRECEDENCE = ("multi", "vf", "vostfr", "en-dub", "en")
# guessit answers with babelfish languages; these are the ones we can map
# without the VOSTFR/VF distinction it does not make on its own.
_GUESSIT_LANGUAGES = {
    "mul": "multi", "en": "en", "ja": "ja", "de": "de", "es": "es", "it": "it", "ru": "ru", "ar": "ar",
}  # fmt: skip

_TOKEN_SPLIT = re.compile(r"[^0-9a-z]+")


def tokens(text: str) -> list[str]:
    return [t for t in _TOKEN_SPLIT.split(text.lower()) if t]


def without_run(tokens: list[str], run: list[str]) -> list[str]:
    """``tokens`` minus the first occurrence of ``run`` (a title, a group):
    a language word inside a series title ("The French Chef") is no tag."""
    if not run:
        return tokens
    for i in range(len(tokens) - len(run) + 1):
        if tokens[i : i + len(run)] == run:
            return tokens[:i] + tokens[i + len(run) :]
    return tokens


def _languages_in(tokens: list[str]) -> list[str]:
    found: list[str] = []
    i = 0
    while i < len(tokens):
        pair = tuple(tokens[i : i + 2])
        if len(pair) == 2 and pair in _LANGUAGE_PHRASES:
            found.append(_LANGUAGE_PHRASES[pair])
            i += 2
            continue
        if tokens[i] in _LANGUAGE_WORDS:
            found.append(_LANGUAGE_WORDS[tokens[i]])
        i += 1
    return found


def _strongest(tags: Iterable[str]) -> str:
    tags = list(tags)
    for tag in _LANGUAGE_PRECEDENCE:
        if tag in tags:
            return tag
    return tags[0] if tags else ""


def normalize_language(value: str) -> str:
    """A user's or a release's language label as one of the tags above.

    Unknown labels are kept (lower-cased, trimmed) so that two sides using
    the same unknown label still match.
    """
    words = tokens(value)
    if not words:
        return ""
    tag = _strongest(_languages_in(words))
    if tag:
        return tag
    # "pt-br", "en-dub": already a tag from the table
    return value.strip().lower()


def language_matches(wanted: str, release_language: str) -> bool:
    """Whether a release in ``release_language`` suits an item that wants
    ``wanted``. A release with no tag matches any wanted language (most
    fansub releases carry none), and a MULTI release matches every one."""
    wanted_tag = normalize_language(wanted)
    if not wanted_tag or not release_language:
        return True
    return release_language in ("multi", wanted_tag)


def language_of_tokens(name_tokens: list[str]) -> str:
    """The strongest language tag among a name's words ("" when none)."""
    return _strongest(_languages_in(name_tokens))


def guessit_language(guessed: dict) -> str:
    """The tag of guessit's language answer, when it maps to one."""
    values = []
    for key in ("language", "subtitle_language"):
        value = guessed.get(key)
        values += [str(v) for v in (value if isinstance(value, list) else [value] if value else [])]
    return _strongest(_GUESSIT_LANGUAGES[v] for v in values if v in _GUESSIT_LANGUAGES)
