"""File → Export…: which units, which format, where; the count as the
options change, the export itself in the background with progress and Cancel."""
from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from workbench.core.interchange import ExportFilter, check_export_outputs, count_units
from workbench.core.errors import OutputExistsError, WorkbenchError
from workbench.core.formats.base import ExportOptions
from workbench.core.model import Status
from workbench.gui import dialogs
from workbench.gui.session import ReviewSession
from workbench.gui.jobs.tasks import export_job
from workbench.gui.jobs.workers import CallWorker


@dataclass(frozen=True)
class FormatChoice:
    name: str        # the core's format name
    label: str
    suffix: str      # "" for Moses: the path is a prefix
    tabular: bool    # CSV/TSV: BOM and formula options apply


FORMATS = (
    FormatChoice("tmx", "TMX 1.4b (.tmx)", ".tmx", False),
    FormatChoice("csv", "CSV (.csv)", ".csv", True),
    FormatChoice("tsv", "TSV (.tsv)", ".tsv", True),
    FormatChoice("moses", "Moses plain text (two files: PATH.src and PATH.tgt)", "", False),
    FormatChoice("xliff", "XLIFF 1.2 (.xlf)", ".xlf", False),
)

STATUS_CHOICES = (
    ("Approved units only", tuple(sorted(s.value for s in Status.REVIEWED))),
    ("Approved and edited units", tuple(sorted(s.value for s in Status.BY_PERSON))),
    ("Any status (units with a target)", ("any",)),
)

ALL_DIRECTIONS = "all"


def open_errors_job(db_path: str, document_ids: tuple[int, ...], *, progress, cancelled) -> frozenset[int]:
    """Ids of the units with open QA errors in these documents (all: empty), through
    a Store of its own (runs in a worker thread)."""
    from workbench.core.qa.run import units_with_open_errors
    from workbench.core.store.database import Store

    with Store(db_path, create=False) as store:
        return frozenset(units_with_open_errors(store, document_ids))


