"""What the window's controllers need from it, and nothing more.

The window makes one ``GuiContext`` and hands it to the controllers
(``ReviewController``, ``AlignmentController``, ``PairImporter``) instead of
itself, so none of them reaches into the window: they ask the context for the
open session (and hear when it changes), start jobs on its runner, read the
settings, put a note in the status bar, parent their dialogs on
``dialog_parent``, and say when the window's actions may need enabling or
disabling.  The window listens to ``message_shown`` and ``enabled_changed``;
it is the only one that calls ``set_session``.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtWidgets import QWidget

from workbench.gui.jobs.runner import JobRunner
from workbench.gui.session import ReviewSession

MESSAGE_MS = 6000  # how long a status-bar note stays, unless the caller says otherwise


class GuiContext(QObject):
    session_changed = Signal(object)  # the ReviewSession now open, or None
    message_shown = Signal(str, int)  # text for the status bar, milliseconds to show it
    enabled_changed = Signal()        # what the actions' enabled state depends on may have changed

    def __init__(self, dialog_parent: QWidget, jobs: JobRunner, settings: QSettings, *,
                 packages_dir: str | Path | None = None):
        super().__init__(dialog_parent)
        self.dialog_parent = dialog_parent  # the parent of every dialog a controller opens
        self.jobs = jobs
        self.settings = settings
        self.packages_dir = packages_dir    # the Argos models (None: the default folder)
        self._session: ReviewSession | None = None

    @property
    def session(self) -> ReviewSession | None:
        return self._session

    def set_session(self, session: ReviewSession | None) -> None:
        """The window opened another database (or none): tell the controllers."""
        self._session = session
        self.session_changed.emit(session)

    def show_message(self, text: str, msecs: int = MESSAGE_MS) -> None:
        self.message_shown.emit(text, msecs)

    def update_enabled(self) -> None:
        """Something the window's actions depend on changed (a job started, ...)."""
        self.enabled_changed.emit()
