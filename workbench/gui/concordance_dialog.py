"""The concordance dialog (Ctrl+K): memory pairs holding words, searched as you type.

Each keystroke restarts a short timer; the search runs in the thread pool
(its own ``Store``), and a result for an older query is dropped.
"""
from __future__ import annotations

import html

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (QComboBox, QDialog, QHBoxLayout, QLabel, QLineEdit, QTextBrowser,
                               QVBoxLayout, QWidget)

from workbench.gui.jobs.tasks import run_concordance
from workbench.gui.jobs.workers import CallWorker



def marked(text: str, offsets) -> str:
    """HTML of ``text`` with the spans at ``offsets`` in bold on a yellow ground.

    Parameters:
        text: the text; offsets: (start, end) pairs, in order."""
    out, last = [], 0
    for start, end in offsets:
        out += [html.escape(text[last:start]),
                f'<b style="background:#fff3a0">{html.escape(text[start:end])}</b>']
        last = end
    return "".join(out) + html.escape(text[last:])


class ConcordanceDialog(QDialog):
    def __init__(self, db_path: str, languages: tuple[str, str], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Concordance")
        self.setObjectName("concordanceDialog")
        self.db_path = db_path
        self.languages = languages
        self.query = QLineEdit()
        self.query.setPlaceholderText("Words to find (Russian words in any inflection)")
        self.side = QComboBox()
        self.side.addItem(f"in the source ({languages[0]})", "source")
        self.side.addItem(f"in the target ({languages[1]})", "target")
        self.results = QTextBrowser()
        self.count = QLabel()
        row = QHBoxLayout()
        row.addWidget(self.query, 1)
        row.addWidget(self.side)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.count)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self._search)
        self.query.textChanged.connect(lambda _t: self._timer.start())
        self.side.currentIndexChanged.connect(lambda _i: self._timer.start())
        self._workers: list[CallWorker] = []
        self.resize(760, 480)

    def _search(self) -> None:
        text = self.query.text().strip()
        if not text:
            self.results.clear()
            self.count.setText("")
            return
        worker = CallWorker("concordance", run_concordance, self.db_path, text, *self.languages,
                            self.side.currentData(), pass_callbacks=False)
        worker.signals.finished.connect(self._found)
        worker.signals.failed.connect(self.count.setText)
        self._workers = [w for w in self._workers if not w.done.is_set()] + [worker]
        worker.start()

    def _found(self, result) -> None:
        query, hits = result
        if query != self.query.text().strip():
            return
        parts = []
        for hit in hits:
            source = marked(hit.source, hit.offsets) if hit.side == "source" else html.escape(hit.source)
            target = marked(hit.target, hit.offsets) if hit.side == "target" else html.escape(hit.target)
            parts.append(f'<p>{source}<br>→ {target}<br><span style="color:gray">{html.escape(hit.origin)}'
                         f'</span></p>')
        self.results.setHtml("".join(parts) or '<p style="color:gray">Not in the memory</p>')
        self.count.setText(f"{len(hits)} pairs")

    def wait(self, msecs: int = 10000) -> None:
        """Block until running searches returned (tests)."""
        for worker in list(self._workers):
            worker.done.wait(msecs / 1000)
