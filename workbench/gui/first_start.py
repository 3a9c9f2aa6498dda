"""The window's checked start: what would stop Qt, said before Qt is loaded.

Qt cannot show a dialog when its platform plugin does not load: it prints
"xcb-cursor0 or libxcb-cursor0 is needed to load the Qt xcb platform plugin"
(whatever library is really missing) and aborts, and without libEGL or
libfontconfig even ``import PySide6.QtWidgets`` fails.  So the
``workbench-gui`` entry point (``workbench/gui/__main__.py``) and
:func:`workbench.gui.app.run` first run the checks of ``workbench doctor`` that
matter for starting the window, and print the finding and the exact fix on stderr.

This module imports no Qt.
"""
from __future__ import annotations

import os
import sys
from typing import TextIO

_checked: bool | None = None  # once per process: main() and app.run() both ask


def preflight(*, stream: TextIO | None = None, **options) -> bool:
    """False (after printing why and the fix on ``stream``) when the window cannot start.

    ``options`` go to :func:`workbench.core.doctor.window_blockers` (tests fake
    the environment, the platform and the ``ldd`` output)."""
    global _checked
    if _checked is not None and not options:
        return _checked
    from workbench.core.doctor import window_blockers

    try:
        blockers = window_blockers(**options)
    except Exception as exc:  # noqa: BLE001 - a failing check must never keep the window from trying
        print(f"workbench-gui: warning: the start-up check failed ({type(exc).__name__}: {exc})",
              file=stream or sys.stderr)
        blockers = []
    stream = stream or sys.stderr
    for blocker in blockers:
        print(f"workbench-gui: error: {blocker.finding}", file=stream)
        if blocker.fix:
            print(f"  fix: {blocker.fix}", file=stream)
    if blockers:
        print("  ('workbench doctor' checks everything the workbench needs)", file=stream)
    ok = not blockers
    if not options:
        _checked = ok
    return ok


def _report_first_paint(window) -> None:
    """With WORKBENCH_REPORT_PAINT=1, print 'workbench-gui: first paint' on stderr
    at the window's first paint (bench/startup_bench.py and make dist-check time it)."""
    from PySide6.QtCore import QEvent, QObject

    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()

    class _Watch(QObject):
        def eventFilter(self, watched, event):  # noqa: N802 - Qt's name
            if event.type() == QEvent.Type.Paint:
                app.removeEventFilter(self)
                print("workbench-gui: first paint", file=sys.stderr, flush=True)
            return False

    app.installEventFilter(_Watch(window))  # the window owns the watcher


def watch_first_paint(window) -> None:
    if os.environ.get("WORKBENCH_REPORT_PAINT") == "1":
        _report_first_paint(window)
