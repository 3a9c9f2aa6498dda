"""The Preview: the article and its translation side by side, as text.

Two read-only views show the document as flowing paragraphs (title big,
date and byline small, boilerplate dimmed) built by ``workbench.core.preview``:
the source on the left, the translation on the right, where unreviewed
machine translation is tinted and italic and a unit with no translation at
all is a grey placeholder.  Every unit's text carries its id as a character
property, so a click on either side finds the unit, and the current unit is
an extra selection (the documents never change for a highlight).

Building never stalls the event loop: both documents are filled a page of
units per turn of the event loop (read with one join, ``preview_rows``; the
page shrinks or grows so a turn takes about ``STEP_MS``), so the top of the
article shows at once and the rest flows in; a change of a few targets
replaces just their text (``PreviewController`` collects changes for
``UPDATE_MS``); the preview is only built while it is shown.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QMouseEvent,
    QPalette,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextFormat,
)
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSplitter, QTextBrowser, QTextEdit, QVBoxLayout, QWidget

from workbench.core.model import SegmentKind, Status, Unit
from workbench.core.preview import PreviewRow, PreviewUnit, preview_rows, preview_unit
from workbench.gui.review.unit_table import STATUS_HUES, mix
from workbench.gui.session import follow_session

UNIT_PROPERTY = QTextFormat.Property.UserProperty + 1  # the unit id of a run of text
CHUNK_UNITS = 60    # units added to both documents per turn of the event loop (at most)
FIRST_CHUNK = 8     # the first turn also pays for fonts and the first layout
STEP_MS = 25        # what a turn of the event loop should take: pages shrink to fit it
UPDATE_MS = 300     # changes are collected this long before the preview follows them
REBUILD_OVER = 200  # more changed units than this: read the document again
EMPTY_MARK = "\u2002···\u2002"  # the place of a unit with no translation yet
CURRENT_HUE = QColor(250, 190, 40)  # the current unit: a reading marker's amber


class PreviewStyle:
    """The formats of the preview, derived from a palette (light or dark)."""

    def __init__(self, palette: QPalette, font: QFont):
        base = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.Text)
        self.text = text
        self.dim = mix(base, text, 0.5)
        self.mt_background = mix(base, STATUS_HUES[Status.MACHINE], 0.16)
        self.mt_text = mix(text, STATUS_HUES[Status.MACHINE], 0.35)
        self.current = mix(base, CURRENT_HUE, 0.5)  # not the MT tint, not the selection colour
        self.link = palette.color(QPalette.ColorRole.Link)
        self.size = font.pointSizeF() * 1.1 if font.pointSizeF() > 0 else 11.0
        self._formats: dict[tuple, QTextCharFormat] = {}
        self._gaps: dict[tuple, QTextCharFormat] = {}

    def block(self, kind: SegmentKind) -> QTextBlockFormat:
        """The format of a paragraph of this kind (that of its first unit)."""
        fmt = QTextBlockFormat()
        fmt.setLineHeight(125, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
        fmt.setBottomMargin(10 if kind in (SegmentKind.TITLE, SegmentKind.META) else 9)
        return fmt

    def run(self, kind: SegmentKind, unit: PreviewUnit, styles: frozenset[str]) -> QTextCharFormat:
        """The format of a piece of a unit's text (carrying the unit's id).

        Parameters:
            kind: the paragraph's kind (the size of the text).
            unit: the unit (dimmed when meta, boilerplate or excluded; MT tinted).
            styles: the piece's formatting from its tags."""
        key = (kind, unit.kind, unit.excluded, unit.state, styles)
        base = self._formats.get(key)
        if base is None:
            base = self._formats[key] = self._run(kind, unit, styles)
        fmt = QTextCharFormat(base)
        fmt.setProperty(UNIT_PROPERTY, unit.unit_id)
        return fmt

    def _run(self, kind: SegmentKind, unit: PreviewUnit, styles: frozenset[str]) -> QTextCharFormat:
        fmt = QTextCharFormat()
        if kind is SegmentKind.TITLE:
            fmt.setFontPointSize(self.size * 1.55)
            fmt.setFontWeight(QFont.Weight.Bold)
        elif kind in (SegmentKind.META, SegmentKind.BOILERPLATE):
            fmt.setFontPointSize(self.size * 0.88)
        else:
            fmt.setFontPointSize(self.size)
        if "bold" in styles:
            fmt.setFontWeight(QFont.Weight.Bold)
        if "italic" in styles:
            fmt.setFontItalic(True)
        if "underline" in styles or "link" in styles:
            fmt.setFontUnderline(True)
        color = self.link if "link" in styles else self.text
        if unit.kind in (SegmentKind.META, SegmentKind.BOILERPLATE) or unit.excluded:
            color = self.dim
        if unit.excluded:
            fmt.setFontStrikeOut(True)
        if unit.state == "mt":
            fmt.setBackground(self.mt_background)
            fmt.setFontItalic(True)
            color = self.mt_text
        elif unit.state == "empty":
            color = self.dim
        fmt.setForeground(color)
        return fmt

    def gap(self, kind: SegmentKind) -> QTextCharFormat:
        """The space between two units of a paragraph (belongs to neither)."""
        fmt = self._gaps.get(kind)
        if fmt is None:
            fmt = self._gaps[kind] = self._run(kind, PreviewUnit(0, (), "source", False, kind), frozenset())
        return fmt


