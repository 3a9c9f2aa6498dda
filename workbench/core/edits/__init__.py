"""Edits are data: command objects that perform a change and return its inverse
(``commands``, ``links``), and the per-document history that applies and
records them, undoes and redoes them (``history``)."""
