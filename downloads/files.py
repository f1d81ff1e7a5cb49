"""Where a download lands: `DOWNLOAD_DIR/<user>/<Title>/<Title> - S01E05 [1080p].mkv`.

That layout is what Jellyfin and Plex scan. Titles come from remote feeds,
so every path component is sanitized for the strictest common filesystem
(reserved characters and names of Windows/SMB shares, 255-byte names of
ext4) and the result is checked to be inside the download root.

The template (`DOWNLOAD_NAME_TEMPLATE`) is a `str.format` string whose `/`
separates folders. Fields:

- `{title}`: the series title, sanitized
- `{season}`, `{episode}`: integers (an unknown season is 1), so `{season:02d}` works
- `{resolution}`: e.g. `1080`, empty when unknown
- `{resolution_tag}`: ` [1080p]`, or nothing when the resolution is unknown
- `{ext}`: the extension with its dot, e.g. `.mkv`
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from . import conf

DEFAULT_NAME_TEMPLATE = conf.DOWNLOAD_NAME_TEMPLATE

# ext4, btrfs, xfs and NTFS all stop at 255 (bytes or UTF-16 units); bytes
# in UTF-8 is the stricter of the two for non-ASCII titles.
MAX_COMPONENT_BYTES = 255
# The HTTP backend writes `<name>.part` next to the final file, so a final
# name must leave room for that suffix.
PART_SUFFIX = ".part"
MAX_FILENAME_BYTES = MAX_COMPONENT_BYTES - len(PART_SUFFIX)
# How many numbered variants (" (2)" ... ) a name may get, when queued and
# when placed, before giving up on it.
MAX_NAME_VARIANTS = 100

_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"COM{i}" for i in range(1, 10)} | {f"LPT{i}" for i in range(1, 10)}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_EXT = re.compile(r"^\.[a-z0-9]{1,10}$")


# Video containers a download may be saved as. The one list: the feed
# providers (is this link a video?), the watchlist (which extension does the
# file get?) and the torrent engine (which files of a torrent are episodes?)
# all read it here, so a container one knows is never a `.bin` to another.
MEDIA_EXTENSIONS = frozenset(
    {".mkv", ".mp4", ".avi", ".webm", ".m4v", ".ts", ".m2ts", ".mov", ".wmv", ".flv", ".ogv", ".mpg", ".mpeg"}
)


def media_extension(name: str) -> str | None:
    """The media extension of a file name or URL path (".mkv"), or None."""
    suffix = Path(name).suffix.lower()
    return suffix if suffix in MEDIA_EXTENSIONS else None


class UnsafePath(ValueError):
    """A computed path would leave the download root."""


def name_template() -> str:
    return conf.setting("DOWNLOAD_NAME_TEMPLATE")


def _replace_reserved(text: str) -> str:
    # "Re:Zero" -> "Re-Zero", "Title: Sub" -> "Title - Sub", "Fate/Zero" -> "Fate-Zero":
    # readable names, the way media managers (Sonarr's "smart" mode) do it.
    text = text.replace(": ", " - ").replace(":", "-")
    text = text.replace("/", "-").replace("\\", "-")
    text = text.replace('"', "'")
    text = re.sub(r"[<>|?*]", "", text)
    return _CONTROL.sub(" ", text)  # "a\tb" -> "a b", not "ab"


def _truncate_utf8(text: str, max_bytes: int) -> str:
    encoded = text.encode("utf-8")
    if len(encoded) <= max_bytes:
        return text
    # Cut on a character boundary: drop the incomplete tail sequence.
    return encoded[:max_bytes].decode("utf-8", errors="ignore")


def _tidy_edges(text: str) -> str:
    # Windows drops trailing dots and spaces (so "Title." and "Title" collide);
    # leading dots make hidden files and "."/".." components.
    return text.strip(" .\t")


def sanitize_component(text: str, *, fallback: str = "untitled", max_bytes: int = MAX_COMPONENT_BYTES) -> str:
    """One safe path component (folder or file stem) from arbitrary text."""
    text = unicodedata.normalize("NFC", str(text))
    text = _replace_reserved(text)
    text = re.sub(r"\s+", " ", text)
    text = _tidy_edges(text)
    if not text:
        text = fallback
    # "CON", "con.txt", "Nul .x" all name a device on Windows shares; the
    # suffix goes on the part before the first dot, where Windows looks.
    base = text.split(".", 1)[0]
    if base.rstrip().upper() in _WINDOWS_RESERVED:
        text = f"{base.rstrip()}_{text[len(base) :]}"
    text = _tidy_edges(_truncate_utf8(text, max_bytes))
    return text or fallback


def sanitize_filename(name: str, *, max_bytes: int = MAX_FILENAME_BYTES) -> str:
    """A safe file name that keeps its extension when the stem is cut short."""
    stem, ext = _split_ext(name)
    ext_bytes = len(ext.encode("utf-8"))
    stem = sanitize_component(stem, max_bytes=max_bytes - ext_bytes)
    return f"{stem}{ext}"


def _split_ext(name: str) -> tuple[str, str]:
    dot = name.rfind(".")
    if dot > 0 and _EXT.match(name[dot:].lower()):
        return name[:dot], name[dot:].lower()
    return name, ""


def normalize_ext(ext: str) -> str:
    ext = ext.strip().lower()
    if ext and not ext.startswith("."):
        ext = f".{ext}"
    if not _EXT.match(ext):
        raise ValueError(f"Not a usable file extension: {ext!r}")
    return ext


# What user_folder appends; a name that already ends like it gets one too,
# so no user's plain name can be another user's suffixed one.
_USER_SUFFIX = re.compile(r"~\d+$")


def user_folder(username: str, user_id: int) -> str:
    """The folder of a user's downloads under DOWNLOAD_DIR, one per user.

    The sanitized name when sanitizing kept it as it is; otherwise (``alice.``
    and ``.alice`` both sanitize to ``alice``), or when the name could be
    mistaken for a suffixed one, ``<sanitized>~<user id>``. The user id is
    unique and ``~`` never comes out of sanitizing unchanged names that end
    in ``~<digits>``, so two users never share a folder. Names that differ
    only in case are kept apart the same way, for case-insensitive disks
    (NTFS and SMB shares, macOS).
    """
    safe = sanitize_component(username, fallback="user")
    if safe == username and safe == safe.lower() and not _USER_SUFFIX.search(safe):
        return safe
    suffix = f"~{int(user_id)}"
    stem = _tidy_edges(_truncate_utf8(safe, MAX_COMPONENT_BYTES - len(suffix))) or "user"
    return f"{stem}{suffix}"


def path_in_user_folder(destination: str | Path, root: Path | None = None) -> str:
    """A download's path as its owner sees it: inside their own folder
    (``Frieren/Frieren - S01E05.mkv``), without the server's DOWNLOAD_DIR or
    the folder's name. A path outside the root shows only its file name."""
    path = Path(destination)
    try:
        relative = path.relative_to(Path(root or download_root()))
    except ValueError:
        return path.name
    parts = relative.parts[1:]  # the first part is the user's folder
    return str(Path(*parts)) if parts else path.name


