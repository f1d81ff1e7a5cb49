"""File naming: the Jellyfin/Plex layout, and nothing escapes DOWNLOAD_DIR."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from downloads import manager
from downloads.files import (
    MAX_FILENAME_BYTES,
    UnsafePath,
    build_destination,
    ensure_inside,
    numbered,
    sanitize_component,
)


@pytest.mark.parametrize(
    ("title", "season", "episode", "resolution", "ext", "expected"),
    [
        ("Frieren", 1, 5, 1080, ".mkv", "alice/Frieren/Frieren - S01E05 [1080p].mkv"),
        ("Frieren", None, 5, None, "mkv", "alice/Frieren/Frieren - S01E05.mkv"),
        ("Frieren", 2, 112, 720, ".MP4", "alice/Frieren/Frieren - S02E112 [720p].mp4"),
        ("Re:Zero", 1, 1, None, ".mkv", "alice/Re-Zero/Re-Zero - S01E01.mkv"),
        ("Title: Subtitle", 1, 1, None, ".mkv", "alice/Title - Subtitle/Title - Subtitle - S01E01.mkv"),
        ("Fate/Zero", 1, 1, None, ".mkv", "alice/Fate-Zero/Fate-Zero - S01E01.mkv"),
        ("../../etc", 1, 1, None, ".mkv", "alice/-..-etc/-..-etc - S01E01.mkv"),
        ("..", 1, 1, None, ".mkv", "alice/Untitled/Untitled - S01E01.mkv"),
        ("/etc/passwd", 1, 1, None, ".mkv", "alice/-etc-passwd/-etc-passwd - S01E01.mkv"),
        ("C:\\Windows", 1, 1, None, ".mkv", "alice/C--Windows/C--Windows - S01E01.mkv"),
        ('What? <Is> "This" | *', 1, 1, None, ".mkv", "alice/What Is 'This'/What Is 'This' - S01E01.mkv"),
        (
            "Tab\tand\nnewline\x00nul\x7f",
            1,
            1,
            None,
            ".mkv",
            "alice/Tab and newline nul/Tab and newline nul - S01E01.mkv",
        ),
        ("CON", 1, 1, None, ".mkv", "alice/CON_/CON_ - S01E01.mkv"),
        ("nul", 1, 1, None, ".mkv", "alice/nul_/nul_ - S01E01.mkv"),
        ("lpt1.txt", 1, 1, None, ".mkv", "alice/lpt1_.txt/lpt1_.txt - S01E01.mkv"),
        ("Aux .x", 1, 1, None, ".mkv", "alice/Aux_.x/Aux_.x - S01E01.mkv"),
        ("Trailing dots...   ", 1, 1, None, ".mkv", "alice/Trailing dots/Trailing dots - S01E01.mkv"),
        (".hidden", 1, 1, None, ".mkv", "alice/hidden/hidden - S01E01.mkv"),
        ("", 1, 1, None, ".mkv", "alice/Untitled/Untitled - S01E01.mkv"),
        ("   ", 1, 1, None, ".mkv", "alice/Untitled/Untitled - S01E01.mkv"),
        ("???", 1, 1, None, ".mkv", "alice/Untitled/Untitled - S01E01.mkv"),
        ("葬送のフリーレン", 1, 3, 1080, ".mkv", "alice/葬送のフリーレン/葬送のフリーレン - S01E03 [1080p].mkv"),
    ],
)
def test_names(download_dir, title, season, episode, resolution, ext, expected):
    path = build_destination(download_dir, "alice", title, season, episode, resolution, ext)
    assert path == download_dir / expected
    assert path.is_relative_to(download_dir)


@pytest.mark.parametrize("user", ["..", "../bob", "/", ".tmp", "a/b", ""])
def test_user_folder_cannot_escape_or_hit_the_temp_folder(download_dir, user):
    path = build_destination(download_dir, user, "Show", 1, 1, None, ".mkv")
    first = path.relative_to(download_dir).parts[0]
    assert first not in ("..", ".", ".tmp", "")
    assert "/" not in first and "\\" not in first


@pytest.mark.parametrize("title", ["é" * 300, "x" * 400, "日本語" * 100, "a" * 240 + "é" * 20])
def test_long_titles_are_cut_to_255_bytes_keeping_the_extension(download_dir, title):
    path = build_destination(download_dir, "alice", title, 1, 5, 1080, ".mkv")
    folder, name = path.parent.name, path.name
    assert len(folder.encode()) <= 255
    # Room is left for the ".part" the HTTP backend writes next to it.
    assert len(name.encode()) <= MAX_FILENAME_BYTES
    assert len((name + ".part").encode()) <= 255
    assert name.endswith(".mkv")
    name.encode().decode("utf-8")  # no split multi-byte character


def test_numbered_variants_keep_the_extension_and_the_cap(download_dir):
    path = build_destination(download_dir, "alice", "x" * 400, 1, 5, None, ".mkv")
    second = numbered(path, 2)
    assert second.name.endswith(" (2).mkv")
    assert len(second.name.encode()) <= MAX_FILENAME_BYTES
    assert numbered(path, 1) == path
    assert numbered(Path("/d/Show - S01E01.mkv"), 3) == Path("/d/Show - S01E01 (3).mkv")


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        (
            "{title}/Season {season:02d}/{title} S{season:02d}E{episode:02d}{resolution_tag}{ext}",
            "alice/Show/Season 01/Show S01E07 [480p].mkv",
        ),
        ("{title} - {episode}{ext}", "alice/Show - 7.mkv"),
        ("../../{title}/{title}{ext}", "alice/Show/Show.mkv"),  # ".." pieces are neutralised
        ("{title}/{title} E{episode}", "alice/Show/Show E7.mkv"),  # the extension is not optional
    ],
)
def test_templates(download_dir, template, expected):
    path = build_destination(download_dir, "alice", "Show", 1, 7, 480, ".mkv", template=template)
    assert path == download_dir / expected


def test_template_from_settings(download_dir, settings):
    settings.DOWNLOAD_NAME_TEMPLATE = "{title}/E{episode:03d}{ext}"
    assert build_destination(download_dir, "alice", "Show", 1, 7, None, ".mkv") == download_dir / "alice/Show/E007.mkv"


@pytest.mark.parametrize("template", ["{title}/{nope}{ext}", "{title}/{episode:zz}{ext}", "/"])
def test_broken_templates_are_configuration_errors(download_dir, template):
    with pytest.raises(ImproperlyConfigured):
        build_destination(download_dir, "alice", "Show", 1, 1, None, ".mkv", template=template)


@pytest.mark.parametrize("ext", ["", ".", ".mk v", ".toolongextension", "../x", ".mkv/"])
def test_bad_extensions_are_refused(download_dir, ext):
    with pytest.raises(ValueError, match="extension"):
        build_destination(download_dir, "alice", "Show", 1, 1, None, ext)


def test_symlinked_folder_out_of_the_root_is_refused(download_dir, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (download_dir / "alice").symlink_to(outside)
    with pytest.raises(UnsafePath):
        build_destination(download_dir, "alice", "Show", 1, 1, None, ".mkv")


@pytest.mark.parametrize("candidate", ["../x.mkv", "/etc/passwd", ".", "alice/../../x"])
def test_ensure_inside(download_dir, candidate):
    with pytest.raises(UnsafePath):
        ensure_inside(download_dir, download_dir / candidate)


def test_sanitize_component_is_idempotent():
    for text in ["Re:Zero", "CON", "a" * 300, " . ", "Fate/Zero?", "x\x00y"]:
        once = sanitize_component(text)
        assert sanitize_component(once) == once


def test_two_episodes_with_the_same_name_get_distinct_paths(download_dir, alice):
    # Two releases whose titles sanitize to the same thing ("Re:Zero" and "Re-Zero").
    first = build_destination(download_dir, "alice", "Re:Zero", 1, 1, None, ".mkv")
    second = build_destination(download_dir, "alice", "Re-Zero", 1, 1, None, ".mkv")
    assert first == second
    job1, _ = manager.enqueue(alice, "http://127.0.0.1/a.mkv", "http", first, dedupe_key="item:a:ep:1")
    job2, _ = manager.enqueue(alice, "http://127.0.0.1/b.mkv", "http", second, dedupe_key="item:b:ep:1")
    assert job1.destination == str(first)
    assert job2.destination == str(numbered(first, 2))


def test_a_file_already_on_disk_is_not_overwritten(download_dir, alice):
    target = build_destination(download_dir, "alice", "Show", 1, 1, None, ".mkv")
    target.parent.mkdir(parents=True)
    target.write_bytes(b"the user's own copy")
    job, _ = manager.enqueue(alice, "http://127.0.0.1/a.mkv", "http", target)
    assert job.destination == str(numbered(target, 2))


def test_enqueue_refuses_paths_outside_the_root(download_dir, alice, tmp_path):
    with pytest.raises(UnsafePath):
        manager.enqueue(alice, "http://127.0.0.1/a.mkv", "http", tmp_path / "elsewhere.mkv")
