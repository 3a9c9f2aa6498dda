"""The command line: a few lines per command over the core."""
