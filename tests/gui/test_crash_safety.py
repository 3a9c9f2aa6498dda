"""Killing the window's process loses nothing that it had shown as saved.

The window runs in a child process (offscreen) that types into a target
without ever pausing; the test kills it with SIGKILL as soon as the editor
says "saved" and reads the database afterwards."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from workbench.core.model import Status
from workbench.core.store.database import Store

REPO = Path(__file__).resolve().parents[2]
TYPED = "Министерство посчитало мигрантов, и они уехали весной в Россию. " * 4

# Types one character every 60 ms (well under the idle commit delay, so only
# the max-unsaved deadline can commit) and reports each commit the pane
# acknowledged: "SAVED <label> <text committed>".
CHILD = r"""
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QEvent, QSettings, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication
QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, sys.argv[2])
from workbench.gui.app import application
from workbench.gui.main_window import MainWindow

app = application()
window = MainWindow(sys.argv[1])
window.show()
window.table.go_to_row(1)
pane = window.pane
pane.focus_target()
pane.target.selectAll()
print("UNIT", pane.unit.id, flush=True)
text = iter(sys.argv[3])

def type_one():
    char = next(text, None)
    if char is None:
        return
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(pane.target, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))

def saved(_when):
    if pane.saved_label.text().startswith("saved"):  # what the reviewer sees
        committed = window.session.store.unit(pane.unit.id).target
        print("SAVED", pane.saved_label.text().split()[0], committed, flush=True)

window.session.saved.connect(saved)
typing = QTimer()
typing.timeout.connect(type_one)
typing.start(60)
app.exec()
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_killed_window_keeps_every_commit_it_acknowledged(doc_with_mt, tmp_path):
    db, _doc = doc_with_mt
    env = dict(os.environ, PYTHONPATH=str(REPO), QT_QPA_PLATFORM="offscreen")
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(db), str(tmp_path / "settings"), TYPED],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                             encoding="utf-8", env=env)
    acknowledged = None
    unit_id = None
    deadline = time.monotonic() + 40
    try:
        assert child.stdout is not None
        for line in child.stdout:
            if line.startswith("UNIT "):
                unit_id = int(line.split()[1])
            elif line.startswith("SAVED "):
                # The first commit comes from the deadline: the typing never paused.
                acknowledged = line.rstrip("\n").split(" ", 2)[2]
                break
            if time.monotonic() > deadline:
                break
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(10)
    assert unit_id is not None and acknowledged, "the child never acknowledged a commit"
    # Committed in the middle of the typing (the deadline), not at its end (the idle pause).
    assert TYPED.startswith(acknowledged) and 0 < len(acknowledged) < len(TYPED.rstrip())
    with Store(db) as store:
        unit = store.unit(unit_id)
    # Typing went on between the report and the kill: later commits may have
    # landed too, but never less than what was acknowledged.
    assert unit.target.startswith(acknowledged) and unit.status is Status.EDITED
