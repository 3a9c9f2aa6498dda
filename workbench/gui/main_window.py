"""The review window: documents on the left, the segment table and the editor
pane in the middle, jobs and counts in the status bar."""
from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QByteArray, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QMainWindow,
    QSplitter,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from workbench.core.errors import WorkbenchError
from workbench.core.model import Status
from workbench.core.store.database import default_db_path
from workbench.gui import dialogs, palette
from workbench.gui.actions import ALIGNMENT_ACTIONS, build_actions, shortcut_rows, sync_shared_shortcuts
from workbench.gui.alignment.controller import AlignmentController
from workbench.gui.alignment.view import AlignmentView
from workbench.gui.context import GuiContext
from workbench.gui.document_list import DocumentList, DocumentListModel
from workbench.gui.review.editor_pane import EditorPane
from workbench.gui.jobs.figures import BackgroundFigures
from workbench.gui.jobs.runner import JobBar, JobRunner
from workbench.gui.review.metrics_panel import MetricsPanel
from workbench.gui.alignment.pair_import import PairImporter
from workbench.core.store.review_queries import DocumentCounts
from workbench.gui.review.controller import ReviewController
from workbench.gui.review.preview_pane import PreviewController, PreviewPane
from workbench.gui.review.qa_controller import QaController
from workbench.gui.session import ReviewSession
from workbench.gui.settings import open_settings, read_bool
from workbench.gui.review.unit_table import UnitTableModel, UnitTableView
from workbench.gui.jobs.tasks import deliver_job, import_files
from workbench.gui.cluster_dialog import ClusterDialog, ClusterLink, cluster_address
from workbench.gui.jobs.workers import CallWorker, TranslateWorker, TranslationOutcome
from workbench.gui.memory_index import MemoryIndexKeeper
from workbench.gui.memory_tools import MemoryTools
from workbench.gui.review.matches_pane import MatchActions, MatchesPane

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    document_opened = Signal(int)        # document id shown in the table
    translation_finished = Signal(object)  # TranslationOutcome
    import_finished = Signal(list)       # ids of the imported documents
    delivered = Signal(str)              # the delivery report's line

    def __init__(self, db_path: str | Path | None = None, *, packages_dir: str | Path | None = None):
        super().__init__()
        self.setWindowTitle("Workbench — review")
        self.setObjectName("mainWindow")
        self.setAcceptDrops(True)
        self.settings = open_settings()
        self.mt_batch_size = 32  # sentences per committed batch: rows fill in at this pace
        self._find_dialog = None
        self._counts: DocumentCounts | None = None  # of the document shown, once counted

        self.doc_model = DocumentListModel()
        self.doc_list = DocumentList()
        self.doc_list.setModel(self.doc_model)
        self.unit_model = UnitTableModel()
        self.table = UnitTableView()
        self.table.setModel(self.unit_model)
        self.pane = EditorPane()
        self.metrics = MetricsPanel()
        self.job_bar = JobBar()
        self.jobs = JobRunner(self.job_bar, self)
        # What the controllers get instead of the window.
        self.context = GuiContext(self, self.jobs, self.settings, packages_dir=packages_dir)
        self.controller = ReviewController(self.table, self.pane, self.context)
        self.alignment_view = AlignmentView()
        self.alignment = AlignmentController(self.alignment_view, self.context)
        self.pairs = PairImporter(self.context, self.controller.flush)
        self.matches_pane = MatchesPane()
        self.matches = MatchActions(self.context, self.controller, self.matches_pane)
        self.memory = MemoryTools(self)
        self.memory_index = MemoryIndexKeeper(self.context)  # rebuilds a stale word index in the background
        self.preview_pane = PreviewPane()
        self.preview = PreviewController(self.preview_pane, self.table, self.context)

        self.counts_label = QLabel()
        self.saved_label = QLabel()
        status = self.statusBar()
        self.cluster_label = ClusterLink()
        status.addPermanentWidget(self.cluster_label)
        self.jobs.ended.connect(self.cluster_label.clear_cluster)
        status.addPermanentWidget(self.job_bar)
        status.addPermanentWidget(self.saved_label)
        rule = QFrame()
        rule.setFrameShape(QFrame.Shape.VLine)
        rule.setFrameShadow(QFrame.Shadow.Sunken)
        status.addPermanentWidget(rule)
        status.addPermanentWidget(self.counts_label)

        toolbar = QToolBar("Main")
        toolbar.setObjectName("mainToolbar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.addToolBar(toolbar)
        self.qa = QaController(self)
        self.actions: dict[str, QAction] = build_actions(self, self.menuBar(), toolbar, self._action_slots())
        self.pane.add_actions([self.actions["use_mt"]], near_mt=True)
        self.pane.add_actions([self.actions[n] for n in ("approve_next", "split", "merge", "exclude")])
        self._build_layout()
        self.actions["align_map"].setChecked(True)  # the alignment map beside the links (Ctrl+Alt+M hides it)
        self.qa.install()

        self.table.current_unit_changed.connect(self._current_unit_changed)
        self.table.activated.connect(lambda _index: self.edit_target())
        self.pane.escaped.connect(self.focus_table)
        self.doc_list.current_document_changed.connect(self.show_document)
        self.context.message_shown.connect(self.statusBar().showMessage)
        self.context.enabled_changed.connect(self._update_enabled)
        self.pairs.aligned.connect(self._pair_aligned)
        # Imports add to the memory: its word index may have gone stale.
        self.pairs.finished.connect(lambda result: result is not None and self.memory_index.request_soon())
        self.import_finished.connect(lambda ids: bool(ids) and self.memory_index.request_soon())
        self.center_tabs.currentChanged.connect(self._center_tab_changed)
        self.metrics.unit_clicked.connect(self.table.go_to_unit)
        self.jobs.ended.connect(self._update_enabled)
        self.figures = BackgroundFigures(self)
        self.figures.counts_ready.connect(self._counts_ready)
        self.figures.figures_ready.connect(self._figures_ready)
        self.figures.failed.connect(self.metrics.show_error)

        self._restore_settings()
        self.open_database(db_path)

    @property
    def session(self) -> ReviewSession | None:
        """The open database (None: none is)."""
        return self.context.session

    @property
    def packages_dir(self) -> str | Path | None:
        return self.context.packages_dir

    @packages_dir.setter
    def packages_dir(self, packages_dir: str | Path | None) -> None:
        self.context.packages_dir = packages_dir

    def _action_slots(self) -> dict[str, Callable]:
        """What each action of actions.SPECS does, by name."""
        review, alignment = self.controller, self.alignment
        return {
            "import_files": self.import_files,
            "import_pair": self.pairs.import_pair,
            "import_translation": self.import_translation,
            "export": self.show_export,
            "deliver": self.deliver_document,
            "open_database": self.choose_database,
            "quit": self.close,
            "undo": review.undo,
            "redo": review.redo,
            "find": self.show_find,
            "approve_next": self.qa.approve_and_next,  # asks first when the unit has a QA error
            "use_mt": review.use_mt,
            "edit_target": self.edit_target,
            "split": review.split_at_cursor,
            "merge": review.merge_with_next,
            "exclude": review.toggle_excluded,
            "insert_term": self.qa.insert_term,
            "add_term": self.qa.add_term,
            "insert_next_tag": review.insert_next_tag,
            "insert_all_tags": review.insert_all_tags,
            "check_document": self.qa.check_document,
            "hide_skipped": self.set_hide_skipped,
            "preview": self.show_preview,
            "dark_palette": self.set_dark_palette,
            "alignment_view": self.show_alignment,
            "reset_columns": self.reset_columns,
            "next_unit": review.next_unit,
            "previous_unit": review.previous_unit,
            "next_untranslated": review.next_untranslated,
            "next_unapproved": review.next_unapproved,
            "focus_table": self.focus_table,
            **alignment.action_slots(),
            "translate_document": self.translate_document,
            "translate_all": self.translate_all,
            "cluster": self.choose_cluster,
            "cancel_job": self.cancel_job,
            "models": self.show_models,
            "pretranslate": self.memory.pretranslate,
            "fill_repetitions": self.memory.set_repetitions,
            "match_analysis": self.memory.show_stats,
            "concordance": self.memory.show_concordance,
            "replace_with_match": self.matches.replace_with_best,
            **{f"insert_match_{n}": getattr(self.matches, f"insert_{n}") for n in range(1, 6)},
            "shortcuts": self.show_shortcuts,
            "about": self.show_about,
        }

    # -- layout and settings ------------------------------------------------------
    def _build_layout(self) -> None:
        self.left_splitter = QSplitter(Qt.Orientation.Vertical)
        self.left_splitter.setObjectName("leftSplitter")
        documents = QWidget()
        layout = QVBoxLayout(documents)
        layout.setContentsMargins(4, 4, 0, 0)
        caption = QLabel("<b>Documents</b>")
        layout.addWidget(caption)
        layout.addWidget(self.doc_list)
        self.left_splitter.addWidget(documents)
        self.left_splitter.addWidget(self.metrics)
        self.left_splitter.setSizes([360, 340])
        self.center_splitter = QSplitter(Qt.Orientation.Vertical)
        self.center_splitter.setObjectName("centerSplitter")
        # The units as rows, or the article and its translation as text: the
        # editor below serves both.
        self.units_tabs = QTabWidget()
        self.units_tabs.setObjectName("unitsTabs")
        self.units_tabs.setDocumentMode(True)
        self.units_tabs.addTab(self.table, "Units")
        self.units_tabs.addTab(self.preview_pane, "Preview")
        self.units_tabs.setTabToolTip(1, "The article and its translation as flowing text (Ctrl+Alt+P)")
        self.units_tabs.currentChanged.connect(self._units_tab_changed)
        self.center_splitter.addWidget(self.units_tabs)
        self.editor_splitter = QSplitter(Qt.Orientation.Horizontal)  # the editor, its Matches pane beside it
        self.editor_splitter.setObjectName("editorMatchesSplitter")
        self.editor_splitter.addWidget(self.pane)
        self.editor_splitter.addWidget(self.matches_pane)
        self.editor_splitter.setSizes([760, 370])
        self.center_splitter.addWidget(self.editor_splitter)
        self.center_splitter.setSizes([460, 260])
        self.main_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.main_splitter.setObjectName("mainSplitter")
        self.main_splitter.addWidget(self.left_splitter)
        # Post-editing and alignment of the same document: two tabs, one undo stack.
        self.center_tabs = QTabWidget()
        self.center_tabs.setObjectName("centerTabs")
        self.center_tabs.setDocumentMode(True)
        self.center_tabs.addTab(self.center_splitter, "Post-editing")
        self.center_tabs.addTab(self.alignment_view, "Alignment")
        self.main_splitter.addWidget(self.center_tabs)
        self.main_splitter.setStretchFactor(1, 1)
        self.main_splitter.setSizes([270, 1130])
        self.setCentralWidget(self.main_splitter)
        self.resize(1400, 850)

    def _splitters(self) -> dict[str, QSplitter]:
        return {"main": self.main_splitter, "left": self.left_splitter, "center": self.center_splitter,
                "editor": self.pane.splitter, "alignment": self.alignment_view.splitter,
                "preview": self.preview_pane.splitter,
                "alignment_map": self.alignment_view.map_splitter}

    def _restore_settings(self) -> None:
        s = self.settings
        geometry = s.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        for name, splitter in self._splitters().items():
            state = s.value(f"window/splitter_{name}")
            if isinstance(state, QByteArray) and splitter.restoreState(state) and name == "preview":
                self.preview_pane.keep_sides()  # the reader's widths, not halves
        header = s.value("table/header")
        # Without saved widths the text columns share the table's width once it has one.
        self._fit_columns_on_show = not (isinstance(header, QByteArray)
                                         and self.table.horizontalHeader().restoreState(header))
        self.actions["hide_skipped"].setChecked(read_bool(s, "view/hide_skipped"))
        self.actions["dark_palette"].setChecked(read_bool(s, "view/dark_palette"))

    def save_settings(self) -> None:
        s = self.settings
        s.setValue("window/geometry", self.saveGeometry())
        for name, splitter in self._splitters().items():
            s.setValue(f"window/splitter_{name}", splitter.saveState())
        s.setValue("table/header", self.table.horizontalHeader().saveState())
        s.setValue("view/hide_skipped", self.actions["hide_skipped"].isChecked())
        s.setValue("view/dark_palette", self.actions["dark_palette"].isChecked())
        if self.session is not None:
            s.setValue("database/last", str(self.session.db_path))
            doc = self.doc_list.current_document_id()
            if doc is not None:
                s.setValue("database/last_document", doc)
        s.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.controller.flush()
        self.jobs.cancel()
        self.jobs.wait()
        self.save_settings()
        self._set_session(None)
        self.figures.stop()
        super().closeEvent(event)

    # -- database ---------------------------------------------------------------------
    def open_database(self, db_path: str | Path | None) -> bool:
        """Open (or create) a database; a bad one is reported, never fatal."""
        if db_path is None:
            # WORKBENCH_DB (as the CLI uses it) wins, then the last database opened.
            last = self.settings.value("database/last")
            db_path = (default_db_path() if os.environ.get("WORKBENCH_DB") or not (isinstance(last, str) and last)
                       else last)
        self.controller.flush()
        if self.jobs.busy:
            self.jobs.cancel()
            self.jobs.wait()
        try:
            session = ReviewSession(db_path, self)
        except WorkbenchError as exc:
            dialogs.show_error(self, "Cannot open the database", str(exc))
            self._set_session(None)
            self.statusBar().showMessage("No database open: File → Open database…")
            return False
        self._set_session(session)
        return True

    def _set_session(self, session: ReviewSession | None) -> None:
        old = self.session
        # Order matters: the table model refreshes its rows before the
        # controllers (which hear of the session from the context) look at them.
        self.figures.set_database(session.db_path if session is not None else None)
        self.unit_model.set_session(session)
        self.context.set_session(session)
        self.doc_model.set_session(session)
        if old is not None:
            old.close()
            old.deleteLater()
        if session is not None:
            session.units_changed.connect(self._document_changed)
            session.structure_changed.connect(self._document_changed)
            session.saved.connect(lambda when: self.saved_label.setText(f"saved {when}"))
            session.failed.connect(lambda message: self.statusBar().showMessage(message, 8000))
            read_only = " (read-only)" if session.store.read_only else ""
            self.setWindowTitle(f"Workbench — {Path(session.db_path).name}{read_only}")
            session.history_changed.connect(self._update_undo_actions)
            session.external_change.connect(self._document_changed)
            if self.doc_model.loading:  # a large database: its rows arrive from a worker
                self.show_document(None)
                self.doc_model.when_loaded(self._select_first_document)
            else:
                self._select_first_document()
            self.doc_model.when_loaded(self.memory_index.request_soon)  # after the list and first paint
        else:
            self.setWindowTitle("Workbench — no database")
            self.show_document(None)
        self._update_enabled()

    # -- documents --------------------------------------------------------------------
    def _select_first_document(self) -> None:
        """The document open last time, else the first (unless one was chosen meanwhile)."""
        if self.doc_list.current_document_id() is not None:
            return
        last = self.settings.value("database/last_document")
        wanted = int(last) if last is not None and str(last).isdigit() else None
        if wanted is None or self.doc_model.row_of(wanted) is None:
            wanted = self.doc_model.first_document_id()
        if wanted is not None:
            self.doc_list.select_document(wanted)
        else:
            self.show_document(None)

    def show_document(self, document_id: int | None) -> None:
        self.controller.flush()
        if self.session is not None:
            self.session.activate(document_id)
        self.unit_model.set_document(document_id, self.actions["hide_skipped"].isChecked())
        self.preview.show_document(document_id)
        pair = self.alignment_view.show_document(document_id)
        self.center_tabs.setTabEnabled(1, pair)
        if not pair:
            self.center_tabs.setCurrentIndex(0)
        if document_id is not None and self.unit_model.rowCount():
            self.table.go_to_row(0)
        self.table.scrollToTop()
        self._counts = None
        self.counts_label.setText("")
        self.metrics.clear()
        if pair:
            self.metrics.show_alignment(None)  # post-edit scores mean nothing for a human translation
        if document_id is not None:
            self.figures.changed(document_id, scores=not pair, now=True)
        self._update_enabled()
        if document_id is not None:
            self.document_opened.emit(document_id)

    def _document_changed(self, document_id: int, _unit_ids: list | None = None) -> None:
        self.figures.changed(document_id, scores=document_id == self.unit_model.document_id
                             and self.alignment_view.document_id != document_id)

    def _current_unit_changed(self, _unit) -> None:
        self.metrics.set_current(self.pane.unit.id if self.pane.unit else None)
        self.memory.unit_changed()

    def _update_enabled(self) -> None:
        has_db = self.session is not None
        has_doc = has_db and self.unit_model.document_id is not None
        aligning = has_doc and self.aligning()
        for name in ("approve_next", "use_mt", "edit_target", "split", "merge", "exclude", "find",
                     "insert_term", "add_term", "check_document", "insert_next_tag", "insert_all_tags",
                     "next_unit", "previous_unit", "next_untranslated", "next_unapproved", "concordance",
                     "replace_with_match", "match_analysis", *(f"insert_match_{n}" for n in range(1, 6))):
            self.actions[name].setEnabled(has_doc and not aligning)
        for name in ALIGNMENT_ACTIONS:  # the same keys as above: one set at a time
            self.actions[name].setEnabled(aligning)
        self.actions["alignment_view"].setEnabled(has_doc and self.alignment_view.document_id is not None)
        self.actions["preview"].setEnabled(has_doc and not aligning)
        self.actions["import_pair"].setEnabled(has_db and not self.jobs.busy)
        self.actions["import_translation"].setEnabled(has_doc and not self.jobs.busy)
        self.actions["export"].setEnabled(has_db and not self.jobs.busy)
        self.actions["deliver"].setEnabled(has_doc and not self.jobs.busy)
        self.actions["translate_document"].setEnabled(has_doc and not self.jobs.busy)
        self.actions["translate_all"].setEnabled(has_db and not self.jobs.busy)
        self.actions["pretranslate"].setEnabled(has_doc and not self.jobs.busy)
        self.memory.sync()
        self.actions["import_files"].setEnabled(has_db and not self.jobs.busy)
        self.actions["cancel_job"].setEnabled(self.jobs.busy)
        sync_shared_shortcuts(self.actions)
        self._update_undo_actions()

    def _update_undo_actions(self, *_args) -> None:
        session = self.session
        steps = (session.next_undo(), session.next_redo()) if session is not None else (None, None)
        for name, step in zip(("undo", "redo"), steps):
            can, text = step is not None, step.summary if step is not None else ""
            action = self.actions[name]
            action.setEnabled(bool(can))
            # The text stays short (it is on the toolbar); what it would undo goes in the tip.
            keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            tip = f"{name.capitalize()}: {text[:1].lower()}{text[1:]}" if can and text else name.capitalize()
            action.setToolTip(f"{tip} ({keys})")
            action.setStatusTip(tip)

    # -- counts and scores (computed in the background) ------------------------------
    def _counts_ready(self, counts: dict[int, DocumentCounts]) -> None:
        for doc, figures in counts.items():
            self.doc_model.set_progress(doc, figures.statuses[Status.APPROVED], figures.units,
                                        figures.links.confirmed if figures.links else None)
            if doc == self.unit_model.document_id:
                self._counts = figures
                self._show_counts()
                if figures.links is not None and doc == self.alignment_view.document_id:
                    self.metrics.show_alignment(figures.links)

    def _show_counts(self) -> None:
        """The status bar's counts in the words of the view shown: links in
        the alignment view, unit statuses in post-editing."""
        figures = self._counts
        if figures is None or figures.document_id != self.unit_model.document_id:
            self.counts_label.setText("")
        elif figures.links is not None and self.aligning():
            self.counts_label.setText(figures.links.status_line())
        else:
            by_status = figures.statuses
            self.counts_label.setText(
                f"{by_status[Status.APPROVED]:,}/{figures.units:,} approved · {by_status[Status.EDITED]:,} edited"
                f" · {by_status[Status.MACHINE]:,} MT · {by_status[Status.NEW]:,} empty")

    def _figures_ready(self, figures) -> None:
        if figures.document_id == self.unit_model.document_id and \
                figures.document_id != self.alignment_view.document_id:
            self.metrics.show_figures(figures)
            self.metrics.set_current(self.pane.unit.id if self.pane.unit else None)

    # -- actions ----------------------------------------------------------------------
    def edit_target(self) -> None:
        if self.pane.unit is not None:
            self.pane.focus_target()

    def focus_table(self) -> None:
        self.controller.flush()
        if self.aligning():
            self.alignment_view.table.setFocus(Qt.FocusReason.OtherFocusReason)
        elif self.units_tabs.currentWidget() is self.preview_pane:
            self.preview_pane.source.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_preview(self, show: bool) -> None:
        """Show the article and its translation as text (Ctrl+Alt+P), or the table again."""
        self.units_tabs.setCurrentWidget(self.preview_pane if show else self.table)
        self.focus_table()

    def _units_tab_changed(self, _index: int) -> None:
        showing = self.units_tabs.currentWidget() is self.preview_pane
        action = self.actions["preview"]
        action.blockSignals(True)
        action.setChecked(showing)
        action.blockSignals(False)
        self.preview.set_visible(showing)

    def set_hide_skipped(self, hide: bool) -> None:
        self.controller.flush()
        if self.unit_model.document_id is not None:
            self.unit_model.set_document(self.unit_model.document_id, hide)
        else:
            self.unit_model.hide_skipped = hide

    def set_dark_palette(self, dark: bool) -> None:
        palette.apply(dark)
        self.table.viewport().update()
        self.doc_list.viewport().update()
        self.metrics.update()

    def reset_columns(self) -> None:
        self.table.apply_default_widths()
        self.alignment_view.table.apply_default_widths()

    # -- alignment and export ----------------------------------------------------------
    def aligning(self) -> bool:
        """Whether the alignment view of a document pair is the one shown."""
        return self.center_tabs.currentWidget() is self.alignment_view and \
            self.alignment_view.document_id is not None

    def show_alignment(self, show: bool) -> None:
        if show and self.alignment_view.document_id is None:
            self.statusBar().showMessage("this document has no aligned translation: "
                                         "File → Import translation of this document…", 6000)
            show = False
        self.center_tabs.setCurrentIndex(1 if show else 0)
        self._center_tab_changed(self.center_tabs.currentIndex())

    def _pair_aligned(self, result) -> None:
        """A pair import or Import translation ended: show the pair's links."""
        self.doc_model.reload()
        if self.doc_list.current_document_id() == result.source_document_id:
            self.show_document(result.source_document_id)
        else:
            self.doc_list.select_document(result.source_document_id)
        self.show_alignment(True)

    def _center_tab_changed(self, index: int) -> None:
        self.controller.flush()
        action = self.actions["alignment_view"]
        action.blockSignals(True)
        action.setChecked(index == 1)
        action.blockSignals(False)
        self._update_enabled()
        self._show_counts()
        (self.alignment_view.table if index == 1 else self.table).setFocus(Qt.FocusReason.OtherFocusReason)

    def show_export(self) -> None:
        from workbench.gui.export_dialog import ExportDialog

        if self.session is None:
            dialogs.show_error(self, "Export", "No database is open: File → Open database…")
            return
        self.controller.flush()
        ExportDialog(self.session, self.doc_list.current_document_id(), self).exec()

    def choose_database(self) -> None:
        path = dialogs.choose_save_file(self, "Open or create a workbench database",
                                        "Workbench database (*.db *.sqlite);;All files (*)")
        if path:
            self.open_database(path)

    def show_find(self) -> None:
        from workbench.gui.review.find_dialog import FindDialog

        if self._find_dialog is None:
            self._find_dialog = FindDialog(self.controller, self)
        self._find_dialog.show_with(self.pane.target.textCursor().selectedText())

    def show_models(self) -> None:
        from workbench.gui.models_dialog import ModelsDialog

        ModelsDialog(self.packages_dir, self).exec()
        self._update_model_hint()

    def show_shortcuts(self) -> None:
        from workbench.gui.shortcuts import ShortcutsDialog

        ShortcutsDialog(shortcut_rows(self.actions), self).exec()

    def show_about(self) -> None:
        from importlib.metadata import PackageNotFoundError, version

        try:
            __version__ = version("workbench")
        except PackageNotFoundError:
            __version__ = "(development)"
        dialogs.show_info(self, "About the workbench",
                          f"Workbench {__version__}\nOffline post-editing of machine translation "
                          "into a reviewed parallel corpus.")

    def cancel_job(self) -> None:
        self.jobs.cancel()

    # -- import -----------------------------------------------------------------------
    def import_files(self) -> None:
        paths = dialogs.choose_open_files(self, "Import articles or corpora", import_file_filter())
        if paths:
            self.import_paths(paths)

    def import_translation(self) -> None:
        self.pairs.import_translation(self.doc_list.current_document_id())

    def import_paths(self, paths: list[str]) -> bool:
        if self.session is None:
            dialogs.show_error(self, "Cannot import", "No database is open: File → Open database…")
            return False
        if self.jobs.busy:
            dialogs.show_error(self, "Cannot import", "Another job is running; wait for it or cancel it.")
            return False
        as_document = False
        bilingual = [p for p in paths if Path(p).suffix.lower() in (".xlf", ".xliff")]
        if bilingual:
            # An XLIFF is either a job from another tool (review it, deliver it
            # back) or a corpus of aligned pairs: only the person knows.
            choice = dialogs.ask_choice(
                self, "Import XLIFF", f"How should {Path(bilingual[0]).name}"
                f"{f' and {len(bilingual) - 1} more XLIFF file(s)' if len(bilingual) > 1 else ''} be imported?",
                [("document", "Open for review (deliver back as XLIFF)"),
                 ("corpus", "Import as a corpus of aligned pairs")])
            if choice is None:
                return False
            as_document = choice == "document"
        self.controller.flush()
        worker = CallWorker("import", import_files, str(self.session.db_path), list(paths), as_document)
        started = self.jobs.start(worker, f"importing {len(paths)} file(s)",
                                  on_finished=self._imported, on_failed=self._import_failed)
        self._update_enabled()
        return started

    # -- deliver ------------------------------------------------------------------------
    def deliver_document(self) -> bool:
        """File → Deliver translated document…: the selected document's
        translation in its original format, written by a worker."""
        from workbench.core.documents.registry import is_bilingual

        doc_id = self.doc_list.current_document_id()
        if self.session is None or doc_id is None:
            return False
        if self.jobs.busy:
            dialogs.show_error(self, "Cannot deliver", "Another job is running; wait for it or cancel it.")
            return False
        store = self.session.store
        document = store.document(doc_id)
        if document.translation_of is not None:
            dialogs.show_error(self, "Cannot deliver", f"“{document.title}” is the translation of another "
                               "document: select the document it translates.")
            return False
        info = store.document_file_info(doc_id)
        format_name = info[0] if info else "text"
        suffix = Path(document.source_path or "").suffix or ".txt"
        fallback = "source"
        if not is_bilingual(format_name):
            fallback = dialogs.ask_choice(
                self, "Deliver translated document",
                "Units without an approved target: what goes into the document?",
                [("source", "Their source text"), ("mt", "Their machine translation")])
            if fallback is None:
                return False
        stem = Path(document.source_path or document.title).stem or f"document-{doc_id}"
        suggested = str(Path(document.source_path or ".").parent / f"{stem}.{document.target_language or 'out'}{suffix}")
        out = dialogs.choose_save_file(self, "Deliver translated document",
                                       f"{format_name.upper()} (*{suffix});;All files (*)", suggested)
        if not out:
            return False
        self.controller.flush()
        worker = CallWorker("deliver", deliver_job, str(self.session.db_path), doc_id, out, fallback)
        started = self.jobs.start(worker, f"delivering {Path(out).name}", on_finished=self._delivered,
                                  on_failed=lambda message: dialogs.show_error(self, "Delivery failed", message))
        self._update_enabled()
        return started

    def _delivered(self, line: str) -> None:
        self.statusBar().showMessage(line, 15000)
        self.delivered.emit(line)

    def _imported(self, ids: list) -> None:
        self.doc_model.reload()
        if ids:
            self.doc_list.select_document(ids[0])
        self.statusBar().showMessage(f"imported {len(ids)} document(s)", 6000)
        self.import_finished.emit(list(ids))

    def _import_failed(self, message: str) -> None:
        dialogs.show_error(self, "Import failed", message)
        self.import_finished.emit([])

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_paths(paths)

    # -- machine translation ------------------------------------------------------------
    def translate_document(self) -> bool:
        doc = self.unit_model.document_id
        return doc is not None and self._translate([doc], "translating the document")

    def translate_all(self) -> bool:
        address = cluster_address(self.settings)
        label = f"translating all documents on {address}" if address else "translating all documents"
        return self._translate(self.doc_model.document_ids(), label, cluster=address)

    def choose_cluster(self) -> None:
        """Translate → Run on a cluster…: the address "Translate all documents" uses."""
        ClusterDialog.edit(self, self.settings)

    def _translate(self, document_ids: list[int], label: str, *, cluster: str | None = None) -> bool:
        if self.session is None or not document_ids:
            return False
        if self.jobs.busy:
            self.statusBar().showMessage("a job is already running", 5000)
            return False
        self.controller.flush()
        worker = TranslateWorker(self.session.db_path, document_ids, packages_dir=self.packages_dir,
                                 batch_size=self.mt_batch_size, cluster=cluster)
        worker.signals.batch_finished.connect(self._batch_translated)
        worker.signals.cluster_connected.connect(self.cluster_label.show_cluster)
        started = self.jobs.start(worker, label, on_finished=self._translated,
                                  on_failed=self._translation_failed,
                                  on_cancelled=lambda _message, outcome: self._translated(outcome))
        self._update_enabled()
        return started

    def _batch_translated(self, document_id: int, unit_ids: list) -> None:
        if document_id == -1:  # a cluster batch: units of any document; the one shown re-reads its own
            document_id = self.unit_model.document_id
        if self.session is not None and document_id is not None:
            # The worker wrote through its own connection; show the rows.
            self.session.units_changed.emit(document_id, unit_ids)

    def _translated(self, outcome: TranslationOutcome) -> None:
        self.statusBar().showMessage(outcome.describe(), 12000)
        self.translation_finished.emit(outcome)

    def _translation_failed(self, message: str) -> None:
        dialogs.show_error(self, "Machine translation", message)
        self._update_model_hint()
        self.translation_finished.emit(TranslationOutcome(errors={-1: message}))

    def _update_model_hint(self) -> None:
        from workbench.core.mt.packages import list_installed

        if list_installed(self.packages_dir):
            self.pane.set_mt_placeholder("No machine translation yet: Translate → Translate document (Ctrl+T)")
        else:
            self.pane.set_mt_placeholder(
                "No translation model installed. Install one with Translate → Models… "
                "(an .argosmodel file) or: workbench models install FILE.argosmodel")

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not getattr(self, "_hint_done", False):
            self._hint_done = True
            QTimer.singleShot(0, self._update_model_hint)
        if self._fit_columns_on_show:
            self._fit_columns_on_show = False
            QTimer.singleShot(0, self.table.apply_default_widths)

    def resize_columns_to_width(self) -> None:
        """Share the table width between source, MT and target."""
        self.table.apply_default_widths()


def import_file_filter() -> str:
    """The import dialog's filter: every format the core imports (the core
    also recognises files by content, hence "All files")."""
    from workbench.core.documents.registry import document_suffixes
    from workbench.core.formats.registry import importable_suffixes

    suffixes = dict.fromkeys([*importable_suffixes(), *document_suffixes()])
    patterns = " ".join(f"*{suffix}" for suffix in suffixes)
    documents = " ".join(f"*{suffix}" for suffix in document_suffixes())
    return f"Articles, documents and corpora ({patterns});;Documents ({documents});;All files (*)"
