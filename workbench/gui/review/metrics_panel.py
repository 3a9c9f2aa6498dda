"""Corpus scores of the document and a chart of edit effort per unit.

Scores compare the machine translation (hypothesis) with what the reviewer
kept (reference) over edited and approved units, as ``workbench score`` does.
The chart draws each unit's stored post-edit TER in reading order; a click
jumps to the unit.
"""
from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QGridLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from workbench.core.store.link_queries import LOW_CONFIDENCE, LinkSummary
from workbench.core.store.review_queries import DocumentFigures
from workbench.gui.review.unit_table import mix

SCORES_TITLE = "<b>Post-edit scores</b>"
ALIGNMENT_TITLE = "<b>Alignment</b>"

TER_CEILING = 100.0  # bars are clipped here: a TER above 100 is "rewritten"


class EffortChart(QWidget):
    unit_clicked = Signal(int)  # unit id

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setMinimumHeight(90)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)
        self.figures: DocumentFigures | None = None
        self._positions: dict[int, int] = {}
        self._cached: tuple[int, list[float], list[bool]] | None = None
        self.current: int | None = None
        self.setToolTip("Edit effort (TER of the MT against your target) per unit, in reading order.\n"
                        "Click to go to a unit.")

    def sizeHint(self) -> QSize:
        return QSize(240, 140)

    def set_figures(self, figures: DocumentFigures | None) -> None:
        self.figures = figures
        self._positions = {uid: n for n, uid in enumerate(figures.unit_ids)} if figures else {}
        self._cached: tuple[int, list[float], list[bool]] | None = None
        self.update()

    def _columns(self, width: int) -> tuple[list[float], list[bool]]:
        """One column per pixel: the largest TER of the units that fall in it,
        and whether any of them was reviewed (cached: paints are frequent,
        documents can have 100,000 units)."""
        if self._cached is not None and self._cached[0] == width:
            return self._cached[1], self._cached[2]
        figures = self.figures
        assert figures is not None
        count = len(figures.unit_ids)
        peaks = [0.0] * width
        reviewed = [False] * width
        for n, (ter, done) in enumerate(zip(figures.ter, figures.reviewed)):
            if ter is None:
                continue
            x = n * width // count
            value = min(ter, TER_CEILING)
            peaks[x] = max(value, peaks[x])
            reviewed[x] = reviewed[x] or done
        self._cached = (width, peaks, reviewed)
        return peaks, reviewed

    def set_current(self, unit_id: int | None) -> None:
        if unit_id != self.current:
            self.current = unit_id
            self.update()

    def _plot(self) -> QRectF:
        return QRectF(self.rect()).adjusted(4, 4, -4, -16)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        pal = self.palette()
        base, text = pal.color(QPalette.ColorRole.Base), pal.color(QPalette.ColorRole.Text)
        plot = self._plot()
        painter.fillRect(self.rect(), base)
        painter.setPen(QPen(mix(base, text, 0.25)))
        painter.drawLine(QPointF(plot.left(), plot.bottom()), QPointF(plot.right(), plot.bottom()))
        figures = self.figures
        small = self.font()
        small.setPointSizeF(small.pointSizeF() * 0.85)
        painter.setFont(small)
        if not figures or not figures.unit_ids:
            painter.setPen(mix(base, text, 0.6))
            painter.drawText(plot, Qt.AlignmentFlag.AlignCenter, "no units")
            return
        count = len(figures.unit_ids)
        width = max(1, int(plot.width()))
        peaks, reviewed = self._columns(width)
        accent = pal.color(QPalette.ColorRole.Highlight)
        faint = mix(base, text, 0.3)
        bar = max(1.0, plot.width() / count)
        for x, value in enumerate(peaks):
            if value <= 0:
                continue
            height = max(1.0, plot.height() * value / TER_CEILING)
            left = plot.left() + x if count > width else plot.left() + x * plot.width() / width
            painter.fillRect(QRectF(left, plot.bottom() - height, min(bar, max(1.0, bar - 1)), height),
                             accent if reviewed[x] else faint)
        n = self._positions.get(self.current) if self.current is not None else None
        if n is not None:
            x = plot.left() + (n + 0.5) * plot.width() / count
            painter.setPen(QPen(QColor(220, 60, 60), 1.5))
            painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
        painter.setPen(mix(base, text, 0.6))
        painter.drawText(QRectF(plot.left(), plot.bottom() + 1, plot.width(), 14),
                         Qt.AlignmentFlag.AlignLeft, "1")
        painter.drawText(QRectF(plot.left(), plot.bottom() + 1, plot.width(), 14),
                         Qt.AlignmentFlag.AlignRight, f"{count:,} units")
        painter.drawText(QRectF(plot.left(), plot.bottom() + 1, plot.width(), 14),
                         Qt.AlignmentFlag.AlignHCenter, "TER per unit")

    def unit_at(self, x: float) -> int | None:
        figures = self.figures
        plot = self._plot()
        if not figures or not figures.unit_ids or plot.width() <= 0:
            return None
        n = int((x - plot.left()) / plot.width() * len(figures.unit_ids))
        return figures.unit_ids[max(0, min(n, len(figures.unit_ids) - 1))]

    def mousePressEvent(self, event: QMouseEvent) -> None:
        unit_id = self.unit_at(event.position().x())
        if unit_id is not None and event.button() == Qt.MouseButton.LeftButton:
            self.unit_clicked.emit(unit_id)


