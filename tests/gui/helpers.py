"""What the window tests share."""
from __future__ import annotations

from workbench.gui.main_window import MainWindow


def open_window(qtbot, db_path, size=(1400, 850)) -> MainWindow:
    """The main window on ``db_path``, shown, exposed and active (real key
    events reach it), at the screenshots' size."""
    win = MainWindow(db_path)
    qtbot.addWidget(win)
    win.resize(*size)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    return win
