"""The time stamps the store writes (``created_at``, ``updated_at``, ``at``...)."""
from __future__ import annotations

from datetime import datetime, timezone


def utc_now() -> str:
    """The current time in UTC as ISO 8601 to the second (``2026-03-01T12:00:00Z``)."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
