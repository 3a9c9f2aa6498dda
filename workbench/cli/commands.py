"""Command-line interface: each command a few lines over the core.

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
from workbench.core.model import Status
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


# -- documents -----------------------------------------------------------------

def _encoding_option(ctx, param, value):
    if value is None:
        return None
    from workbench.core.errors import BadInputError
    from workbench.core.text.decoding import check_encoding_name

    try:
        return check_encoding_name(value)
    except BadInputError as exc:
        raise click.BadParameter(str(exc)) from None


@cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--lang", help="Language of the text (ISO 639-1); detected when omitted.")
@click.option("--to", "target_lang", help="Language to translate into (default: ru for en, en otherwise).")
@click.option("--encoding", callback=_encoding_option,
              help="Encoding of the text files (e.g. cp1251); detected when omitted. "
                   "A few undecodable bytes become U+FFFD; more are refused.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing on success.")
@pass_ctx
def import_cmd(ctx: Context, paths, lang, target_lang, encoding, as_json, quiet) -> None:
    """Import articles and corpora (files or directories of them); print document ids.

    TMX, XLIFF, CSV and TSV files (recognised by content, whatever their
    extension) are imported as already-aligned corpora (a document pair).
    One command imports everything or, when any file is bad, nothing."""
    from workbench.core.importing import imports_corpus
    from workbench.core.importing import CorpusImportResult, import_paths

    store = ctx.store  # opened (and checked) before any file is read
    if imports_corpus(paths):
        store.backup_before("import")  # a corpus can be a million units: keep the way back
    for r in import_paths(store, paths, lang=lang, target_lang=target_lang, encoding=encoding):
        if isinstance(r, CorpusImportResult):
            if as_json:
                emit_json({"id": r.source_document_id, "translation": r.target_document_id,
                           "path": r.path, "format": r.format, "created": r.created,
                           "units": r.units, "skipped": r.skipped})
            elif not quiet:
                note = "" if r.created else "  (already imported)"
                click.echo(f"{r.source_document_id}\t{r.units} units (+{r.skipped} skipped)\t{r.path}{note}")
        elif as_json:
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
               "segments": store.segment_count(doc.id), "approved": counts[Status.APPROVED],
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
    from workbench.core.edits import history

    history.apply(ctx.store, command)
    click.echo(command.describe())


@cli.command("set-target")
@click.argument("segment_id", type=int)
@click.argument("text")
@pass_ctx
def set_target_cmd(ctx: Context, segment_id: int, text: str) -> None:
    """Set the translation of the unit that holds SEGMENT_ID."""
    from workbench.core.edits.commands import SetTarget

    _apply(ctx, SetTarget(ctx.store.unit_for_segment(segment_id).id, text))


@cli.command("approve")
@click.argument("segment_ids", type=int, nargs=-1, required=True)
@pass_ctx
def approve_cmd(ctx: Context, segment_ids) -> None:
    """Approve the units that hold these segments (an empty target approves the MT)."""
    from workbench.core.memory.filling import approval

    _apply(ctx, approval(ctx.store, _unit_ids_for(ctx.store, segment_ids)))


@cli.command("split")
@click.argument("segment_id", type=int)
@click.argument("offset", type=int)
@click.option("--target-offset", type=int, help="Also split the unit's target at this offset.")
@pass_ctx
def split_cmd(ctx: Context, segment_id: int, offset: int, target_offset) -> None:
    """Split a segment in two at character OFFSET."""
    from workbench.core.edits.commands import SplitSegment

    _apply(ctx, SplitSegment(segment_id, offset, target_offset))


@cli.command("merge")
@click.argument("first_id", type=int)
@click.argument("second_id", type=int)
@pass_ctx
def merge_cmd(ctx: Context, first_id: int, second_id: int) -> None:
    """Merge two adjacent segments (and their units)."""
    from workbench.core.edits.commands import MergeSegments

    _apply(ctx, MergeSegments(first_id, second_id))


@cli.command("exclude")
@click.argument("segment_ids", type=int, nargs=-1, required=True)
@click.option("--include", is_flag=True, help="Include the segments again instead.")
@pass_ctx
def exclude_cmd(ctx: Context, segment_ids, include: bool) -> None:
    """Exclude segments from translation and export."""
    from workbench.core.edits.commands import SetExcluded

    _apply(ctx, SetExcluded.all(segment_ids, not include))


@cli.command("undo")
@click.option("--doc", "doc_id", type=int, help="Walk this document's history (default: the newest edit anywhere).")
@pass_ctx
def undo_cmd(ctx: Context, doc_id: int | None) -> None:
    """Undo the newest edit (the window's Ctrl+Z walks the same history)."""
    from workbench.core.edits import history

    step = history.undo(ctx.store, doc_id)
    click.echo(f"undone: {step.edit.summary}" if step else "nothing to undo")


@cli.command("redo")
@click.option("--doc", "doc_id", type=int, help="Walk this document's history (default: any document).")
@pass_ctx
def redo_cmd(ctx: Context, doc_id: int | None) -> None:
    """Redo the most recently undone edit (the window's Ctrl+Shift+Z walks the same history)."""
    from workbench.core.edits import history

    step = history.redo(ctx.store, doc_id)
    click.echo(f"redone: {step.edit.summary}" if step else "nothing to redo")


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
                       "summary": edit.summary, "undone": edit.undone, "state": edit.state,
                       "before": json.loads(edit.before) if edit.before else None,
                       "after": json.loads(edit.after) if edit.after else None})
        else:
            mark = {"undone": "(undone) ", "dropped": "(dropped) "}.get(edit.state, "")
            click.echo(f"{edit.id}\t{edit.at}\t{mark}{edit.summary}")


