"""Quality assurance from the terminal: the glossary and the checks."""
from __future__ import annotations

from pathlib import Path

import click

from workbench.core.errors import WorkbenchError

from workbench.cli.app import emit_json, Context, pass_ctx, cli


@cli.group("glossary")
def glossary_group() -> None:
    """The project's glossary (terms per language pair, stored in the database)."""


@glossary_group.command("import")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--from", "source_lang", help="Source language (needed for OmegaT glossaries; picks the pair in TBX).")
@click.option("--to", "target_lang", help="Target language.")
@click.option("--format", "fmt", type=click.Choice(["tbx", "csv", "tsv", "omegat"]),
              help="The file's format (default: told by name and content).")
@pass_ctx
def glossary_import_cmd(ctx: Context, path, source_lang, target_lang, fmt) -> None:
    """Import a TBX, CSV/TSV (with a header) or OmegaT glossary; a malformed file imports nothing."""
    from workbench.core.qa.glossary import read_glossary

    entries = read_glossary(path, source_lang=source_lang, target_lang=target_lang, fmt=fmt)
    ctx.store.add_terms(e.row() for e in entries)
    click.echo(f"imported {len(entries)} glossary entries from {path}")


@glossary_group.command("add")
@click.argument("source")
@click.argument("target")
@click.option("--from", "source_lang", required=True, help="Source language (ISO 639-1).")
@click.option("--to", "target_lang", required=True, help="Target language (ISO 639-1).")
@click.option("--note", help="A note shown with the term.")
@click.option("--forbidden", is_flag=True, help="TARGET is a translation that must not be used.")
@pass_ctx
def glossary_add_cmd(ctx: Context, source, target, source_lang, target_lang, note, forbidden) -> None:
    """Add a term: SOURCE in --from is translated TARGET in --to."""
    if not source.strip() or not target.strip():
        raise WorkbenchError("a glossary term needs a non-empty source and target")
    ctx.store.add_terms([(source.strip(), target.strip(), source_lang, target_lang, note, forbidden)])
    click.echo(f"added {source.strip()} → {target.strip()}" + (" (forbidden)" if forbidden else ""))


@glossary_group.command("list")
@click.option("--from", "source_lang", help="Only this source language.")
@click.option("--to", "target_lang", help="Only this target language.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines.")
@pass_ctx
def glossary_list_cmd(ctx: Context, source_lang, target_lang, as_json: bool) -> None:
    """List glossary entries."""
    for t in ctx.store.glossary_terms(source_lang, target_lang):
        if as_json:
            emit_json({"id": t.id, "source": t.source, "target": t.target, "source_lang": t.source_lang,
                       "target_lang": t.target_lang, "note": t.note, "forbidden": t.forbidden})
        else:
            flag = " [forbidden]" if t.forbidden else ""
            note = f"  ({t.note})" if t.note else ""
            click.echo(f"{t.id}\t{t.source_lang}→{t.target_lang}\t{t.source}\t{t.target}{flag}{note}")


@glossary_group.command("export")
@click.option("--format", "fmt", required=True, type=click.Choice(["tbx", "csv"]), help="File format.")
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="Output file.")
@click.option("--from", "source_lang", help="Only this source language.")
@click.option("--to", "target_lang", help="Only this target language.")
@click.option("--force", is_flag=True, help="Overwrite an existing file that is not of this format.")
@pass_ctx
def glossary_export_cmd(ctx: Context, fmt, out, source_lang, target_lang, force) -> None:
    """Export the glossary as TBX or CSV."""
    from workbench.core.outputs import check_output_path
    from workbench.core.qa.glossary import write_glossary

    format_name = "tmx" if fmt == "tbx" else "csv"
    # First what is never allowed (the database, the workbench's own files):
    # only then may the existing file be read to tell whether it is a TBX.
    path = check_output_path(out, format_name=format_name, database=ctx.path, force=True)
    if not force and not (fmt == "tbx" and _looks_like_tbx(path)):
        path = check_output_path(out, format_name=format_name, database=ctx.path, force=False)
    n = write_glossary(ctx.store.glossary_terms(source_lang, target_lang), path, fmt)
    click.echo(f"exported {n} glossary entries to {out}")


def _looks_like_tbx(path: Path) -> bool:
    if not path.is_file():
        return False
    with path.open("rb") as handle:
        head = handle.read(4096)
    return any(tag in head for tag in (b"<martif", b"<tbx"))


class _QaGroup(click.Group):
    """``workbench qa [DOC...]`` runs the checks; ``qa ignore``/``qa settings`` are subcommands."""

    def parse_args(self, ctx, args):
        if not args or (args[0] not in self.commands and args[0] not in ("-h", "--help")):
            args = ["run", *args]
        return super().parse_args(ctx, args)


@cli.group("qa", cls=_QaGroup)
def qa_group() -> None:
    """Quality checks: 'workbench qa [DOC...]' runs them (see 'workbench qa run --help')."""