class ExportDialog(QDialog):
    exported = Signal(int)     # units written
    export_failed = Signal(str)

    def __init__(self, session: ReviewSession, current_document_id: int | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Export corpus")
        self.setObjectName("exportDialog")
        self.session = session
        self.current_document_id = current_document_id
        self.worker: CallWorker | None = None
        self.count: int | None = None
        # id -> (title, source language, target language), for every document
        self._documents = ExportFilter().documents(session.store)

        self.format = QComboBox()
        for choice in FORMATS:
            self.format.addItem(choice.label, choice.name)
        self.path = QLineEdit()
        self.path.setPlaceholderText("where to write the file")
        self.browse = QPushButton("Browse…")
        path_row = QHBoxLayout()
        path_row.setContentsMargins(0, 0, 0, 0)
        path_row.addWidget(self.path, 1)
        path_row.addWidget(self.browse)

        current_title = self._documents.get(current_document_id, ("",))[0] if current_document_id else ""
        self.current_only = QRadioButton(f"Current document: {current_title}" if current_title
                                         else "Current document")
        self.all_documents = QRadioButton("All documents")
        self._scope = QButtonGroup(self)
        self._scope.addButton(self.current_only)
        self._scope.addButton(self.all_documents)
        (self.current_only if current_title else self.all_documents).setChecked(True)
        self.current_only.setEnabled(bool(current_title))
        self.direction = QComboBox()
        self.direction.setToolTip("CSV, TSV and Moses files hold one language pair each")

        self.status = QComboBox()
        for label, statuses in STATUS_CHOICES:
            self.status.addItem(label, statuses)
        self.include_excluded = QCheckBox("Include excluded units and boilerplate")
        self.bom = QCheckBox("Start with a byte order mark (for Excel)")
        self.safe_formulas = QCheckBox("Neutralise cells a spreadsheet would run as formulas (= + - @)")
        self.safe_formulas.setChecked(True)
        self.qa_clean = QCheckBox("Leave out units with open QA errors")
        self.qa_clean.setToolTip("Units with an error finding of the quality checks that is not ignored"
                                 " (as 'workbench export --qa-clean')")
        # Units with open QA errors per document scope (the checks run in a worker:
        # on a large project they take seconds); None while not known.
        self._open_errors: dict[tuple[int, ...], frozenset[int]] = {}
        self.qa_worker: CallWorker | None = None
        self._qa_scope: tuple[int, ...] = ()

        self.count_label = QLabel()
        self.count_label.setObjectName("exportCount")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.hide()
        self.export_button = QPushButton("Export")
        self.export_button.setDefault(True)
        self.close_button = QPushButton("Close")

        form = QFormLayout()
        form.addRow("Format:", self.format)
        form.addRow("Output:", path_row)
        scope = QVBoxLayout()
        scope.setContentsMargins(0, 0, 0, 0)
        scope.addWidget(self.current_only)
        scope.addWidget(self.all_documents)
        form.addRow("Documents:", scope)
        form.addRow("Languages:", self.direction)
        form.addRow("Units:", self.status)
        form.addRow("", self.include_excluded)
        form.addRow("", self.qa_clean)
        form.addRow("CSV/TSV:", self.bom)
        form.addRow("", self.safe_formulas)
        buttons = QHBoxLayout()
        buttons.addWidget(self.count_label, 1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.progress)
        layout.addLayout(buttons)

        self._recount = QTimer(self)
        self._recount.setSingleShot(True)
        self._recount.setInterval(0)  # one count per burst of changes
        self._recount.timeout.connect(self.update_count)
        self.format.currentIndexChanged.connect(self._format_changed)
        self.browse.clicked.connect(self.choose_path)
        self.current_only.toggled.connect(self._scope_changed)
        self.path.textChanged.connect(self._update_buttons)
        for signal in (self.direction.currentIndexChanged, self.status.currentIndexChanged,
                       self.include_excluded.toggled, self.qa_clean.toggled):
            signal.connect(self._recount.start)
        self.export_button.clicked.connect(self.start_export)
        self.close_button.clicked.connect(self.reject)
        self._last_suffix = FORMATS[0].suffix
        self._fill_directions()
        self._format_changed()
        self.update_count()
        self.resize(620, 0)

    # -- choices ----------------------------------------------------------------------
    def format_choice(self) -> FormatChoice:
        return FORMATS[self.format.currentIndex()]

    def set_format(self, name: str) -> None:
        self.format.setCurrentIndex(next(n for n, f in enumerate(FORMATS) if f.name == name))

    def set_status(self, statuses: tuple[str, ...]) -> None:
        self.status.setCurrentIndex(next(n for n, (_l, s) in enumerate(STATUS_CHOICES) if s == statuses))

    def _fill_directions(self) -> None:
        """The language pairs present; the current document fixes its own."""
        self.direction.blockSignals(True)
        self.direction.clear()
        if self.current_only.isChecked() and self.current_document_id in self._documents:
            _title, src, tgt = self._documents[self.current_document_id]
            self.direction.addItem(f"{src} → {tgt}", (src, tgt))
        else:
            pairs: dict[tuple[str, str], int] = {}
            for _title, src, tgt in self._documents.values():
                pairs[(src, tgt)] = pairs.get((src, tgt), 0) + 1
            for (src, tgt), n in sorted(pairs.items(), key=lambda item: -item[1]):
                self.direction.addItem(f"{src} → {tgt} ({n} document{'s' if n != 1 else ''})", (src, tgt))
            if len(pairs) > 1:
                self.direction.addItem("All language pairs (TMX, XLIFF)", ALL_DIRECTIONS)
        self.direction.blockSignals(False)
        self.direction.setEnabled(self.direction.count() > 1)

    def export_filter(self) -> ExportFilter:
        pair = self.direction.currentData()
        src, tgt = pair if isinstance(pair, tuple) else (None, None)
        documents = (self.current_document_id,) if self.current_only.isChecked() and \
            self.current_document_id is not None else ()
        excluded = self._open_errors.get(documents, frozenset()) if self.qa_clean.isChecked() else frozenset()
        return ExportFilter(document_ids=documents, statuses=tuple(self.status.currentData()),
                            include_excluded=self.include_excluded.isChecked(),
                            source_lang=src, target_lang=tgt, exclude_unit_ids=excluded)

    def _scope_ids(self) -> tuple[int, ...]:
        return (self.current_document_id,) if self.current_only.isChecked() and \
            self.current_document_id is not None else ()

    def export_options(self) -> ExportOptions:
        flt = self.export_filter()
        tabular = self.format_choice().tabular
        return ExportOptions(source_lang=flt.source_lang, target_lang=flt.target_lang,
                             bom=tabular and self.bom.isChecked(),
                             safe_formulas=not tabular or self.safe_formulas.isChecked())

    def _format_changed(self, *_args) -> None:
        choice = self.format_choice()
        for box in (self.bom, self.safe_formulas):
            box.setEnabled(choice.tabular)
        text = self.path.text().strip()
        if text:
            path = Path(text)
            stem = path.with_suffix("") if self._last_suffix and path.suffix == self._last_suffix else path
            self.path.setText(str(stem) + choice.suffix)
        self._last_suffix = choice.suffix
        self.path.setToolTip("Moses writes PATH.<source language> and PATH.<target language>"
                             if choice.name == "moses" else "")
        self._update_buttons()

    def _scope_changed(self, *_args) -> None:
        self._fill_directions()
        self._recount.start()

    def choose_path(self) -> None:
        choice = self.format_choice()
        file_filter = (f"{choice.label} (*{choice.suffix});;All files (*)" if choice.suffix
                       else "All files (*)")
        path = dialogs.choose_save_file(self, "Export to", file_filter)
        if path:
            if choice.suffix and not Path(path).suffix:
                path += choice.suffix
            self.path.setText(path)

    # -- count ------------------------------------------------------------------------
    def update_count(self) -> None:
        if self.qa_clean.isChecked() and self._scope_ids() not in self._open_errors:
            self.count = None
            self.count_label.setText("running the quality checks…")
            self._check_qa()
            self._update_buttons()
            return
        try:
            self.count = count_units(self.session.store, self.export_filter())
        except WorkbenchError as exc:
            self.count = None
            self.count_label.setText(str(exc))
        else:
            self.count_label.setText(f"{self.count:,} unit{'s' if self.count != 1 else ''} will be exported")
        self._update_buttons()

    def _check_qa(self) -> None:
        """Find the units with open QA errors of the current scope in a worker; recount when done."""
        if self.qa_worker is not None:
            return
        scope = self._scope_ids()
        worker = CallWorker("qa", open_errors_job, str(self.session.db_path), scope)
        # bound methods (not lambdas): the signals arrive queued, on the GUI thread
        worker.signals.finished.connect(self._qa_checked)
        worker.signals.failed.connect(self._qa_failed)
        worker.signals.cancelled.connect(self._qa_cancelled)
        self.qa_worker = worker
        self._qa_scope = scope
        worker.start()

    def _qa_checked(self, unit_ids: frozenset[int]) -> None:
        self.qa_worker = None
        self._open_errors[self._qa_scope] = unit_ids
        self._recount.start()

    def _qa_cancelled(self, message: str, _partial: object) -> None:
        self._qa_failed(message)

    def _qa_failed(self, message: str) -> None:
        self.qa_worker = None
        self.qa_clean.setChecked(False)
        self.message.setText(f"Could not run the quality checks: {message}")

    def _update_buttons(self, *_args) -> None:
        running = self.worker is not None
        self.export_button.setEnabled(not running and self.qa_worker is None and bool(self.path.text().strip())
                                      and bool(self.count))
        for widget in (self.format, self.path, self.browse, self.current_only, self.all_documents,
                       self.status, self.include_excluded, self.qa_clean):
            widget.setEnabled(not running and (widget is not self.current_only or self.current_document_id
                                               in self._documents))
        self.direction.setEnabled(not running and self.direction.count() > 1)
        self.close_button.setText("Cancel" if running else "Close")

    # -- export -----------------------------------------------------------------------
    def start_export(self) -> bool:
        if self.worker is not None:
            return False
        out = self.path.text().strip()
        if not out:
            dialogs.show_error(self, "Export", "Choose where to write the file first.")
            return False
        force = self._may_write(out)
        if force is None:
            return False
        self.message.setText("")
        worker = CallWorker("export", partial(export_job, force=force), str(self.session.db_path),
                            self.format_choice().name, out, self.export_filter(), self.export_options())
        worker.signals.progressed.connect(self._progressed)
        worker.signals.finished.connect(self._finished)
        worker.signals.failed.connect(self._failed)
        worker.signals.cancelled.connect(self._cancelled)
        self.worker = worker
        self.progress.setValue(0)
        self.progress.show()
        self._update_buttons()
        worker.start()
        return True

    def _may_write(self, out: str) -> bool | None:
        """Check the output before anything runs: never the database or the
        workbench's own files; ask before replacing a file of another kind.
        None: do not export; else whether to force the overwrite."""
        try:
            check_export_outputs(self.session.store, self.format_choice().name, Path(out),
                                 self.export_filter(), self.export_options())
        except OutputExistsError as exc:
            name = Path(str(exc.path)).name
            return True if dialogs.ask_yes_no(
                self, "Replace the file?",
                f"{name} already exists and is not a {exc.wanted}: it looks like {exc.looks_like}.\n\n"
                f"Replace it with the export?") else None
        except WorkbenchError as exc:
            dialogs.show_error(self, "Export", str(exc))
            return None
        return False

    def _progressed(self, fraction: float, message: str) -> None:
        self.progress.setValue(round(fraction * 1000))
        self.message.setText(message)

    def _finished(self, written: int) -> None:
        out = self.path.text().strip()
        self._end()
        where = out if self.format_choice().name != "moses" else f"{out}.* (two files)"
        self.message.setText(f"Wrote {written:,} units to {where}")
        dialogs.show_info(self, "Export finished", f"Wrote {written:,} units to {where}.")
        self.exported.emit(written)

    def _failed(self, message: str) -> None:
        self._end()
        self.message.setText(message)
        dialogs.show_error(self, "Export failed", message)
        self.export_failed.emit(message)

    def _cancelled(self, message: str, _partial: object) -> None:
        self._end()
        self.message.setText(f"{message}; no file was written")
        self.export_failed.emit(message)

    def _end(self) -> None:
        self.worker = None
        self.progress.hide()
        self._update_buttons()

    def cancel_export(self) -> None:
        if self.worker is not None:
            self.worker.cancel()
            self.message.setText("cancelling…")

    def reject(self) -> None:
        """Close; while an export runs, the button (and Esc) cancel it instead."""
        if self.worker is not None:
            self.cancel_export()
            return
        super().reject()

    def done(self, result: int) -> None:
        if self.qa_worker is not None:
            self.qa_worker.cancel()
            self.qa_worker.done.wait(30)
            self.qa_worker = None
        if self.worker is not None:  # closed from the window manager mid-export
            self.worker.cancel()
            self.worker.done.wait(30)
            self.worker = None
        super().done(result)

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Escape and self.worker is not None:
            self.cancel_export()
            return
        super().keyPressEvent(event)
