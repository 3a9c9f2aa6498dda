"""Translate → Models: the installed Argos packages; install from a file or,
when online, from the Argos index; remove."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.core.errors import WorkbenchError
from workbench.gui import dialogs
from workbench.gui.jobs.tasks import install_model_file, install_model_from_index
from workbench.gui.jobs.workers import CallWorker

LANGUAGES = ("en", "ru", "de", "fr", "es", "uk", "uz", "kk")


class ModelsDialog(QDialog):
    installed = Signal(object)   # the ModelPackage
    install_failed = Signal(str)

    def __init__(self, packages_dir: str | Path | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Translation models")
        self.packages_dir = packages_dir
        self.worker: CallWorker | None = None
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["Pair", "Package", "Version", "Size"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.hide()
        self.install_file_button = QPushButton("Install from file…")
        self.install_file_button.setToolTip("Install a downloaded .argosmodel package")
        self.from_code = QComboBox()
        self.to_code = QComboBox()
        self.from_code.addItems(LANGUAGES)
        self.to_code.addItems(LANGUAGES)
        self.to_code.setCurrentText("ru")
        self.install_index_button = QPushButton("Download from the Argos index")
        self.install_index_button.setToolTip("Needs an internet connection; nothing is downloaded otherwise")
        self.remove_button = QPushButton("Remove")
        self.cancel_button = QPushButton("Cancel download")
        self.cancel_button.hide()
        close = QPushButton("Close")

        index_row = QHBoxLayout()
        index_row.addWidget(QLabel("Pair:"))
        index_row.addWidget(self.from_code)
        index_row.addWidget(QLabel("→"))
        index_row.addWidget(self.to_code)
        index_row.addWidget(self.install_index_button)
        index_row.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.install_file_button)
        buttons.addWidget(self.remove_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(index_row)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

        self.install_file_button.clicked.connect(self.choose_and_install)
        self.install_index_button.clicked.connect(
            lambda: self.install_from_index(self.from_code.currentText(), self.to_code.currentText()))
        self.remove_button.clicked.connect(self.remove_selected)
        self.cancel_button.clicked.connect(lambda: self.worker and self.worker.cancel())
        close.clicked.connect(self.accept)
        self.resize(620, 380)
        self.refresh()

    def refresh(self) -> list:
        from workbench.core.mt.packages import list_installed, packages_dir

        installed = list_installed(self.packages_dir)
        self.table.setRowCount(len(installed))
        for row, package in enumerate(installed):
            values = (package.pair, package.code, package.package_version, f"{package.size_bytes / 1e6:.1f} MB")
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(str(package.path))
                self.table.setItem(row, column, item)
        where = self.packages_dir or packages_dir()
        if not installed:
            self.message.setText(f"No model installed (looked in {where}). Install an .argosmodel file, "
                                 "or download one from the Argos index when online.")
        self.remove_button.setEnabled(bool(installed))
        return installed

    # -- install / remove ------------------------------------------------------------
    def choose_and_install(self) -> None:
        path = dialogs.choose_open_file(self, "Install a translation model",
                                        "Argos models (*.argosmodel);;All files (*)")
        if path:
            self.install_file(path)

    def install_file(self, path: str) -> CallWorker | None:
        return self._run(CallWorker("model install", install_model_file, path, self.packages_dir),
                         f"installing {Path(path).name}…")

    def install_from_index(self, from_code: str, to_code: str) -> CallWorker | None:
        return self._run(CallWorker("model download", install_model_from_index, from_code, to_code, self.packages_dir),
                         f"asking the Argos index for {from_code}→{to_code}…")

    def _run(self, worker: CallWorker, message: str) -> CallWorker | None:
        if self.worker is not None:
            return None
        self.worker = worker
        worker.signals.progressed.connect(lambda f, m: (self.progress.setValue(round(f * 1000)), self.message.setText(m)))
        worker.signals.finished.connect(self._installed)
        worker.signals.failed.connect(self._install_failed)
        worker.signals.cancelled.connect(lambda message, _partial: self._install_failed(message))
        self.message.setText(message)
        self.progress.setValue(0)
        self.progress.show()
        self.cancel_button.show()
        self._set_busy(True)
        worker.start()
        return worker

    def _set_busy(self, busy: bool) -> None:
        for button in (self.install_file_button, self.install_index_button, self.remove_button):
            button.setEnabled(not busy)

    def _done(self) -> None:
        self.worker = None
        self.progress.hide()
        self.cancel_button.hide()
        self._set_busy(False)

    def _installed(self, package) -> None:
        self._done()
        self.refresh()
        self.message.setText(f"Installed {package.code} {package.package_version} ({package.pair}).")
        self.installed.emit(package)

    def _install_failed(self, message: str) -> None:
        self._done()
        self.refresh()
        self.message.setText(message)  # offline: "cannot reach the Argos package index (offline?)"
        self.install_failed.emit(message)

    def remove_selected(self) -> None:
        from workbench.core.mt.packages import remove

        rows = sorted({i.row() for i in self.table.selectedIndexes()})
        if not rows:
            self.message.setText("Select a model to remove.")
            return
        code = self.table.item(rows[0], 1).text()
        if not dialogs.ask_yes_no(self, "Remove model", f"Remove the model {code}?"):
            return
        try:
            package = remove(code, self.packages_dir)
        except WorkbenchError as exc:
            self.message.setText(str(exc))
            return
        self.refresh()
        self.message.setText(f"Removed {package.code}.")

    def done(self, result: int) -> None:
        if self.worker is not None:
            self.worker.cancel()
            self.worker.done.wait(10)
        super().done(result)