# -- machine translation ----------------------------------------------------------

@cli.group("models")
def models_group() -> None:
    """Manage offline Argos Translate models (list, install, remove)."""


@models_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines.")
def models_list_cmd(as_json: bool) -> None:
    """List installed translation models."""
    from workbench.core.mt.packages import list_installed

    installed = list_installed()
    for pkg in installed:
        row = {"code": pkg.code, "from": pkg.from_code, "to": pkg.to_code,
               "version": str(pkg.package_version), "size": pkg.size_bytes, "path": str(pkg.path)}
        if as_json:
            emit_json(row)
        else:
            click.echo(f"{pkg.code}\t{pkg.from_code}->{pkg.to_code}\tv{pkg.package_version}"
                       f"\t{pkg.size_bytes / 1e6:.1f} MB\t{pkg.path}")
    if not installed and not as_json:
        click.echo("no models installed: workbench models install FILE.argosmodel "
                   "(or: workbench models install FROM TO, when online)")


@models_group.command("install")
@click.argument("what", nargs=-1, required=True)
def models_install_cmd(what) -> None:
    """Install a model from a .argosmodel FILE, or FROM TO from the Argos index (online)."""
    from workbench.core.errors import BadInputError
    from workbench.core.mt.packages import install_file, install_from_index

    if len(what) == 1:
        pkg = install_file(Path(what[0]))
    elif len(what) == 2:
        pkg = install_from_index(what[0], what[1])
    else:
        raise BadInputError("give a .argosmodel file, or two language codes (FROM TO)")
    click.echo(f"installed {pkg.code} ({pkg.from_code}->{pkg.to_code}, v{pkg.package_version})")


@models_group.command("remove")
@click.argument("code")
def models_remove_cmd(code: str) -> None:
    """Remove an installed model by its code (see: workbench models list)."""
    from workbench.core.mt.packages import remove

    remove(code)
    click.echo(f"removed {code}")


@cli.command("translate")
@click.argument("doc_ids", type=int, nargs=-1)
@click.option("--all", "all_docs", is_flag=True, help="Translate every document.")
@click.option("--to", "to_lang", help="Target language (default: the document's).")
@click.option("--beam", type=int, help="Beam size (default 2; Argos uses 4).")
@click.option("--include-boilerplate", is_flag=True, help="Also translate boilerplate lines.")
@click.option("--include-excluded", is_flag=True, help="Also translate excluded segments.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary per document.")
@pass_ctx
def translate_cmd(ctx: Context, doc_ids, all_docs, to_lang, beam, include_boilerplate,
                  include_excluded, as_json) -> None:
    """Machine-translate documents offline (resumable; cached per model and sentence)."""
    from workbench.core.errors import BadInputError
    from workbench.core.translating import translate_document
    from workbench.cli.progress import progress_bar

    store = ctx.store
    if all_docs:
        doc_ids = [d.id for d in store.documents() if d.translation_of is None]
    if not doc_ids:
        raise BadInputError("name documents to translate, or --all")
    if all_docs:
        store.backup_before("translate")
    for doc_id in doc_ids:
        title = store.document(doc_id).title
        with progress_bar(f"{doc_id}: {title[:40]}", enabled=not as_json) as report:
            summary = translate_document(store, doc_id, to_lang=to_lang, beam_size=beam,
                                         include_boilerplate=include_boilerplate,
                                         include_excluded=include_excluded, progress=report)
        if as_json:
            emit_json({"id": doc_id, "units": summary.units, "translated": summary.translated,
                       "from_cache": summary.from_cache, "skipped": summary.skipped,
                       "sentences": summary.sentences_translated, "changed": summary.changed,
                       "seconds": round(summary.seconds, 3), "models": summary.models})
        else:
            click.echo(f"{doc_id}: {summary.describe()}")


