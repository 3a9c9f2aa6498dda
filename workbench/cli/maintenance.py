"""Keeping the database and the machine healthy: check, backups, restore, doctor."""
from __future__ import annotations


import click

from workbench.cli.app import emit_json, Context, pass_ctx, cli, EXIT_USER_ERROR


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
