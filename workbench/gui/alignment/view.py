"""The alignment view of a document pair: links in rows, both sides facing.

The table shows one row per link (source sentences left, target sentences
right, shape and confidence between).  Rows are as tall as their text, up to
a cap (the detail pane below shows the whole link): a row is measured when
its page of links is read, so opening 10,000 links measures none of them
(until then, n:m links get a height from their shape).  The operations
themselves live in ``alignment_controller``.
"""
from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.core.store import link_queries
from workbench.gui.alignment.delegate import PADDING, LinkTextDelegate, text_lines
from workbench.gui.alignment.find_bar import FindFilterBar
from workbench.gui.alignment.map_view import REFRESH_DELAY_MS, MapData, MapJobs, MapPanel
from workbench.gui.alignment.model import AlignmentModel, LinkColumn, LinkFilter, side_text
from workbench.core.store.link_queries import LinkRow
from workbench.gui.session import ReviewSession, follow_session

BASE_LINES = 2        # a row not measured yet: a typical sentence
LINES_PER_SENTENCE = 2
MAX_LINES = 10        # taller links are elided in the table (the detail pane has them whole)


class AlignmentTableView(QTableView):
    current_link_changed = Signal(object)  # the LinkRow of the current row, or None

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("alignmentTable")
        self.setItemDelegate(LinkTextDelegate(self))
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        # Double-click or F2 corrects a sentence in place (the delegate's editor).
        self.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setAlternatingRowColors(False)  # the tints carry meaning; stripes would blur them
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        header = self.verticalHeader()
        # Fixed heights set from the link shapes: nothing measures 10,000 rows.
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setDefaultSectionSize(self.line_height(BASE_LINES))
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        horizontal = self.horizontalHeader()
        horizontal.setHighlightSections(False)
        horizontal.setStretchLastSection(True)
        self._before_reset: tuple[int | None, int] = (None, -1)
        self._unmeasured: set[int] = set()
        self._measure = QTimer(self)
        self._measure.setSingleShot(True)
        self._measure.setInterval(0)  # after the paint that read the page
        self._measure.timeout.connect(self._fit_pending_rows)
        self._remeasure = QTimer(self)
        self._remeasure.setSingleShot(True)
        self._remeasure.setInterval(60)  # while a column is dragged, once it rests
        self._remeasure.timeout.connect(self.fit_cached_rows)
        horizontal.sectionResized.connect(lambda *_args: self._remeasure.start())

    def line_height(self, lines: int) -> int:
        return self.fontMetrics().lineSpacing() * lines + 2 * PADDING + 2

    def setModel(self, model) -> None:
        super().setModel(model)
        self.selectionModel().currentRowChanged.connect(self._current_row_changed)
        model.modelAboutToBeReset.connect(self._remember_current)
        model.modelReset.connect(self._after_reset)
        model.page_loaded.connect(self._page_loaded)
        self.apply_default_widths()

    def alignment_model(self) -> AlignmentModel:
        return self.model()  # type: ignore[return-value]

    def apply_default_widths(self, width: int | None = None) -> None:
        narrow = {LinkColumn.SHAPE: 58, LinkColumn.CONFIDENCE: 52}
        for column, w in narrow.items():
            self.setColumnWidth(column, w)
        available = (width or self.viewport().width() or 1000) - sum(narrow.values())
        self.setColumnWidth(LinkColumn.SOURCE, max(160, available // 2))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self.apply_default_widths()

    # -- row heights ------------------------------------------------------------------
    def _page_loaded(self, first: int, last: int) -> None:
        self._unmeasured.update(range(first, last + 1))
        self._measure.start()

    def _fit_pending_rows(self) -> None:
        rows, self._unmeasured = self._unmeasured, set()
        self._fit_rows(rows)

    def fit_cached_rows(self) -> None:
        """Measure again every row in memory (a column changed width)."""
        self._fit_rows(self.alignment_model().cached_rows())

    def _fit_rows(self, rows) -> None:
        """Rows as tall as their text at the current column widths (capped),
        keeping the rows on screen where they are."""
        model = self.alignment_model()
        header = self.verticalHeader()
        font = self.font()
        widths = (self.columnWidth(LinkColumn.SOURCE), self.columnWidth(LinkColumn.TARGET))
        sizes = {}
        for row in rows:
            link = model.cached_link_at(row)
            if link is None:
                continue
            lines = max(text_lines(side_text(link.sources), font, widths[0]),
                        text_lines(side_text(link.targets), font, widths[1]))
            height = self.line_height(min(max(lines, 1), MAX_LINES))
            if height != header.sectionSize(row):
                sizes[row] = height
        if not sizes:
            return
        top = self.rowAt(0)
        offset = self.rowViewportPosition(top) if top >= 0 else 0
        current = self.currentIndex()
        current_shown = current.isValid() and self.viewport().rect().intersects(self.visualRect(current))
        for row, height in sizes.items():
            header.resizeSection(row, height)
        if top >= 0:
            self.verticalScrollBar().setValue(header.sectionPosition(top) - offset)
        if current_shown:
            self.scrollTo(current, QAbstractItemView.ScrollHint.EnsureVisible)

    def _apply_row_heights(self) -> None:
        """Before a row is measured: n:m links get a line pair per sentence
        (only they are resized; most links are 1:1 and keep the default)."""
        header = self.verticalHeader()
        base = header.defaultSectionSize()
        model = self.alignment_model()
        heights = {k: self.line_height(min(MAX_LINES, max(BASE_LINES, LINES_PER_SENTENCE * k)))
                   for k in range(2, MAX_LINES + 1)}
        for unit_id, (sources, targets) in model.not_one_to_one.items():
            height = heights.get(min(max(sources, targets), MAX_LINES), base)
            row = model.row_of(unit_id)
            if height != base and row is not None:
                header.resizeSection(row, height)

    # -- current row --------------------------------------------------------------
    def current_link(self) -> LinkRow | None:
        index = self.currentIndex()
        return self.alignment_model().link_at(index.row()) if index.isValid() else None

    def go_to_row(self, row: int) -> bool:
        model = self.alignment_model()
        if not 0 <= row < model.rowCount():
            return False
        index = model.index(row, max(self.currentIndex().column(), 0))
        selection = self.selectionModel()
        selection.setCurrentIndex(index, selection.SelectionFlag.ClearAndSelect | selection.SelectionFlag.Rows)
        self.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
        return True

    def go_to_link(self, unit_id: int) -> bool:
        row = self.alignment_model().row_of(unit_id)
        return row is not None and self.go_to_row(row)

    def selected_link_ids(self) -> list[int]:
        """Selected links in reading order (the current one when none is selected)."""
        model = self.alignment_model()
        rows = sorted({i.row() for i in self.selectionModel().selectedRows()})
        if not rows and self.currentIndex().isValid():
            rows = [self.currentIndex().row()]
        return [model.link_ids[r] for r in rows if r < len(model.link_ids)]

    def _remember_current(self) -> None:
        index = self.currentIndex()
        ids = self.alignment_model().link_ids
        unit_id = ids[index.row()] if index.isValid() and index.row() < len(ids) else None
        self._before_reset = (unit_id, index.row() if index.isValid() else -1)

    def _after_reset(self) -> None:
        """Heights for the new shapes; stay on the same link, or on a link the
        change touched, or on the row where it was."""
        self._unmeasured.clear()
        self._apply_row_heights()
        unit_id, row = self._before_reset
        self._before_reset = (None, -1)
        model = self.alignment_model()
        if unit_id is not None and self.go_to_link(unit_id):
            return
        for uid in model.last_changed:
            if self.go_to_link(uid):
                return
        if row >= 0 and model.rowCount() and self.go_to_row(min(row, model.rowCount() - 1)):
            return
        self.current_link_changed.emit(None)

    def _current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.current_link_changed.emit(self.current_link() if current.isValid() else None)


class LinkDetail(QWidget):
    """The current link whole: numbered sentences of both sides."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.caption = QLabel()
        self.caption.setObjectName("linkCaption")
        self.source = self._text_box("Source sentences of the current link")
        self.target = self._text_box("Target sentences of the current link")
        sides = QSplitter(Qt.Orientation.Horizontal)
        sides.addWidget(self.source)
        sides.addWidget(self.target)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.caption)
        layout.addWidget(sides)
        self.show_link(None)

    @staticmethod
    def _text_box(tip: str) -> QPlainTextEdit:
        box = QPlainTextEdit()
        box.setReadOnly(True)
        box.setToolTip(tip)
        return box

    def show_link(self, link: LinkRow | None, row: int | None = None, rows: int = 0) -> None:
        if link is None:
            self.caption.setText("No link selected")
            self.source.setPlainText("")
            self.target.setPlainText("")
            return
        parts = [f"<b>Link {row + 1 if row is not None else '?'} of {rows:,}</b>", f"{link.shape}"]
        if link.confidence is not None:
            parts.append(f"confidence {link.confidence:.2f}" + (" (low)" if link.low_confidence else ""))
        parts.append("✓ confirmed" if link.confirmed else "not confirmed")
        if link.target_edited:
            parts.append("target text edited in post-editing")
        self.caption.setText(" · ".join(parts))
        self.source.setPlainText(_numbered(link.sources, "(no source sentence)"))
        target = _numbered(link.targets, "(no target sentence)")
        if link.target_edited and link.target:
            # A post-edit kept when the translation was attached: the unit's
            # target (what export writes) is not the linked sentences.
            target += f"\n\nThe unit's target (post-edited, exported instead):\n{link.target}"
        self.target.setPlainText(target)


def _numbered(sentences, empty: str) -> str:
    if not sentences:
        return empty
    if len(sentences) == 1:
        return sentences[0]
    return "\n".join(f"{n}. {s}" for n, s in enumerate(sentences, start=1))


class AlignmentView(QWidget):
    """Summary line, the find and filter bar, the link table and the detail
    pane, the alignment map beside them."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("alignmentView")
        self.session: ReviewSession | None = None
        self.model = AlignmentModel()
        self.table = AlignmentTableView()
        self.table.setModel(self.model)
        self.detail = LinkDetail()
        self.summary = QLabel()
        self.summary.setObjectName("alignmentSummary")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.bar = FindFilterBar()
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("alignmentSplitter")
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setSizes([560, 160])
        self.map_panel = MapPanel()
        self.map = self.map_panel.map
        self.map_splitter = QSplitter(Qt.Orientation.Horizontal)  # the table, the map beside it
        self.map_splitter.setObjectName("alignmentMapSplitter")
        self.map_splitter.addWidget(self.splitter)
        self.map_splitter.addWidget(self.map_panel)
        self.map_splitter.setStretchFactor(0, 1)
        self.map_splitter.setSizes([760, 340])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.bar)
        layout.addWidget(self.map_splitter, 1)
        self._summary_timer = QTimer(self)
        self._summary_timer.setSingleShot(True)
        self._summary_timer.setInterval(0)
        self._summary_timer.timeout.connect(self.update_summary)
        self.table.current_link_changed.connect(self._show_current)
        self.model.dataChanged.connect(self._data_changed)
        self.model.modelReset.connect(self._summary_timer.start)
        # -- find and filter
        self._hits: set[int] = set()
        self._hit_text = ""
        self.bar.find_changed.connect(self.find)
        self.bar.find_next.connect(lambda: self.find_step(+1))
        self.bar.find_previous.connect(lambda: self.find_step(-1))
        self.bar.escaped.connect(lambda: self.table.setFocus(Qt.FocusReason.OtherFocusReason))
        self.bar.filter_changed.connect(self.set_filter)
        # -- the map
        self.map_jobs = MapJobs(self)
        self.map_jobs.ready.connect(self._map_ready)
        self.map_jobs.failed.connect(self._map_failed)
        self.map.link_clicked.connect(self.select_link)

    def set_session(self, session: ReviewSession | None) -> None:
        old, self.session = self.session, session
        self.model.set_session(session)  # the model follows first: its rows are fresh when we look
        follow_session(old, session, lambda s: [(s.units_changed, self._links_changed),
                                                (s.structure_changed, self._links_changed),
                                                (s.external_change, self._links_changed)])
        self._reset_map()

    @property
    def document_id(self) -> int | None:
        return self.model.document_id

    def show_document(self, document_id: int | None) -> bool:
        """Show the links of a document pair; False (and empty) for any other document."""
        pair = (document_id is not None and self.session is not None
                and link_queries.is_pair(self.session.store, document_id))
        changed = (document_id if pair else None) != self.model.document_id
        if changed:
            self.model.set_filter(LinkFilter())  # a filter belongs to the document it was set on
            self.bar.set_filter(LinkFilter())
        self.model.set_document(document_id if pair else None)
        if changed or not pair:
            self._reset_map()
        if pair and self.model.rowCount():
            self.table.go_to_row(0)
        self.table.scrollToTop()
        if self._hit_text:
            self.find(self._hit_text)
        return pair  # the summary follows the model reset

    def update_summary(self) -> None:
        self._update_counts()
        doc = self.model.document_id
        if doc is None or self.session is None:
            self.summary.setText("This document has no aligned translation: "
                                 "File → Import translation of this document…")
            return
        summary = link_queries.link_summary(self.session.store, doc, self.model.not_one_to_one)
        self.summary.setText(summary.describe())

    def _data_changed(self, top_left: QModelIndex, bottom_right: QModelIndex, _roles=()) -> None:
        current = self.table.currentIndex()
        if current.isValid() and top_left.row() <= current.row() <= bottom_right.row():
            self._show_current(self.table.current_link())
        self._summary_timer.start()

    def _show_current(self, link: LinkRow | None) -> None:
        row = self.table.currentIndex().row() if link is not None else None
        self.detail.show_link(link, row, self.model.rowCount())
        self.map.set_current(link.unit_id if link is not None else None)
        self._show_find_count()

    # -- selecting a link ---------------------------------------------------------------
    def select_link(self, unit_id: int) -> bool:
        """Make a link the current row; a link the filter hides clears the
        filter first (a click on the map means: that one)."""
        if self.model.row_of(unit_id) is None and unit_id in set(self.model.all_link_ids):
            self.bar.clear_filter()
        if not self.table.go_to_link(unit_id):
            return False
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    # -- filter -------------------------------------------------------------------------
    def set_filter(self, link_filter: LinkFilter) -> None:
        self.model.set_filter(link_filter)
        self._update_counts()
        self._show_find_count()

    def _update_counts(self) -> None:
        self.bar.set_counts(self.model.shape_counts(), self.model.rowCount(), len(self.model.all_link_ids))

    # -- find ---------------------------------------------------------------------------
    def find(self, text: str) -> None:
        """Look for ``text`` in both sides of every link (the count shows at once)."""
        self._hit_text = text
        doc = self.model.document_id
        self._hits = (link_queries.find_links(self.session.store, doc, text)
                      if text and doc is not None and self.session is not None else set())
        self._show_find_count()

    def find_step(self, direction: int) -> bool:
        """Go to the next (+1) or previous (-1) shown link with the text, wrapping around."""
        rows = sorted(r for r in (self.model.row_of(uid) for uid in self._hits) if r is not None)
        if not rows:
            self._show_find_count()
            return False
        current = self.table.currentIndex().row()
        if direction > 0:
            row = link_queries.first_row_after(rows, current)
        else:
            before = [r for r in rows if r < current]
            row = before[-1] if before else rows[-1]
        return row is not None and self.table.go_to_row(row)

    def hit_rows(self) -> list[int]:
        """Rows of the shown links that contain the text looked for."""
        return sorted(r for r in (self.model.row_of(uid) for uid in self._hits) if r is not None)

    def _show_find_count(self) -> None:
        if not self._hit_text:
            self.bar.show_find_count("")
            return
        rows = self.hit_rows()
        hidden = len(self._hits) - len(rows)
        current = self.table.currentIndex().row()
        where = f"{rows.index(current) + 1} of {len(rows):,}" if current in rows else f"{len(rows):,}"
        text = f"{where} link{'s' if len(rows) != 1 else ''}" if rows else "not found"
        if hidden:
            text += f" ({hidden:,} hidden by the filter)"
        self.bar.show_find_count(text)

    # -- the map --------------------------------------------------------------------------
    def set_map_visible(self, visible: bool) -> None:
        self.map_panel.setVisible(visible)
        if visible:
            self._request_map()

    def _reset_map(self) -> None:
        self.map_jobs.cancel()
        self.map.clear()
        self.map_panel.describe(None)
        self._request_map()

    def _request_map(self, delay_ms: int = 0) -> None:
        doc = self.model.document_id
        if doc is None or self.session is None or not self.map_panel.isVisibleTo(self):
            self.map.computing = False
            return
        self.map.computing = True
        self.map_jobs.request(self.session.db_path, doc, delay_ms=delay_ms)

    def _links_changed(self, document_id: int, *_args) -> None:
        if document_id == self.model.document_id:
            self._request_map(REFRESH_DELAY_MS)
            if self._hit_text:
                self.find(self._hit_text)

    def _map_ready(self, document_id: int, data: MapData) -> None:
        if document_id != self.model.document_id:
            return
        self.map.computing = False
        self.map.set_map(data.map, data.sources, data.targets)
        self.map_panel.describe(data.map)
        link = self.table.current_link()
        self.map.set_current(link.unit_id if link is not None else None)

    def _map_failed(self, message: str) -> None:
        self.map.computing = False
        self.map_panel.caption.setText(f"no map: {message}")
