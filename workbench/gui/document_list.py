"""The document list: title, language pair and review progress per article."""
from __future__ import annotations

from collections.abc import Callable
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


# Fewer documents than this are read on the GUI thread (a few ms: the rows are
# there as soon as the window is); more are read by a worker while the list
# keeps its rows (or says it is loading), as 100,000 take ~1.7 s to read.
SYNC_LIMIT = 2_000


def read_rows(store) -> list[DocumentRow]:
    """The list's rows, from any thread's ``Store``: every document but the
    human translations, with its progress, pair and confirmed links."""
    return _rows_of(store)


def read_indexed_rows(store) -> tuple[list[DocumentRow], dict[int, int]]:
    """``read_rows`` and the row of each document id (built in the worker,
    not on the GUI thread: 100,000 entries take ~30-70 ms)."""
    rows = _rows_of(store)
    return rows, {r.document.id: n for n, r in enumerate(rows)}


def _rows_of(store) -> list[DocumentRow]:
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


class DocumentListModel(QAbstractListModel):
    """The documents of the session's database.

    ``reload`` reads small databases at once; a large one is read by a
    worker (its own Store, from the session's path) and swapped in when it
    arrives: ``loading`` is True meanwhile and ``loaded`` is emitted after.
    A generation counter drops a read that a newer reload (or another
    database) made stale; one worker at a time, a reload meanwhile reads once more."""

    loading_started = Signal(int)  # documents being read
    loaded = Signal()

    def __init__(self, session: ReviewSession | None = None, parent=None, *, sync_limit: int | None = None):
        super().__init__(parent)
        self._session = session
        self._rows: list[DocumentRow] = []
        self._index: dict[int, int] = {}
        self.sync_limit = SYNC_LIMIT if sync_limit is None else sync_limit
        self._generation = 0
        self._worker = None          # the CallWorker reading rows, if any
        self._worker_generation = -1
        self._after_load: list[Callable[[], None]] = []
        self.loading_count = 0       # documents being read (0: not loading)
        self.reload()

    @property
    def loading(self) -> bool:
        return self.loading_count > 0

    def set_session(self, session: ReviewSession | None) -> None:
        self._session = session
        self._after_load.clear()
        self.loading_count = 0
        if self._rows:  # never show another database's rows while this one loads
            self._swap([])
        self.reload()

    def when_loaded(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` once the rows being read arrived (now if none are)."""
        if self.loading:
            self._after_load.append(callback)
        else:
            callback()

    def reload(self) -> None:
        self._generation += 1
        count = self._session.store.document_count() if self._session is not None else 0
        if count < self.sync_limit:
            self.loading_count = 0
            self._swap(read_rows(self._session.store) if self._session is not None else [], loaded=True)
            return
        self.loading_count = count  # the current rows stay until the new ones arrive
        self.loading_started.emit(count)
        if self._worker is None:
            self._start_worker()

    def _start_worker(self) -> None:
        from workbench.gui.jobs.tasks import document_rows
        from workbench.gui.jobs.workers import CallWorker

        assert self._session is not None
        worker = CallWorker("reading the document list", document_rows, str(self._session.db_path),
                            read_indexed_rows, pass_callbacks=False)
        worker.signals.finished.connect(self._worker_finished)
        worker.signals.failed.connect(self._worker_failed)
        self._worker, self._worker_generation = worker, self._generation
        worker.start()

    def _worker_finished(self, result: tuple[list[DocumentRow], dict[int, int]]) -> None:
        generation, self._worker = self._worker_generation, None
        if generation != self._generation:  # stale: another reload (or database) since it started
            if self.loading:
                self._start_worker()
            return
        self._swap(*result, loaded=True)

    def _worker_failed(self, _message: str) -> None:
        self._worker = None
        if self.loading:
            if self._worker_generation != self._generation:
                self._start_worker()
            else:  # cannot read in the background (locked, vanished): read here once
                rows = read_rows(self._session.store) if self._session is not None else []
                self._swap(rows, loaded=True)

    def _swap(self, rows: list[DocumentRow], index: dict[int, int] | None = None, *, loaded: bool = False) -> None:
        self.beginResetModel()
        self._rows = rows
        self._index = {r.document.id: n for n, r in enumerate(rows)} if index is None else index
        self.endResetModel()
        if loaded:
            self.loading_count = 0
            self.loaded.emit()
            callbacks, self._after_load = self._after_load, []
            for callback in callbacks:
                callback()

    def wait_loaded(self, msecs: int = 60000) -> None:
        """Block until a running read returned (tests, closing): its result is then delivered by the event loop."""
        if self._worker is not None:
            self._worker.done.wait(msecs / 1000)

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
        return self._index.get(document_id)

    def first_document_id(self) -> int | None:
        return self._rows[0].document.id if self._rows else None

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
        # Every row the same height: a 100,000-row list measures one, paints the visible ones.
        self.setUniformItemSizes(True)
        # Laid out a batch at a time between events: after a reset QListView
        # asks the model about every row (2 Python calls each, ~0.4 s for 100,000).
        self.setLayoutMode(QListView.LayoutMode.Batched)
        self.setBatchSize(2_000)
        self._pending: int | None = None        # asked for while the rows were being read
        self._before_reset: int | None = None   # current when a background read was swapped in
        self._quiet = False

    def setModel(self, model) -> None:
        super().setModel(model)
        self.selectionModel().currentRowChanged.connect(self._current_changed)
        if isinstance(model, DocumentListModel):
            model.loading_started.connect(lambda _count: self.viewport().update())
            model.loaded.connect(self._rows_arrived)
            model.modelAboutToBeReset.connect(self._rows_leaving)

    def document_model(self) -> DocumentListModel:
        return self.model()  # type: ignore[return-value]

    def current_document_id(self) -> int | None:
        index = self.currentIndex()
        row = index.data(DOCUMENT_ROLE) if index.isValid() else None
        return row.document.id if row else None

    def select_document(self, document_id: int) -> bool:
        """Make the document current; while the rows are being read the
        request waits for them (True: selected now or once they arrive)."""
        model = self.document_model()
        row = model.row_of(document_id)
        if model.loading and (row is None or self._pending is not None):
            self._pending = document_id
            return True
        self._pending = None
        if row is None:
            return False
        self.setCurrentIndex(model.index(row))
        return True

    def _rows_leaving(self) -> None:
        if self.document_model().loading:  # a background read arrives: keep the current document
            self._before_reset = self.current_document_id()

    def _rows_arrived(self) -> None:
        """New rows: the selection asked for while loading, else the current document again."""
        model = self.document_model()
        wanted, self._pending = self._pending, None
        if wanted is not None and model.row_of(wanted) is not None:
            self.setCurrentIndex(model.index(model.row_of(wanted)))
        elif self._before_reset is not None and model.row_of(self._before_reset) is not None:
            # The same document stays current: nobody needs telling.
            self._quiet = True
            try:
                self.setCurrentIndex(model.index(model.row_of(self._before_reset)))
            finally:
                self._quiet = False
        elif self._before_reset is not None:
            self.current_document_changed.emit(None)  # it went away meanwhile
        self._before_reset = None

    def paintEvent(self, event) -> None:
        model = self.model()
        if isinstance(model, DocumentListModel) and model.loading and model.rowCount() == 0:
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text))
            painter.drawText(self.viewport().rect().adjusted(8, 8, -8, -8),
                             Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                             f"Loading {model.loading_count:,} documents…")
            return
        super().paintEvent(event)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._quiet:
            return
        row = current.data(DOCUMENT_ROLE) if current.isValid() else None
        self.current_document_changed.emit(row.document.id if row else None)
