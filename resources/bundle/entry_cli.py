"""``workbench`` in the standalone bundle."""
import sys

from launch import cli

sys.exit(cli())
