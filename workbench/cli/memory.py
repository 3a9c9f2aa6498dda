"""The translation memory from the terminal: memories, search, concordance, pre-translation, analysis."""
from __future__ import annotations

import click

from workbench.cli.app import emit_json, Context, pass_ctx, cli


def refresh_memory_index(store, *, quiet: bool = False) -> None:
    """After bulk work: rebuild the memory's word index if the work left it
    stale (a progress bar on a terminal; one line on stderr, so JSON output
    stays clean).  Ctrl+C stops the rebuild only: the work before it is kept.

    Parameters:
        store: the command's Store.
        quiet: print nothing."""
    from workbench.cli.progress import progress_bar
    from workbench.core.memory.index import index_is_stale, refresh_index
    from workbench.core.progress import Cancelled

    if not index_is_stale(store):
        return
    try:
        with progress_bar("memory index", enabled=not quiet) as bar:
            summary = refresh_index(store, progress=bar)
    except KeyboardInterrupt:
        raise Cancelled("the memory index rebuild was interrupted: what was imported is kept and the index"
                        " in use is unchanged ('workbench tm reindex' rebuilds it)") from None
    if summary is not None and not quiet:
        click.echo(f"memory index rebuilt: {summary.entries:,} entries in {summary.seconds:.1f} s", err=True)


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
    refresh_memory_index(ctx.store, quiet=as_json)


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
    refresh_memory_index(ctx.store)


@tm_group.command("reindex")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON line.")
@pass_ctx
def tm_reindex_cmd(ctx: Context, as_json: bool) -> None:
    """Rebuild the memory's word index now (imports and the window keep it fresh by themselves)."""
    from workbench.cli.progress import progress_bar
    from workbench.core.memory.index import rebuild_index

    with progress_bar("memory index", enabled=not as_json) as bar:
        summary = rebuild_index(ctx.store, progress=bar)
    if as_json:
        emit_json(summary.to_json())
    else:
        click.echo(f"memory index: {summary.entries:,} entries, {summary.terms:,} words,"
                   f" {summary.shards} shard(s) in {summary.seconds:.1f} s")


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
