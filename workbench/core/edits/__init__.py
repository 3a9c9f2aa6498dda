"""Edits are data: command objects the store applies, each returning its inverse."""
