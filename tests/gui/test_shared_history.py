"""The window, its workers and command-line processes share one database and
one history.

What a new user did: open the window, run any ``workbench`` command in a
terminal, type a target.  Every edit the window reported saved must be in the
database as a third process reads it; Ctrl+Z / Ctrl+Shift+Z and ``workbench
undo``/``redo`` walk the same steps in both directions; no two actions of the
window hold the same key."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest

from workbench.core.store.database import Store
from workbench.gui.main_window import MainWindow

from tests.gui.test_alignment_view import build_pair

REPO = Path(__file__).resolve().parents[2]


def cli(db, *args) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.run([sys.executable, "-m", "workbench.cli", "--db", str(db), *map(str, args)],
                          capture_output=True, text=True, timeout=60, env=env)


def read_target(db, unit_id) -> str:
    """The target as a separate process reads it from disk."""
    code = ("import sys\nfrom workbench.core.store.database import Store\n"
            "with Store(sys.argv[1]) as s: print(s.unit(int(sys.argv[2])).target)")
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.run([sys.executable, "-c", code, str(db), str(unit_id)], capture_output=True,
                          text=True, timeout=60, env=env, check=True).stdout.rstrip("\n")


def open_window(qtbot, db) -> MainWindow:
    win = MainWindow(db)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitActive(win)
    return win


def type_target(win, row: int, text: str) -> int:
    win.table.go_to_row(row)
    win.pane.target.setPlainText(text)
    win.pane.flush()
    win.session.end_burst()
    return win.unit_model.unit_ids[row]


def test_edits_survive_command_line_processes_and_a_third_process_sees_them(qtbot, doc_with_mt, no_models):
    db, _doc = doc_with_mt
    win = open_window(qtbot, db)
    first = type_target(win, 1, "Первая правка.")
    for _ in range(2):  # the window's background jobs open and close their own connections
        win.figures.changed(win.unit_model.document_id, now=True)
    assert cli(db, "docs").returncode == 0  # any command, while the window is open
    assert Path(f"{db}-wal").exists()
    second = type_target(win, 2, "Вторая правка.")
    assert win.pane.saved_label.text().startswith("saved")
    assert read_target(db, first) == "Первая правка."
    assert read_target(db, second) == "Вторая правка."
    win.close()
    with Store(db) as store:
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_window_and_command_line_walk_one_history(qtbot, doc_with_mt, no_models):
    db, doc = doc_with_mt
    win = open_window(qtbot, db)
    uid = type_target(win, 1, "Окно.")
    assert cli(db, "set-target", uid, "Терминал.").returncode == 0
    qtbot.waitUntil(lambda: win.unit_model.unit(uid).target == "Терминал.", timeout=5000)  # seen without reload
    win.table.setFocus()
    QTest.keyClick(win, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # Ctrl+Z undoes the terminal's step
    assert read_target(db, uid) == "Окно."
    result = cli(db, "undo", "--doc", doc)  # the terminal undoes the window's step
    assert result.returncode == 0 and "undone" in result.stdout
    assert read_target(db, uid) == "Перевод 1."
    qtbot.waitUntil(lambda: win.actions["redo"].isEnabled(), timeout=5000)
    QTest.keyClick(win, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)  # Ctrl+Shift+Z
    assert read_target(db, uid) == "Окно."
    assert cli(db, "redo", "--doc", doc).returncode == 0
    assert read_target(db, uid) == "Терминал."
    assert "nothing to redo" in cli(db, "redo", "--doc", doc).stdout
    qtbot.waitUntil(lambda: not win.actions["redo"].isEnabled(), timeout=5000)
    with Store(db) as store:
        assert [e.state for e in store.history(doc)] == ["done", "done"]  # no undo became an edit


def _held_keys(win) -> list[str]:
    return [key.toString(QKeySequence.SequenceFormat.PortableText)
            for action in win.actions.values() for key in action.shortcuts()]


def test_no_two_actions_hold_the_same_key_in_either_view(qtbot, db_path, no_models):
    doc = build_pair(db_path)
    win = open_window(qtbot, db_path)
    win.doc_list.select_document(doc)
    for aligning in (False, True):
        win.show_alignment(aligning)
        assert win.aligning() == aligning
        keys = _held_keys(win)
        duplicates = sorted({k for k in keys if keys.count(k) > 1})
        assert not duplicates, (aligning, duplicates)
    # The help lists every key once per command.
    from workbench.gui.actions import shortcut_rows

    redo_keys = [keys for _menu, command, keys in shortcut_rows(win.actions) if command == "Redo"]
    assert len(redo_keys) == 1 and redo_keys[0].count("Ctrl+Shift+Z") == 1
