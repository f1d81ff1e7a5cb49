"""A fake AniList GraphQL server on 127.0.0.1, for the metadata tests.

It answers POSTs the way graphql.anilist.co does (the shapes recorded from
its documentation and answers): ``{"data": {"Page": {"pageInfo": ..., "media":
[...]}}}`` for searches (variable ``search``) and id lists (variable
``ids``), with ``X-RateLimit-Limit`` / ``X-RateLimit-Remaining`` on every
answer. It does not parse GraphQL: it tells the three queries of
watchlist/metadata/anilist.py apart by their operation name and returns the
fields each asks for.

Tests fill `catalogue` with `media(...)` dicts, queue canned replies
(`reply_next`: a 429 with Retry-After, a 500, a GraphQL error) and read
back what was asked (`posts`). Covers are served at ``/covers/<id>.jpg``.
"""

from __future__ import annotations

import json
import struct
import threading
import zlib
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from .threaded_server import ThreadedServer

# A JPEG's first and last bytes around filler: enough for the signature
# check, not an image a browser can draw (see poster_png for one).
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 200 + b"\xff\xd9"


def poster_png(width: int = 40, height: int = 60, rgb: tuple[int, int, int] = (70, 90, 200)) -> bytes:
    """A real PNG of one colour, built by hand (no imaging library needed)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


PNG = poster_png()


def media(
    anilist_id: int,
    english: str | None = None,
    *,
    romaji: str | None = None,
    native: str | None = None,
    synonyms: list[str] | None = None,
    format: str = "TV",
    status: str = "RELEASING",
    episodes: int | None = 12,
    duration: int | None = 24,
    season: str | None = "FALL",
    year: int | None = 2023,
    start: str | None = None,  # "2023-10-07", "2023-10" or "2023": AniList's startDate, as far as known
    end: str | None = None,
    genres: list[str] | None = None,
    description: str | None = None,
    next_airing: tuple[int, int] | None = None,  # (episode, epoch seconds)
    schedule: list[tuple[int, int]] | None = None,
    # (type, id, format, episodes), and the related entry's romaji title when given
    relations: list[tuple[str, int, str, int | None] | tuple[str, int, str, int | None, str]] | None = None,
    cover: str | None = "default",
    is_adult: bool = False,
) -> dict[str, Any]:
    """One Media object, in AniList's field names and nesting."""
    romaji = romaji if romaji is not None else (english or f"Series {anilist_id}")
    schedule = schedule if schedule is not None else ([next_airing] if next_airing else [])
    # AniList's nextAiringEpisode is the first episode of the schedule.
    next_airing = next_airing or (min(schedule, key=lambda pair: pair[1]) if schedule else None)
    return {
        "id": anilist_id,
        "idMal": anilist_id + 100000,
        "siteUrl": f"https://anilist.co/anime/{anilist_id}",
        "title": {"romaji": romaji, "english": english, "native": native},
        "synonyms": synonyms or [],
        "format": format,
        "status": status,
        "episodes": episodes,
        "duration": duration,
        "season": season,
        "seasonYear": year,
        "startDate": fuzzy(start),
        "endDate": fuzzy(end),
        "genres": genres if genres is not None else ["Adventure", "Fantasy"],
        "isAdult": is_adult,
        "description": description if description is not None else f"The story of <i>{romaji}</i>.<br><br>Part two.",
        "coverImage": {"extraLarge": cover, "large": cover},
        "nextAiringEpisode": (
            {"episode": next_airing[0], "airingAt": next_airing[1], "timeUntilAiring": 0} if next_airing else None
        ),
        "airingSchedule": {"nodes": [{"episode": ep, "airingAt": at} for ep, at in schedule]},
        "relations": {
            "edges": [
                {
                    "relationType": kind,
                    "node": {"id": rid, "type": "ANIME", "format": fmt, "episodes": eps}
                    | ({"title": {"romaji": rest[0], "english": None}} if rest else {}),
                }
                for kind, rid, fmt, eps, *rest in relations or []
            ]
        },
    }


def fuzzy(when: str | None) -> dict[str, int | None]:
    """AniList's FuzzyDate of "2023-10-07" / "2023-10" / "2023" / None."""
    parts = [int(part) for part in when.split("-")] if when else []
    parts += [None] * (3 - len(parts))
    return {"year": parts[0], "month": parts[1], "day": parts[2]}


_SEARCH_FIELDS = {
    "id",
    "idMal",
    "siteUrl",
    "title",
    "synonyms",
    "format",
    "status",
    "episodes",
    "duration",
    "season",
    "seasonYear",
    "startDate",
    "endDate",
    "genres",
    "isAdult",
    "description",
    "coverImage",
    "nextAiringEpisode",
}
_PREQUEL_FIELDS = {"id", "format", "episodes", "status", "relations"}


@dataclass
class Post:
    operation: str
    variables: dict[str, Any]
    headers: dict[str, str]


@dataclass
class Reply:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


