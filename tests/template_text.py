"""Finds the visible text of the dashboard's templates that is not marked for
translation: a run of words between two tags (HTML tags, template tags or
{{ variables }}), or a title/aria-label/placeholder/alt attribute written out.

Text inside <code>, <kbd>, <pre> and <samp>, and the body_class block (CSS
class names), is not language, nor are single characters and symbols (a
middle dot, an ellipsis). Text around a {{ variable }} belongs in a
{% blocktranslate %}, whose inside is not looked at. Words a yesno filter
shows ("On,Off", capitalised) count as text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

TOKEN = re.compile(
    r"\{#.*?#\}|\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}|\{%.*?%\}|\{\{.*?\}\}|<!--.*?-->"
    # An HTML tag may hold template tags, some with a ">" ({% if a >= b %}).
    r"|<script\b.*?</script>|<style\b.*?</style>|<(?:[^>{]|\{[^%{#]|\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\})*>",
    re.S,
)
ATTRIBUTE = re.compile(r'\b(title|aria-label|placeholder|alt)="([^"]*)"')
# yesno:"On,Off" shows words; yesno:'off,on' (values, CSS classes) does not.
YESNO_WORDS = re.compile(r"""yesno:["']([A-Z][^"']*)["']""")
TAGS_AND_VARIABLES = re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.S)
WORDS = re.compile(r"[A-Za-z]{2,}")
BLOCK_OPEN = re.compile(r"\{%\s*blocktrans(late)?\b")
BLOCK_CLOSE = re.compile(r"\{%\s*endblocktrans(late)?\s*%\}")
# Commands, keys and sample output are the same in every language.
VERBATIM = re.compile(r"<(code|kbd|pre|samp)\b|\{%\s*block\s+body_class\b")


@dataclass(frozen=True)
class Untranslated:
    path: Path
    text: str


def untranslated(path: Path, source: str) -> list[Untranslated]:
    found: list[Untranslated] = []
    tokens = list(TOKEN.finditer(source))
    found += [Untranslated(path, words) for words in YESNO_WORDS.findall(source)]
    inside_block = False
    for index, match in enumerate(tokens):
        token = match.group(0)
        if BLOCK_OPEN.match(token):
            inside_block = True
        elif BLOCK_CLOSE.match(token):
            inside_block = False
        if token.startswith("<") and not token.startswith("<!--"):
            found += [
                Untranslated(path, value)
                for _name, value in ATTRIBUTE.findall(token)
                if "translate" not in value and WORDS.search(TAGS_AND_VARIABLES.sub(" ", value))
            ]
        end = tokens[index + 1].start() if index + 1 < len(tokens) else len(source)
        text = source[match.end() : end]
        if inside_block or VERBATIM.match(token) or not WORDS.search(text):
            continue
        found.append(Untranslated(path, text.strip()))
    return found
