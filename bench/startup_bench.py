"""Start-up time as a user meets it: whole processes, median of several runs.

    workbench --help            target < 300 ms
    workbench docs              target < 300 ms  (a database with the seed articles)
    window first paint          target < 1.5 s   (process start -> the window's first paint event)

Usage: python bench/startup_bench.py [--runs N] [--bundle dist/workbench]

With ``--bundle`` the standalone bundle's executables are timed instead of this
Python's ``-m workbench.cli``.  The window runs offscreen (QT_QPA_PLATFORM) and
reports its first paint on stderr (WORKBENCH_REPORT_PAINT=1).  Settings, data
and models go to a temporary folder: nothing of the user's is read or written.
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TARGETS = {"workbench --help": 0.300, "workbench docs": 0.300, "window first paint": 1.500}
PAINTED = "workbench-gui: first paint"


def isolated_env(root: Path) -> dict[str, str]:
    env = dict(os.environ)
    # A user's Python keeps compiled modules (__pycache__): measure that, not recompiling every run.
    for key in ("DISPLAY", "WAYLAND_DISPLAY", "PYTHONDONTWRITEBYTECODE"):
        env.pop(key, None)
    env.update(HOME=str(root / "home"), XDG_CONFIG_HOME=str(root / "config"), XDG_DATA_HOME=str(root / "data"),
               XDG_CACHE_HOME=str(root / "cache"), WORKBENCH_DB=str(root / "workbench.db"),
               ARGOS_PACKAGES_DIR=str(root / "packages"), QT_QPA_PLATFORM="offscreen")
    (root / "home").mkdir(parents=True, exist_ok=True)
    return env


def commands(bundle: Path | None) -> tuple[list[str], list[str]]:
    if bundle is not None:
        return [str(bundle / "workbench")], [str(bundle / "workbench-gui")]
    return [sys.executable, "-m", "workbench.cli"], [sys.executable, "-m", "workbench.gui"]


CPU: dict[str, list[float]] = {}  # CPU seconds (user + system) of each command's runs


def time_process(argv: list[str], env: dict[str, str], name: str | None = None) -> float:
    """Wall-clock seconds of one run (and its CPU seconds into ``CPU[name]``: on a
    busy machine they tell the program's own cost apart from waiting for a core)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({result.returncode}): {result.stderr.strip()}")
    if name:
        CPU.setdefault(name, []).append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return elapsed


def time_first_paint(argv: list[str], env: dict[str, str], timeout: float = 60.0,
                     stay: float = 0.0) -> tuple[float, subprocess.Popen, list[str]]:
    """Seconds from starting the window's process to its first paint.

    Returns the still-running process (after ``stay`` more seconds) and its
    stderr lines so far; the caller ends it."""
    env = {**env, "WORKBENCH_REPORT_PAINT": "1"}
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    painted = threading.Event()
    at: list[float] = []

    def read() -> None:
        for line in proc.stderr:
            lines.append(line.rstrip("\n"))
            if PAINTED in line and not painted.is_set():
                at.append(time.perf_counter() - start)
                painted.set()

    threading.Thread(target=read, daemon=True).start()
    if not painted.wait(timeout):
        proc.kill()
        proc.wait()
        raise SystemExit(f"the window did not paint within {timeout:.0f} s: " + " | ".join(lines[-5:]))
    if stay:
        time.sleep(stay)
    return at[0], proc, lines


def end(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def measure(runs: int, bundle: Path | None) -> dict[str, list[float]]:
    cli, gui = commands(bundle)
    with tempfile.TemporaryDirectory(prefix="startup-bench-") as tmp:
        env = isolated_env(Path(tmp))
        time_process([*cli, "import", "--quiet", str(REPO / "seeds")], env)
        figures: dict[str, list[float]] = {name: [] for name in TARGETS}
        time_process([*cli, "--help"], env)  # warm the file cache once
        for _ in range(runs):
            figures["workbench --help"].append(time_process([*cli, "--help"], env, "workbench --help"))
            figures["workbench docs"].append(time_process([*cli, "docs"], env, "workbench docs"))
        for _ in range(max(3, runs // 2)):
            seconds, proc, _ = time_first_paint(gui, env)
            end(proc)
            figures["window first paint"].append(seconds)
    return figures


def report(figures: dict[str, list[float]]) -> bool:
    print(f"{'':<22}{'median':>9}{'min':>9}{'max':>9}{'target':>9}      {'CPU (median)':>12}")
    fine = True
    for name, values in figures.items():
        median = statistics.median(values)
        ok = median < TARGETS[name]
        fine &= ok
        cpu = f"{statistics.median(CPU[name]) * 1000:>10.0f}ms" if CPU.get(name) else f"{'-':>12}"
        print(f"{name:<22}{median * 1000:>7.0f}ms{min(values) * 1000:>7.0f}ms{max(values) * 1000:>7.0f}ms"
              f"{TARGETS[name] * 1000:>7.0f}ms  {'ok  ' if ok else 'SLOW'}{cpu}")
    print(f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    return fine


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--bundle", type=Path, help="time this standalone bundle folder instead")
    args = parser.parse_args()
    where = f"bundle {args.bundle}" if args.bundle else f"{sys.executable} -m workbench.cli"
    print(f"start-up, whole processes, median of {args.runs} runs ({where}):")
    return 0 if report(measure(args.runs, args.bundle)) else 1


if __name__ == "__main__":
    sys.exit(main())
