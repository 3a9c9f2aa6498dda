"""The command line: a few lines per command over the core.

``workbench.cli.main`` is the console script's entry point."""
from workbench.cli.commands import cli, main

__all__ = ["cli", "main"]