# -- corpus: export, score --------------------------------------------------------

@cli.command("export")
@click.option("--format", "fmt", required=True,
              type=click.Choice(["tmx", "csv", "tsv", "moses", "xliff"]), help="File format.")
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="Output file.")
@click.option("--doc", "doc_ids", type=int, multiple=True, help="Only this document (repeatable).")
@click.option("--status", default=Status.APPROVED.value, show_default=True,
              type=click.Choice([Status.APPROVED.value, Status.EDITED.value, "any"]),
              help="Which units to export.")
@click.option("--include-excluded", is_flag=True, help="Also export excluded and boilerplate units.")
@click.option("--from", "source_lang", help="Only documents in this source language.")
@click.option("--to", "target_lang", help="Only this target language.")
@click.option("--bom", is_flag=True, help="CSV/TSV: start with a UTF-8 byte order mark (for Excel).")
@click.option("--unsafe-formulas", is_flag=True,
              help="CSV/TSV: do not neutralise cells starting with = + - @.")
@click.option("--force", is_flag=True,
              help="Overwrite an existing file that is not of this format (never the database).")
@pass_ctx
def export_cmd(ctx: Context, fmt, out, doc_ids, status, include_excluded, source_lang, target_lang,
               bom, unsafe_formulas, force) -> None:
    """Export translation units as TMX 1.4b, CSV, TSV, Moses plain text or XLIFF 1.2."""
    from workbench.core.interchange import ExportFilter, export_corpus
    from workbench.core.formats.base import ExportOptions
    from workbench.cli.progress import progress_bar

    statuses = tuple(s.value for s in Status.BY_PERSON) if status == Status.EDITED else (status,)
    flt = ExportFilter(tuple(doc_ids), statuses, include_excluded, source_lang, target_lang)
    options = ExportOptions(source_lang=source_lang, target_lang=target_lang, bom=bom,
                            safe_formulas=not unsafe_formulas)
    with progress_bar(f"export {fmt}") as report:
        n = export_corpus(ctx.store, fmt, Path(out), flt, options, force=force, progress=report)
    click.echo(f"exported {n} units to {out}")


@cli.command("score")
@click.argument("doc_ids", type=int, nargs=-1)
@click.option("--all", "all_docs", is_flag=True, help="Every document (the default with no ids).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines.")
@pass_ctx
def score_cmd(ctx: Context, doc_ids, all_docs, as_json) -> None:
    """Post-edit scores: BLEU, chrF and TER of the MT against edited/approved targets."""
    from workbench.core.scoring import document_scores

    store = ctx.store
    docs = store.documents() if all_docs or not doc_ids else [store.document(i) for i in doc_ids]
    rows = [{"id": doc.id, "title": doc.title, "counts": store.status_counts(doc.id),
             "scores": document_scores(store, doc.id)} for doc in docs]
    rows.append({"id": None, "title": "corpus",
                 "counts": {k: sum(r["counts"][k] for r in rows) for k in store.status_counts()},
                 "scores": document_scores(store, [d.id for d in docs])})
    for row in rows:
        scores = row.pop("scores")
        if as_json:
            emit_json({**row, **(scores.as_dict() if scores else {"units": 0})})
            continue
        figures = (f"BLEU {scores.bleu:5.1f}  chrF {scores.chrf:5.1f}  TER {scores.ter:5.1f}"
                   f"  ({scores.units} units)" if scores else "no post-edited units with MT")
        counts = " ".join(f"{k} {v}" for k, v in row["counts"].items())
        click.echo(f"{row['id'] or 'all'}\t{figures}\t[{counts}]\t{row['title'][:50]}")
        if row["id"] is None and scores:
            for name, signature in scores.signatures.items():
                click.echo(f"  {name}: {signature}")


