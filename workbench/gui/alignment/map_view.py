"""The alignment map beside the link table: the similarity of every source
sentence (rows, top to bottom) to every target sentence (columns) shaded from
light (unlike) to dark (alike), the links drawn over it as the path, coloured
by confidence, the current link ringed.  A path that leaves the dark diagonal
is where the alignment went astray; a click selects the link there.

The scores (``workbench.core.align.similarity_map``) are computed by a
background worker from the database path and the document id, again after
each change of the links (debounced); the last map stays on screen until the
new one lands.  Painting reads only the cells on screen: one numpy pass into
a QImage of the visible part, so a 10,000-sentence document paints as fast as
a short one.  Ctrl+wheel (or the buttons) zooms around the pointer.
"""
from __future__ import annotations

import bisect
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, QPoint, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPalette, QPen, QPolygonF
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from workbench.core.align.similarity_map import SimilarityMap
from workbench.core.progress import CancelledFn, ProgressFn
from workbench.gui.jobs.workers import CallWorker

MIN_ZOOM, MAX_ZOOM = 0.02, 32.0   # pixels per sentence
DEFAULT_ZOOM = 6.0                # a long document opens at this zoom, around the current link
MIN_FIT_ZOOM = 3.0                # a document that fits the view at this zoom or more is shown whole
DENSE_LINKS = 1500                # more links on screen than this: the path as one line
REFRESH_DELAY_MS = 400            # after an edit of the links, before the map is computed again

ALIKE_HUE = QColor(25, 60, 140)             # the darkest cell (score 1), mixed into the palette's base
HIGH_CONFIDENCE = QColor(20, 150, 60)       # confidence >= 0.8
MIDDLE_CONFIDENCE = QColor(230, 150, 20)    # 0.5 .. 0.8
LOW_CONFIDENCE = QColor(215, 40, 40)        # < 0.5 (the table's red)
NO_CONFIDENCE = QColor(120, 120, 120)


def confidence_colour(confidence: float | None) -> QColor:
    """The colour of a link on the map."""
    if confidence is None:
        return NO_CONFIDENCE
    if confidence < 0.5:
        return LOW_CONFIDENCE
    return MIDDLE_CONFIDENCE if confidence < 0.8 else HIGH_CONFIDENCE


@dataclass(frozen=True)
class MapData:
    """A map with the sentences its tooltips quote."""
    map: SimilarityMap
    sources: tuple[str, ...]
    targets: tuple[str, ...]


def map_job(db_path: str, document_id: int, *, progress: ProgressFn, cancelled: CancelledFn) -> MapData:
    """The map of a document pair, read and scored in a worker (own Store).

    :param db_path: the database.
    :param document_id: the pair's source document.
    :param progress: called with (fraction, message).
    :param cancelled: polled; ``Cancelled`` stops the work."""
    from workbench.core.align.similarity_map import compute_map
    from workbench.core.store import link_queries
    from workbench.core.store.database import Store

    with Store(db_path, create=False) as store:
        layout = link_queries.pair_layout(store, document_id)
    result = compute_map(layout.sources, layout.targets, layout.links, progress=progress, cancelled=cancelled)
    return MapData(result, layout.sources, layout.targets)


