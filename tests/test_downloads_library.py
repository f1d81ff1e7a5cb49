"""Placing finished files in the library: hard link, copy, move, atomically."""

from __future__ import annotations

import errno
import os
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

    how = library.place(source, dest, keep_source=True)

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
    how = library.place(source, dest, keep_source=True)

    assert how is Placement.COPIED
    assert not library.same_file(source, dest)
    assert library.file_sha256(dest) == library.file_sha256(source)
    assert source.exists()
    assert [p.name for p in dest.parent.iterdir()] == [dest.name]


def test_unneeded_source_is_moved(tmp_path):
    source = _write(tmp_path / "incomplete" / "ep.mkv", b"abc")
    dest = tmp_path / "library" / "ep.mkv"

    assert library.place(source, dest, keep_source=False) is Placement.MOVED
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

    assert library.place(source, dest, keep_source=False) is Placement.MOVED
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


def test_an_existing_destination_is_replaced_whole(tmp_path):
    source = _write(tmp_path / "a" / "ep.mkv", b"new")
    dest = _write(tmp_path / "lib" / "ep.mkv", b"old, longer content")

    library.place(source, dest, keep_source=True)

    assert dest.read_bytes() == b"new"


def test_a_missing_source_is_said_plainly(tmp_path):
    with pytest.raises(FileNotFoundError, match="missing"):
        library.place(tmp_path / "nope.mkv", tmp_path / "lib" / "ep.mkv")
