"""What the command-line tests share: run a command in-process, read its JSON lines."""
from __future__ import annotations

import json

from workbench.cli import main


def run(db, *args) -> int:
    """``workbench --db DB ARGS`` in this process; its exit code."""
    return main(["--db", str(db), *map(str, args)])


def json_lines(capsys) -> list:
    """The JSON lines printed on stdout since the last read."""
    return [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]
