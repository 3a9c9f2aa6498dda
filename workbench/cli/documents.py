"""Documents: import articles, documents and corpora, list documents, show segments, deliver translations."""
from __future__ import annotations


import click

from workbench.core.model import Status

from workbench.cli.app import emit_json, Context, pass_ctx, cli


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
@click.option("--as-document", is_flag=True,
              help="Read bilingual files (XLIFF, PO) as documents to review and deliver, not as corpora.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing on success.")
@pass_ctx
def import_cmd(ctx: Context, paths, lang, target_lang, encoding, as_document, as_json, quiet) -> None:
    """Import articles, documents and corpora (files or directories of them); print document ids.

    Web pages (.html, .htm, .xhtml), Word (.docx) and OpenDocument (.odt)
    files are imported as documents whose translation 'workbench deliver'
    writes in the same format.  TMX, XLIFF, CSV and TSV files (recognised by
    content, whatever their extension) are imported as already-aligned
    corpora (a document pair).  One command imports everything or, when any
    file is bad, nothing."""
    from workbench.core.importing import imports_corpus
    from workbench.core.importing import CorpusImportResult, import_paths

    store = ctx.store  # opened (and checked) before any file is read
    if imports_corpus(paths, as_document=as_document):
        store.backup_before("import")  # a corpus can be a million units: keep the way back
    for r in import_paths(store, paths, lang=lang, target_lang=target_lang, encoding=encoding,
                          as_document=as_document):
        if isinstance(r, CorpusImportResult):
            if as_json:
                emit_json({"id": r.source_document_id, "translation": r.target_document_id,
                           "path": r.path, "format": r.format, "created": r.created,
                           "units": r.units, "skipped": r.skipped})
            elif not quiet:
                note = "" if r.created else "  (already imported)"
                click.echo(f"{r.source_document_id}\t{r.units} units (+{r.skipped} skipped)\t{r.path}{note}")
        elif as_json:
            emit_json({"id": r.document_id, "path": r.path, "created": r.created, "format": r.format,
                       "title": r.title, "language": r.language, "segments": r.segments})
        elif not quiet:
            note = "" if r.created else "  (already imported)"
            click.echo(f"{r.document_id}\t{r.language}\t{r.segments} segments\t{r.title}{note}")
    if imports_corpus(paths, as_document=as_document):
        from workbench.cli.memory import refresh_memory_index

        refresh_memory_index(store, quiet=as_json or quiet)  # a corpus's units join the memory


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


@cli.command("deliver")
@click.argument("doc_id", type=int)
@click.option("--out", required=True, type=click.Path(dir_okay=False),
              help="The translated document to write (in the original's format).")
@click.option("--fallback", type=click.Choice(["source", "mt"]), default="source", show_default=True,
              help="For units without an approved target: the source text, or the machine translation.")
@click.option("--force", is_flag=True,
              help="Overwrite an existing file that is not of this format (never the database).")
@click.option("--json", "as_json", is_flag=True,
              help="Print JSON lines: a summary, then one line per unit that used the fallback.")
@pass_ctx
def deliver_cmd(ctx: Context, doc_id: int, out: str, fallback: str, force: bool, as_json: bool) -> None:
    """Write a document's translation in its original format (web page, DOCX, ODT, text).

    Approved targets go in; units without one get the fallback and are listed."""
    from workbench.core.documents.deliver import deliver_document
    from workbench.cli.progress import progress_bar

    with progress_bar("deliver", enabled=not as_json) as report:
        result = deliver_document(ctx.store, doc_id, out, fallback=fallback, force=force,
                                  progress=report)
    if as_json:
        emit_json({"id": result.document_id, "path": str(result.path), "format": result.format,
                   "fallback": result.fallback, "units": result.units, "approved": result.approved,
                   "excluded": result.excluded, "fallback_units": len(result.fallbacks)})
        for unit in result.fallbacks:
            emit_json({"unit": unit.unit_id, "paragraph": unit.paragraph, "status": unit.status,
                       "used": unit.used, "reason": unit.reason})
        return
    from workbench.core.documents.registry import is_bilingual

    click.echo(result.describe())
    if result.fallbacks:
        ids = [str(unit.unit_id) for unit in result.fallbacks]
        shown = " ".join(ids[:30]) + (f" ... (+{len(ids) - 30}, see --json)" if len(ids) > 30 else "")
        what = ("units without a target (left as in the file)"
                if is_bilingual(result.format) else f"units with the {result.fallback} fallback")
        click.echo(f"{what}: {shown}")
