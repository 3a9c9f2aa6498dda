"""The match-analysis dialog: segments, words and characters per band, computed in the background."""
from __future__ import annotations

from PySide6.QtWidgets import QDialog, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from workbench.gui.jobs.tasks import run_analysis
from workbench.gui.jobs.workers import CallWorker



class StatsDialog(QDialog):
    def __init__(self, db_path: str, document_ids: list[int], title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"Match analysis — {title}")
        self.setObjectName("statsDialog")
        self.note = QLabel("Analysing…")
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["Match", "Segments", "Words", "Characters"])
        self.table.verticalHeader().hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.table)
        self.worker = CallWorker("match analysis", run_analysis, db_path, document_ids)
        self.worker.signals.progressed.connect(lambda f, m: self.note.setText(m))
        self.worker.signals.finished.connect(self.show_rows)
        self.worker.signals.failed.connect(self.note.setText)
        self.worker.start()
        self.resize(460, 360)

    def show_rows(self, rows: list[dict]) -> None:
        """Fill the table (and a total row)."""
        names = {"repetition": "Repetitions", "101": "101% (context)", "100": "100%", "no match": "No match"}
        total = {k: sum(r[k] for r in rows) for k in ("segments", "words", "characters")}
        rows = rows + [{"band": "Total", **total}]
        self.table.setRowCount(len(rows))
        for n, row in enumerate(rows):
            band = names.get(row["band"], row["band"] + ("%" if row["band"][0].isdigit() else ""))
            self.table.setItem(n, 0, QTableWidgetItem(band))
            for col, key in enumerate(("segments", "words", "characters"), 1):
                self.table.setItem(n, col, QTableWidgetItem(f"{row[key]:,}"))
        self.table.resizeColumnsToContents()
        self.note.setText("Words: runs of letters and digits (hyphens, apostrophes and decimal marks inside"
                          " join them); characters: all but whitespace.")
        self.note.setWordWrap(True)

    def done(self, result: int) -> None:  # noqa: D401 - Qt's name
        self.worker.cancel()
        super().done(result)