def render_cells(similarity: SimilarityMap, rows: tuple[int, int], cols: tuple[int, int],
                 scale: float) -> np.ndarray:
    """The scores of the cells in ``rows`` x ``cols`` (sentence ranges, end
    exclusive) as an image array: one pixel per cell when ``scale`` >= 1,
    else ``scale`` pixels per cell (the brightest cell of a pixel wins);
    -1 where nothing was scored.

    :param similarity: the map.
    :param rows: first and end source sentence.
    :param cols: first and end target sentence.
    :param scale: pixels per cell."""
    r0, r1 = rows
    c0, c1 = cols
    per = min(scale, 1.0)
    height = max(1, math.ceil((r1 - r0) * per))
    width = max(1, math.ceil((c1 - c0) * per))
    out = np.full((height, width), -1.0, dtype=np.float32)
    if r1 <= r0 or c1 <= c0 or similarity.cells == 0:
        return out
    start = similarity.start
    lo = similarity.lo[r0:r1]
    widths = start[r0 + 1:r1 + 1] - start[r0:r1]
    rows_of = np.repeat(np.arange(r0, r1), widths)
    cols_of = np.repeat(lo, widths) + np.arange(int(start[r0]), int(start[r1])) - np.repeat(start[r0:r1], widths)
    scores = similarity.scores[start[r0]:start[r1]]
    inside = (cols_of >= c0) & (cols_of < c1)
    y = ((rows_of[inside] - r0) * per).astype(np.int64)
    x = ((cols_of[inside] - c0) * per).astype(np.int64)
    np.maximum.at(out, (np.minimum(y, height - 1), np.minimum(x, width - 1)), scores[inside])
    return out


