"""Placing finished files in the library: hard link, copy, move, atomically."""

from __future__ import annotations

import errno
import os
import time
from pathlib import Path

import pytest

from downloads import library
from downloads.library import Placement


def _write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_kept_source_is_hard_linked_on_the_same_file_system(tmp_path):
    source = _write(tmp_path / "incomplete" / "ep.mkv", b"episode bytes")
    dest = tmp_path / "library" / "Show" / "Show - S01E01.mkv"

    how = library.place(source, dest, keep_source=True).how

    assert how is Placement.LINKED
    assert library.same_file(source, dest)
    assert source.read_bytes() == b"episode bytes"  # the seeded file stays where the engine has it
    assert [p.name for p in dest.parent.iterdir()] == [dest.name]  # no temporary left


def test_kept_source_is_copied_when_a_link_cannot_be_made(tmp_path, monkeypatch):
    source = _write(tmp_path / "a" / "ep.mkv", b"x" * 3_000_000)
    dest = tmp_path / "b" / "ep.mkv"

    def cross_device(src, dst):
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", cross_device)  # what a second file system answers
    how = library.place(source, dest, keep_source=True).how

    assert how is Placement.COPIED
    assert not library.same_file(source, dest)
    assert library.file_sha256(dest) == library.file_sha256(source)
    assert source.exists()
    assert [p.name for p in dest.parent.iterdir()] == [dest.name]


def test_unneeded_source_is_moved(tmp_path):
    source = _write(tmp_path / "incomplete" / "ep.mkv", b"abc")
    dest = tmp_path / "library" / "ep.mkv"

    assert library.place(source, dest, keep_source=False) == library.Placed(dest, Placement.MOVED)
    assert dest.read_bytes() == b"abc"
    assert not source.exists()


def test_unneeded_source_across_file_systems_is_copied_then_removed(tmp_path, monkeypatch):
    source = _write(tmp_path / "incomplete" / "ep.mkv", b"abc")
    dest = tmp_path / "library" / "ep.mkv"
    real_replace = os.replace

    def no_cross_rename(src, dst):
        if Path(src) == source:
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", no_cross_rename)
    monkeypatch.setattr(os, "link", lambda s, d: (_ for _ in ()).throw(OSError(errno.EXDEV, "x")))

    assert library.place(source, dest, keep_source=False) == library.Placed(dest, Placement.MOVED)
    assert dest.read_bytes() == b"abc"
    assert not source.exists()


def test_a_failed_copy_leaves_nothing_in_the_library(tmp_path, monkeypatch):
    source = _write(tmp_path / "a" / "ep.mkv", b"data")
    dest = tmp_path / "lib" / "ep.mkv"
    monkeypatch.setattr(os, "link", lambda s, d: (_ for _ in ()).throw(OSError(errno.EXDEV, "x")))

    def disk_full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError, match="No space"):
        library.place(source, dest, keep_source=True)

    assert list(dest.parent.iterdir()) == []
    assert source.read_bytes() == b"data"


@pytest.mark.parametrize("keep_source", [True, False])
def test_other_bytes_at_the_destination_are_kept_and_ours_take_the_next_name(tmp_path, keep_source, caplog):
    source = _write(tmp_path / "a" / "ep.mkv", b"ours")
    dest = _write(tmp_path / "lib" / "ep.mkv", b"someone else's file")

    placed = library.place(source, dest, keep_source=keep_source)

    assert placed.path == tmp_path / "lib" / "ep (2).mkv"
    assert placed.path.read_bytes() == b"ours"
    assert dest.read_bytes() == b"someone else's file"
    assert source.exists() is keep_source
    assert sorted(p.name for p in dest.parent.iterdir()) == ["ep (2).mkv", "ep.mkv"]  # no temporary left
    assert "holds other bytes: the finished file is placed as ep (2).mkv" in caplog.text


@pytest.mark.parametrize("keep_source", [True, False])
def test_the_same_bytes_at_the_destination_are_ours_and_kept_once(tmp_path, keep_source, caplog):
    # An earlier attempt placed the file (a copy, not a link) and died before recording it.
    source = _write(tmp_path / "a" / "ep.mkv", b"episode bytes")
    dest = _write(tmp_path / "lib" / "ep.mkv", b"episode bytes")
    inode = dest.stat().st_ino

    placed = library.place(source, dest, keep_source=keep_source, sha256=library.file_sha256(source))

    assert placed.path == dest and dest.stat().st_ino == inode  # that file, untouched
    assert [p.name for p in dest.parent.iterdir()] == ["ep.mkv"]
    assert source.exists() is keep_source
    assert "already holds these bytes" in caplog.text


