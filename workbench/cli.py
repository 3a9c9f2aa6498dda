"""Command-line interface: each command a few lines over the core.

``--json`` prints JSON lines (one object per line) for scripts.  Errors the
user can act on print one line on stderr and exit 1; nothing prints a
traceback (unexpected failures are logged to a file and named in one line).
"""
from __future__ import annotations

import json
import sys
import traceback
from pathlib import Path

import click

from .core.errors import WorkbenchError

EXIT_USER_ERROR = 1
EXIT_INTERNAL = 70


def emit_json(obj: dict) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False))


class Context:
    def __init__(self, db: str | None):
        self.db_path = db
        self._store = None

    @property
    def store(self):
        if self._store is None:
            from .core.store import Store, default_db_path

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


# -- documents -----------------------------------------------------------------

@cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--lang", help="Language of the text (ISO 639-1); detected when omitted.")
@click.option("--to", "target_lang", help="Language to translate into (default: ru for en, en otherwise).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing on success.")
@pass_ctx
def import_cmd(ctx: Context, paths, lang, target_lang, as_json, quiet) -> None:
    """Import articles (text files or directories of them) and print their document ids.

    TMX and CSV files are imported as already-aligned corpora."""
    from .core.importer import import_paths

    results = import_paths(ctx.store, paths, lang=lang, target_lang=target_lang)
    for r in results:
        if as_json:
            emit_json({"id": r.document_id, "path": r.path, "created": r.created,
                       "title": r.title, "language": r.language, "segments": r.segments})
        elif not quiet:
            note = "" if r.created else "  (already imported)"
            click.echo(f"{r.document_id}\t{r.language}\t{r.segments} segments\t{r.title}{note}")


@cli.command("docs")
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines.")
@pass_ctx
def docs_cmd(ctx: Context, as_json: bool) -> None:
    """List documents: id, language, date, segments, progress, title."""
    store = ctx.store
    for doc in store.documents():
        counts = store.status_counts(doc.id)
        row = {"id": doc.id, "title": doc.title, "language": doc.language,
               "target_language": doc.target_language, "date": doc.date,
               "segments": store.segment_count(doc.id), "approved": counts["approved"],
               "units": sum(counts.values())}
        if as_json:
            emit_json(row)
        else:
            click.echo(f"{doc.id}\t{doc.language}\t{doc.date or '-':10}\t{row['segments']:>5} seg"
                       f"\t{row['approved']}/{row['units']} approved\t{doc.title}")


@cli.command("segments")
@click.argument("doc_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines.")
@pass_ctx
def segments_cmd(ctx: Context, doc_id: int, as_json: bool) -> None:
    """Show a document's segments with their unit's MT, target and status."""
    store = ctx.store
    store.document(doc_id)
    units = {}
    for unit in store.units(doc_id):
        for sid in unit.source_segment_ids + unit.target_segment_ids:
            units[sid] = unit
    last_paragraph = None
    for seg in store.segments(doc_id):
        unit = units.get(seg.id)
        row = {"id": seg.id, "position": seg.position, "paragraph": seg.paragraph,
               "kind": str(seg.kind), "excluded": seg.excluded, "text": seg.text,
               "unit": unit.id if unit else None, "mt": unit.mt if unit else None,
               "target": unit.target if unit else "", "status": str(unit.status) if unit else None}
        if as_json:
            emit_json(row)
            continue
        if last_paragraph is not None and seg.paragraph != last_paragraph:
            click.echo("")
        last_paragraph = seg.paragraph
        flags = f"{seg.kind}{' excluded' if seg.excluded else ''}"
        click.echo(f"[{seg.id}] ({flags}) {seg.text}")
        if unit and unit.target:
            click.echo(f"      -> [{unit.status}] {unit.target}")


# -- edits (the same command objects the GUI uses) -------------------------------

def _unit_ids_for(store, segment_ids) -> tuple[int, ...]:
    return tuple(dict.fromkeys(store.unit_for_segment(sid).id for sid in segment_ids))