class AlignmentMap(QAbstractScrollArea):
    """The map itself: scrolls and zooms; ``link_clicked`` with a unit id."""

    link_clicked = Signal(int)
    zoom_changed = Signal(float)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("alignmentMap")
        self.setMouseTracking(True)
        self.setMinimumWidth(160)
        self.viewport().setCursor(Qt.CursorShape.CrossCursor)
        self.similarity: SimilarityMap | None = None
        self.sources: tuple[str, ...] = ()
        self.targets: tuple[str, ...] = ()
        self.current_key: int | None = None
        self.computing = False            # a map is being computed (says so while there is none)
        self.zoom = DEFAULT_ZOOM
        self._fitted = False
        self._link_rows: list[int] = []   # first row of each link, for bisecting the visible ones
        self._cells_cache: tuple | None = None   # (what was rendered, the image): repaints reuse it
        self._centres = _centres(())

    # -- data -------------------------------------------------------------------------
    def set_map(self, similarity: SimilarityMap | None, sources=(), targets=()) -> None:
        """Show a map (None: none); the zoom and scroll position stay, but
        the first map of a document is fitted to the width."""
        first = self.similarity is None or similarity is None or (
            (similarity.n, similarity.m) != (self.similarity.n, self.similarity.m) and not self._fitted)
        self.similarity = similarity
        self.sources, self.targets = tuple(sources), tuple(targets)
        self._link_rows = [link.rows[0] for link in similarity.links] if similarity else []
        self._centres = _centres(similarity.links if similarity else ())
        self._cells_cache = None
        if first and similarity is not None:
            self.fit_width()
            self._fitted = True
            self.show_current()
        self._update_scrollbars()
        self.viewport().update()

    def clear(self) -> None:
        self._fitted = False
        self.set_map(None)

    def set_current(self, key: int | None) -> None:
        """Ring the link with this key (a unit id) and scroll it into view."""
        self.current_key = key
        self.show_current()
        self.viewport().update()

    def show_current(self) -> None:
        box = self._current_box()
        if box is None:
            return
        view = QRectF(self.horizontalScrollBar().value(), self.verticalScrollBar().value(),
                      self.viewport().width(), self.viewport().height())
        if not view.contains(box.center()):
            self.horizontalScrollBar().setValue(int(box.center().x() - view.width() / 2))
            self.verticalScrollBar().setValue(int(box.center().y() - view.height() / 2))

    def _current_box(self) -> QRectF | None:
        if self.similarity is None or self.current_key is None:
            return None
        index = self.similarity.link_index(self.current_key)
        return self._link_rect(self.similarity.links[index]) if index is not None else None

    # -- zoom -------------------------------------------------------------------------
    def fit_width(self) -> None:
        """The whole map in view when its cells stay big enough to click
        (``MIN_FIT_ZOOM``); else ``DEFAULT_ZOOM``, scrolled to the current link."""
        if self.similarity is None:
            return
        fit = min((self.viewport().width() - 2) / max(self.similarity.m, 1),
                  (self.viewport().height() - 2) / max(self.similarity.n, 1))
        self.set_zoom(fit if fit >= MIN_FIT_ZOOM else DEFAULT_ZOOM)

    def zoom_all(self) -> None:
        """The whole map in the view, however small its cells get."""
        if self.similarity is None:
            return
        fit = min((self.viewport().width() - 2) / max(self.similarity.m, 1),
                  (self.viewport().height() - 2) / max(self.similarity.n, 1))
        self.set_zoom(fit)

    def set_zoom(self, zoom: float, anchor: QPointF | None = None) -> None:
        """Pixels per sentence; ``anchor`` (viewport point) stays over the same cell."""
        zoom = min(max(zoom, MIN_ZOOM), MAX_ZOOM)
        if anchor is None:
            anchor = QPointF(self.viewport().width() / 2, self.viewport().height() / 2)
        cell_x = (self.horizontalScrollBar().value() + anchor.x()) / self.zoom
        cell_y = (self.verticalScrollBar().value() + anchor.y()) / self.zoom
        self.zoom = zoom
        self._update_scrollbars()
        self.horizontalScrollBar().setValue(int(cell_x * zoom - anchor.x()))
        self.verticalScrollBar().setValue(int(cell_y * zoom - anchor.y()))
        self.viewport().update()
        self.zoom_changed.emit(zoom)

    def zoom_in(self) -> None:
        self.set_zoom(self.zoom * 1.5)

    def zoom_out(self) -> None:
        self.set_zoom(self.zoom / 1.5)

    def _update_scrollbars(self) -> None:
        n, m = (self.similarity.n, self.similarity.m) if self.similarity else (0, 0)
        for bar, total, page in ((self.horizontalScrollBar(), m * self.zoom, self.viewport().width()),
                                 (self.verticalScrollBar(), n * self.zoom, self.viewport().height())):
            bar.setRange(0, max(0, int(math.ceil(total)) - page))
            bar.setPageStep(page)
            bar.setSingleStep(max(1, int(self.zoom * 3)))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._update_scrollbars()

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        self.viewport().update()

    # -- geometry ---------------------------------------------------------------------
    def _offset(self) -> QPointF:
        return QPointF(self.horizontalScrollBar().value(), self.verticalScrollBar().value())

    def cell_at(self, point: QPoint | QPointF) -> tuple[float, float]:
        """(row, column) of a viewport point, in sentences (fractions kept)."""
        return ((point.y() + self.verticalScrollBar().value()) / self.zoom,
                (point.x() + self.horizontalScrollBar().value()) / self.zoom)

    def point_of(self, row: float, column: float) -> QPointF:
        """The viewport point of a (row, column) position in sentences."""
        return QPointF(column * self.zoom, row * self.zoom) - self._offset()

    def _link_rect(self, link) -> QRectF:
        (r0, r1), (c0, c1) = link.rows, link.columns
        z = self.zoom
        return QRectF(c0 * z, r0 * z, max((c1 - c0) * z, 0.0), max((r1 - r0) * z, 0.0))

    # -- mouse ------------------------------------------------------------------------
    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.similarity is not None:
            row, column = self.cell_at(event.position())
            index = self.similarity.link_at(row - 0.5, column - 0.5)
            if index is not None:
                key = self.similarity.links[index].key
                self.set_current(key)
                self.link_clicked.emit(key)
            event.accept()
            return
        super().mousePressEvent(event)

    def wheelEvent(self, event) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = event.angleDelta().y() / 120
            self.set_zoom(self.zoom * (1.25 ** steps), event.position())
            event.accept()
            return
        super().wheelEvent(event)

    def viewportEvent(self, event) -> bool:
        if event.type() == event.Type.ToolTip:
            text = self.tooltip_at(event.pos())
            if text:
                QToolTip.showText(event.globalPos(), text, self.viewport())
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    def tooltip_at(self, point: QPoint) -> str:
        """The sentence pair under ``point``, its score and the link there."""
        if self.similarity is None:
            return ""
        row, column = self.cell_at(point)
        i, j = int(row), int(column)
        if not (0 <= i < self.similarity.n and 0 <= j < self.similarity.m):
            return ""
        score = self.similarity.score(i, j)
        lines = [f"source {i + 1}: {_short(self.sources[i]) if i < len(self.sources) else ''}",
                 f"target {j + 1}: {_short(self.targets[j]) if j < len(self.targets) else ''}",
                 f"similarity {score:.2f}" if score is not None else "similarity not computed (far from the links)"]
        index = self.similarity.link_at(i, j)
        if index is not None:
            link = self.similarity.links[index]
            shape = f"{len(link.src)}:{len(link.tgt)}"
            conf = f", confidence {link.confidence:.2f}" if link.confidence is not None else ""
            lines.append(f"click: the {shape} link{conf}")
        return "\n".join(lines)

    # -- painting ---------------------------------------------------------------------
    def paintEvent(self, _event) -> None:
        painter = QPainter(self.viewport())
        palette = self.palette()
        painter.fillRect(self.viewport().rect(), palette.color(QPalette.ColorRole.Window))
        similarity = self.similarity
        if similarity is None or similarity.n == 0 or similarity.m == 0:
            painter.setPen(palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text))
            painter.drawText(self.viewport().rect(), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                             "computing the alignment map…" if self.computing else "no alignment map")
            return
        z = self.zoom
        top, left = self.verticalScrollBar().value() / z, self.horizontalScrollBar().value() / z
        r0, c0 = max(0, int(top)), max(0, int(left))
        r1 = min(similarity.n, int(math.ceil(top + self.viewport().height() / z)) + 1)
        c1 = min(similarity.m, int(math.ceil(left + self.viewport().width() / z)) + 1)
        self._paint_cells(painter, similarity, (r0, r1), (c0, c1))
        self._paint_links(painter, similarity, r0, r1)
        painter.end()

    def _paint_cells(self, painter: QPainter, similarity: SimilarityMap, rows, cols) -> None:
        (r0, r1), (c0, c1) = rows, cols
        if r1 <= r0 or c1 <= c0:
            return
        key = (id(similarity), rows, cols, self.zoom, self.palette().cacheKey())
        if self._cells_cache is None or self._cells_cache[0] != key:
            self._cells_cache = (key, self._cell_image(similarity, rows, cols))
        offset = self._offset()
        target = QRectF(c0 * self.zoom - offset.x(), r0 * self.zoom - offset.y(),
                        (c1 - c0) * self.zoom, (r1 - r0) * self.zoom)
        image = self._cells_cache[1]
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        painter.drawImage(target, image, QRectF(0, 0, image.width(), image.height()))

    def _cell_image(self, similarity: SimilarityMap, rows, cols) -> QImage:
        cells = render_cells(similarity, rows, cols, self.zoom)
        base = self.palette().color(QPalette.ColorRole.Base)
        outside = self.palette().color(QPalette.ColorRole.Window)
        rgb = np.empty(cells.shape + (3,), dtype=np.float32)
        b = np.array([base.red(), base.green(), base.blue()], dtype=np.float32)
        h = np.array([ALIKE_HUE.red(), ALIKE_HUE.green(), ALIKE_HUE.blue()], dtype=np.float32)
        # Above linear: the many middling pairs (a length alike by chance) stay faint, true pairs stand out.
        weight = np.clip(cells, 0.0, 1.0)[..., None] ** 1.5
        rgb[:] = b + (h - b) * weight
        rgb[cells < 0] = (outside.red(), outside.green(), outside.blue())
        pixels = (0xFF000000 | (rgb[..., 0].astype(np.uint32) << 16) | (rgb[..., 1].astype(np.uint32) << 8)
                  | rgb[..., 2].astype(np.uint32)).astype(np.uint32)
        pixels = np.ascontiguousarray(pixels)
        height, width = pixels.shape
        return QImage(pixels.data, width, height, width * 4, QImage.Format.Format_RGB32).copy()  # owns its pixels

    def _visible_links(self, similarity: SimilarityMap, r0: int, r1: int) -> range:
        first = max(0, bisect.bisect_right(self._link_rows, r0) - 2)
        last = min(len(similarity.links), bisect.bisect_right(self._link_rows, r1) + 1)
        return range(first, last)

    def _paint_links(self, painter: QPainter, similarity: SimilarityMap, r0: int, r1: int) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        offset = self._offset()
        visible = self._visible_links(similarity, r0, r1)
        if len(visible) > DENSE_LINKS:
            self._paint_dense_links(painter, similarity, visible, offset)
        else:
            self._paint_link_boxes(painter, similarity, visible, offset)
        current = self._current_box()
        if current is not None:
            ring = current.translated(-offset).adjusted(-3, -3, 3, 3)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(self.palette().color(QPalette.ColorRole.Highlight), 2.5))
            painter.drawRect(ring)
            # Cross-hairs to the edges: the current link is found even when small.
            painter.setPen(QPen(self.palette().color(QPalette.ColorRole.Highlight), 1, Qt.PenStyle.DotLine))
            centre = ring.center()
            painter.drawLine(QPointF(0, centre.y()), QPointF(ring.left(), centre.y()))
            painter.drawLine(QPointF(centre.x(), 0), QPointF(centre.x(), ring.top()))

    def _paint_dense_links(self, painter: QPainter, similarity: SimilarityMap, visible: range,
                           offset: QPointF) -> None:
        """Thousands of links on screen (zoomed far out): the path as one
        line through the links' centres, one point per pixel, and only the
        links worth a look (not confident, one-sided) as marks."""
        rows, cols, flagged = self._centres
        z = self.zoom
        x = np.rint(cols[visible.start:visible.stop] * z - offset.x())
        y = np.rint(rows[visible.start:visible.stop] * z - offset.y())
        keep = np.ones(len(x), dtype=bool)
        keep[1:] = (np.diff(x) != 0) | (np.diff(y) != 0)   # many links share a pixel
        painter.setPen(QPen(HIGH_CONFIDENCE, 1.5))
        painter.drawPolyline(QPolygonF([QPointF(a, b) for a, b in zip(x[keep].tolist(), y[keep].tolist())]))
        marks = flagged[(flagged >= visible.start) & (flagged < visible.stop)]
        seen: set[tuple[float, float]] = set()
        for k in marks.tolist():
            point = (x[k - visible.start], y[k - visible.start])
            if point in seen:
                continue
            seen.add(point)
            painter.fillRect(QRectF(point[0] - 2, point[1] - 2, 4, 4),
                             confidence_colour(similarity.links[k].confidence))

    def _paint_link_boxes(self, painter: QPainter, similarity: SimilarityMap, visible: range,
                          offset: QPointF) -> None:
        # The path: the links' corners joined, thin, so the boxes stay readable.
        path_pen = QPen(QColor(0, 0, 0, 110), 1.0)
        painter.setPen(path_pen)
        previous: QPointF | None = None
        for k in visible:
            rect = self._link_rect(similarity.links[k]).translated(-offset)
            if previous is not None:
                painter.drawLine(previous, rect.topLeft())
            previous = rect.bottomRight()
        small = self.zoom < 3
        for k in visible:
            link = similarity.links[k]
            rect = self._link_rect(link).translated(-offset)
            colour = confidence_colour(link.confidence)
            if rect.width() == 0 or rect.height() == 0:  # an empty side: a bar between two sentences
                grown = 1.5 if small else max(2.0, self.zoom / 4)
                rect = rect.adjusted(-grown if rect.width() == 0 else 0, -grown if rect.height() == 0 else 0,
                                     grown if rect.width() == 0 else 0, grown if rect.height() == 0 else 0)
                painter.fillRect(rect, colour)
                continue
            if small:
                painter.fillRect(rect.adjusted(-0.5, -0.5, 0.5, 0.5), colour)
            else:
                fill = QColor(colour)
                fill.setAlpha(60)
                painter.setPen(QPen(colour, max(1.5, min(self.zoom / 6, 3.0))))
                painter.setBrush(fill)
                painter.drawRect(rect)


