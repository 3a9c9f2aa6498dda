"""The segment table: one row per translation unit, fetched lazily.

The model keeps only the document's ordered unit ids (cheap even for 100,000
units) and fetches rows by id in pages of ``PAGE_SIZE`` into a small LRU
cache.  Rows have one fixed height (a few wrapped lines, the rest elided):
nothing ever measures all rows, and the editor pane shows the full text.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    Qt,
    Signal,
)
from PySide6.QtGui import QAbstractTextDocumentLayout, QColor, QFont, QPainter, QPalette, QPen, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QPlainTextEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from workbench.core.model import SegmentKind, Status, Unit
from workbench.core.store import review_queries as queries
from workbench.core.text.inline_tags import has_tags
from workbench.gui.review.spelling_highlighter import tag_highlighter
from workbench.gui.review.tag_editing import guard_tags, tag_html
from workbench.gui.paging import PAGE_SIZE, PageCache  # noqa: F401  (PAGE_SIZE re-exported for tests)
from workbench.gui.session import ReviewSession, follow_session

ROW_LINES = 3  # wrapped lines a row shows before eliding

UNIT_ROLE = Qt.ItemDataRole.UserRole + 1             # the Unit of the row
PARAGRAPH_START_ROLE = Qt.ItemDataRole.UserRole + 2  # first unit of a new paragraph

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()  # the invisible root: rows of a flat model hang here


class Column:
    SOURCE, MT, TARGET, STATUS, CHRF, TER = range(6)
    TITLES = ("Source", "Machine translation", "Target", "Status", "chrF", "TER")
    TIPS = ("Source text", "Machine translation (Argos)", "Your translation (F2 or Enter to edit)",
            "new · machine · edited · approved", "chrF of the MT against the target (higher: less editing)",
            "TER of the MT against the target (edits per word x 100; lower: less editing)")


def mix(a: QColor, b: QColor, amount: float) -> QColor:
    """``a`` moved ``amount`` of the way towards ``b`` (palette-derived tints)."""
    return QColor.fromRgbF(a.redF() + (b.redF() - a.redF()) * amount,
                           a.greenF() + (b.greenF() - a.greenF()) * amount,
                           a.blueF() + (b.blueF() - a.blueF()) * amount)


STATUS_HUES = {Status.NEW: None, Status.MACHINE: QColor(70, 130, 220),
               Status.EDITED: QColor(230, 160, 30), Status.APPROVED: QColor(40, 170, 80),
               Status.TM: QColor(150, 90, 200)}


class UnitTableModel(QAbstractTableModel):
    """Rows of one document's units, read from the session's store on demand."""

    document_loaded = Signal(int)  # document id (or -1 for none) after a reload

    def __init__(self, session: ReviewSession | None = None, parent=None):
        super().__init__(parent)
        self._session = session
        self.document_id: int | None = None
        self.hide_skipped = False
        self._ids: list[int] = []
        self._rows: dict[int, int] = {}
        self._pages: PageCache[Unit] = PageCache(self._fetch)
        follow_session(None, session, self._connections)

    def _connections(self, session: ReviewSession):
        return [(session.units_changed, self.refresh_units),
                (session.structure_changed, self._structure_changed),
                (session.external_change, self.refresh_shown)]

    def set_session(self, session: ReviewSession | None) -> None:
        old, self._session = self._session, session
        follow_session(old, session, self._connections)
        self.set_document(None)

    # -- loading ---------------------------------------------------------------
    def set_document(self, document_id: int | None, hide_skipped: bool | None = None) -> None:
        if hide_skipped is not None:
            self.hide_skipped = hide_skipped
        self.beginResetModel()
        self.document_id = document_id
        self._pages.clear()
        if document_id is None or self._session is None:
            self._ids = []
        else:
            self._ids = queries.visible_unit_ids(self._session.store, document_id, self.hide_skipped)
        self._rows = {uid: row for row, uid in enumerate(self._ids)}
        self.endResetModel()
        self.document_loaded.emit(-1 if document_id is None else document_id)

    def reload(self) -> None:
        self.set_document(self.document_id)

    @property
    def unit_ids(self) -> Sequence[int]:
        return self._ids

    def row_of(self, unit_id: int) -> int | None:
        return self._rows.get(unit_id)

    @property
    def pages_fetched(self) -> int:
        return self._pages.pages_fetched

    def _fetch(self, ids: list[int]) -> dict[int, Unit]:
        return {u.id: u for u in self._session.store.units_by_ids(ids)}

    def unit_at(self, row: int) -> Unit | None:
        if not 0 <= row < len(self._ids) or self._session is None:
            return None
        return self._pages.get(self._ids, row)

    def unit(self, unit_id: int) -> Unit | None:
        row = self._rows.get(unit_id)
        return self.unit_at(row) if row is not None else None

    # -- changes -----------------------------------------------------------------
    def refresh_units(self, document_id: int, unit_ids: Iterable[int]) -> None:
        """Re-read these units (rows repaint and fetch again when shown)."""
        if document_id != self.document_id:
            return
        rows = sorted(r for r in (self._rows.get(uid) for uid in unit_ids) if r is not None)
        if not rows:
            return
        if self._session is not None:
            self._pages.refresh(self._ids, rows)
        last_column = self.columnCount() - 1
        start = prev = rows[0]
        for row in rows[1:] + [None]:
            if row is not None and row == prev + 1:
                prev = row
                continue
            # paragraph marks depend on the row above: repaint one row more
            self.dataChanged.emit(self.index(start, 0), self.index(min(prev + 1, len(self._ids) - 1), last_column))
            if row is not None:
                start = prev = row

    def refresh_shown(self, document_id: int) -> None:
        """Another process changed rows we cannot name: drop every cached page
        (pages are read again as they show) and repaint."""
        if document_id != self.document_id or not self._ids:
            return
        self._pages.clear()
        self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, self.columnCount() - 1))

    def _structure_changed(self, document_id: int, _unit_ids: list) -> None:
        if document_id == self.document_id:
            self.reload()

    # -- Qt model interface ----------------------------------------------------
    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(Column.TITLES)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal:
            if role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(Column.TITLES):
                return Column.TITLES[section]
            if role == Qt.ItemDataRole.ToolTipRole and 0 <= section < len(Column.TIPS):
                return Column.TIPS[section]
            return None
        if role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self._ids):
            return str(section + 1)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == Column.TARGET:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        unit = self.unit_at(index.row())
        if unit is None:
            return None
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._text(unit, column, role == Qt.ItemDataRole.EditRole)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column in (Column.SOURCE, Column.MT, Column.TARGET):
                return self._text(unit, column, True) or None
            if column == Column.STATUS:
                return f"{unit.status} · {unit.kind}{' · excluded' if unit.excluded else ''}"
            if column in (Column.CHRF, Column.TER) and unit.status is Status.MACHINE:
                return "the machine translation as it came: nothing edited yet"
            return None
        if role == Qt.ItemDataRole.FontRole:
            return self._font(unit)
        if role == Qt.ItemDataRole.ForegroundRole:
            # Untouched MT scores 100/0 against itself: dim it so real edits stand out.
            if unit.excluded or unit.kind in (SegmentKind.META, SegmentKind.BOILERPLATE) or (
                    column in (Column.CHRF, Column.TER) and unit.status is Status.MACHINE):
                return QPalette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
            return None
        if role == Qt.ItemDataRole.BackgroundRole and column == Column.STATUS:
            hue = STATUS_HUES.get(unit.status)
            return mix(QPalette().color(QPalette.ColorRole.Base), hue, 0.35) if hue else None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (Column.CHRF, Column.TER, Column.STATUS):
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == UNIT_ROLE:
            return unit
        if role == PARAGRAPH_START_ROLE:
            above = self.unit_at(index.row() - 1)
            return above is not None and above.paragraph != unit.paragraph
        return None

    @staticmethod
    def _text(unit: Unit, column: int, full: bool) -> str | None:
        if column == Column.SOURCE:
            return unit.source
        if column == Column.MT:
            return unit.mt or ""
        if column == Column.TARGET:
            return unit.target
        if column == Column.STATUS:
            return str(unit.status)
        score = unit.pe_chrf if column == Column.CHRF else unit.pe_ter if column == Column.TER else None
        if score is None:
            return "" if column in (Column.CHRF, Column.TER) else None
        return f"{score:.1f}" if full else f"{score:.0f}"

    @staticmethod
    def _font(unit: Unit) -> QFont | None:
        if not (unit.excluded or unit.kind in (SegmentKind.TITLE, SegmentKind.META, SegmentKind.BOILERPLATE)):
            return None
        font = QFont()
        font.setStrikeOut(unit.excluded)
        font.setBold(unit.kind is SegmentKind.TITLE)
        font.setItalic(unit.kind in (SegmentKind.META, SegmentKind.BOILERPLATE))
        return font

    def setData(self, index: Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (not index.isValid() or index.column() != Column.TARGET or role != Qt.ItemDataRole.EditRole
                or self._session is None or self.document_id is None):
            return False
        unit = self.unit_at(index.row())
        if unit is None:
            return False
        # The session applies SetTarget and announces the change (dataChanged follows).
        return self._session.edit_target(self.document_id, unit.id, str(value))


TEXT_COLUMNS = (Column.SOURCE, Column.MT, Column.TARGET)
_TAGGED_CACHE = 256  # laid-out cells with tags kept for repaints


class UnitDelegate(QStyledItemDelegate):
    """Paragraph breaks as a rule above the row; inline tags as chips; a
    multi-line in-place editor that keeps tags whole."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.open_editor: QPlainTextEdit | None = None
        self._documents: dict[tuple, QTextDocument] = {}

    def commit_open_editor(self) -> None:
        """Write and close the in-place editor, if one is open (before an action)."""
        editor, self.open_editor = self.open_editor, None
        if editor is not None:
            self.commitData.emit(editor)
            self.closeEditor.emit(editor, QStyledItemDelegate.EndEditHint.NoHint)

    def destroyEditor(self, editor: QWidget, index: QModelIndex) -> None:
        if editor is self.open_editor:
            self.open_editor = None
        super().destroyEditor(editor, index)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        text = index.data(Qt.ItemDataRole.DisplayRole) if index.column() in TEXT_COLUMNS else None
        if isinstance(text, str) and "<" in text and has_tags(text):
            self._paint_tagged(painter, option, index, text)
        else:
            super().paint(painter, option, index)
        if index.data(PARAGRAPH_START_ROLE):
            painter.save()
            pen = QPen(option.palette.color(QPalette.ColorRole.Highlight))
            pen.setWidth(2)
            painter.setPen(pen)
            rect: QRect = option.rect
            painter.drawLine(rect.left(), rect.top() + 1, rect.right(), rect.top() + 1)
            painter.restore()

    def _paint_tagged(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex, text: str) -> None:
        """The cell as the style draws it (background, selection, focus),
        its text as rich text with the tags as chips, cut at the row's height."""
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, widget).adjusted(3, 1, -3, -1)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        color = opt.palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        key = (text, rect.width(), opt.font.key(), opt.palette.color(QPalette.ColorRole.Base).rgba())
        document = self._documents.pop(key, None)
        if document is None:
            document = QTextDocument()
            document.setDocumentMargin(0)
            document.setDefaultFont(opt.font)
            document.setHtml(tag_html(text, opt.palette))
            document.setTextWidth(max(10, rect.width()))
        self._documents[key] = document  # most recent last
        while len(self._documents) > _TAGGED_CACHE:
            self._documents.pop(next(iter(self._documents)))
        context = QAbstractTextDocumentLayout.PaintContext()
        context.palette.setColor(QPalette.ColorRole.Text, color)
        painter.save()
        painter.translate(rect.topLeft())
        painter.setClipRect(QRect(0, 0, rect.width(), rect.height()))
        document.documentLayout().draw(painter, context)
        painter.restore()

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: QModelIndex) -> QWidget:
        editor = QPlainTextEdit(parent)
        editor.setFrameShape(QPlainTextEdit.Shape.NoFrame)
        editor._tag_marks = tag_highlighter(editor)  # tags as chips, kept whole
        guard_tags(editor)
        self.open_editor = editor
        return editor

    def setEditorData(self, editor: QWidget, index: QModelIndex) -> None:
        if isinstance(editor, QPlainTextEdit):
            text = index.data(Qt.ItemDataRole.EditRole) or ""
            if editor.toPlainText() != text:
                editor.setPlainText(text)
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model, index: QModelIndex) -> None:
        if isinstance(editor, QPlainTextEdit):
            model.setData(index, editor.toPlainText(), Qt.ItemDataRole.EditRole)
        else:
            super().setModelData(editor, model, index)

    def updateEditorGeometry(self, editor: QWidget, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        editor.setGeometry(option.rect)


class UnitTableView(QTableView):
    current_unit_changed = Signal(object)  # the Unit of the new current row, or None

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setItemDelegate(UnitDelegate(self))
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked)
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setAlternatingRowColors(True)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        header = self.verticalHeader()
        # Fixed heights: the view never asks 100,000 rows for their size.
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setDefaultSectionSize(self.fontMetrics().lineSpacing() * ROW_LINES + 10)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        horizontal = self.horizontalHeader()
        horizontal.setStretchLastSection(False)
        horizontal.setHighlightSections(False)

    def setModel(self, model) -> None:
        super().setModel(model)
        self.selectionModel().currentRowChanged.connect(self._current_row_changed)
        model.modelAboutToBeReset.connect(self._remember_current)
        model.modelReset.connect(self._restore_current)
        self.apply_default_widths()

    def apply_default_widths(self) -> None:
        """Narrow figure columns; source, MT and target share the rest of the
        visible width (a fixed guess before the view has a size)."""
        narrow = {Column.STATUS: 78, Column.CHRF: 48, Column.TER: 48}
        for column, width in narrow.items():
            self.setColumnWidth(column, width)
        available = self.viewport().width() if self.isVisible() else 0
        if available < 400:
            available = 920 + sum(narrow.values())
        share = max(120, (available - sum(narrow.values())) // 3)
        for column in (Column.SOURCE, Column.MT, Column.TARGET):
            self.setColumnWidth(column, share)

    def commit_open_editor(self) -> None:
        delegate = self.itemDelegate()
        if isinstance(delegate, UnitDelegate):
            delegate.commit_open_editor()

    def unit_model(self) -> UnitTableModel:
        return self.model()  # type: ignore[return-value]

    def current_unit(self) -> Unit | None:
        index = self.currentIndex()
        return self.unit_model().unit_at(index.row()) if index.isValid() else None

    def go_to_row(self, row: int) -> bool:
        model = self.unit_model()
        if not 0 <= row < model.rowCount():
            return False
        column = max(self.currentIndex().column(), 0)
        index = model.index(row, column)
        self.selectionModel().setCurrentIndex(
            index, self.selectionModel().SelectionFlag.ClearAndSelect | self.selectionModel().SelectionFlag.Rows)
        self.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
        return True

    def go_to_unit(self, unit_id: int) -> bool:
        row = self.unit_model().row_of(unit_id)
        return row is not None and self.go_to_row(row)

    def selected_unit_ids(self) -> list[int]:
        model = self.unit_model()
        rows = sorted({i.row() for i in self.selectionModel().selectedRows()})
        if not rows and self.currentIndex().isValid():
            rows = [self.currentIndex().row()]
        return [model.unit_ids[r] for r in rows]

    def _remember_current(self) -> None:
        index = self.currentIndex()
        unit_id = None
        if index.isValid() and index.row() < len(self.unit_model().unit_ids):
            unit_id = self.unit_model().unit_ids[index.row()]
        self._before_reset = (unit_id, index.row() if index.isValid() else -1)

    def _restore_current(self) -> None:
        """After a reload (split, merge, hide toggle) stay on the same unit, or
        on the row where it was."""
        unit_id, row = getattr(self, "_before_reset", (None, -1))
        self._before_reset = (None, -1)
        model = self.unit_model()
        if unit_id is not None and self.go_to_unit(unit_id):
            return
        if row >= 0 and model.rowCount() and self.go_to_row(min(row, model.rowCount() - 1)):
            return
        self.current_unit_changed.emit(None)

    def _current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.current_unit_changed.emit(self.unit_model().unit_at(current.row()) if current.isValid() else None)