# -- alignment --------------------------------------------------------------------

@cli.command("align")
@click.argument("source_file", type=click.Path(dir_okay=False))
@click.argument("target_file", type=click.Path(dir_okay=False))
@click.option("--src-lang", help="Source language (detected when omitted).")
@click.option("--tgt-lang", help="Target language (detected when omitted).")
@click.option("--presegmented", is_flag=True, help="One sentence per line; never re-split.")
@click.option("--no-mt", is_flag=True, help="Do not use an installed MT model as a signal.")
@click.option("--json", "as_json", is_flag=True, help="JSON lines with confidences.")
def align_cmd(source_file, target_file, src_lang, tgt_lang, presegmented, no_mt, as_json) -> None:
    """Align two files sentence by sentence and print links like [0, 1]:[0] (no database)."""
    from workbench.core.align.files import align_files

    for link in align_files(Path(source_file), Path(target_file), src_lang=src_lang, tgt_lang=tgt_lang,
                            presegmented=presegmented, use_mt=not no_mt):
        if as_json:
            emit_json({"src": list(link.src), "tgt": list(link.tgt), "confidence": round(link.confidence, 4)})
        else:
            click.echo(f"{list(link.src)}:{list(link.tgt)}")


def _post_edit_options(command):
    """--keep-targets / --replace-targets: what aligning does with post-edits."""
    command = click.option("--replace-targets", is_flag=True,
                           help="Replace post-edited targets by the translation's sentences "
                                "(workbench undo brings them back).")(command)
    return click.option("--keep-targets", is_flag=True,
                        help="Keep post-edited and approved targets as their units' targets; the "
                             "translation's sentences are linked to those units alongside.")(command)


def _keep_targets(keep: bool, replace: bool) -> bool | None:
    from workbench.core.errors import BadInputError

    if keep and replace:
        raise BadInputError("choose one of --keep-targets and --replace-targets")
    return True if keep else False if replace else None


def _aligning(run):
    """Run an alignment; a refusal over post-edits names the two options."""
    from workbench.core.errors import BadInputError, PostEditsError

    try:
        return run()
    except PostEditsError as exc:
        raise BadInputError(f"{exc}: add --keep-targets to keep them (the translation is linked "
                            "alongside) or --replace-targets to replace them (workbench undo brings "
                            "them back)") from None


@cli.command("import-pair")
@click.argument("source_file", type=click.Path(dir_okay=False))
@click.argument("target_file", type=click.Path(dir_okay=False))
@click.option("--src-lang", help="Source language (detected when omitted).")
@click.option("--tgt-lang", help="Target language (detected when omitted).")
@click.option("--no-mt", is_flag=True, help="Do not use an installed MT model as a signal.")
@_post_edit_options
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def import_pair_cmd(ctx: Context, source_file, target_file, src_lang, tgt_lang, no_mt, keep_targets,
                    replace_targets, as_json) -> None:
    """Import an article and its human translation, and align their sentences.

    An article imported before that a person has post-edited needs --keep-targets or
    --replace-targets; a pair imported before is left as it is."""
    from workbench.core.pairing import import_pair

    keep = _keep_targets(keep_targets, replace_targets)
    ctx.store.backup_before("import-pair")
    r = _aligning(lambda: import_pair(ctx.store, source_file, target_file, source_lang=src_lang,
                                      target_lang=tgt_lang, use_mt=not no_mt, keep_targets=keep))
    _print_pair(r, as_json)


@cli.command("attach")
@click.argument("doc_id", type=int)
@click.argument("target_file", type=click.Path(dir_okay=False))
@click.option("--tgt-lang", help="Language of the translation (detected when omitted).")
@click.option("--no-mt", is_flag=True, help="Do not use an installed MT model as a signal.")
@_post_edit_options
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def attach_cmd(ctx: Context, doc_id, target_file, tgt_lang, no_mt, keep_targets, replace_targets,
               as_json) -> None:
    """Give an existing document its human translation, and align them.

    When a person has post-edited or approved targets of the document, say what becomes of them:
    --keep-targets or --replace-targets.  One edit: workbench undo takes it back."""
    from workbench.core.pairing import attach_translation

    keep = _keep_targets(keep_targets, replace_targets)
    ctx.store.backup_before("attach")
    _print_pair(_aligning(lambda: attach_translation(ctx.store, doc_id, target_file, target_lang=tgt_lang,
                                                     use_mt=not no_mt, keep_targets=keep)), as_json)


