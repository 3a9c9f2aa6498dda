"""Alignment: two files, document pairs, and their links."""
from __future__ import annotations

from pathlib import Path

import click

from workbench.cli.app import emit_json, Context, pass_ctx, cli
from workbench.cli.translation import cluster_option, cluster_session


def _alignment_options(source: str = "Source language", target: str = "Target language"):
    """--src-lang, --tgt-lang, --presegmented, --no-mt: how the files of a pair are read and aligned."""
    def add(command):
        command = click.option("--no-mt", is_flag=True,
                               help="Do not use an installed MT model as a signal.")(command)
        command = click.option("--presegmented", is_flag=True,
                               help="One sentence per line; never re-split (blank lines are paragraph "
                                    "breaks).")(command)
        command = click.option("--tgt-lang", help=f"{target} (detected when omitted).")(command)
        return click.option("--src-lang", help=f"{source} (detected when omitted).")(command)
    return add


@cli.command("align")
@click.argument("source_file", type=click.Path(dir_okay=False))
@click.argument("target_file", type=click.Path(dir_okay=False))
@_alignment_options()
@click.option("--json", "as_json", is_flag=True,
              help="JSON lines: indices, link type, confidence and the sentences of each link.")
def align_cmd(source_file, target_file, src_lang, tgt_lang, presegmented, no_mt, as_json) -> None:
    """Align two files sentence by sentence and print links like [0, 1]:[0] (no database)."""
    from workbench.core.batch_pairs import PairJob, align_pair_files
    from workbench.core.errors import BadInputError

    aligned = align_pair_files(PairJob(Path(source_file), Path(target_file), src_lang, tgt_lang,
                                       presegmented, use_mt=not no_mt))
    if aligned.error is not None:
        raise BadInputError(aligned.error)
    src = [s.text for s in aligned.source.article.segments]
    tgt = [s.text for s in aligned.target.article.segments]
    for link in aligned.links:
        if as_json:
            emit_json({"src": list(link.src), "tgt": list(link.tgt), "type": f"{len(link.src)}-{len(link.tgt)}",
                       "confidence": round(link.confidence, 4), "source": [src[i] for i in link.src],
                       "target": [tgt[j] for j in link.tgt]})
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
@_alignment_options()
@_post_edit_options
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def import_pair_cmd(ctx: Context, source_file, target_file, src_lang, tgt_lang, presegmented, no_mt,
                    keep_targets, replace_targets, as_json) -> None:
    """Import an article and its human translation, and align their sentences.

    An article imported before that a person has post-edited needs --keep-targets or
    --replace-targets; a pair imported before is left as it is."""
    from workbench.core.pairing import import_pair

    keep = _keep_targets(keep_targets, replace_targets)
    ctx.store.backup_before("import-pair")
    r = _aligning(lambda: import_pair(ctx.store, source_file, target_file, source_lang=src_lang,
                                      target_lang=tgt_lang, presegmented=presegmented, use_mt=not no_mt,
                                      keep_targets=keep))
    _print_pair(r, as_json)


@cli.command("import-pairs")
@click.argument("source_dir", type=click.Path(file_okay=False))
@click.argument("target_dir", type=click.Path(file_okay=False))
@click.argument("list_file", required=False, type=click.Path(dir_okay=False))
@click.option("--match", type=click.Choice(["name", "list"]), default="name", show_default=True,
              help="Pair files by name (same name, same stem, or same stem but a language code: "
                   "a.en.txt with a.ru.txt), or by LIST_FILE: source<TAB>target paths per line.")
@_alignment_options(source="Language of the articles", target="Language of the translations")
@click.option("--jobs", "-j", type=click.IntRange(1, 256), default=1, show_default=True,
              help="Align in this many processes (the database is written by this one).")
