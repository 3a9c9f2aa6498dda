"""The window's translation-memory commands: Matches pane upkeep, concordance
(Ctrl+K), Translate → Pre-translate from memory, Translate → Match analysis.
Work runs in the thread pool through the window's job runner; the window's
own connection only reads the document's languages."""
from __future__ import annotations

from PySide6.QtCore import QObject

from workbench.gui.jobs.tasks import pretranslate_job
from workbench.gui.jobs.workers import CallWorker


class MemoryTools(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self._concordance = None
        self._stats = None

    def languages(self) -> tuple[str, str] | None:
        """(source, target) language of the document shown, or None."""
        window = self.window
        doc = window.unit_model.document_id
        if window.session is None or doc is None:
            return None
        document = window.session.store.document(doc)
        return (document.language, document.target_language) if document.target_language else None

    def unit_changed(self) -> None:
        """The editor shows another unit (or the same one changed): look it up."""
        window = self.window
        window.matches_pane.db_path = str(window.session.db_path) if window.session else None
        unit = window.pane.unit
        pane = window.matches_pane
        if unit is not None and pane.unit is not None and unit.id == pane.unit.id and unit.source == pane.unit.source:
            pane.unit = unit
            return
        pane.show_unit(unit, self.languages() if unit is not None else None)

    def set_repetitions(self, on: bool) -> None:
        """Translate → Fill repetitions on approve (a database setting, shared with the CLI)."""
        from workbench.core.memory.filling import REPETITIONS_SETTING

        session = self.window.session
        if session is not None and not session.store.read_only:
            try:
                session.store.tm_set_setting(REPETITIONS_SETTING, "on" if on else "off")
            except Exception as exc:  # noqa: BLE001 - a busy or full database: say so, keep going
                self.window.context.show_message(str(exc), 8000)

    def sync(self) -> None:
        """Show the database's repetitions setting on its action."""
        from workbench.core.memory.filling import repetitions_on

        action = self.window.actions.get("fill_repetitions")
        session = self.window.session
        if action is None:
            return
        action.setEnabled(session is not None)
        on = session is not None and repetitions_on(session.store)
        if action.isChecked() != on:
            action.blockSignals(True)
            action.setChecked(on)
            action.blockSignals(False)

    def show_concordance(self) -> None:
        from workbench.gui.concordance_dialog import ConcordanceDialog

        window = self.window
        languages = self.languages()
        if window.session is None or languages is None:
            window.context.show_message("open a document with a target language first", 5000)
            return
        if self._concordance is None or self._concordance.languages != languages or \
                self._concordance.db_path != str(window.session.db_path):
            self._concordance = ConcordanceDialog(str(window.session.db_path), languages, window)
        selected = window.pane.source.textCursor().selectedText().strip()
        if selected:
            self._concordance.query.setText(selected)
        self._concordance.show()
        self._concordance.raise_()
        self._concordance.query.setFocus()

    def pretranslate(self) -> bool:
        window = self.window
        doc = window.unit_model.document_id
        if window.session is None or doc is None:
            return False
        if window.jobs.busy:
            window.context.show_message("a job is already running", 5000)
            return False
        window.controller.flush()
        worker = CallWorker("pre-translation", pretranslate_job, str(window.session.db_path), doc, 100)
        return window.jobs.start(worker, "pre-translating from the memory", on_finished=self._pretranslated,
                                 on_failed=lambda m: window.context.show_message(m, 8000))

    def _pretranslated(self, result: tuple[int, int]) -> None:
        document_id, count = result
        window = self.window
        window.context.show_message(f"{count} units filled from the memory (100% matches; Ctrl+Z undoes)",
                                       10000)
        if window.session is not None:
            window.session.check_external_changes()
            window.show_document(document_id)

    def show_stats(self) -> None:
        from workbench.gui.stats_dialog import StatsDialog

        window = self.window
        doc = window.unit_model.document_id
        if window.session is None or doc is None:
            return
        title = window.session.store.document(doc).title
        self._stats = StatsDialog(str(window.session.db_path), [doc], title, window)
        self._stats.show()
