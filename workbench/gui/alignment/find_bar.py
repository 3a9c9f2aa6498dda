"""The bar above the link table: find in both sides (Ctrl+F; Enter next,
Shift+Enter previous, Esc back to the table) and the filter by link type and
confidence (Ctrl+Alt+F), with the counts of each."""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QToolButton,
    QWidget,
)

from workbench.core.store.link_queries import LOW_CONFIDENCE
from workbench.gui.alignment.model import SHAPES, LinkFilter

FIND_DELAY_MS = 150   # typing pauses this long before the links are searched

SHAPE_TIPS = {
    "1-1": "one source sentence, one target sentence",
    "1-0": "a source sentence left untranslated",
    "0-1": "a target sentence with no source (added by the translator)",
    "2-1": "two source sentences joined in one target sentence",
    "1-2": "one source sentence split in two target sentences",
    "other": "2-2, 3-1, 1-3 and larger links",
}


class _FindEdit(QLineEdit):
    next_requested = Signal()
    previous_requested = Signal()
    escaped = Signal()

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            (self.previous_requested if event.modifiers() & Qt.KeyboardModifier.ShiftModifier
             else self.next_requested).emit()
            return
        if event.key() == Qt.Key.Key_Escape:
            self.escaped.emit()
            return
        super().keyPressEvent(event)


class FindFilterBar(QWidget):
    find_changed = Signal(str)        # after typing pauses
    find_next = Signal()
    find_previous = Signal()
    escaped = Signal()                # Esc in the find field
    filter_changed = Signal(object)   # a LinkFilter

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("alignmentFindFilterBar")
        self.find = _FindEdit()
        self.find.setObjectName("alignmentFind")
        self.find.setPlaceholderText("Find in both sides (Ctrl+F)")
        self.find.setClearButtonEnabled(True)
        self.find.setToolTip("Find links whose source or target sentences contain this text (any case); "
                             "Enter: next, Shift+Enter: previous, Esc: back to the table")
        self.find.setMaximumWidth(260)
        self.previous_button = self._button("▲", "Previous link with the text (Shift+Enter)", self.find_previous.emit)
        self.next_button = self._button("▼", "Next link with the text (Enter)", self.find_next.emit)
        self.find_count = QLabel()
        self.find_count.setObjectName("alignmentFindCount")
        self.shape_buttons: dict[str, QToolButton] = {}
        for shape in SHAPES:
            button = QToolButton()
            button.setObjectName(f"shape_{shape}")
            button.setCheckable(True)
            button.setChecked(True)
            button.setToolTip(f"Show {shape} links: {SHAPE_TIPS[shape]}")
            button.toggled.connect(self._filter_edited)
            self.shape_buttons[shape] = button
        self.below = QCheckBox("confidence below")
        self.below.setObjectName("confidenceBelow")
        self.below.setToolTip("Show only links the aligner was less sure of than this")
        self.threshold = QDoubleSpinBox()
        self.threshold.setObjectName("confidenceThreshold")
        self.threshold.setRange(0.0, 1.0)
        self.threshold.setSingleStep(0.05)
        self.threshold.setDecimals(2)
        self.threshold.setValue(LOW_CONFIDENCE)
        self.below.toggled.connect(self._filter_edited)
        self.threshold.valueChanged.connect(lambda _v: self.below.isChecked() and self._filter_edited())
        self.show_all = self._button("Show all", "Clear the filter: every link", self.clear_filter)
        self.shown_count = QLabel()
        self.shown_count.setObjectName("alignmentShownCount")
        for label in (self.shown_count, self.find_count):  # counts change often: they must not move the layout
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.find_count.setMinimumWidth(self.find_count.fontMetrics().horizontalAdvance("999 of 9,999 links"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.find)
        layout.addWidget(self.previous_button)
        layout.addWidget(self.next_button)
        layout.addWidget(self.find_count)
        layout.addSpacing(12)
        layout.addWidget(QLabel("Show:"))
        for button in self.shape_buttons.values():
            layout.addWidget(button)
        layout.addWidget(self.below)
        layout.addWidget(self.threshold)
        layout.addWidget(self.show_all)
        layout.addWidget(self.shown_count, 1)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(FIND_DELAY_MS)
        self._timer.timeout.connect(lambda: self.find_changed.emit(self.find.text()))
        self.find.textChanged.connect(lambda _t: self._timer.start())
        self.find.next_requested.connect(self._next)
        self.find.previous_requested.connect(self._previous)
        self.find.escaped.connect(self.escaped.emit)
        self.set_counts({s: 0 for s in SHAPES}, 0, 0)

    @staticmethod
    def _button(text: str, tip: str, slot) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setToolTip(tip)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    # -- find -------------------------------------------------------------------------
    def focus_find(self) -> None:
        self.find.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.find.selectAll()

    def flush_find(self) -> None:
        """Search now for what is typed (Enter before the pause ended)."""
        if self._timer.isActive():
            self._timer.stop()
            self.find_changed.emit(self.find.text())

    def _next(self) -> None:
        self.flush_find()
        self.find_next.emit()

    def _previous(self) -> None:
        self.flush_find()
        self.find_previous.emit()

    def show_find_count(self, text: str) -> None:
        self.find_count.setText(text)

    # -- filter -----------------------------------------------------------------------
    def focus_filter(self) -> None:
        self.shape_buttons[SHAPES[0]].setFocus(Qt.FocusReason.ShortcutFocusReason)

    def link_filter(self) -> LinkFilter:
        shapes = frozenset(s for s, b in self.shape_buttons.items() if b.isChecked())
        return LinkFilter(shapes, round(self.threshold.value(), 4) if self.below.isChecked() else None)

    def set_filter(self, link_filter: LinkFilter) -> None:
        """Show ``link_filter`` in the controls (no ``filter_changed``)."""
        for shape, button in self.shape_buttons.items():
            button.blockSignals(True)
            button.setChecked(shape in link_filter.shapes)
            button.blockSignals(False)
        self.below.blockSignals(True)
        self.below.setChecked(link_filter.below is not None)
        self.below.blockSignals(False)
        if link_filter.below is not None:
            self.threshold.blockSignals(True)
            self.threshold.setValue(link_filter.below)
            self.threshold.blockSignals(False)

    def clear_filter(self) -> None:
        self.set_filter(LinkFilter())
        self._filter_edited()

    def _filter_edited(self, *_args) -> None:
        self.filter_changed.emit(self.link_filter())

    def set_counts(self, shapes: dict[str, int], shown: int, total: int) -> None:
        """The number of links of each type (on its button) and how many the table shows."""
        for shape, button in self.shape_buttons.items():
            button.setText(f"{shape} ({shapes.get(shape, 0):,})")
        self.shown_count.setText(f"showing all {total:,} links" if shown == total
                                 else f"showing {shown:,} of {total:,} links")
        self.show_all.setEnabled(shown != total or self.link_filter().active)