def ensure_inside(root: Path, candidate: Path) -> Path:
    """The resolved candidate, or UnsafePath when it is not under root.

    Resolving follows symlinks that already exist, so a folder symlinked
    out of the download root is refused too.
    """
    root_resolved = root.resolve()
    resolved = candidate.resolve()
    if resolved == root_resolved or not resolved.is_relative_to(root_resolved):
        raise UnsafePath(f"{candidate} is outside {root_resolved}")
    return resolved


def build_destination(
    root: Path,
    user_slug: str,
    title: str,
    season: int | None,
    episode: int,
    resolution: int | None,
    ext: str,
    template: str | None = None,
) -> Path:
    """The final path of an episode for a user, inside root."""
    ext = normalize_ext(ext)
    safe_title = sanitize_component(title, fallback="Untitled")
    fields = {
        "title": safe_title,
        "season": 1 if season is None else int(season),
        "episode": int(episode),
        "resolution": "" if resolution is None else int(resolution),
        "resolution_tag": "" if resolution is None else f" [{int(resolution)}p]",
        "ext": ext,
    }
    try:
        relative = (template or name_template()).format(**fields)
    except (KeyError, IndexError, ValueError) as exc:
        raise ImproperlyConfigured(f"DOWNLOAD_NAME_TEMPLATE cannot be filled: {exc}") from exc

    # Separators can only come from the template now (the fields were
    # sanitized); each piece is sanitized again on its own.
    # "." and ".." pieces of a template are dropped, not turned into names.
    pieces = [p for p in re.split(r"[/\\]", relative) if p.strip(" .")]
    if not pieces:
        raise ImproperlyConfigured("DOWNLOAD_NAME_TEMPLATE gives an empty path")
    folders = [sanitize_component(p) for p in pieces[:-1]]
    filename = sanitize_filename(pieces[-1])
    if not filename.lower().endswith(ext):
        # The template dropped {ext} or it was cut: the extension is not optional.
        stem = sanitize_component(filename, max_bytes=MAX_FILENAME_BYTES - len(ext))
        filename = f"{stem}{ext}"

    user_dir = sanitize_component(user_slug, fallback="user")
    candidate = Path(root) / user_dir / Path(*folders) / filename if folders else Path(root) / user_dir / filename
    return ensure_inside(Path(root), candidate)


def numbered(path: Path, n: int) -> Path:
    """`Title - S01E05.mkv` -> `Title - S01E05 (2).mkv`, within the name length cap."""
    if n < 2:
        return path
    suffix = f" ({n})"
    stem, ext = _split_ext(path.name)
    budget = MAX_FILENAME_BYTES - len(ext.encode()) - len(suffix.encode())
    stem = _tidy_edges(_truncate_utf8(stem, budget)) or "untitled"
    return path.with_name(f"{stem}{suffix}{ext}")


def part_path(final: Path) -> Path:
    return final.with_name(final.name + PART_SUFFIX)


def download_root() -> Path:
    return Path(settings.DOWNLOAD_DIR)


def temp_root() -> Path:
    """Scratch space for yt-dlp fragments: inside DOWNLOAD_DIR, so the final
    move is a rename on the same filesystem, but outside any user's folder,
    so media scanners never see half-written files."""
    return download_root() / ".tmp"
