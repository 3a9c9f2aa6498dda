"""Opening the review window from the terminal."""
from __future__ import annotations

from workbench.cli.app import Context, pass_ctx, cli


@cli.command("gui")
@pass_ctx
def gui_cmd(ctx: Context) -> None:
    """Open the review window."""
    from workbench.gui.app import run

    raise SystemExit(run(ctx.db_path))
