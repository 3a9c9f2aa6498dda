"""``workbench-gui`` and ``python -m workbench.gui``: the start-up checks, then the window.

The checks (``first_start.preflight``) run before anything imports Qt."""
from __future__ import annotations

import sys

from workbench.gui.first_start import preflight


def main(argv: list[str] | None = None) -> int:
    if not preflight():
        return 1
    try:
        from workbench.gui.app import main as window_main
    except ImportError as exc:  # a Qt library the checks could not tell (or no ldd)
        print(f"workbench-gui: error: Qt cannot be loaded: {exc}", file=sys.stderr)
        print("  fix: run 'workbench doctor' for the system packages to install", file=sys.stderr)
        return 1
    return window_main(argv)


if __name__ == "__main__":
    sys.exit(main())
