"""Text of the alignment table: each sentence wrapped on lines of its own,
whole lines only, the last visible line elided with "…" when a link is taller
than its row may grow.  ``text_lines`` measures with the same layout the
painting uses, so a row sized from it shows its text exactly."""
from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPointF, QRect, Qt
from PySide6.QtGui import (
    QFont,
    QFontMetrics,
    QPainter,
    QPalette,
    QTextLayout,
    QTextOption,
)
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

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


class LinkTextDelegate(QStyledItemDelegate):
    """Sentences of a side, wrapped; what does not fit ends in "…"."""

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
