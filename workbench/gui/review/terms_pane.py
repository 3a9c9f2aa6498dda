"""The Terms pane: glossary terms found in the current unit's source, with
their translations; the selected one can be inserted into the target."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

TERM_ROLE = Qt.ItemDataRole.UserRole


class TermsPane(QWidget):
    insert_requested = Signal(str)  # a translation to insert at the target cursor

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("termsPane")
        self.tree = QTreeWidget()
        self.tree.setObjectName("termsTree")
        self.tree.setHeaderLabels(["Source term", "Translation", "Note"])
        self.tree.setRootIsDecorated(False)
        self.tree.itemDoubleClicked.connect(lambda item, _col: self.insert_requested.emit(item.data(1, TERM_ROLE)))
        self.hint = QLabel("No glossary terms in this unit")
        self.hint.setObjectName("termsHint")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.hint)

    def show_hits(self, hits: list[tuple[str, str, list[tuple[str, str | None, bool]]]]) -> None:
        """Show term hits: ``(text in the source, glossary term, [(translation, note, forbidden)])``.

        Parameters:
            hits: the hits of the current unit, in source order."""
        self.tree.clear()
        for text, term, translations in hits:
            for translation, note, forbidden in translations:
                label = f"{translation} (forbidden)" if forbidden else translation
                item = QTreeWidgetItem([text if text == term else f"{text} ({term})", label, note or ""])
                item.setData(1, TERM_ROLE, translation)
                if forbidden:
                    item.setForeground(1, Qt.GlobalColor.red)
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsSelectable)
                self.tree.addTopLevelItem(item)
        for column in range(3):
            self.tree.resizeColumnToContents(column)
        first = next((self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())
                      if self.tree.topLevelItem(i).flags() & Qt.ItemFlag.ItemIsSelectable), None)
        if first is not None:
            self.tree.setCurrentItem(first)
        self.hint.setVisible(self.tree.topLevelItemCount() == 0)

    def selected_translation(self) -> str | None:
        """The translation of the selected (else the first) term, or None."""
        item = self.tree.currentItem()
        if item is None or not item.flags() & Qt.ItemFlag.ItemIsSelectable:
            return None
        return item.data(1, TERM_ROLE)
