"""The corpus out: export to interchange formats, post-edit scores."""
from __future__ import annotations

from pathlib import Path

import click

from workbench.core.model import Status

from workbench.cli.app import emit_json, Context, pass_ctx, cli


@cli.command("export")
@click.option("--format", "fmt", required=True,
              type=click.Choice(["tmx", "csv", "tsv", "moses", "xliff", "parquet"]),
              help="File format (parquet: one row per unit, for pandas or Hugging Face datasets; needs pyarrow).")
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
@click.option("--qa-clean", is_flag=True, help="Leave out units with open QA errors ('workbench qa').")
@click.option("--evidence", is_flag=True,
              help="CSV/TSV: add the columns link_type (2-1) and confidence of aligned units "
                   "(TMX always carries them as x-link-type and x-alignment-confidence props).")
@click.option("--shard-size", type=click.IntRange(1, None), metavar="N",
              help="At most N units per file, the files numbered: OUT.00001.tmx, OUT.00002.tmx...")
@pass_ctx
def export_cmd(ctx: Context, fmt, out, doc_ids, status, include_excluded, source_lang, target_lang,
               bom, unsafe_formulas, force, qa_clean, evidence, shard_size) -> None:
    """Export translation units as TMX 1.4b, CSV, TSV, Moses plain text, XLIFF 1.2 or Parquet."""
    from workbench.core.interchange import ExportFilter, export_corpus
    from workbench.core.errors import BadInputError
    from workbench.core.formats.base import EVIDENCE_COLUMNS, ExportOptions
    from workbench.cli.progress import progress_bar

    if evidence and fmt in ("moses", "xliff", "parquet"):
        raise BadInputError(f"--evidence adds CSV/TSV columns; {fmt} has no place for them "
                            "(TMX carries them as props, Parquet as the columns link_type and confidence)")

    statuses = tuple(s.value for s in Status.BY_PERSON) if status == Status.EDITED else (status,)
    flt = ExportFilter(tuple(doc_ids), statuses, include_excluded, source_lang, target_lang)
    if qa_clean:
        from dataclasses import replace

        from workbench.core.qa.run import units_with_open_errors

        flt = replace(flt, exclude_unit_ids=frozenset(units_with_open_errors(ctx.store, tuple(doc_ids))))
    options = ExportOptions(source_lang=source_lang, target_lang=target_lang, bom=bom,
                            safe_formulas=not unsafe_formulas,
                            columns=EVIDENCE_COLUMNS if evidence and fmt in ("csv", "tsv") else ())
    with progress_bar(f"export {fmt}") as report:
        n = export_corpus(ctx.store, fmt, Path(out), flt, options, force=force, shard_size=shard_size,
                          progress=report)
    if shard_size:
        from workbench.core.interchange import shard_path

        files = max(1, -(-n // shard_size))
        click.echo(f"exported {n} units to {files} file(s): {shard_path(Path(out), 1)}"
                   + (f" ... {shard_path(Path(out), files)}" if files > 1 else ""))
    else:
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
