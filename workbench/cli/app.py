"""The command-line application: the click group, its context, and the entry point.

The commands live in modules by subject (documents, edits, translation,
corpus, alignment, maintenance, window); importing ``workbench.cli``
registers them all.

``--json`` prints JSON lines (one object per line) for scripts.  Errors the
user can act on print one line on stderr and exit 1; nothing prints a
traceback (unexpected failures are logged to a file and named in one line).
"""
from __future__ import annotations

import json
import sqlite3
import sys
import traceback
from pathlib import Path

import click

from workbench.core.errors import WorkbenchError
from workbench.core.progress import Cancelled

EXIT_USER_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 70
EXIT_CANCELLED = 130  # as a shell reports a command stopped by Ctrl+C (128 + SIGINT)


def emit_json(obj: dict) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False))


class Context:
    current: Context | None = None  # main() names the database in SQLite errors

    def __init__(self, db: str | None):
        self.db_path = db
        self._store = None
        Context.current = self

    @property
    def path(self) -> Path:
        """The database's path, without opening it."""
        from workbench.core.store.database import default_db_path

        return Path(self.db_path).expanduser() if self.db_path else default_db_path()

    @property
    def store(self):
        if self._store is None:
            from workbench.core.store.database import Store, default_db_path

            self._store = Store(self.db_path or default_db_path())
        return self._store


pass_ctx = click.make_pass_decorator(Context)



@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", type=click.Path(dir_okay=False), envvar="WORKBENCH_DB",
              help="Database file (default: workbench.db in your data directory; env WORKBENCH_DB).")
@click.version_option(package_name="workbench")
@click.pass_context
def cli(ctx: click.Context, db: str | None) -> None:
    """Offline workbench for post-editing machine translation and building parallel corpora."""
    ctx.obj = Context(db)


# -- entry point -----------------------------------------------------------------

def _log_crash() -> Path | None:
    try:
        import platformdirs

        log = Path(platformdirs.user_log_dir("workbench", appauthor=False)) / "crash.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("a", encoding="utf-8") as fh:
            fh.write(traceback.format_exc() + "\n")
        return log
    except OSError:
        return None


class _SQLiteInt(click.types.IntParamType):
    """An integer SQLite can store (64-bit): a bigger one is a usage error,
    not an OverflowError deep in a query."""

    def convert(self, value, param, ctx):
        number = super().convert(value, param, ctx)
        if not -(2 ** 63) <= number < 2 ** 63:
            self.fail(f"{value} is too large (at most {2 ** 63 - 1})", param, ctx)
        return number


def bound_integers(command: click.Command) -> None:
    """Every plain ``type=int`` parameter of every command becomes ``_SQLiteInt``
    (commands added later are covered without touching their decorators)."""
    for param in command.params:
        if type(param.type) is click.types.IntParamType:
            param.type = _SQLiteInt()
    for sub in getattr(command, "commands", {}).values():
        bound_integers(sub)


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _usage_error(exc: click.UsageError) -> str:
    message = _one_line(exc.format_message())
    if message and message[0].isupper() and not message[:2].isupper():
        message = message[0].lower() + message[1:]
    where = exc.ctx.command_path if exc.ctx is not None else "workbench"
    return f"workbench: error: {message.rstrip('.')} (see '{where} --help')"


def _log_warnings() -> None:
    """Warnings (no daily backup made...) as one line on stderr each."""
    import logging

    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("workbench: warning: %(message)s"))
    handler.setLevel(logging.WARNING)
    logging.getLogger("workbench").addHandler(handler)


def main(argv: list[str] | None = None) -> int:
    _log_warnings()
    try:
        code = cli.main(args=argv, prog_name="workbench", standalone_mode=False)
        return code if isinstance(code, int) else 0
    except WorkbenchError as exc:
        click.echo(f"workbench: error: {_one_line(exc)}", err=True)
        return EXIT_USER_ERROR
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.exceptions.NoArgsIsHelpError as exc:  # a group without its command: its help
        exc.show()
        return exc.exit_code
    except click.UsageError as exc:
        click.echo(_usage_error(exc), err=True)
        return EXIT_USAGE
    except click.ClickException as exc:
        click.echo(f"workbench: error: {_one_line(exc.format_message())}", err=True)
        return exc.exit_code
    except (Cancelled, KeyboardInterrupt, click.exceptions.Abort) as exc:
        # Ctrl+C, or long work told to stop: what it kept (committed batches) is in its message.
        click.echo(f"workbench: {_one_line(exc) if isinstance(exc, Cancelled) else 'interrupted'}", err=True)
        return EXIT_CANCELLED
    except sqlite3.Error as exc:  # a full disk or a damaged page met outside a transaction
        from workbench.core.store.database import explain_sqlite_error

        explained = explain_sqlite_error(exc, Context.current.path if Context.current else None)
        if explained is None:
            return _internal_error(exc)
        click.echo(f"workbench: error: {_one_line(explained)}", err=True)
        return EXIT_USER_ERROR
    except Exception as exc:  # noqa: BLE001 - the last line of defence
        return _internal_error(exc)


def _internal_error(exc: BaseException) -> int:
    log = _log_crash()
    where = f" (details in {log})" if log else ""
    click.echo(f"workbench: internal error: {type(exc).__name__}: {exc}{where}", err=True)
    return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
