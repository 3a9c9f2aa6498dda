"""Callbacks that long work takes (Orange-style): report and poll for cancel."""
from __future__ import annotations

from typing import Callable

ProgressFn = Callable[[float, str], None]
CancelledFn = Callable[[], bool]


def no_progress(fraction: float, message: str) -> None:  # noqa: ARG001 - a sink
    """Default progress sink: long work reports, nobody listens."""


def never_cancelled() -> bool:
    return False
