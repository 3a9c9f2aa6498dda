"""Quality checks in the window: the QA and Terms panes, the underlines in
the editors, the re-check as the reviewer types, "add term", "add to
dictionary" and the question before approving a unit with an error.

Every check runs in a pool worker that gets the database path and ids (plain
data) and opens its own Store; the GUI thread only paints results.  A
checker per (database, document) is cached in this module so re-checking
one unit costs milliseconds; anything that changes the glossary, the
settings or the word list drops it.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QDockWidget, QInputDialog, QMenu

from workbench.core.qa.checks import Checker, Finding
from workbench.gui import dialogs
from workbench.gui.jobs.workers import CallWorker
from workbench.gui.review.editor_pane import py_offset
from workbench.gui.review.qa_pane import QaPane
from workbench.gui.review.terms_pane import TermsPane

RECHECK_MS = 250  # after the last keystroke

# -- jobs (plain data in and out, own Store; run in pool threads) ---------------------------

_lock = threading.Lock()
_checkers: dict[tuple[str, int], tuple[Checker, str, str]] = {}
_suggestions: dict[tuple[str, str], list[str]] = {}


def forget_checkers() -> None:
    """Drop cached checkers (the glossary, settings or word list changed)."""
    with _lock:
        _checkers.clear()


def _checker(store, db_path: str, document_id: int, notes: list[str] | None = None) -> tuple[Checker, str, str]:
    from workbench.core.qa.run import checker_for, default_target_language

    key = (db_path, document_id)
    with _lock:
        cached = _checkers.get(key)
    if cached is not None:
        return cached
    doc = store.document(document_id)
    target = default_target_language(doc.language, doc.target_language)
    made = (checker_for(store, doc.language, target, notes=notes), doc.language, target)
    with _lock:
        _checkers[key] = made
    return made


@dataclass
class DocumentCheck:
    document_id: int
    findings: list[Finding]
    rows: dict[int, int]
    notes: list[str]
    ask_on_approve: bool


def check_document_job(db_path: str, document_id: int) -> DocumentCheck:
    """Every check over a document (run in a worker).

    Parameters:
        db_path: the database.
        document_id: the document."""
    from workbench.core.qa.run import ASK_ON_APPROVE_SETTING, run_qa
    from workbench.core.store.database import Store

    with Store(db_path, create=False, backups=False) as store:
        notes: list[str] = []
        _checker(store, db_path, document_id, notes)
        report = run_qa(store, [document_id])
        rows = {uid: n for n, uid in enumerate(store.unit_ids(document_id), 1)}
        ask = bool(store.qa_setting(ASK_ON_APPROVE_SETTING, True))
        return DocumentCheck(document_id, report.findings, rows, notes or report.notes, ask)


@dataclass
class UnitCheck:
    unit_id: int
    seq: int
    source: str
    target: str
    findings: list[Finding]
    misspelt: list[tuple[int, int]]
    term_spans: list[tuple[int, int]]
    term_hits: list = field(default_factory=list)
    target_lang: str = ""


def recheck_unit_job(db_path: str, document_id: int, unit_id: int, seq: int, source: str, target: str,
                     status: str) -> UnitCheck:
    """The unit-scope checks of one unit as typed, its term hits and misspellings (run in a worker).

    Parameters:
        db_path: the database.
        document_id, unit_id: where the unit is.
        seq: the caller's request number (stale answers are dropped).
        source, target, status: the unit as shown."""
    from workbench.core.store.database import Store

    with _lock:
        cached = _checkers.get((db_path, document_id))
    if cached is None:
        with Store(db_path, create=False, backups=False) as store:
            cached = _checker(store, db_path, document_id)
    checker, _src_lang, tgt_lang = cached
    findings = checker.unit_findings(unit_id, source, target, status, document_id)
    misspelt = [span for f in findings if f.check == "spelling" for span in f.target_spans]
    hits = []
    spans = []
    for hit in checker.source_terms.find(source):
        term = checker.source_terms.terms[hit.index]
        translations = [(t.target, t.note, t.forbidden) for t in checker.terms
                        if t.source == term and t.source_lang == checker.source_lang
                        and t.target_lang == checker.target_lang]
        translations.sort(key=lambda x: x[2])  # allowed first
        hits.append((hit.text, term, translations))
        spans.append((hit.start, hit.end))
    return UnitCheck(unit_id, seq, source, target, findings, misspelt, spans, hits, tgt_lang)


def suggestions_job(db_path: str, document_id: int, words: list[str]) -> dict[str, list[str]]:
    """Spelling suggestions for words (slow: about a second each; run in a worker).

    Parameters:
        db_path: the database.
        document_id: the document (its target language).
        words: the misspelt words."""
    with _lock:
        cached = _checkers.get((db_path, document_id))
    if cached is None or cached[0].speller is None:
        return {}
    speller = cached[0].speller
    out = {}
    for word in words:
        key = (speller.language, word)
        if key not in _suggestions:
            _suggestions[key] = speller.suggest(word)
        out[word] = _suggestions[key]
    return out


def add_term_job(db_path: str, document_id: int, source: str, target: str) -> str:
    """Add a glossary term in the document's language pair (run in a worker).

    Parameters:
        db_path: the database.
        document_id: gives the language pair.
        source, target: the term and its translation."""
    from workbench.core.qa.run import default_target_language
    from workbench.core.store.database import Store

    with Store(db_path, create=False, backups=False) as store:
        doc = store.document(document_id)
        store.add_terms([(source, target, doc.language,
                          default_target_language(doc.language, doc.target_language), None, False)])
    forget_checkers()
    return f"added the term {source} → {target}"


def add_word_job(db_path: str, language: str, word: str) -> str:
    """Add a word to the personal spelling dictionary (run in a worker).

    Parameters:
        db_path: the database.
        language: the dictionary's language.
        word: the word."""
    from workbench.core.store.database import Store

    with Store(db_path, create=False, backups=False) as store:
        store.add_spelling_words(language, [word])
    with _lock:
        for checker, _s, tgt in _checkers.values():
            if tgt == language and checker.speller is not None:
                checker.speller.add_personal(word)
    return f"added '{word}' to the {language} dictionary"


def set_setting_job(db_path: str, key: str, value) -> None:
    """Store a QA setting (run in a worker).

    Parameters:
        db_path: the database.
        key, value: the setting."""
    from workbench.core.store.database import Store

    with Store(db_path, create=False, backups=False) as store:
        store.set_qa_setting(key, value)


# -- the window side ------------------------------------------------------------------------

class QaController(QObject):
    """Owns the QA and Terms panes and the editors' underlines."""

    document_checked = Signal(int)   # document id
    unit_checked = Signal(int)       # unit id

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.pane = window.pane
        self.qa_pane = QaPane()
        self.terms_pane = TermsPane()
        # The pane's highlighters (one per document): they paint the tags too.
        self.spelling = self.pane.target_marks
        self.terms = self.pane.source_marks
        self.ask_on_approve = True
        self.document_id: int | None = None
        self.last_unit: UnitCheck | None = None
        self.suggestions: dict[str, list[str]] = {}
        self._seq = 0
        self._workers: set = set()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(RECHECK_MS)
        self._timer.timeout.connect(self.recheck_current)

    def install(self) -> None:
        """Add the panes as docks and connect them (after the window's layout exists)."""
        w = self.window
        # Below everything, as two tabs: the table keeps its width.
        self.docks = {}
        for title, widget, name in (("Terms", self.terms_pane, "termsDock"), ("QA", self.qa_pane, "qaDock")):
            dock = QDockWidget(title, w)
            dock.setObjectName(name)
            dock.setWidget(widget)
            w.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
            self.docks[name] = dock
        w.tabifyDockWidget(self.docks["termsDock"], self.docks["qaDock"])
        w.resizeDocks([self.docks["qaDock"]], [170], Qt.Orientation.Vertical)
        w.document_opened.connect(self.check_document)
        w.table.current_unit_changed.connect(lambda _unit: self.recheck_current())
        self.pane.target.textChanged.connect(self._typed)
        self.qa_pane.unit_clicked.connect(w.table.go_to_unit)
        self.terms_pane.insert_requested.connect(self._insert)
        self.pane.target.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.pane.target.customContextMenuRequested.connect(self._target_menu)

    def _typed(self) -> None:
        if self.pane.unit is not None and (self.last_unit is None
                                           or self.pane.target.toPlainText() != self.last_unit.target):
            self._timer.start()

    # -- running checks ---------------------------------------------------------------
    def _db(self) -> str | None:
        return str(self.window.session.db_path) if self.window.session is not None else None

    def _start(self, fn, *args, on_finished=None) -> CallWorker:
        worker = CallWorker("quality check", fn, *args, pass_callbacks=False)
        self._workers.add(worker)
        if on_finished is not None:
            worker.signals.finished.connect(on_finished)
        worker.signals.failed.connect(self._failed)
        worker.signals.finished.connect(lambda _r, w=worker: self._workers.discard(w))
        worker.signals.failed.connect(lambda _m, w=worker: self._workers.discard(w))
        return worker.start()

    def _failed(self, message: str) -> None:
        self.window.statusBar().showMessage(message, 8000)

    def check_document(self, document_id: int | None = None) -> None:
        """Check the document shown (in a worker); the QA pane fills when done.

        Parameters:
            document_id: the document (default: the one shown)."""
        document_id = document_id if document_id is not None else self.window.unit_model.document_id
        db = self._db()
        self.document_id = document_id
        if db is None or document_id is None:
            return
        self.qa_pane.summary.setText("Checking…")
        self._start(check_document_job, db, document_id, on_finished=self._document_done)

    def _document_done(self, result: DocumentCheck) -> None:
        if result.document_id != self.window.unit_model.document_id:
            return
        self.ask_on_approve = result.ask_on_approve
        self.qa_pane.set_findings(result.findings, result.rows, result.notes)
        self.document_checked.emit(result.document_id)
        self.recheck_current()

    def recheck_current(self) -> None:
        """Re-check the unit in the editor as typed (in a worker)."""
        unit, db = self.pane.unit, self._db()
        if unit is None or db is None or self.document_id is None:
            self.terms_pane.show_hits([])
            return
        self._seq += 1
        self._start(recheck_unit_job, db, self.document_id, unit.id, self._seq, unit.source,
                    self.pane.target.toPlainText(), unit.status.value, on_finished=self._unit_done)

    def _unit_done(self, result: UnitCheck) -> None:
        unit = self.pane.unit
        if unit is None or unit.id != result.unit_id or result.seq != self._seq:
            return
        self.last_unit = result
        self.spelling.set_spans(result.target, result.misspelt)
        self.terms.set_spans(result.source, result.term_spans)
        self.terms_pane.show_hits(result.term_hits)
        self.qa_pane.replace_unit(result.unit_id, result.findings)
        words = sorted({result.target[s:e] for s, e in result.misspelt} - set(self.suggestions))
        if words and self.document_id is not None:
            self._start(suggestions_job, self._db(), self.document_id, words[:3],
                        on_finished=self.suggestions.update)
        self.unit_checked.emit(result.unit_id)

    # -- actions ------------------------------------------------------------------------
    def _insert(self, text: str | None) -> None:
        if text and self.pane.unit is not None:
            self.pane.target.insertPlainText(text)
            self.pane.target.setFocus()

    def insert_term(self) -> None:
        """Insert the Terms pane's selected translation at the target cursor."""
        text = self.terms_pane.selected_translation()
        if text is None:
            self.window.statusBar().showMessage("no glossary term in this unit", 4000)
            return
        self._insert(text)

    def add_term(self) -> None:
        """Add a glossary term from the selections in the source and target editors
        (asks for the side that has no selection)."""
        db = self._db()
        if db is None or self.document_id is None:
            return
        source = self.pane.source.textCursor().selectedText().strip()
        target = self.pane.target.textCursor().selectedText().strip()
        if not source:
            source, ok = QInputDialog.getText(self.window, "Add term", "Source term:")
            if not ok:
                return
        if not target:
            target, ok = QInputDialog.getText(self.window, "Add term", f"Translation of '{source}':")
            if not ok:
                return
        if source.strip() and target.strip():
            self._start(add_term_job, db, self.document_id, source.strip(), target.strip(),
                        on_finished=self._changed)

    def _changed(self, message: str) -> None:
        self.window.statusBar().showMessage(message, 5000)
        self.check_document()

    def add_word(self, word: str) -> None:
        """Add a word to the personal dictionary of the target language.

        Parameters:
            word: the word."""
        db = self._db()
        if db is None or self.last_unit is None:
            return
        self._start(add_word_job, db, self.last_unit.target_lang, word, on_finished=self._changed)

    def _target_menu(self, point) -> None:
        editor = self.pane.target
        menu = editor.createStandardContextMenu()
        cursor = editor.cursorForPosition(point)
        text = editor.toPlainText()
        at = py_offset(text, cursor.position())
        self.spelling_menu(menu, text, at)
        menu.exec(editor.mapToGlobal(point))

    def spelling_menu(self, menu: QMenu, text: str, at: int) -> list[str]:
        """Put suggestions and "Add to dictionary" for the misspelt word at
        ``at`` on top of ``menu``; returns the suggestions offered.

        Parameters:
            menu: the context menu.
            text: the target text.
            at: a Python index into it."""
        if self.last_unit is None or self.last_unit.target != text:
            return []
        span = next(((s, e) for s, e in self.last_unit.misspelt if s <= at <= e), None)
        if span is None:
            return []
        word = text[span[0]:span[1]]
        first = menu.actions()[0] if menu.actions() else None
        offered = self.suggestions.get(word)
        actions = []
        if offered is None:
            waiting = menu.addAction("(looking for suggestions…)")
            waiting.setEnabled(False)
            actions.append(waiting)
        else:
            for suggestion in offered:
                action = menu.addAction(suggestion)
                action.triggered.connect(lambda _c=False, s=suggestion, sp=span: self._replace(sp, s, text))
                actions.append(action)
        add = menu.addAction(f"Add '{word}' to dictionary")
        add.triggered.connect(lambda _c=False, w=word: self.add_word(w))
        actions.append(add)
        separator = menu.addSeparator()
        actions.append(separator)
        if first is not None:
            for action in actions:
                menu.removeAction(action)
                menu.insertAction(first, action)
        return offered or []

    def _replace(self, span: tuple[int, int], replacement: str, text: str) -> None:
        if self.pane.target.toPlainText() != text:
            return
        from workbench.gui.review.editor_pane import qt_position

        cursor = self.pane.target.textCursor()
        cursor.setPosition(qt_position(text, span[0]))
        cursor.setPosition(qt_position(text, span[1]), cursor.MoveMode.KeepAnchor)
        cursor.insertText(replacement)

    def approve_and_next(self) -> None:
        """Approve (the window's Ctrl+Enter), asking once when the unit has an
        error finding and the project's setting says to ask."""
        unit = self.pane.unit
        if unit is not None and self.ask_on_approve:
            errors = self._current_errors()
            if errors:
                answer = dialogs.ask_choice(
                    self.window, "Approve with QA errors?",
                    f"This unit has {len(errors)} QA error(s): {errors[0].message}",
                    [("approve", "Approve anyway"), ("never", "Approve, and don't ask again")])
                if answer is None:
                    return
                if answer == "never":
                    from workbench.core.qa.run import ASK_ON_APPROVE_SETTING

                    self.ask_on_approve = False
                    if self._db():
                        self._start(set_setting_job, self._db(), ASK_ON_APPROVE_SETTING, False)
        self.window.controller.approve_and_next()

    def _current_errors(self) -> list[Finding]:
        unit = self.pane.unit
        text = self.pane.target.toPlainText()
        if self.last_unit is not None and self.last_unit.unit_id == unit.id and self.last_unit.target == text:
            return [f for f in self.last_unit.findings if f.severity == "error"]
        return self.qa_pane.errors_of(unit.id)
