"""Databases to break: a small reviewed corpus, byte flips, a full disk and a
read-only file system (real mounts: root in the sandbox and in CI)."""
from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import SEEDS


def make_corpus_db(path: Path) -> Path:
    """The two seed articles, every unit with a target, the first ten approved.

    Built in this process and closed again: no connection stays open here, so
    a test may then read or damage the file with plain file calls."""
    from workbench.core.edits import history
    from workbench.core.edits.commands import Approve, SetTarget
    from workbench.core.importing import import_paths
    from workbench.core.store.database import Store

    with Store(path) as store:
        import_paths(store, [SEEDS])
        ids = [uid for doc in store.documents() for uid in store.unit_ids(doc.id)]
        for n, uid in enumerate(ids):
            history.apply(store, SetTarget(uid, f"Перевод номер {n}."))
        history.apply(store, Approve(tuple(ids[:10])))
    return path


def digest(path: Path) -> str:
    """The file's bytes (call only while no SQLite connection to it is open here)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def integrity_ok(path: Path) -> bool:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    except sqlite3.DatabaseError:
        return False
    finally:
        conn.close()


def flip_middle(path: Path, length: int = 64) -> int:
    """Invert ``length`` bytes in the middle of the file (no connection open),
    the damage of a bad sector or a torn copy; return the offset.

    The flip starts at the page boundary at or below the middle, where a page
    header sits; when that page's damage goes unnoticed (a free page, the
    overflow text of a long row) the next page is tried, so any layout of
    the file ends damaged the same way."""
    data = bytearray(Path(path).read_bytes())
    page_size = int.from_bytes(data[16:18], "big") or 65536
    offset = (len(data) // 2) // page_size * page_size
    while offset < len(data):
        damaged = bytearray(data)
        damaged[offset:offset + length] = bytes(b ^ 0xFF for b in data[offset:offset + length])
        Path(path).write_bytes(damaged)
        if not integrity_ok(path):
            return offset
        offset += page_size
    Path(path).write_bytes(data)
    raise AssertionError("no page in the second half of the file shows damage when flipped")


def _mount(*args: str) -> None:
    result = subprocess.run(["mount", *args], capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"cannot mount here ({result.stderr.strip()}): needs root")


def _umount(target: Path) -> None:
    """Unmount; lazily when something still holds a file there (a failed
    test), so no mount outlives the test."""
    if subprocess.run(["umount", str(target)], capture_output=True).returncode != 0:
        subprocess.run(["umount", "-l", str(target)], check=True, capture_output=True)


@contextlib.contextmanager
def small_disk(where: Path, size: str = "2m") -> Iterator[Path]:
    """A tmpfs of ``size`` mounted at ``where``: a disk that fills up for real."""
    where.mkdir(parents=True, exist_ok=True)
    _mount("-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where))
    try:
        yield where
    finally:
        _umount(where)


@contextlib.contextmanager
def read_only_view(source: Path, view: Path) -> Iterator[Path]:
    """``source`` (a folder or a file) seen read-only at ``view`` through a
    bind mount: even root gets EROFS there."""
    if source.is_dir():
        view.mkdir(parents=True, exist_ok=True)
    else:
        view.touch()
    _mount("--bind", str(source), str(view))
    try:
        result = subprocess.run(["mount", "-o", "remount,ro,bind", str(view)], capture_output=True, text=True)
        if result.returncode != 0:
            pytest.skip(f"cannot remount read-only here ({result.stderr.strip()})")
        yield view
    finally:
        _umount(view)
