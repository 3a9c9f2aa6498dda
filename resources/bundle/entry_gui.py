"""``workbench-gui`` in the standalone bundle."""
import sys

from launch import gui

sys.exit(gui())