def _centres(links) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row, column) of each link's centre, and the indices of the links
    worth a mark when the path is drawn as one line (not confident, one-sided)."""
    boxes = np.array([(*link.rows, *link.columns) for link in links], dtype=np.float64).reshape(-1, 4)
    flagged = np.array([k for k, link in enumerate(links) if not (link.src and link.tgt)
                        or link.confidence is None or link.confidence < 0.8], dtype=np.int64)
    return (boxes[:, 0] + boxes[:, 1]) / 2, (boxes[:, 2] + boxes[:, 3]) / 2, flagged


def _short(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


class MapPanel(QWidget):
    """The map with its zoom buttons and a caption."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("alignmentMapPanel")
        self.map = AlignmentMap()
        self.caption = QLabel()
        self.caption.setObjectName("alignmentMapCaption")
        self.caption.setWordWrap(True)
        # Its text changes when a map lands: that must not move the splitter (or the table's columns).
        self.caption.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.caption.setMinimumHeight(self.caption.fontMetrics().lineSpacing() * 2)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        title = QLabel("<b>Alignment map</b>")
        title.setToolTip("Source sentences down, target sentences across; darker = more alike. "
                         "The links are drawn over it (green: confident, amber: less, red: low). "
                         "Click a link to select it; Ctrl+wheel zooms.")
        buttons.addWidget(title)
        buttons.addStretch(1)
        for text, tip, slot in (("−", "Zoom out", self.map.zoom_out), ("+", "Zoom in", self.map.zoom_in),
                                ("Fit", "The whole map in view", self.map.zoom_all)):
            button = QToolButton()
            button.setText(text)
            button.setToolTip(tip)
            button.setAutoRaise(True)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.map, 1)
        layout.addWidget(self.caption)

    def describe(self, similarity: SimilarityMap | None) -> None:
        if similarity is None:
            self.caption.setText("")
            return
        what = "every sentence pair" if similarity.full else "sentence pairs near the links"
        self.caption.setText(f"{similarity.n:,} × {similarity.m:,} sentences · {what} scored by the aligner's "
                             f"model · {len(similarity.links):,} links")


