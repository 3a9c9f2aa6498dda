"""File → Import document pair… and Import translation of this document…:
choose the files, align in a background job, then show the alignment."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from workbench.core.edits.links import post_edited_unit_ids
from workbench.core.pairing import existing_document
from workbench.core.progress import CancelledFn, ProgressFn
from workbench.gui import dialogs
from workbench.core.store import link_queries
from workbench.gui.jobs.workers import CallWorker

if TYPE_CHECKING:
    from workbench.core.pairing import PairResult
    from workbench.gui.main_window import MainWindow

ARTICLE_FILTER = "Articles (*.txt *.text *.md);;All files (*)"


# -- job functions (plain data in, plain data out; own Store) --------------------------

def import_pair_job(db_path: str, source_path: str, target_path: str, packages_dir: str | None,
                    keep_targets: bool | None = None, *, progress: ProgressFn,
                    cancelled: CancelledFn) -> PairResult:
    from workbench.core.pairing import import_pair
    from workbench.core.store.database import Store

    with Store(db_path, create=False) as store:
        return import_pair(store, source_path, target_path, packages_dir=packages_dir,
                           keep_targets=keep_targets, progress=progress, cancelled=cancelled)


def attach_translation_job(db_path: str, source_id: int, target_path: str, packages_dir: str | None,
                           keep_targets: bool | None = None, *, progress: ProgressFn,
                           cancelled: CancelledFn) -> PairResult:
    from workbench.core.pairing import attach_translation
    from workbench.core.store.database import Store

    with Store(db_path, create=False) as store:
        return attach_translation(store, source_id, target_path, packages_dir=packages_dir,
                                  keep_targets=keep_targets, progress=progress, cancelled=cancelled)


class PairImporter(QObject):
    """Runs pair imports as the window's job and opens the result."""

    finished = Signal(object)  # the PairResult, or None when it failed or was cancelled

    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window = window

    # -- actions (file dialogs) ----------------------------------------------------------
    def import_pair(self) -> None:
        source = dialogs.choose_open_file(self.window, "Import document pair: the original article",
                                          ARTICLE_FILTER)
        if not source:
            return
        target = dialogs.choose_open_file(self.window, f"Import document pair: the translation of "
                                          f"{Path(source).name}", ARTICLE_FILTER)
        if target:
            self.start_pair(source, target)

    def import_translation(self) -> None:
        doc = self.window.doc_list.current_document_id()
        if self.window.session is None or doc is None:
            dialogs.show_error(self.window, "Import translation", "Select the document to translate first.")
            return
        title = self.window.session.store.document(doc).title
        path = dialogs.choose_open_file(self.window, f"The human translation of “{title}”", ARTICLE_FILTER)
        if path:
            self.start_translation(doc, path)

    # -- jobs ------------------------------------------------------------------------------
    def _can_start(self, title: str) -> bool:
        if self.window.session is None:
            dialogs.show_error(self.window, title, "No database is open: File → Open database…")
            return False
        if self.window.jobs.busy:
            dialogs.show_error(self.window, title, "Another job is running; wait for it or cancel it.")
            return False
        return True

    def start_pair(self, source_path: str, target_path: str) -> bool:
        title = "Import document pair"
        if not self._can_start(title):
            return False
        window = self.window
        window.controller.flush()
        # An article imported before is the same document (same bytes): what
        # a person did on it is asked about as for Import translation.
        keep_targets = None
        existing = existing_document(window.session.store, source_path)
        if existing is not None and existing.translation_of is None and \
                post_edited_unit_ids(window.session.store, existing.id):
            go, keep_targets = self._targets_choice(window.session.store, existing.id, title)
            if not go:
                return False
        worker = CallWorker("pair import", import_pair_job, str(window.session.db_path), str(source_path),
                            str(target_path), _str_or_none(window.packages_dir), keep_targets)
        return self._start(worker, f"aligning {Path(source_path).name} with {Path(target_path).name}")

    def start_translation(self, source_id: int, target_path: str) -> bool:
        title = "Import translation"
        if not self._can_start(title):
            return False
        window = self.window
        window.controller.flush()
        go, keep_targets = self._targets_choice(window.session.store, source_id, title)
        if not go:
            return False
        worker = CallWorker("alignment", attach_translation_job, str(window.session.db_path), source_id,
                            str(target_path), _str_or_none(window.packages_dir), keep_targets)
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
            choice = dialogs.ask_choice(self.window, title, question,
                                        [("keep", "Keep the post-edits"), ("replace", "Replace them")])
            return (choice is not None, choice == "keep" if choice is not None else None)
        if aligned:
            return dialogs.ask_yes_no(self.window, title, note + "\n\nGo on?"), None
        return True, None

    def _start(self, worker: CallWorker, label: str) -> bool:
        window = self.window
        started = window.jobs.start(worker, label, on_finished=self._done, on_failed=self._failed,
                                    on_cancelled=self._cancelled)
        window._update_enabled()
        return started

    def _done(self, result: PairResult) -> None:
        window = self.window
        if window.session is not None:
            window.session.history_changed.emit()  # the alignment is a step of its own
        window.doc_model.reload()
        if window.doc_list.current_document_id() == result.source_document_id:
            window.show_document(result.source_document_id)
        else:
            window.doc_list.select_document(result.source_document_id)
        window.show_alignment(True)
        mt = "" if result.used_mt else " (without machine translation: no model installed)"
        edits = ""
        if result.post_edits:
            edits = (f"; {result.post_edits:,} post-edited target{'s' if result.post_edits != 1 else ''} "
                     f"{'kept' if result.kept_targets else 'replaced'}")
        text = (f"aligned {result.links:,} links{mt}{edits}" if result.created else
                f"this pair was imported before: {result.links:,} links, nothing changed")
        window.statusBar().showMessage(text, 10000)
        self.finished.emit(result)

    def _failed(self, message: str) -> None:
        dialogs.show_error(self.window, "Alignment failed", message)
        self.finished.emit(None)

    def _cancelled(self, message: str, _partial: object) -> None:
        self.window.statusBar().showMessage(f"{message}: nothing was imported", 8000)
        self.finished.emit(None)


def _str_or_none(path) -> str | None:
    return None if path is None else str(path)