def _print_pair(r, as_json: bool) -> None:
    if as_json:
        emit_json({"source": r.source_document_id, "target": r.target_document_id,
                   "links": r.links, "used_mt": r.used_mt, "created": r.created,
                   "post_edits": r.post_edits, "kept_targets": r.kept_targets})
    elif not r.created:
        click.echo(f"document {r.source_document_id} is already aligned with {r.target_document_id}: "
                   f"{r.links} links (already imported; nothing changed)")
    else:
        edits = ""
        if r.post_edits:
            plural = "s" if r.post_edits != 1 else ""
            edits = f"; {r.post_edits} post-edited target{plural} {'kept' if r.kept_targets else 'replaced'}"
        click.echo(f"aligned document {r.source_document_id} with {r.target_document_id}: "
                   f"{r.links} links{' (MT used)' if r.used_mt else ''}{edits}")


@cli.command("links")
@click.argument("doc_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines.")
@pass_ctx
def links_cmd(ctx: Context, doc_id: int, as_json: bool) -> None:
    """Show a document's translation units as alignment links (n:m, confidence)."""
    store = ctx.store
    for unit in store.units(doc_id):
        row = {"unit": unit.id, "source_segments": list(unit.source_segment_ids),
               "target_segments": list(unit.target_segment_ids), "source": unit.source,
               "target": unit.target, "confidence": unit.confidence, "confirmed": unit.confirmed}
        if as_json:
            emit_json(row)
        else:
            shape = f"{len(unit.source_segment_ids)}:{len(unit.target_segment_ids)}"
            conf = f"{unit.confidence:.2f}" if unit.confidence is not None else "-"
            click.echo(f"[{unit.id}] {shape} {conf}{' ok' if unit.confirmed else ''}\t"
                       f"{unit.source[:60]}\t{unit.target[:60]}")


# -- safety: check, backups, restore ----------------------------------------------------

@cli.command("check")
@pass_ctx
def check_cmd(ctx: Context) -> None:
    """Check the database thoroughly (SQLite integrity and foreign keys): one line per problem."""
    from workbench.core.store.backups import verify
    from workbench.core.errors import DamagedDatabaseError, NotFoundError
    from workbench.core.store.database import damaged_message

    path = ctx.path
    if not path.is_file():
        raise NotFoundError(f"no database at {path}")
    problems = verify(path)
    for problem in problems:
        click.echo(problem)
    if problems:
        raise DamagedDatabaseError(damaged_message(path, f"{len(problems)} problem(s) listed above"))
    from workbench.core.store.database import Store

    with Store(path) as store:
        sizes = ", ".join(f"{n:,} {table}" for table, n in store.table_sizes().items())
    click.echo(f"{path}: ok ({sizes})")


@cli.command("backup")
@click.option("--out", type=click.Path(dir_okay=False), help="Write the backup here (default: the backups folder).")
@click.option("--force", is_flag=True, help="With --out: overwrite a file that is not an SQLite database.")
@pass_ctx
def backup_cmd(ctx: Context, out, force: bool) -> None:
    """Back up the database now (SQLite's online backup API; safe while the window is open)."""
    from workbench.core.store.backups import backup_database

    click.echo(f"backed up {ctx.path} to {backup_database(ctx.path, out=out, force=force)}")


@cli.command("backups")
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines.")
@pass_ctx
def backups_cmd(ctx: Context, as_json: bool) -> None:
    """List the database's backups, newest first (automatic ones: daily, before migrations and bulk work)."""
    from workbench.core.store.backups import backup_dir, list_backups

    found = list_backups(ctx.path)
    for b in found:
        if as_json:
            emit_json({"name": b.name, "path": str(b.path), "at": b.at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                       "reason": b.reason, "size": b.size})
        else:
            click.echo(f"{b.name}\t{b.at:%Y-%m-%d %H:%M:%S} UTC\t{b.reason}\t{b.size / 1e6:.1f} MB")
    if not found and not as_json:
        click.echo(f"no backups of {ctx.path} yet (they are kept in {backup_dir(ctx.path)})")