class MetricsPanel(QWidget):
    unit_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.title = QLabel(SCORES_TITLE)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.values: dict[str, QLabel] = {}
        self._score_widgets: list[QWidget] = []
        grid = QGridLayout()
        for column, (name, tip) in enumerate((
                ("BLEU", "Corpus BLEU of the MT against your targets (higher: less editing)"),
                ("chrF", "Corpus chrF of the MT against your targets (higher: less editing)"),
                ("TER", "Corpus TER: edits per reference word x 100 (lower: less editing)"))):
            caption = QLabel(name)
            caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
            value = QLabel("–")
            value.setAlignment(Qt.AlignmentFlag.AlignCenter)
            font = value.font()
            font.setPointSizeF(font.pointSizeF() * 1.5)
            font.setBold(True)
            value.setFont(font)
            value.setToolTip(tip)
            caption.setToolTip(tip)
            grid.addWidget(value, 0, column)
            grid.addWidget(caption, 1, column)
            self.values[name.lower()] = value
            self._score_widgets += [value, caption]
        self.chart = EffortChart()
        self.chart.unit_clicked.connect(self.unit_clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 0, 4)
        layout.addWidget(self.title)
        layout.addLayout(grid)
        layout.addWidget(self.note)
        layout.addWidget(self.chart, 1)
        self._layout = layout
        self._score_widgets.append(self.chart)
        self.figures: DocumentFigures | None = None
        self.clear()

    def _show_scores(self, shown: bool) -> None:
        """Post-edit scores, or (for a document pair) alignment figures in their place."""
        self.title.setText(SCORES_TITLE if shown else ALIGNMENT_TITLE)
        for widget in self._score_widgets:
            widget.setVisible(shown)
        # Without the chart the note takes the room, its text at the top.
        self._layout.setStretchFactor(self.note, 0 if shown else 1)
        self.note.setAlignment(Qt.AlignmentFlag.AlignLeft | (
            Qt.AlignmentFlag.AlignVCenter if shown else Qt.AlignmentFlag.AlignTop))

    def clear(self) -> None:
        self._show_scores(True)
        self.figures = None
        for label in self.values.values():
            label.setText("–")
            label.setToolTip(label.toolTip().split("\n")[0])
        self.note.setText("")
        self.chart.set_figures(None)

    def show_alignment(self, links: LinkSummary | None) -> None:
        """A document pair: its links in figures instead of post-edit scores,
        which compare MT with a human translation nobody post-edited and so
        mean nothing there (None: not counted yet)."""
        self._show_scores(False)
        self.figures = None
        self.chart.set_figures(None)
        if links is None:
            self.note.setText("counting links…")
            return
        one_to_one = links.links - links.not_one_to_one
        lines = [
            f"{links.links:,} links: {one_to_one:,} 1:1, {links.many:,} n:m, "
            f"{links.one_sided:,} one-sided (1:0 or 0:1)",
            f"{links.confirmed:,} confirmed, {links.unconfirmed:,} unconfirmed "
            f"({links.suspicious:,} suspicious)",
            f"{links.approved:,} of {links.links:,} units approved"
            + (f" ({links.confirmed_without_target:,} confirmed without a target)"
               if links.confirmed_without_target else ""),
            f"{links.low_confidence:,} below {LOW_CONFIDENCE:.0%} confidence",
            "",
            "<i>Post-edit scores (MT against the target) are not shown: the targets are a human "
            "translation, not post-edited MT.</i>",
        ]
        self.note.setText("<br>".join(lines))

    def show_figures(self, figures: DocumentFigures) -> None:
        self._show_scores(True)
        self.figures = figures
        scores = figures.scores
        reviewed = sum(figures.reviewed)
        if scores is None:
            for label in self.values.values():
                label.setText("–")
            self.note.setText("Scores appear once you edit or approve machine-translated units."
                              if any(t is not None for t in figures.ter) else
                              "No machine translation yet.")
        else:
            for name in ("bleu", "chrf", "ter"):
                label = self.values[name]
                label.setText(f"{getattr(scores, name):.1f}")
                first_line = label.toolTip().split("\n")[0]
                label.setToolTip(f"{first_line}\nsacrebleu signature: {scores.signatures.get(name, '?')}")
            self.note.setText(f"over {scores.units} reviewed units (MT vs. your target); "
                              f"{reviewed:,} of {len(figures.unit_ids):,} units reviewed")
        self.chart.set_figures(figures)

    def show_error(self, message: str) -> None:
        self.note.setText(f"scores unavailable: {message}")

    def set_current(self, unit_id: int | None) -> None:
        self.chart.set_current(unit_id)
