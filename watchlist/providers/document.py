"""Providers that read one HTTP document (a feed, an index page) and parse
it: the conditional GET lives here once, the parsing in each subclass."""

from __future__ import annotations

from abc import abstractmethod
from typing import ClassVar

import requests

from downloads.net import fetch

from .base import EpisodeInfo, Provider, ProviderError, Refresh, SourceRef

# A listing is a few hundred kilobytes at most; anything far larger is a
# mistake (a video URL given as a source) and must not be held in memory.
MAX_DOCUMENT_BYTES = 16 * 1024 * 1024
_CHUNK = 64 * 1024


class _NoValidators:
    """A source seen for the first time: nothing to make the GET conditional."""

    etag = ""
    last_modified = ""

    def __init__(self, source: SourceRef) -> None:
        self.url = source.url
        self.lang = getattr(source, "lang", "")


class DocumentProvider(Provider):
    conditional_requests = True
    accept: ClassVar[str] = "*/*"
    max_document_bytes: ClassVar[int] = MAX_DOCUMENT_BYTES

    @abstractmethod
    def parse(self, body: bytes, url: str, content_type: str) -> list[EpisodeInfo]:
        """The episodes in a fetched document. ``url`` is where it was
        finally fetched from (after redirects): relative links resolve
        against it."""

    def list_episodes(self, source: SourceRef) -> list[EpisodeInfo]:
        return self.refresh(_NoValidators(source)).episodes

    def refresh(self, source: SourceRef) -> Refresh:
        etag = getattr(source, "etag", "") or ""
        last_modified = getattr(source, "last_modified", "") or ""
        headers = {"Accept": self.accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        # stream=True so an oversized answer is refused after MAX bytes,
        # not after it has been read into memory whole.
        response = fetch(source.url, headers=headers, stream=True)
        try:
            # A 304 may carry fresh validators; when it does not, the old
            # ones are still the right ones to send next time.
            new_etag = response.headers.get("ETag", "")
            new_last_modified = response.headers.get("Last-Modified", "")
            if response.status_code == 304:
                return Refresh(
                    not_modified=True,
                    episodes=[],
                    etag=new_etag or etag,
                    last_modified=new_last_modified or last_modified,
                )
            body = self._read(response)
            final_url = response.url or source.url
            content_type = response.headers.get("Content-Type", "")
        finally:
            response.close()
        episodes = self.parse(body, final_url, content_type)
        return Refresh(not_modified=False, episodes=episodes, etag=new_etag, last_modified=new_last_modified)

    def _read(self, response: requests.Response) -> bytes:
        chunks: list[bytes] = []
        total = 0
        for chunk in response.iter_content(_CHUNK):
            total += len(chunk)
            if total > self.max_document_bytes:
                raise ProviderError(
                    f"{response.url} is larger than {self.max_document_bytes} bytes; not a listing",
                    permanent=True,
                )
            chunks.append(chunk)
        return b"".join(chunks)
