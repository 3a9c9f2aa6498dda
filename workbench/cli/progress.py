"""A terminal progress bar (rich) that fits the core's progress callback."""
from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from workbench.core.progress import ProgressFn, no_progress


@contextmanager
def progress_bar(label: str, *, enabled: bool = True) -> Iterator[ProgressFn]:
    """Yield a ``progress(fraction, message)`` that draws on stderr when it is
    a terminal (scripts and pipes get no escape codes)."""
    if not enabled or not sys.stderr.isatty():
        yield no_progress
        return
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
                  TimeElapsedColumn(), TimeRemainingColumn(), TextColumn("{task.fields[message]}"),
                  transient=True, console=None) as bar:
        task = bar.add_task(label, total=1.0, message="")

        def report(fraction: float, message: str) -> None:
            bar.update(task, completed=fraction, message=message)

        yield report
