"""File → Import document pair… and Import translation of this document…:
choose the files, align in a background job, then show the alignment."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from workbench.core.edits.links import post_edited_unit_ids
from workbench.core.pairing import existing_document
from workbench.gui import dialogs
from workbench.core.store import link_queries
from workbench.gui.context import GuiContext
from workbench.gui.jobs.tasks import attach_translation_job, import_pair_job
from workbench.gui.jobs.workers import CallWorker

if TYPE_CHECKING:
    from workbench.core.pairing import PairResult

ARTICLE_FILTER = "Articles (*.txt *.text *.md);;All files (*)"


class PairImporter(QObject):
    """Runs pair imports as the window's job; the window opens the result."""

    aligned = Signal(object)   # the PairResult: its document is to be shown in the alignment view
    finished = Signal(object)  # the PairResult, or None when it failed or was cancelled

    def __init__(self, context: GuiContext, flush: Callable[[], None]):
        super().__init__(context)
        self.context = context
        self.flush = flush  # commits typing not yet written, before the job reads the database

    # -- actions (file dialogs) ----------------------------------------------------------
    def import_pair(self) -> None:
        parent = self.context.dialog_parent
        source = dialogs.choose_open_file(parent, "Import document pair: the original article",
                                          ARTICLE_FILTER)
        if not source:
            return
        target = dialogs.choose_open_file(parent, f"Import document pair: the translation of "
                                          f"{Path(source).name}", ARTICLE_FILTER)
        if target:
            self.start_pair(source, target)

    def import_translation(self, document_id: int | None) -> None:
        """Give ``document_id`` (the document selected) its human translation."""
        parent, session = self.context.dialog_parent, self.context.session
        if session is None or document_id is None:
            dialogs.show_error(parent, "Import translation", "Select the document to translate first.")
            return
        title = session.store.document(document_id).title
        path = dialogs.choose_open_file(parent, f"The human translation of “{title}”", ARTICLE_FILTER)
        if path:
            self.start_translation(document_id, path)

    # -- jobs ------------------------------------------------------------------------------
    def _can_start(self, title: str) -> bool:
        if self.context.session is None:
            dialogs.show_error(self.context.dialog_parent, title, "No database is open: File → Open database…")
            return False
        if self.context.jobs.busy:
            dialogs.show_error(self.context.dialog_parent, title,
                               "Another job is running; wait for it or cancel it.")
            return False
        return True

    def start_pair(self, source_path: str, target_path: str) -> bool:
        title = "Import document pair"
        if not self._can_start(title):
            return False
        session = self.context.session
        self.flush()
        # An article imported before is the same document (same bytes): what
        # a person did on it is asked about as for Import translation.
        keep_targets = None
        existing = existing_document(session.store, source_path)
        if existing is not None and existing.translation_of is None and \
                post_edited_unit_ids(session.store, existing.id):
            go, keep_targets = self._targets_choice(session.store, existing.id, title)
            if not go:
                return False
        worker = CallWorker("pair import", import_pair_job, str(session.db_path), str(source_path),
                            str(target_path), _str_or_none(self.context.packages_dir), keep_targets)
        return self._start(worker, f"aligning {Path(source_path).name} with {Path(target_path).name}")

    def start_translation(self, source_id: int, target_path: str) -> bool:
        title = "Import translation"
        if not self._can_start(title):
            return False
        session = self.context.session
        self.flush()
        go, keep_targets = self._targets_choice(session.store, source_id, title)
        if not go:
            return False
        worker = CallWorker("alignment", attach_translation_job, str(session.db_path), source_id,
                            str(target_path), _str_or_none(self.context.packages_dir), keep_targets)
        return self._start(worker, f"aligning with {Path(target_path).name}")

    def _targets_choice(self, store, source_id: int, title: str) -> tuple[bool, bool | None]:
        """Aligning replaces the document's units: say what it does to what a
        person did, and ask.  ``(go on, keep_targets)``: the same choice as
        the command line's --keep-targets / --replace-targets."""
        aligned = link_queries.is_pair(store, source_id)
        note = ("This document already has an aligned translation: aligning again replaces its links "
                "(a link that comes out the same keeps its confirmation). ") if aligned else ""
        post_edits = len(post_edited_unit_ids(store, source_id))
        if post_edits:
            units = f"{post_edits:,} unit{'s' if post_edits != 1 else ''} of this document " + \
                ("have targets" if post_edits != 1 else "has a target")
            question = (f"{note}{units} that a person post-edited or approved"
                        f"{' (confirmed links included)' if aligned else ''}.\n\n"
                        "Keep them: each stays its unit's target (an approved one stays approved), and the "
                        "translation's sentences are linked to the unit alongside.\n"
                        "Replace them: the units take the translation's sentences (machine translations "
                        "are kept).")
            choice = dialogs.ask_choice(self.context.dialog_parent, title, question,
                                        [("keep", "Keep the post-edits"), ("replace", "Replace them")])
            return (choice is not None, choice == "keep" if choice is not None else None)
        if aligned:
            return dialogs.ask_yes_no(self.context.dialog_parent, title, note + "\n\nGo on?"), None
        return True, None

    def _start(self, worker: CallWorker, label: str) -> bool:
        started = self.context.jobs.start(worker, label, on_finished=self._done, on_failed=self._failed,
                                          on_cancelled=self._cancelled)
        self.context.update_enabled()
        return started

    def _done(self, result: PairResult) -> None:
        if self.context.session is not None:
            self.context.session.history_changed.emit()  # the alignment is a step of its own
        self.aligned.emit(result)
        mt = "" if result.used_mt else " (without machine translation: no model installed)"
        edits = ""
        if result.post_edits:
            edits = (f"; {result.post_edits:,} post-edited target{'s' if result.post_edits != 1 else ''} "
                     f"{'kept' if result.kept_targets else 'replaced'}")
        text = (f"aligned {result.links:,} links{mt}{edits}" if result.created else
                f"this pair was imported before: {result.links:,} links, nothing changed")
        self.context.show_message(text, 10000)
        self.finished.emit(result)

    def _failed(self, message: str) -> None:
        dialogs.show_error(self.context.dialog_parent, "Alignment failed", message)
        self.finished.emit(None)

    def _cancelled(self, message: str, _partial: object) -> None:
        self.context.show_message(f"{message}: nothing was imported", 8000)
        self.finished.emit(None)


def _str_or_none(path) -> str | None:
    return None if path is None else str(path)