@cli.command("restore")
@click.argument("backup", required=False)
@pass_ctx
def restore_cmd(ctx: Context, backup) -> None:
    """Restore a backup (a name from 'workbench backups' or a path; default: the newest that is intact).

    The backup is verified first; the current state is kept as a backup. Reopen
    any workbench window on this database afterwards."""
    from workbench.core.store.backups import restore

    result = restore(ctx.path, backup)
    click.echo(f"restored {ctx.path} from {result.restored_from.name}; the state before is kept as"
               f" {result.kept.name}")


@cli.command("doctor")
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines (check, status, finding, fix).")
@pass_ctx
def doctor_cmd(ctx: Context, as_json: bool) -> None:
    """Check this machine: Qt's system libraries, display, models, database, disk, optional peers.

    One line per check (ok, warning or error, and the fix); exits 1 when any check is an error."""
    from workbench.core.doctor import ERROR, run_checks, worst

    results = run_checks(ctx.path)
    for result in results:
        if as_json:
            emit_json(result.as_dict())
        else:
            click.echo(result.line())
    if worst(results) == ERROR:
        click.get_current_context().exit(EXIT_USER_ERROR)


# -- window -----------------------------------------------------------------------

@cli.command("gui")
@pass_ctx
def gui_cmd(ctx: Context) -> None:
    """Open the review window."""
    from workbench.gui.app import run

    raise SystemExit(run(ctx.db_path))


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


def _bound_integers(command: click.Command) -> None:
    """Every plain ``type=int`` parameter of every command becomes ``_SQLiteInt``
    (commands added later are covered without touching their decorators)."""
    for param in command.params:
        if type(param.type) is click.types.IntParamType:
            param.type = _SQLiteInt()
    for sub in getattr(command, "commands", {}).values():
        _bound_integers(sub)


_bound_integers(cli)


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


# -- translation memory ------------------------------------------------------------

def _match_line(match) -> str:
    return f"{match.score:>3}%  {match.source}\n      -> {match.target}\n      ({match.origin})"


@cli.group("tm")
def tm_group() -> None:
    """The translation memory: approved units of every document plus imported memories."""


@tm_group.command("import")
@click.argument("path", type=click.Path())
@click.option("--name", help="Name of the memory (default: the file's name without extension).")
@click.option("--from", "source_lang", help="Refuse the file unless its source language is this.")
@click.option("--to", "target_lang", help="Refuse the file unless its target language is this.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON line.")
@pass_ctx
def tm_import_cmd(ctx: Context, path: str, name, source_lang, target_lang, as_json: bool) -> None:
    """Import a TMX, CSV, TSV or XLIFF file as a memory (all of it or nothing)."""
    from workbench.cli.progress import progress_bar
    from workbench.core.memory.files import import_memory

    with progress_bar("memory") as progress:
        name, count = import_memory(ctx.store, path, name=name, source_lang=source_lang,
                                    target_lang=target_lang, progress=progress)
    if as_json:
        emit_json({"name": name, "pairs": count})
    else:
        click.echo(f"{count:,} pairs imported into memory {name!r}")


@tm_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines.")
@pass_ctx
def tm_list_cmd(ctx: Context, as_json: bool) -> None:
    """The imported memories (the database's own approved units are always searched too)."""
    for name, source_lang, target_lang, count, path, imported in ctx.store.tm_memories():
        if as_json:
            emit_json({"name": name, "from": source_lang, "to": target_lang, "pairs": count, "path": path,
                       "imported": imported})
        else:
            click.echo(f"{name}\t{source_lang}-{target_lang}\t{count:,} pairs\t{imported}")


@tm_group.command("remove")
@click.argument("name")
@pass_ctx
def tm_remove_cmd(ctx: Context, name: str) -> None:
    """Remove an imported memory."""
    count = ctx.store.tm_remove_memory(name)
    click.echo(f"memory {name!r} removed ({count:,} pairs)")


