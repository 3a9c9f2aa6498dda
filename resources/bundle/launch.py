"""The standalone bundle's entry points (resources/workbench.spec builds one
executable per function).  ``sys.executable`` is the bundle's executable, so
the workbench's own ``sys.executable -m workbench.X`` child processes (the
model load test) come back here and run that module, as Python would."""
from __future__ import annotations

import os
import runpy
import sys


def _run_module_argument() -> bool:
    if len(sys.argv) > 2 and sys.argv[1] == "-m" and sys.argv[2].startswith("workbench."):
        module = sys.argv[2]
        sys.argv = [module, *sys.argv[3:]]
        runpy.run_module(module, run_name="__main__", alter_sys=True)
        return True
    return False


def _window_command() -> list[str] | None:
    """``workbench [--db PATH] gui`` runs the window's executable (the command
    line's executable carries no Qt: it starts faster)."""
    args, db = sys.argv[1:], None
    while args and args[0].startswith("--db"):
        if args[0] == "--db" and len(args) > 1:
            db, args = args[1], args[2:]
        elif args[0].startswith("--db="):
            db, args = args[0][len("--db="):], args[1:]
        else:
            return None
    if args != ["gui"]:
        return None
    window = os.path.join(os.path.dirname(os.path.abspath(sys.executable)), "workbench-gui")
    return [window, *(["--db", db] if db else [])]


def cli() -> int:
    if getattr(sys, "frozen", False):
        # import-pairs --jobs N spawns worker processes: in the bundle they
        # start this executable again, and this runs them (then exits).
        import multiprocessing

        multiprocessing.freeze_support()
    if _run_module_argument():
        return 0
    window = _window_command()
    if window:
        os.execv(window[0], window)
    from workbench.cli import main

    return main()


def gui() -> int:
    if _run_module_argument():
        return 0
    from workbench.gui.__main__ import main

    return main()