@qa_group.command("run")
@click.argument("doc_ids", type=int, nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON line per finding.")
@click.option("--checks", "only", help="Run only these checks (comma-separated ids).")
@click.option("--list", "list_checks", is_flag=True, help="List the checks with a one-line explanation.")
@click.option("--csv", "csv_out", type=click.Path(dir_okay=False), help="Write the findings as CSV for a reviewer.")
@click.option("--include-ignored", is_flag=True, help="Also show findings marked ignored.")
@click.option("--force", is_flag=True, help="--csv: overwrite an existing file that is not CSV.")
@pass_ctx
def qa_run_cmd(ctx: Context, doc_ids, as_json, only, list_checks, csv_out, include_ignored, force) -> None:
    """Check documents (default: all): one line per finding, with unit id, check, severity, message, spans."""
    from workbench.core.qa.checks import CHECKS
    from workbench.core.qa.run import enabled_checks, parse_check_ids, run_qa

    if list_checks:
        enabled = enabled_checks(ctx.store)
        for c in CHECKS.values():
            if as_json:
                emit_json({"check": c.id, "severity": c.severity, "enabled": c.id in enabled,
                           "explanation": c.explanation})
            else:
                off = "" if c.id in enabled else "  [off for this project]"
                click.echo(f"{c.id:16} {c.severity:8} {c.explanation}{off}")
        return
    wanted = parse_check_ids(only)
    path = None
    if csv_out:
        from workbench.core.outputs import check_output_path

        path = check_output_path(csv_out, format_name="csv", database=ctx.path, force=force)
    report = run_qa(ctx.store, doc_ids, only=wanted, include_ignored=include_ignored)
    for note in report.notes:
        click.echo(f"workbench: {note}", err=True)
    if path is not None:
        from workbench.core.qa.export import write_findings_csv

        write_findings_csv(ctx.store, report.findings, path)
        click.echo(f"wrote {len(report.findings)} findings to {csv_out}", err=as_json)
        if not as_json:
            return
    for f in report.findings:
        if as_json:
            emit_json(f.to_json())
        else:
            click.echo(f"{f.document_id}\t{f.unit_id}\t{f.severity}\t{f.check}\t{f.message}\t{f.key}")
    if not as_json:
        errors = sum(f.severity == "error" for f in report.findings)
        extra = f", {report.ignored} ignored" if report.ignored else ""
        click.echo(f"{len(report.findings)} findings ({errors} errors) in {report.units} units{extra}", err=True)


@qa_group.command("ignore")
@click.argument("finding_ids", nargs=-1, required=True)
@click.option("--undo", is_flag=True, help="Take the ignore mark away again.")
@pass_ctx
def qa_ignore_cmd(ctx: Context, finding_ids, undo: bool) -> None:
    """Mark findings ignored by their id (unit:check:hash, from 'workbench qa'); they stay ignored."""
    from workbench.core.qa.run import parse_finding_key

    keys = [parse_finding_key(k) for k in finding_ids]
    known = {u.id for u in ctx.store.units_by_ids([k[0] for k in keys])}
    missing = [k for k in keys if k[0] not in known]
    if missing:
        raise WorkbenchError(f"no translation unit with id {missing[0][0]}")
    n = ctx.store.ignore_findings(keys, ignored=not undo)
    click.echo(f"{'unignored' if undo else 'ignored'} {n} finding(s)")


@qa_group.command("settings")
@click.option("--off", "off", help="Turn these checks off for the project (comma-separated ids).")
@click.option("--on", "on", help="Turn these checks on again.")
@click.option("--ask-on-approve/--no-ask-on-approve", default=None,
              help="The window asks before approving a unit with an error.")
@click.option("--spelling-variant", "variants", multiple=True, metavar="VARIANT",
              help="The spelling dictionary of a language, e.g. en_GB (or en_US); a bare language (en) goes"
                   " back to the default. Repeatable.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def qa_settings_cmd(ctx: Context, off, on, ask_on_approve, variants, as_json) -> None:
    """Show or change the project's QA settings (stored in the database)."""
    from workbench.core.qa.run import (ASK_ON_APPROVE_SETTING, DISABLED_SETTING, parse_check_ids,
                                       set_spelling_variant, spelling_variants)
    from workbench.core.qa.spelling import find_dictionary, missing_message

    off_ids, on_ids = parse_check_ids(off) or set(), parse_check_ids(on) or set()
    disabled = set(ctx.store.qa_setting(DISABLED_SETTING, []))
    if off_ids or on_ids:
        disabled = (disabled | off_ids) - on_ids
        ctx.store.set_qa_setting(DISABLED_SETTING, sorted(disabled))
    if ask_on_approve is not None:
        ctx.store.set_qa_setting(ASK_ON_APPROVE_SETTING, ask_on_approve)
    for variant in variants:
        language, chosen = set_spelling_variant(ctx.store, variant)
        if chosen and find_dictionary(language, chosen) is None:
            click.echo(f"workbench: {missing_message(language, chosen)}", err=True)
    ask = bool(ctx.store.qa_setting(ASK_ON_APPROVE_SETTING, True))
    chosen_variants = spelling_variants(ctx.store)
    if as_json:
        emit_json({"disabled_checks": sorted(disabled), "ask_on_approve": ask,
                   "spelling_variants": chosen_variants})
    else:
        click.echo(f"checks off: {', '.join(sorted(disabled)) or 'none'}")
        click.echo(f"ask before approving a unit with an error: {'yes' if ask else 'no'}")
        click.echo("spelling dictionaries: " + (", ".join(f"{k}: {v}" for k, v in sorted(chosen_variants.items()))
                                                or "the default of each language"))


@qa_group.command("add-word")
@click.argument("words", nargs=-1, required=True)
@click.option("--lang", required=True, help="The dictionary's language (ISO 639-1).")
@pass_ctx
def qa_add_word_cmd(ctx: Context, words, lang) -> None:
    """Add words to the project's personal spelling dictionary."""
    ctx.store.add_spelling_words(lang, words)
    click.echo(f"added {len(words)} word(s) to the {lang} dictionary")
