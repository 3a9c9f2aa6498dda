"""The command line: a few lines per command over the core.

``workbench.cli.main`` is the console script's entry point; ``cli`` is the
click group.  Importing this package registers every command group."""
from workbench.cli.app import bound_integers, cli, main
from workbench.cli import alignment, corpus, documents, edits, maintenance, memory, quality, translation, window  # noqa: F401,E402

bound_integers(cli)  # once every group is registered

__all__ = ["cli", "main"]