def test_same_size_other_bytes_are_told_apart_by_their_digest(tmp_path):
    source = _write(tmp_path / "a" / "ep.mkv", b"AAAA")
    dest = _write(tmp_path / "lib" / "ep.mkv", b"BBBB")

    assert library.place(source, dest).path.name == "ep (2).mkv"
    assert dest.read_bytes() == b"BBBB"


def test_names_spoken_for_elsewhere_or_being_written_are_skipped(tmp_path):
    source = _write(tmp_path / "a" / "ep.mkv", b"ours")
    dest = _write(tmp_path / "lib" / "ep.mkv", b"theirs")
    _write(tmp_path / "lib" / "ep (3).mkv.part", b"another download in progress")
    asked = []

    def taken(path: Path) -> bool:
        asked.append(path.name)
        return path.name == "ep (2).mkv"  # another job's planned name, no file yet

    placed = library.place(source, dest, taken=taken)

    assert placed.path.name == "ep (4).mkv"
    assert asked == ["ep (2).mkv", "ep (4).mkv"]  # the planned name is ours: never asked about
    assert not (tmp_path / "lib" / "ep (2).mkv").exists()


@pytest.mark.parametrize("keep_source", [True, False])
def test_without_hard_links_an_existing_file_is_not_overwritten_either(tmp_path, monkeypatch, keep_source):
    source = _write(tmp_path / "a" / "ep.mkv", b"ours")
    dest = _write(tmp_path / "lib" / "ep.mkv", b"theirs")
    monkeypatch.setattr(os, "link", lambda s, d: (_ for _ in ()).throw(OSError(errno.EPERM, "no links on FAT")))

    placed = library.place(source, dest, keep_source=keep_source)

    assert (placed.path.name, placed.path.read_bytes(), dest.read_bytes()) == ("ep (2).mkv", b"ours", b"theirs")
    assert source.exists() is keep_source


def test_a_folder_or_a_link_at_the_name_is_not_taken_for_ours(tmp_path):
    source = _write(tmp_path / "a" / "ep.mkv", b"ours")
    (tmp_path / "lib" / "ep.mkv").mkdir(parents=True)
    (tmp_path / "lib" / "ep (2).mkv").symlink_to(source)  # the same bytes, but a link someone made

    placed = library.place(source, tmp_path / "lib" / "ep.mkv")

    assert placed.path.name == "ep (3).mkv"
    assert (tmp_path / "lib" / "ep (2).mkv").is_symlink()


def test_a_failed_move_gives_the_source_back(tmp_path, monkeypatch):
    # No hard links: the move is staged by a rename of the source, and the
    # last rename to the library name fails.
    source = _write(tmp_path / "a" / "ep.mkv", b"ours")
    dest = tmp_path / "lib" / "ep.mkv"
    dest.parent.mkdir()
    real_replace = os.replace

    def broken_last_rename(src, dst):
        if Path(dst) == dest:
            raise OSError(errno.EIO, "I/O error")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "link", lambda s, d: (_ for _ in ()).throw(OSError(errno.EPERM, "no links")))
    monkeypatch.setattr(os, "replace", broken_last_rename)
    with pytest.raises(OSError, match="I/O error"):
        library.place(source, dest, keep_source=False)

    assert source.read_bytes() == b"ours"
    assert list(dest.parent.iterdir()) == []


def test_a_missing_source_is_said_plainly(tmp_path):
    with pytest.raises(FileNotFoundError, match="missing"):
        library.place(tmp_path / "nope.mkv", tmp_path / "lib" / "ep.mkv")


def test_a_killed_placements_temporary_file_is_removed_by_the_next_one(tmp_path):
    source = tmp_path / "in" / "ep.mkv"
    source.parent.mkdir()
    source.write_bytes(b"episode")
    destination = tmp_path / "lib" / "ep.mkv"
    destination.parent.mkdir()
    stale = library.temporary_name(destination)
    stale.write_bytes(b"half a copy")
    old = time.time() - library.STALE_PLACING_SECONDS - 60
    os.utime(stale, (old, old))
    fresh = library.temporary_name(destination)  # another placement, writing now
    fresh.write_bytes(b"being copied")
    other = library.temporary_name(destination.with_name("other.mkv"))
    other.write_bytes(b"another name's")
    os.utime(other, (old, old))

    placed = library.place(source, destination)

    assert placed.path == destination and destination.read_bytes() == b"episode"
    assert not stale.exists()
    assert fresh.exists() and other.exists()  # not stale, or not this name's
