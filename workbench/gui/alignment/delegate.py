"""Text of the alignment table: each sentence wrapped on lines of its own,
whole lines only, the last visible line elided with "…" when a link is taller
than its row may grow.  ``text_lines`` measures with the same layout the
painting uses, so a row sized from it shows its text exactly.

A sentence cell is edited in place (double-click, F2): one box per sentence
of the side, Enter saves (every changed sentence, one undo step), Esc
cancels, Tab and Shift+Tab (or Up/Down at a box's first/last line) move
between the sentences of a link."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPointF, QRect, Qt, Signal
from PySide6.QtGui import (
    QFont,
    QFontMetrics,
    QPainter,
    QPalette,
    QTextLayout,
    QTextOption,
)
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QFrame,
    QPlainTextEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from workbench.gui.alignment.model import LinkColumn

PADDING = 4  # pixels around the text in a cell


def _layout(text: str, font: QFont, width: float) -> QTextLayout:
    layout = QTextLayout(text, font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    layout.beginLayout()
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
    layout.endLayout()
    return layout


def text_lines(text: str, font: QFont, width: int) -> int:
    """Lines the text takes wrapped at ``width`` (each "\\n" starts a new line)."""
    width = max(width - 2 * PADDING, 20)
    metrics = QFontMetrics(font)
    # Short parts (titles, dates, short sentences) fit on a line: no layout needed.
    return sum(1 if metrics.horizontalAdvance(part) < width else max(_layout(part, font, width).lineCount(), 1)
               for part in text.split("\n"))


class SentenceEditor(QFrame):
    """The sentences of one side of a link, a wrapping box each."""

    committed = Signal()   # Enter
    cancelled = Signal()   # Esc

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("sentenceEditor")
        self.setFrameShape(QFrame.Shape.Box)
        self.setAutoFillBackground(True)
        self.boxes: list[QPlainTextEdit] = []
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(1, 1, 1, 1)
        self._layout.setSpacing(2)

    def set_sentences(self, sentences: list[str]) -> None:
        for box in self.boxes:
            box.deleteLater()
        self.boxes = []
        for n, text in enumerate(sentences):
            box = QPlainTextEdit(self)
            box.setObjectName(f"sentence{n + 1}")
            box.setTabChangesFocus(True)
            box.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
            box.setPlainText(text)
            box.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            box.setToolTip("Enter saves, Esc cancels" + (", Tab goes to the next sentence" if len(sentences) > 1
                                                          else ""))
            box.installEventFilter(self)
            self._layout.addWidget(box)
            self.boxes.append(box)
        if self.boxes:
            self.setFocusProxy(self.boxes[0])

    def sentences(self) -> list[str]:
        return [box.toPlainText() for box in self.boxes]

    def fit_height(self, width: int) -> int:
        """Each box as tall as its text at ``width`` (plus a line to type
        into); the editor's height."""
        total = 2
        for box in self.boxes:
            metrics = box.fontMetrics()
            lines = text_lines(box.toPlainText(), box.font(), width - 12) + 1
            height = metrics.lineSpacing() * lines + 2 * int(box.document().documentMargin()) + 6
            box.setFixedHeight(height)
            total += height + self._layout.spacing()
        return total

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and watched in self.boxes:
            key, modifiers = event.key(), event.modifiers()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not modifiers & (
                    Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
                self.committed.emit()   # a sentence is one line: Enter never breaks it
                return True
            if key == Qt.Key.Key_Escape:
                self.cancelled.emit()
                return True
            if key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and len(self.boxes) > 1:
                cursor = watched.textCursor()
                at_edge = cursor.atStart() if key == Qt.Key.Key_Up else cursor.atEnd()
                n = self.boxes.index(watched) + (-1 if key == Qt.Key.Key_Up else 1)
                if at_edge and 0 <= n < len(self.boxes):
                    self.boxes[n].setFocus(Qt.FocusReason.OtherFocusReason)
                    return True
        return super().eventFilter(watched, event)

    def focusNextPrevChild(self, forward: bool) -> bool:
        """Tab moves between the sentences; past the last one it saves."""
        focused = self.focusWidget()
        if focused in self.boxes:
            n = self.boxes.index(focused) + (1 if forward else -1)
            if 0 <= n < len(self.boxes):
                self.boxes[n].setFocus(Qt.FocusReason.TabFocusReason)
                return True
        self.committed.emit()
        return True


class LinkTextDelegate(QStyledItemDelegate):
    """Sentences of a side, wrapped; what does not fit ends in "…"."""

    # -- editing in place -------------------------------------------------------------
    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: QModelIndex) -> QWidget | None:
        if index.column() not in (LinkColumn.SOURCE, LinkColumn.TARGET):
            return None
        sentences = index.data(Qt.ItemDataRole.EditRole)
        if not sentences:
            return None  # an empty side has no sentence to correct
        editor = SentenceEditor(parent)
        editor.committed.connect(lambda: self._finish(editor, commit=True))
        editor.cancelled.connect(lambda: self._finish(editor, commit=False))
        return editor

    def _finish(self, editor: SentenceEditor, *, commit: bool) -> None:
        if commit:
            self.commitData.emit(editor)
        self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint if commit
                              else QAbstractItemDelegate.EndEditHint.RevertModelCache)

    def setEditorData(self, editor: QWidget, index: QModelIndex) -> None:
        if isinstance(editor, SentenceEditor) and not editor.boxes:
            editor.set_sentences(list(index.data(Qt.ItemDataRole.EditRole) or []))

    def setModelData(self, editor: QWidget, model, index: QModelIndex) -> None:
        if isinstance(editor, SentenceEditor):
            model.setData(index, editor.sentences(), Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(self, editor: QWidget, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        rect = QRect(option.rect)
        if isinstance(editor, SentenceEditor):
            # As tall as its sentences, even when the row is shorter (it
            # covers the rows below while it is open).
            rect.setHeight(max(rect.height(), editor.fit_height(rect.width())))
        editor.setGeometry(rect)

    def eventFilter(self, editor: QObject, event: QEvent) -> bool:
        # Enter, Esc and Tab belong to the editor's boxes (see SentenceEditor);
        # focus moving between its boxes must not close it.
        if isinstance(editor, SentenceEditor) and event.type() in (QEvent.Type.KeyPress, QEvent.Type.FocusOut):
            return False
        return super().eventFilter(editor, event)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        if index.column() not in (LinkColumn.SOURCE, LinkColumn.TARGET):
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text, opt.text = opt.text, ""
        style = opt.widget.style() if opt.widget else None
        if style is not None:  # background, selection, focus: as any cell
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        colour = opt.palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        foreground = index.data(Qt.ItemDataRole.ForegroundRole)
        if foreground is not None and not selected:
            colour = foreground
        painter.save()
        painter.setPen(colour)
        painter.setFont(opt.font)
        self._draw(painter, opt.rect.adjusted(PADDING, PADDING // 2, -PADDING, 0), text, opt.font)
        painter.restore()

    @staticmethod
    def _draw(painter: QPainter, rect: QRect, text: str, font: QFont) -> None:
        metrics = QFontMetrics(font)
        spacing = metrics.lineSpacing()
        room = max(rect.height() // spacing, 1)
        width = max(rect.width(), 20)
        y = rect.top()
        used = 0
        parts = text.split("\n")
        for n, part in enumerate(parts):
            layout = _layout(part, font, width)
            count = layout.lineCount()
            for k in range(count):
                line = layout.lineAt(k)
                more = k < count - 1 or n < len(parts) - 1
                if used == room - 1 and more:
                    rest = part[line.textStart():].replace("\n", " ")
                    elided = metrics.elidedText(rest + " …" if k == count - 1 else rest,
                                                Qt.TextElideMode.ElideRight, width)
                    painter.drawText(QPointF(rect.left(), y + metrics.ascent()), elided)
                    return
                line.draw(painter, QPointF(rect.left(), y - line.y()))
                y += spacing
                used += 1