class MapJobs(QObject):
    """At most one map worker at a time; a request while one runs makes it
    run once more when it ends (the newest links win)."""

    ready = Signal(int, object)  # document id, the map with its sentences
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.worker: CallWorker | None = None
        self._pending: tuple[str, int] | None = None
        self._running: tuple[str, int] | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._start)

    @property
    def busy(self) -> bool:
        return self.worker is not None or self._timer.isActive()

    def request(self, db_path: str | Path, document_id: int, *, delay_ms: int = 0) -> None:
        self._pending = (str(db_path), document_id)
        self._timer.start(delay_ms)

    def cancel(self) -> None:
        self._timer.stop()
        self._pending = None
        if self.worker is not None:
            self.worker.cancel()

    def _start(self) -> None:
        if self.worker is not None or self._pending is None:
            return  # the running worker starts the next when it ends
        self._running, self._pending = self._pending, None
        db_path, document_id = self._running
        worker = CallWorker("alignment map", map_job, db_path, document_id)
        worker.signals.finished.connect(self._finished)
        worker.signals.failed.connect(self._failed)
        worker.signals.cancelled.connect(lambda *_args: self._ended())
        self.worker = worker.start()

    def _finished(self, result) -> None:
        running = self._running
        self._ended()
        if running is not None and self._pending is None:
            self.ready.emit(running[1], result)

    def _failed(self, message: str) -> None:
        self._ended()
        self.failed.emit(message)

    def _ended(self) -> None:
        self.worker = None
        self._running = None
        if self._pending is not None:
            self._timer.start(0)
