"""Machine translation: Argos models and the translation job."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from workbench.cli.app import emit_json, Context, pass_ctx, cli


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


def cluster_option(command):
    """--cluster ADDRESS and --models-on-workers: where batch work runs."""
    command = click.option("--models-on-workers", is_flag=True,
                           help="With --cluster: every worker has the same models installed; do not send "
                                "them (they are sent to a remote cluster by default).")(command)
    return click.option("--cluster", "cluster_address", metavar="ADDRESS",
                        help="Run the work on a Dask cluster: local[:N] (N worker processes here) or "
                             "tcp://HOST:PORT of a Dask scheduler; this process alone writes the database.")(command)


@contextmanager
def cluster_session(address: str | None, models_on_workers: bool, *, quiet: bool = False) -> Iterator:
    """The cluster named by --cluster (None without one), its dashboard link on stderr."""
    if not address:
        yield None
        return
    from workbench.core.cluster import Cluster

    with Cluster(address, ship_models=False if models_on_workers else None) as running:
        if not quiet:
            link = running.dashboard_link
            click.echo(f"workbench: running on {running.describe()}; dashboard: "
                       f"{link or 'none (install bokeh where the scheduler runs)'}", err=True)
        yield running


@cli.command("translate")
@click.argument("doc_ids", type=int, nargs=-1)
@click.option("--all", "all_docs", is_flag=True, help="Translate every document.")
@click.option("--to", "to_lang", help="Target language (default: the document's).")
@click.option("--beam", type=int, help="Beam size (default 2; Argos uses 4).")
@click.option("--include-boilerplate", is_flag=True, help="Also translate boilerplate lines.")
@click.option("--include-excluded", is_flag=True, help="Also translate excluded segments.")
@cluster_option
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary per document (with --cluster: one "
                                                      "for all of them).")
@pass_ctx
def translate_cmd(ctx: Context, doc_ids, all_docs, to_lang, beam, include_boilerplate,
                  include_excluded, cluster_address, models_on_workers, as_json) -> None:
    """Machine-translate documents offline (resumable; cached per model and sentence)."""
    from workbench.core.errors import BadInputError
    from workbench.core.translating import translate_document
    from workbench.cli.progress import progress_bar

    store = ctx.store
    if cluster_address:
        from workbench.core.cluster import parse_cluster

        parse_cluster(cluster_address)  # a bad address is refused before anything else
    if all_docs:
        doc_ids = [d.id for d in store.documents() if d.translation_of is None]
    if not doc_ids:
        raise BadInputError("name documents to translate, or --all")
    if cluster_address:
        _translate_on_cluster(ctx, list(doc_ids), all_docs, cluster_address, models_on_workers, to_lang, beam,
                              include_boilerplate, include_excluded, as_json)
        return
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


def _translate_on_cluster(ctx: Context, doc_ids: list[int], all_docs: bool, address: str, models_on_workers: bool,
                          to_lang, beam, include_boilerplate, include_excluded, as_json) -> None:
    """translate --cluster: the documents' batches on the cluster, written here."""
    from workbench.core.progress import Cancelled
    from workbench.core.translating import translate_documents
    from workbench.cli.progress import progress_bar

    store = ctx.store
    for doc_id in doc_ids:
        store.document(doc_id)  # an unknown id is refused before the cluster starts
    with cluster_session(address, models_on_workers) as running:
        if all_docs:
            store.backup_before("translate")
        try:
            with progress_bar(f"translate {len(doc_ids)} document(s)", enabled=not as_json) as report:
                summary = translate_documents(store, doc_ids, runner=running.mt_runner(), to_lang=to_lang,
                                              beam_size=beam, include_boilerplate=include_boilerplate,
                                              include_excluded=include_excluded, progress=report)
        except KeyboardInterrupt:
            raise Cancelled("translate interrupted: the batches written so far are kept; run it again to "
                            "translate the rest") from None
    if as_json:
        emit_json({"documents": len(doc_ids), "units": summary.units, "translated": summary.translated,
                   "from_cache": summary.from_cache, "skipped": summary.skipped,
                   "sentences": summary.sentences_translated, "changed": summary.changed,
                   "seconds": round(summary.seconds, 3), "models": summary.models})
    else:
        click.echo(f"{len(doc_ids)} document(s): {summary.describe()}")
