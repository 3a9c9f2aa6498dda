"""The document list: title, language pair and review progress per article."""
from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from workbench.core.model import Document, Status
from workbench.core.store import review_queries as queries
from workbench.core.store.link_queries import confirmed_links, pair_document_ids
from workbench.gui.session import ReviewSession
from workbench.gui.review.unit_table import STATUS_HUES, mix

DOCUMENT_ROLE = Qt.ItemDataRole.UserRole + 1

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()  # the invisible root: rows of a flat model hang here


@dataclass(frozen=True)
class DocumentRow:
    document: Document
    approved: int
    total: int
    translation: str | None = None  # title of its aligned human translation, if any
    confirmed: int | None = None    # of a pair: links a person confirmed (the total are links)

    @property
    def links_line(self) -> str | None:
        """A pair's two counts side by side, each saying what it counts."""
        if self.translation is None or self.confirmed is None:
            return None
        line = (f"{self.confirmed:,}/{self.total:,} links confirmed, "
                f"{self.approved:,}/{self.total:,} units approved")
        if self.confirmed > self.approved:
            line += " (a confirmed link is approved only when it has a target: 1:0 links are not)"
        return line

    @property
    def subtitle(self) -> str:
        doc = self.document
        pair = f"{doc.language} ⇄ {doc.target_language or '?'} aligned" if self.translation else \
            f"{doc.language} → {doc.target_language or '?'}"
        date = f" · {doc.date[:10]}" if doc.date else ""
        return f"{pair} · {self.approved:,}/{self.total:,} approved{date}"


class DocumentListModel(QAbstractListModel):
    def __init__(self, session: ReviewSession | None = None, parent=None):
        super().__init__(parent)
        self._session = session
        self._rows: list[DocumentRow] = []
        self.reload()

    def set_session(self, session: ReviewSession | None) -> None:
        self._session = session
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self._rows = self._read()
        self.endResetModel()

    def _read(self) -> list[DocumentRow]:
        if self._session is None:
            return []
        store = self._session.store
        progress = queries.document_progress(store)
        documents = store.documents()
        titles = {doc.id: doc.title for doc in documents}
        translations = {src: titles.get(tgt) for src, tgt in pair_document_ids(store).items()}
        confirmed = confirmed_links(store, translations)
        # A human translation (imported with its source, or aligned to it) has
        # no units of its own: its text shows as the targets of the source
        # document, and its row says so.
        return [DocumentRow(doc, *progress.get(doc.id, (0, 0)), translation=translations.get(doc.id),
                            confirmed=confirmed.get(doc.id))
                for doc in documents if doc.translation_of is None]

    def set_progress(self, document_id: int, approved: int, total: int, confirmed: int | None = None) -> None:
        """New counts of a document (``confirmed``: its confirmed links, for a pair)."""
        row = self.row_of(document_id)
        if row is None:
            return
        old = self._rows[row]
        confirmed = old.confirmed if confirmed is None else confirmed
        if (old.approved, old.total, old.confirmed) != (approved, total, confirmed):
            self._rows[row] = replace(old, approved=approved, total=total, confirmed=confirmed)
            self.dataChanged.emit(self.index(row), self.index(row))

    def row_of(self, document_id: int) -> int | None:
        return next((n for n, r in enumerate(self._rows) if r.document.id == document_id), None)

    def document_ids(self) -> list[int]:
        return [r.document.id for r in self._rows]

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row.document.title
        if role == Qt.ItemDataRole.ToolTipRole:
            doc = row.document
            paired = f"aligned with its translation “{row.translation}”" if row.translation else None
            return "\n".join(filter(None, [doc.title, row.subtitle, paired, row.links_line, doc.source_path,
                                           f"imported {doc.imported_at}"]))
        if role == DOCUMENT_ROLE:
            return row
        return None


class DocumentDelegate(QStyledItemDelegate):
    """Title, a line of detail and a thin progress bar of approved units."""

    BAR = 4

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        metrics = QFontMetrics(option.font)
        return QSize(200, metrics.lineSpacing() * 2 + self.BAR + 14)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        row: DocumentRow | None = index.data(DOCUMENT_ROLE)
        if row is None:
            return
        painter.save()
        style = option.widget.style() if option.widget else None
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        if style:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, option.widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette: QPalette = option.palette
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        rect = option.rect.adjusted(8, 5, -8, -5)
        title_font = QFont(option.font)
        title_font.setBold(True)
        line = QFontMetrics(option.font).lineSpacing()
        painter.setFont(title_font)
        painter.setPen(palette.color(text_role))
        title = QFontMetrics(title_font).elidedText(row.document.title, Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(QRect(rect.left(), rect.top(), rect.width(), line), Qt.AlignmentFlag.AlignLeft, title)
        painter.setFont(option.font)
        detail_colour = palette.color(text_role) if selected else palette.color(
            QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        painter.setPen(detail_colour)
        painter.drawText(QRect(rect.left(), rect.top() + line, rect.width(), line), Qt.AlignmentFlag.AlignLeft,
                         QFontMetrics(option.font).elidedText(row.subtitle, Qt.TextElideMode.ElideRight, rect.width()))
        bar = QRect(rect.left(), rect.bottom() - self.BAR + 1, rect.width(), self.BAR)
        base = palette.color(QPalette.ColorRole.Base)
        painter.fillRect(bar, mix(base, palette.color(QPalette.ColorRole.Text), 0.15))
        if row.total:
            done = QRect(bar.left(), bar.top(), round(bar.width() * row.approved / row.total), bar.height())
            painter.fillRect(done, mix(base, STATUS_HUES[Status.APPROVED], 0.85))
        painter.restore()


class DocumentList(QListView):
    current_document_changed = Signal(object)  # document id or None

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setItemDelegate(DocumentDelegate(self))
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setUniformItemSizes(True)

    def setModel(self, model) -> None:
        super().setModel(model)
        self.selectionModel().currentRowChanged.connect(self._current_changed)

    def document_model(self) -> DocumentListModel:
        return self.model()  # type: ignore[return-value]

    def current_document_id(self) -> int | None:
        index = self.currentIndex()
        row = index.data(DOCUMENT_ROLE) if index.isValid() else None
        return row.document.id if row else None

    def select_document(self, document_id: int) -> bool:
        row = self.document_model().row_of(document_id)
        if row is None:
            return False
        self.setCurrentIndex(self.document_model().index(row))
        return True

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = current.data(DOCUMENT_ROLE) if current.isValid() else None
        self.current_document_changed.emit(row.document.id if row else None)
