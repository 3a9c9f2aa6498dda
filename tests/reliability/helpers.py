"""What every reliability case asserts: the message, the exit code, and that
the database is unchanged."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


@dataclass
class Outcome:
    code: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        return [line for line in self.err.splitlines() if line.strip()]


def cli(db: str | Path, *args: object, timeout: float = 120, env: dict | None = None,
        cwd: str | Path | None = None) -> Outcome:
    """Run ``workbench --db DB ARGS`` as a real process."""
    full_env = dict(os.environ, PYTHONPATH=str(REPO), **(env or {}))
    result = subprocess.run([sys.executable, "-m", "workbench.cli", "--db", str(db), *map(str, args)],
                            capture_output=True, text=True, timeout=timeout, env=full_env, cwd=cwd)
    return Outcome(result.returncode, result.stdout, result.stderr)


def dump(db: str | Path) -> list[str]:
    """The database's content as SQL (read-only; empty when there is none)."""
    if not Path(db).exists():
        return []
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def assert_refused(outcome: Outcome, *, contains: str = "", code: int = 1) -> None:
    """One line on stderr naming the cause, the expected exit code, never an internal error."""
    assert outcome.code == code, (outcome.code, outcome.err)
    assert len(outcome.err_lines) == 1, outcome.err
    assert "internal error" not in outcome.err and "Traceback" not in outcome.err, outcome.err
    assert contains.lower() in outcome.err.lower(), outcome.err