@tm_group.command("search")
@click.argument("text")
@click.option("--from", "source_lang", required=True, help="Language of TEXT (ISO 639-1).")
@click.option("--to", "target_lang", required=True, help="Language of the translations wanted.")
@click.option("--min-score", default=70, show_default=True, type=int, help="Lowest score shown (0-100).")
@click.option("--limit", default=5, show_default=True, type=int, help="At most this many matches.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines.")
@pass_ctx
def tm_search_cmd(ctx: Context, text: str, source_lang: str, target_lang: str, min_score: int, limit: int,
                  as_json: bool) -> None:
    """Fuzzy matches for TEXT, best first (score 100 = the same text; see docs on scores)."""
    from workbench.core.memory.search import search

    for match in search(ctx.store, text, source_lang.lower(), target_lang.lower(), min_score=min_score,
                        limit=limit):
        if as_json:
            emit_json(match.to_json())
        else:
            click.echo(_match_line(match))


@tm_group.command("repetitions")
@click.argument("state", type=click.Choice(["on", "off"]), required=False)
@pass_ctx
def tm_repetitions_cmd(ctx: Context, state) -> None:
    """Show or set whether approving a unit fills the same-source units of its document."""
    from workbench.core.memory.filling import REPETITIONS_SETTING

    if state:
        ctx.store.tm_set_setting(REPETITIONS_SETTING, state)
    click.echo(f"repetitions {ctx.store.tm_setting(REPETITIONS_SETTING, 'on')}")


@cli.command("concordance")
@click.argument("words")
@click.option("--from", "source_lang", required=True, help="Source language of the pairs (ISO 639-1).")
@click.option("--to", "target_lang", required=True, help="Target language of the pairs.")
@click.option("--in", "side", type=click.Choice(["source", "target"]), default="source", show_default=True,
              help="Which side holds WORDS.")
@click.option("--limit", default=50, show_default=True, type=int, help="At most this many pairs.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines.")
@pass_ctx
def concordance_cmd(ctx: Context, words: str, source_lang: str, target_lang: str, side: str, limit: int,
                    as_json: bool) -> None:
    """Memory pairs holding WORDS (case-insensitive, whole words; Russian words in any inflection)."""
    from workbench.core.memory.concordance import concordance

    for hit in concordance(ctx.store, words, source_lang.lower(), target_lang.lower(), side=side, limit=limit):
        if as_json:
            emit_json(hit.to_json())
        else:
            click.echo(f"{hit.source}\n      -> {hit.target}\n      ({hit.origin})")


@cli.command("pretranslate")
@click.argument("doc_id", type=int)
@click.option("--min-score", default=100, show_default=True, type=int, help="Lowest match score taken.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines.")
@pass_ctx
def pretranslate_cmd(ctx: Context, doc_id: int, min_score: int, as_json: bool) -> None:
    """Fill the targets no person has written (new, MT, earlier memory fills) from the memory:
    status 'tm', with origin and score; one undo step."""
    from workbench.cli.progress import progress_bar
    from workbench.core.edits import history
    from workbench.core.memory.filling import pretranslate_command, pretranslation

    store = ctx.store
    store.document(doc_id)
    with progress_bar("pre-translate") as progress:
        fills = pretranslation(store, doc_id, min_score=min_score, progress=progress)
    command = pretranslate_command(fills)
    if command is not None:
        history.apply(store, command)
    for fill in fills:
        if as_json:
            emit_json({"unit_id": fill.unit_id, "score": fill.score, "origin": fill.origin, "target": fill.target})
    if not as_json:
        click.echo(f"{len(fills):,} units of document {doc_id} filled from the memory")


@cli.command("stats")
@click.argument("doc_ids", type=int, nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines (one per band, then the total).")
@pass_ctx
def stats_cmd(ctx: Context, doc_ids, as_json: bool) -> None:
    """Match analysis against the memory: segments, words, characters per band (default: every document)."""
    from workbench.cli.progress import progress_bar
    from workbench.core.memory.analysis import analyse

    store = ctx.store
    ids = list(doc_ids) or [d.id for d in store.documents() if d.target_language]
    for doc in ids:
        store.document(doc)
    with progress_bar("analysis") as progress:
        analysis = analyse(store, ids, progress=progress)
    rows = analysis.rows()
    total = {"band": "total", **{k: sum(r[k] for r in rows) for k in ("segments", "words", "characters")}}
    if as_json:
        for row in rows + [total]:
            emit_json(row)
        return
    click.echo(f"{'band':<12}{'segments':>10}{'words':>10}{'characters':>12}")
    for row in rows + [total]:
        click.echo(f"{row['band']:<12}{row['segments']:>10,}{row['words']:>10,}{row['characters']:>12,}")


if __name__ == "__main__":
    sys.exit(main())