class PreviewView(QTextBrowser):
    """One side of the preview: a read-only document of units."""

    unit_clicked = Signal(int)

    def __init__(self, name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName(name)
        self.setOpenLinks(False)
        self.setReadOnly(True)
        self.setUndoRedoEnabled(False)
        self.document().setDocumentMargin(18)
        self.blocks: dict[int, int] = {}   # unit id -> block number of its paragraph
        self.current: int | None = None
        self._press: QPoint | None = None
        self.viewport().installEventFilter(self)

    def clear_units(self) -> None:
        self.blocks = {}
        self.current = None
        self.setExtraSelections([])
        self.document().clear()

    # -- finding units ------------------------------------------------------------------
    def unit_at_position(self, position: int) -> int | None:
        """The unit whose text holds the character after ``position`` (or before it)."""
        block = self.document().findBlock(position)
        before = after = None
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            start, end = fragment.position(), fragment.position() + fragment.length()
            uid = fragment.charFormat().property(UNIT_PROPERTY)
            if uid is not None:
                if start <= position < end:
                    after = uid
                if start < position <= end:
                    before = uid
            it += 1
        found = after if after is not None else before
        return int(found) if found is not None else None

    def unit_at(self, point: QPoint) -> int | None:
        """The unit under a point of the viewport."""
        return self.unit_at_position(self.cursorForPosition(point).position())

    def unit_range(self, unit_id: int) -> tuple[int, int] | None:
        """The document positions of a unit's text, ``(start, end)``."""
        number = self.blocks.get(unit_id)
        if number is None:
            return None
        block = self.document().findBlockByNumber(number)
        start = end = None
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if fragment.charFormat().property(UNIT_PROPERTY) == unit_id:
                if start is None:
                    start = fragment.position()
                end = fragment.position() + fragment.length()
            it += 1
        return (start, end) if start is not None and end is not None else None

    def unit_top(self, unit_id: int) -> int | None:
        """The y of a unit's first line in viewport coordinates."""
        span = self.unit_range(unit_id)
        if span is None:
            return None
        cursor = QTextCursor(self.document())
        cursor.setPosition(span[0])
        return self.cursorRect(cursor).top()

    def highlighted_range(self) -> tuple[int, int] | None:
        """The document positions the current-unit highlight covers."""
        selections = self.extraSelections()
        if not selections:
            return None
        cursor = selections[0].cursor
        return cursor.selectionStart(), cursor.selectionEnd()

    # -- showing the current unit ----------------------------------------------------------
    def highlight(self, unit_id: int | None, color: QColor, *, scroll: bool) -> None:
        self.current = unit_id
        span = self.unit_range(unit_id) if unit_id is not None else None
        if span is None:
            self.setExtraSelections([])
            return
        selection = QTextEdit.ExtraSelection()
        cursor = QTextCursor(self.document())
        cursor.setPosition(span[0])
        cursor.setPosition(span[1], QTextCursor.MoveMode.KeepAnchor)
        selection.cursor = cursor
        selection.format.setBackground(color)
        self.setExtraSelections([selection])
        if scroll:
            rect = self.cursorRect(cursor)
            start = QTextCursor(self.document())
            start.setPosition(span[0])
            top = self.cursorRect(start).top()
            height = self.viewport().height()
            if top < 0 or rect.bottom() > height:
                bar = self.verticalScrollBar()
                bar.setValue(bar.value() + top - height // 3)

    # -- clicks --------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.viewport() and isinstance(event, QMouseEvent) \
                and event.button() == Qt.MouseButton.LeftButton:
            if event.type() == QEvent.Type.MouseButtonPress:
                self._press = event.position().toPoint()
            elif event.type() == QEvent.Type.MouseButtonRelease and self._press is not None:
                moved = (event.position().toPoint() - self._press).manhattanLength()
                self._press = None
                if moved < 4 and not self.textCursor().hasSelection():  # a click, not a text selection
                    uid = self.unit_at(event.position().toPoint())
                    if uid is not None:
                        self.unit_clicked.emit(uid)
        return super().eventFilter(watched, event)


class PreviewPane(QWidget):
    """The source and the translation as two documents, scrolling together."""

    unit_clicked = Signal(int)   # a click on a unit's text on either side
    built = Signal(int)          # document id, once both sides are complete

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("previewPane")
        self.source = PreviewView("previewSource")
        self.target = PreviewView("previewTarget")
        self.document_id: int | None = None
        self.complete = False
        self.longest_step_ms = 0.0   # the longest turn of the event loop the last build took
        self.build_steps = 0         # turns of the event loop the last build took
        self._chunk = FIRST_CHUNK
        self._generation = 0
        self._syncing = False
        self._style = PreviewStyle(self.palette(), self.font())
        self._kinds: dict[int, SegmentKind] = {}   # unit id -> the kind of its paragraph

        legend = QLabel()
        legend.setObjectName("previewLegend")
        self._legend = legend
        self._update_legend()
        head = QHBoxLayout()
        head.setContentsMargins(6, 2, 6, 0)
        source_label, target_label = QLabel("<b>Original</b>"), QLabel("<b>Translation</b>")
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("previewSplitter")
        for label, view in ((source_label, self.source), (target_label, self.target)):
            side = QWidget()
            box = QVBoxLayout(side)
            box.setContentsMargins(0, 0, 0, 0)
            box.setSpacing(2)
            row = QHBoxLayout()
            row.setContentsMargins(6, 2, 6, 0)
            row.addWidget(label)
            row.addStretch(1)
            if view is self.target:
                row.addWidget(legend)
            box.addLayout(row)
            box.addWidget(view, 1)
            self.splitter.addWidget(side)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self._halved = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter, 1)
        for view, other in ((self.source, self.target), (self.target, self.source)):
            view.unit_clicked.connect(self.unit_clicked)
            view.verticalScrollBar().valueChanged.connect(lambda _v, a=view, b=other: self.sync_scroll(a, b))

    def _update_legend(self) -> None:
        style = self._style
        self._legend.setText(
            f'<span style="background-color:{style.mt_background.name()}; color:{style.mt_text.name()};'
            f' font-style:italic">&nbsp;machine translation&nbsp;</span>'
            f'<span style="color:{style.dim.name()}">&nbsp; not reviewed yet · </span>'
            f'<span style="color:{style.dim.name()}">{EMPTY_MARK.strip()}&nbsp;no translation</span>')

    # -- building ------------------------------------------------------------------------
    def clear(self) -> None:
        self._generation += 1
        self.document_id = None
        self.complete = False
        self._kinds = {}
        self.source.clear_units()
        self.target.clear_units()

    def show_units(self, document_id: int, unit_ids: Sequence[int],
                   fetch: Callable[[Sequence[int]], list[PreviewRow]], *, current: int | None = None) -> None:
        """Fill both sides with a document's units, a page per turn of the
        event loop (``built`` says when it is complete).

        Parameters:
            document_id: the document.
            unit_ids: its units, in reading order.
            fetch: reads a page of units (``preview_rows`` on the window's store).
            current: the unit to highlight once built."""
        keep = self.source.verticalScrollBar().value() if document_id == self.document_id else 0
        self.clear()
        self.document_id = document_id
        self.longest_step_ms = 0.0
        self.build_steps = 0
        self._style = PreviewStyle(self.palette(), self.font())
        self._update_legend()
        generation = self._generation
        self._chunk = FIRST_CHUNK
        steps = self._fill(list(unit_ids), fetch)
        restore = [keep] if keep else []

        turn = [0.0]  # when the previous step started

        def step() -> None:
            if generation != self._generation:
                return  # another build started
            started = time.perf_counter()
            if turn[0]:
                # The whole turn: the step, and the layout and painting of its
                # page that Qt did after it.  Fit the next page to STEP_MS (a
                # slow, busy machine gets smaller pages).
                took = (started - turn[0]) * 1000
                self._chunk = max(4, min(CHUNK_UNITS, int(self._chunk * STEP_MS / max(took, 1.0))))
            turn[0] = started
            done = next(steps, True) is True
            self.build_steps += 1
            self.longest_step_ms = max(self.longest_step_ms, (time.perf_counter() - started) * 1000)
            if restore and self.source.verticalScrollBar().maximum() >= restore[0]:
                self.source.verticalScrollBar().setValue(restore.pop())  # a rebuild stays where the reader was
            if not done:
                QTimer.singleShot(0, step)
                return
            self.complete = True
            self.set_current(current if current is not None else self.source.current, scroll=not keep)
            self.built.emit(document_id)

        step()

    def _fill(self, unit_ids: list[int], fetch) -> Iterator[bool | None]:
        """Append units to both documents, a page at a time; yields between
        pages, True at the end."""
        cursors = (QTextCursor(self.source.document()), QTextCursor(self.target.document()))
        views = (self.source, self.target)
        paragraph: int | None = None
        kind = SegmentKind.BODY
        number = -1
        at = 0
        while at < len(unit_ids):
            page = unit_ids[at:at + self._chunk]
            at += len(page)
            rows = fetch(page)
            for cursor in cursors:
                cursor.beginEditBlock()  # one layout pass per page, not one per insert
                cursor.movePosition(QTextCursor.MoveOperation.End)
            for row in rows:
                sides = preview_unit(row)
                new_paragraph = number < 0 or row.paragraph != paragraph
                if new_paragraph:
                    paragraph, kind, number = row.paragraph, row.kind, number + 1
                for view, cursor, unit in zip(views, cursors, sides):
                    if new_paragraph:
                        if number == 0:
                            cursor.setBlockFormat(self._style.block(kind))
                        else:
                            cursor.insertBlock(self._style.block(kind))
                    else:
                        cursor.insertText(" ", self._style.gap(kind))
                    self._insert_unit(cursor, kind, unit)
                    view.blocks[row.id] = number
                self._kinds[row.id] = kind
            for cursor in cursors:
                cursor.endEditBlock()
            if at < len(unit_ids):
                yield None
        yield True

    def _insert_unit(self, cursor: QTextCursor, kind: SegmentKind, unit: PreviewUnit) -> None:
        if unit.state == "empty" or not unit.pieces:
            empty = PreviewUnit(unit.unit_id, (), "empty", unit.excluded, unit.kind)
            cursor.insertText(EMPTY_MARK, self._style.run(kind, empty, frozenset()))
            return
        for piece in unit.pieces:
            cursor.insertText(piece.text, self._style.run(kind, unit, piece.styles))

    # -- following changes -----------------------------------------------------------------
    def update_units(self, units: Sequence[Unit | PreviewRow]) -> list[int]:
        """Show the new text of these units (targets edited, MT filled);
        returns the ids it could not place (the caller rebuilds for those).

        Parameters:
            units: the units as the store has them now."""
        missed = []
        for unit in units:
            kind = self._kinds.get(unit.id)
            if kind is None:
                missed.append(unit.id)
                continue
            for view, new in zip((self.source, self.target), preview_unit(unit)):
                span = view.unit_range(unit.id)
                if span is None:
                    missed.append(unit.id)
                    break
                cursor = QTextCursor(view.document())
                cursor.setPosition(span[0])
                cursor.setPosition(span[1], QTextCursor.MoveMode.KeepAnchor)
                cursor.beginEditBlock()
                cursor.removeSelectedText()
                self._insert_unit(cursor, kind, new)
                cursor.endEditBlock()
        for view in (self.source, self.target):
            if view.current is not None:
                view.highlight(view.current, self._style.current, scroll=False)
        return missed

    # -- the current unit and scrolling ------------------------------------------------------
    def set_current(self, unit_id: int | None, *, scroll: bool = True) -> None:
        """Highlight a unit on both sides (and bring it into view).

        Parameters:
            unit_id: the unit, or None for none.
            scroll: scroll so the unit shows when it does not."""
        self._syncing = True
        try:
            self.source.highlight(unit_id, self._style.current, scroll=scroll)
            self.target.highlight(unit_id, self._style.current, scroll=False)
        finally:
            self._syncing = False
        self.sync_scroll(self.source, self.target)

    def sync_scroll(self, leader: PreviewView, follower: PreviewView) -> None:
        """Scroll ``follower`` so the unit at the top of ``leader`` is at the
        same height on both sides (proportionally when that unit is unknown)."""
        if self._syncing:
            return
        self._syncing = True
        try:
            uid = leader.unit_at(QPoint(24, 6))
            top = leader.unit_top(uid) if uid is not None else None
            other = follower.unit_top(uid) if uid is not None else None
            bar = follower.verticalScrollBar()
            if top is not None and other is not None:
                bar.setValue(bar.value() + other - top)
            else:
                lead = leader.verticalScrollBar()
                if lead.maximum() > 0:
                    bar.setValue(round(bar.maximum() * lead.value() / lead.maximum()))
        finally:
            self._syncing = False

    def keep_sides(self) -> None:
        """The splitter's widths were restored: do not halve them on show."""
        self._halved = True

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if not self._halved:  # both sides get half the width (until the reader moves the splitter)
            self._halved = True
            half = max(1, self.splitter.width() // 2)
            self.splitter.setSizes([half, half])

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._style = PreviewStyle(self.palette(), self.font())
            self._update_legend()


class PreviewController(QObject):
    """Keeps the preview of the document shown in step with the store, the
    table's current unit, and the reviewer's clicks."""

    def __init__(self, pane: PreviewPane, table, context):
        super().__init__(context)
        self.pane = pane
        self.table = table
        self.context = context
        self.session = None
        self.document_id: int | None = None
        self.visible = False
        self.stale = True
        self._pending: set[int] = set()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(UPDATE_MS)
        self._timer.timeout.connect(self._apply_pending)
        pane.unit_clicked.connect(self._clicked)
        table.current_unit_changed.connect(self._current_changed)
        context.session_changed.connect(self.set_session)

    def set_session(self, session) -> None:
        old, self.session = self.session, session
        follow_session(old, session, self._connections)
        self.show_document(None)

    def _connections(self, session):
        return [(session.units_changed, self._units_changed),
                (session.structure_changed, self._structure_changed),
                (session.external_change, self._external_change)]

    def show_document(self, document_id: int | None) -> None:
        """The window shows another document (built now if the preview is shown)."""
        self.document_id = document_id
        self._pending.clear()
        self._timer.stop()
        self.pane.clear()
        self.stale = True
        if self.visible:
            self.rebuild()

    def set_visible(self, visible: bool) -> None:
        """The preview was shown or hidden: it is only built while shown."""
        self.visible = visible
        if visible and (self.stale or self.pane.document_id != self.document_id):
            self.rebuild()
        elif visible and self._pending:
            self._apply_pending()

    def rebuild(self) -> None:
        """Read the document again and fill the preview (a page per turn of the event loop)."""
        self.stale = False
        self._pending.clear()
        if self.session is None or self.document_id is None:
            self.pane.clear()
            return
        store = self.session.store
        unit = self.table.current_unit()
        self.pane.show_units(self.document_id, store.unit_ids(self.document_id),
                             lambda ids: preview_rows(store, ids), current=unit.id if unit is not None else None)

    # -- changes ------------------------------------------------------------------------
    def _units_changed(self, document_id: int, unit_ids: list) -> None:
        if document_id != self.document_id:
            return
        self._pending.update(unit_ids)
        if self.visible:
            self._timer.start()

    def _structure_changed(self, document_id: int, _unit_ids: list) -> None:
        if document_id == self.document_id:
            self.stale = True
            self._pending.clear()
            if self.visible:
                self._timer.start()

    def _external_change(self, document_id: int) -> None:
        self._structure_changed(document_id, [])

    def _apply_pending(self) -> None:
        if not self.visible:
            return
        if self.stale or len(self._pending) > REBUILD_OVER or not self.pane.complete:
            self.rebuild()
            return
        ids, self._pending = sorted(self._pending), set()
        if self.session is None or not ids:
            return
        units = preview_rows(self.session.store, ids)
        if self.pane.update_units(units) or len(units) != len(ids):
            self.rebuild()  # a unit came or went: read the document again

    # -- the current unit -----------------------------------------------------------------------
    def _current_changed(self, unit) -> None:
        if self.pane.complete:
            self.pane.set_current(unit.id if unit is not None else None)

    def _clicked(self, unit_id: int) -> None:
        self.table.go_to_unit(unit_id)
