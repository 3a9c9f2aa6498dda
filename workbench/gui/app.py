"""Start the review window: ``workbench gui`` or ``workbench-gui [--db PATH]``."""
from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from workbench.gui import palette
from workbench.gui.settings import APPLICATION, ORGANIZATION, open_settings, read_bool


def application(argv: list[str] | None = None) -> QApplication:
    """The QApplication (created once), in Fusion style with the saved palette."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("Workbench")
    palette.apply(read_bool(open_settings(), "view/dark_palette"))
    return app


def open_main_window(db_path: str | Path | None = None, *, packages_dir: str | Path | None = None):
    """Create and show the window (a bad database gives a dialog, not a crash)."""
    from workbench.gui.main_window import MainWindow

    application()
    window = MainWindow(db_path, packages_dir=packages_dir)
    window.show()
    return window


def run(db_path: str | None = None) -> int:
    from workbench.gui.first_start import preflight, watch_first_paint

    if not preflight():  # missing system libraries or no display: said on stderr, with the fix
        return 1
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    app = application()
    window = open_main_window(db_path)  # noqa: F841 - kept alive while the loop runs
    watch_first_paint(window)
    return app.exec()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="workbench-gui", description="The workbench review window.")
    parser.add_argument("--db", metavar="PATH", help="the database to open (default: the last one, "
                        "else WORKBENCH_DB or workbench.db in the user data folder)")
    args = parser.parse_args(argv)
    return run(args.db)


if __name__ == "__main__":
    raise SystemExit(main())