def _apply(ctx: Context, command) -> None:
    ctx.store.apply(command)
    click.echo(command.describe())


@cli.command("set-target")
@click.argument("segment_id", type=int)
@click.argument("text")
@pass_ctx
def set_target_cmd(ctx: Context, segment_id: int, text: str) -> None:
    """Set the translation of the unit that holds SEGMENT_ID."""
    from .core.commands import SetTarget

    _apply(ctx, SetTarget(ctx.store.unit_for_segment(segment_id).id, text))


@cli.command("approve")
@click.argument("segment_ids", type=int, nargs=-1, required=True)
@pass_ctx
def approve_cmd(ctx: Context, segment_ids) -> None:
    """Approve the units that hold these segments (an empty target approves the MT)."""
    from .core.commands import Approve

    _apply(ctx, Approve(_unit_ids_for(ctx.store, segment_ids)))


@cli.command("split")
@click.argument("segment_id", type=int)
@click.argument("offset", type=int)
@click.option("--target-offset", type=int, help="Also split the unit's target at this offset.")
@pass_ctx
def split_cmd(ctx: Context, segment_id: int, offset: int, target_offset) -> None:
    """Split a segment in two at character OFFSET."""
    from .core.commands import SplitSegment

    _apply(ctx, SplitSegment(segment_id, offset, target_offset))


@cli.command("merge")
@click.argument("first_id", type=int)
@click.argument("second_id", type=int)
@pass_ctx
def merge_cmd(ctx: Context, first_id: int, second_id: int) -> None:
    """Merge two adjacent segments (and their units)."""
    from .core.commands import MergeSegments

    _apply(ctx, MergeSegments(first_id, second_id))


@cli.command("exclude")
@click.argument("segment_ids", type=int, nargs=-1, required=True)
@click.option("--include", is_flag=True, help="Include the segments again instead.")
@pass_ctx
def exclude_cmd(ctx: Context, segment_ids, include: bool) -> None:
    """Exclude segments from translation and export."""
    from .core.commands import SetExcluded

    _apply(ctx, SetExcluded.all(segment_ids, not include))


@cli.command("undo")
@pass_ctx
def undo_cmd(ctx: Context) -> None:
    """Undo the last edit recorded in the history."""
    edit = ctx.store.undo_last()
    click.echo(edit.summary if edit else "nothing to undo")


@cli.command("history")
@click.argument("doc_id", type=int, required=False)
@click.option("--limit", default=20, show_default=True, help="How many edits to show.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines.")
@pass_ctx
def history_cmd(ctx: Context, doc_id, limit: int, as_json: bool) -> None:
    """Show the newest edits (of one document, or all)."""
    for edit in ctx.store.history(doc_id, limit):
        if as_json:
            emit_json({"id": edit.id, "at": edit.at, "command": edit.command,
                       "summary": edit.summary, "undone": edit.undone,
                       "before": json.loads(edit.before) if edit.before else None,
                       "after": json.loads(edit.after) if edit.after else None})
        else:
            click.echo(f"{edit.id}\t{edit.at}\t{'(undone) ' if edit.undone else ''}{edit.summary}")


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


def main(argv: list[str] | None = None) -> int:
    try:
        code = cli.main(args=argv, prog_name="workbench", standalone_mode=False)
        return code if isinstance(code, int) else 0
    except WorkbenchError as exc:
        click.echo(f"workbench: error: {exc}", err=True)
        return EXIT_USER_ERROR
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("workbench: interrupted", err=True)
        return 130
    except KeyboardInterrupt:
        click.echo("workbench: interrupted", err=True)
        return 130
    except Exception as exc:  # noqa: BLE001 - the last line of defence
        log = _log_crash()
        where = f" (details in {log})" if log else ""
        click.echo(f"workbench: internal error: {type(exc).__name__}: {exc}{where}", err=True)
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