class FakeAniList(ThreadedServer):
    def __init__(self) -> None:
        self.catalogue: dict[int, dict[str, Any]] = {}
        self.posts: list[Post] = []
        self.cover_gets: list[str] = []
        self.canned: deque[Reply] = deque()
        # Covers: path -> (content type, body); the default is a JPEG.
        self.covers: dict[str, tuple[str, bytes]] = {}
        self.limit = 90
        self.remaining: int | None = None  # None: limit - 1 - posts so far (never below 0)
        self.reset_at: int | None = None
        self._lock = threading.Lock()
        super().__init__(_handler_for(self))

    # --- control ---------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def cover_url(self, anilist_id: int) -> str:
        return f"http://127.0.0.1:{self.port}/covers/{anilist_id}.jpg"

    def add(self, *entries: dict[str, Any]) -> None:
        for entry in entries:
            if entry["coverImage"]["extraLarge"] == "default":
                url = self.cover_url(entry["id"])
                entry["coverImage"] = {"extraLarge": url, "large": url}
            self.catalogue[entry["id"]] = entry

    def reply_next(self, status: int, headers: dict[str, str] | None = None, body: Any = None) -> None:
        """The next POST gets this answer instead of the real one."""
        raw = body if isinstance(body, bytes) else json.dumps(body if body is not None else {}).encode()
        self.canned.append(Reply(status, {"Content-Type": "application/json", **(headers or {})}, raw))

    def rate_limited_next(self, retry_after: int = 30, reset_at: int | None = None) -> None:
        """AniList's 429: its body, Retry-After and X-RateLimit-* headers."""
        headers = {"Retry-After": str(retry_after), "X-RateLimit-Limit": str(self.limit), "X-RateLimit-Remaining": "0"}
        if reset_at is not None:
            headers["X-RateLimit-Reset"] = str(reset_at)
        self.reply_next(429, headers, {"data": None, "errors": [{"message": "Too Many Requests.", "status": 429}]})

    def operations(self) -> list[str]:
        with self._lock:
            return [post.operation for post in self.posts]

    # --- answers ---------------------------------------------------------

    def _answer(self, operation: str, variables: dict[str, Any]) -> dict[str, Any]:
        if "search" in variables:
            text = str(variables["search"]).casefold()
            found = [m for m in self.catalogue.values() if text in _names(m)]
            fields = _SEARCH_FIELDS
        else:
            found = [self.catalogue[i] for i in variables.get("ids") or [] if i in self.catalogue]
            fields = _PREQUEL_FIELDS if operation == "Prequels" else None
        per_page = int(variables.get("perPage") or 50)
        found = found[:per_page]
        shown = [{k: v for k, v in m.items() if fields is None or k in fields} for m in found]
        if operation == "Series":
            shown = [self._with_related_dates(m) for m in shown]
        return {
            "data": {
                "Page": {
                    "pageInfo": {"total": len(found), "currentPage": 1, "hasNextPage": False, "perPage": per_page},
                    "media": shown,
                }
            }
        }

    def _with_related_dates(self, entry: dict[str, Any]) -> dict[str, Any]:
        """A related entry's startDate is the catalogue's, as AniList's
        relation nodes carry the related media's own fields."""
        edges = [
            edge | {"node": edge["node"] | {"startDate": self.catalogue[edge["node"]["id"]]["startDate"]}}
            # Edges without an entry (a null node, a node without id) as AniList gives them.
            if isinstance(edge.get("node"), dict) and edge["node"].get("id") in self.catalogue
            else edge
            for edge in (entry.get("relations") or {}).get("edges") or []
        ]
        return entry | {"relations": {"edges": edges}} if "relations" in entry else entry

    def _rate_headers(self) -> dict[str, str]:
        used = len(self.posts)
        remaining = self.remaining if self.remaining is not None else max(self.limit - used, 0)
        headers = {"X-RateLimit-Limit": str(self.limit), "X-RateLimit-Remaining": str(remaining)}
        if self.reset_at is not None:
            headers["X-RateLimit-Reset"] = str(self.reset_at)
        return headers


def _names(entry: dict[str, Any]) -> str:
    title = entry.get("title") or {}
    return " | ".join(str(n) for n in [*title.values(), *(entry.get("synonyms") or [])] if n).casefold()


def _operation(query: str) -> str:
    for word in ("Search", "Series", "Prequels"):
        if f"query {word}" in query:
            return word
    return "?"


def _handler_for(fake: FakeAniList) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
            self.send_response(status)
            headers.setdefault("Content-Length", str(len(body)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            try:
                document = json.loads(raw)
                query, variables = document["query"], document.get("variables") or {}
            except (ValueError, KeyError, TypeError):
                body = {"data": None, "errors": [{"message": "Syntax Error: bad request body", "status": 400}]}
                self._send(400, {"Content-Type": "application/json"}, json.dumps(body).encode())
                return
            with fake._lock:
                fake.posts.append(Post(_operation(query), variables, {k.lower(): v for k, v in self.headers.items()}))
                canned = fake.canned.popleft() if fake.canned else None
                rate = fake._rate_headers()
            if canned is not None:
                self._send(canned.status, dict(canned.headers), canned.body)
                return
            body = json.dumps(fake._answer(_operation(query), variables)).encode()
            self._send(200, {"Content-Type": "application/json; charset=utf-8", **rate}, body)

        def do_GET(self) -> None:
            with fake._lock:
                fake.cover_gets.append(self.path)
            if not self.path.startswith("/covers/"):
                self._send(404, {"Content-Type": "text/plain"}, b"not found")
                return
            content_type, body = fake.covers.get(self.path, ("image/jpeg", JPEG))
            self._send(200, {"Content-Type": content_type}, body)

    return Handler
