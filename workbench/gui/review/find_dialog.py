"""Find in sources or targets (plain text or regular expression); replace in targets."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.core.store.review_queries import SearchQuery

if TYPE_CHECKING:
    from workbench.gui.review.controller import ReviewController


class FindDialog(QDialog):
    """Non-modal: the reviewer keeps editing while it is open."""

    def __init__(self, controller: ReviewController, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Find and replace")
        self.setModal(False)
        self.controller = controller
        self.pattern = QLineEdit()
        self.pattern.setPlaceholderText("text or regular expression")
        self.replacement = QLineEdit()
        self.replacement.setPlaceholderText("replacement (\\1 for groups with regular expressions)")
        self.in_source = QCheckBox("Source")
        self.in_source.setChecked(True)
        self.in_target = QCheckBox("Target")
        self.in_target.setChecked(True)
        self.regex = QCheckBox("Regular expression")
        self.case = QCheckBox("Match case")
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.find_next = QPushButton("Find &next")
        self.find_next.setDefault(True)
        self.find_previous = QPushButton("Find &previous")
        self.replace_one = QPushButton("&Replace")
        self.replace_all = QPushButton("Replace &all")
        self.replace_all.setToolTip("Replace in every target of the document (one undo step)")
        close = QPushButton("Close")

        form = QFormLayout()
        form.addRow("Find:", self.pattern)
        form.addRow("Replace with:", self.replacement)
        options = QHBoxLayout()
        for box in (self.in_source, self.in_target, self.regex, self.case):
            options.addWidget(box)
        options.addStretch(1)
        buttons = QHBoxLayout()
        for button in (self.find_previous, self.find_next, self.replace_one, self.replace_all):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(options)
        layout.addWidget(self.result)
        layout.addLayout(buttons)

        self.find_next.clicked.connect(lambda: self.run_find(False))
        self.find_previous.clicked.connect(lambda: self.run_find(True))
        self.replace_one.clicked.connect(self.run_replace)
        self.replace_all.clicked.connect(self.run_replace_all)
        close.clicked.connect(self.hide)
        self.resize(560, 180)

    def show_with(self, text: str = "") -> None:
        if text and "\u2029" not in text:
            self.pattern.setText(text)
        self.show()
        self.raise_()
        self.activateWindow()
        self.pattern.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.pattern.selectAll()

    def query(self) -> SearchQuery | None:
        query = SearchQuery(self.pattern.text(), self.in_source.isChecked(), self.in_target.isChecked(),
                            self.regex.isChecked(), self.case.isChecked())
        if not query.pattern:
            self.result.setText("Type something to find.")
            return None
        if not (query.in_source or query.in_target):
            self.result.setText("Search the source, the target or both.")
            return None
        try:
            query.compiled()
        except re.error as exc:
            self.result.setText(f"Not a valid regular expression: {exc}")
            return None
        return query

    def run_find(self, backwards: bool = False) -> int:
        query = self.query()
        if query is None:
            return 0
        found = self.controller.find(query, backwards)
        self.result.setText(f"{found} matching unit(s)" if found else "Not found.")
        return found

    def run_replace(self) -> None:
        query = self.query()
        if query is None:
            return
        replaced = self.controller.replace_current(query, self.replacement.text())
        self.result.setText("Replaced in this target." if replaced else "No match in this target.")
        self.controller.find(query)

    def run_replace_all(self) -> int:
        query = self.query()
        if query is None:
            return 0
        count = self.controller.replace_all(query, self.replacement.text())
        self.result.setText(f"Replaced in {count} target(s) (one undo step)." if count else
                            "No target matches.")
        return count
