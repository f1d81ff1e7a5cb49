"""Posters: fetched once through the guarded client, kept in our storage
(MEDIA_ROOT/posters/) and served by our own URL, so a page never loads an
image from AniList (no hot-linking) and posters show on a LAN without
internet access.

Only raster images are kept (JPEG, PNG, WebP, GIF: the Content-Type says so
*and* the first bytes agree; never SVG, which can carry scripts), and only
up to POSTER_MAX_BYTES. A poster that failed is not tried again for an hour.
A new cover URL (AniList changed the art) replaces the stored copy.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from downloads.net import FetchError, fetch

from . import defaults
from .models import Series

logger = logging.getLogger(__name__)

RETRY_AFTER_FAILURE = timedelta(hours=1)
FOLDER = "posters"

# Content type -> (file extension, the signatures its bytes start with).
IMAGE_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    "image/jpeg": (".jpg", (b"\xff\xd8\xff",)),
    "image/png": (".png", (b"\x89PNG\r\n\x1a\n",)),
    "image/gif": (".gif", (b"GIF87a", b"GIF89a")),
    "image/webp": (".webp", (b"RIFF",)),
}


class PosterRefused(Exception):
    pass


def poster_url(series: Series) -> str:
    return reverse("metadata-poster", args=[series.anilist_id])


def has_poster(series: Series) -> bool:
    return bool(series.poster_file) and series.poster_source_url == series.cover_url


def _content_type(header: str) -> str:
    return header.split(";", 1)[0].strip().lower()


def _read(url: str, limit: int) -> tuple[str, bytes]:
    with fetch(url, stream=True, retries=1) as response:
        content_type = _content_type(response.headers.get("Content-Type", ""))
        if content_type not in IMAGE_TYPES:
            raise PosterRefused(f"not an image we keep ({content_type or 'no content type'})")
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > limit:
            raise PosterRefused(f"larger than {limit} bytes")
        chunks, size = [], 0
        for chunk in response.iter_content(64 * 1024):
            size += len(chunk)
            if size > limit:
                raise PosterRefused(f"larger than {limit} bytes")
            chunks.append(chunk)
    body = b"".join(chunks)
    extension, signatures = IMAGE_TYPES[content_type]
    if not body.startswith(signatures) or (content_type == "image/webp" and body[8:12] != b"WEBP"):
        raise PosterRefused(f"the bytes are not a {extension[1:].upper()} image")
    return content_type, body


def store_poster(series: Series, *, force: bool = False) -> bool:
    """Make sure our copy of the series' cover exists; True when it does."""
    if not series.cover_url:
        return False
    if has_poster(series):
        return True
    now = timezone.now()
    if (
        not force
        and series.poster_error
        and series.poster_tried_at
        and now - series.poster_tried_at < RETRY_AFTER_FAILURE
    ):
        return False
    try:
        content_type, body = _read(series.cover_url, defaults.poster_max_bytes())
    except (FetchError, PosterRefused) as exc:
        logger.info("poster of AniList %s not stored: %s", series.anilist_id, exc)
        Series.objects.filter(pk=series.pk).update(poster_error=str(exc)[:300], poster_tried_at=now)
        series.poster_error, series.poster_tried_at = str(exc)[:300], now
        return False
    old = series.poster_file
    name = default_storage.save(
        f"{FOLDER}/anilist-{series.anilist_id}{IMAGE_TYPES[content_type][0]}", ContentFile(body)
    )
    fields = {
        "poster_file": name,
        "poster_content_type": content_type,
        "poster_source_url": series.cover_url,
        "poster_error": "",
        "poster_tried_at": now,
    }
    Series.objects.filter(pk=series.pk).update(**fields)
    for key, value in fields.items():
        setattr(series, key, value)
    if old and old != name:
        default_storage.delete(old)
    return True


def delete_poster(series: Series) -> None:
    if series.poster_file:
        default_storage.delete(series.poster_file)