@cluster_option
@_post_edit_options
@click.option("--json", "as_json", is_flag=True, help="JSON lines: one per pair and unmatched file, then a summary.")
@pass_ctx
def import_pairs_cmd(ctx: Context, source_dir, target_dir, list_file, match, src_lang, tgt_lang, presegmented,
                     no_mt, jobs, cluster_address, models_on_workers, keep_targets, replace_targets,
                     as_json) -> None:
    """Import and align every pair of files of two folders (resumable).

    Pairs already imported are skipped, so a run stopped by Ctrl+C or a crash is finished by
    running it again; each pair is stored whole or not at all.  A file that cannot be used
    (binary, empty, undecodable) or has no counterpart is reported in one line and the run goes
    on; the exit status is 1 only when no pair could be imported."""
    from workbench.core.batch_pairs import ALREADY, FAILED, IMPORTED, import_pairs
    from workbench.core.errors import BadInputError
    from workbench.core.progress import Cancelled
    from workbench.cli.progress import progress_bar

    if match == "list" and not list_file:
        raise BadInputError("--match list needs the list file: workbench import-pairs SRC_DIR TGT_DIR "
                            "--match list FILE.tsv")
    if match == "name" and list_file:
        raise BadInputError(f"{list_file}: a list of pairs is read with --match list")
    keep = _keep_targets(keep_targets, replace_targets)
    if cluster_address:
        from workbench.core.cluster import parse_cluster

        parse_cluster(cluster_address)  # a bad address is refused before anything else
        if jobs > 1:
            raise BadInputError("choose one of --jobs and --cluster (local:N runs N worker processes here)")
    seen: dict[str, int] = {IMPORTED: 0, ALREADY: 0, FAILED: 0}

    def report(outcome) -> None:
        seen[outcome.status] += 1
        if as_json:
            emit_json({"source": outcome.source, "target": outcome.target, "status": outcome.status,
                       "source_document": outcome.source_document_id,
                       "target_document": outcome.target_document_id, "links": outcome.links,
                       "used_mt": outcome.used_mt, "error": outcome.error})
        elif outcome.status == FAILED:
            click.echo(f"workbench: skipped {outcome.source} + {outcome.target}: {outcome.error}", err=True)

    try:
        with cluster_session(cluster_address, models_on_workers) as running, \
                progress_bar("import-pairs", enabled=not as_json) as bar:
            ctx.store.backup_before("import-pair")
            result = import_pairs(ctx.store, source_dir, target_dir, match=match, list_file=list_file,
                                  source_lang=src_lang, target_lang=tgt_lang, presegmented=presegmented,
                                  use_mt=not no_mt, keep_targets=keep, jobs=jobs, on_pair=report,
                                  progress=bar, runner=running.pair_runner() if running else None)
    except KeyboardInterrupt:
        raise Cancelled(f"import-pairs interrupted: {seen[IMPORTED]} pair(s) imported and kept; "
                        "run it again to import the rest") from None
    for item in result.unmatched:
        if as_json:
            emit_json({"status": "unmatched", "path": item.path, "reason": item.reason})
        else:
            click.echo(f"workbench: unmatched {item.path}: {item.reason}", err=True)
    rate = result.pairs_aligned / result.seconds if result.seconds else 0.0
    summary = {"imported": result.count(IMPORTED), "already": result.count(ALREADY),
               "failed": result.count(FAILED), "unmatched": len(result.unmatched),
               "seconds": round(result.seconds, 2), "pairs_per_second": round(rate, 2)}
    if as_json:
        emit_json({"summary": True, **summary})
    else:
        click.echo(f"imported {summary['imported']} pair(s), {summary['already']} imported before, "
                   f"{summary['failed']} skipped, {summary['unmatched']} unmatched file(s) "
                   f"in {result.seconds:.1f} s ({rate:.1f} pairs/s)")
    if summary["imported"]:
        from workbench.cli.memory import refresh_memory_index

        refresh_memory_index(ctx.store, quiet=as_json)
    if summary["imported"] + summary["already"] == 0:
        raise BadInputError("no pair could be imported" + (
            "" if result.outcomes or result.unmatched else f": no files in {source_dir} and {target_dir}"))


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
