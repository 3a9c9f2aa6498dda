"""The alignment table: one row per link of a document pair, fetched lazily.

Like the unit table, the model keeps only the document's ordered link ids
(plus the shapes of the links that are not 1:1, for row heights) and reads
the sentences of a page of ``PAGE_SIZE`` links when rows show.  Each sentence of a
side is on a line of its own, so a 2:1 link shows its two parts.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QPalette

from workbench.core.model import Status
from workbench.core.store import link_queries
from workbench.core.store.link_queries import LinkRow
from workbench.gui.paging import PageCache
from workbench.gui.session import ReviewSession, follow_session
from workbench.gui.review.unit_table import STATUS_HUES, mix

LINK_ROLE = Qt.ItemDataRole.UserRole + 11      # the LinkRow of the row
SUSPICIOUS_ROLE = Qt.ItemDataRole.UserRole + 12  # not 1:1 or low confidence

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()

# Hues mixed into the palette's base colour: tints stay readable on light and dark.
NOT_ONE_TO_ONE_HUE = QColor(230, 160, 30)
LOW_CONFIDENCE_HUE = QColor(220, 60, 60)
CONFIRMED_HUE = STATUS_HUES[Status.APPROVED]
EMPTY_SIDE = "—"


SHAPES = ("1-1", "1-0", "0-1", "2-1", "1-2", "other")   # the filter bar's link types


def shape_name(sources: int, targets: int) -> str:
    """The filter's name of a link type: ``1-1``, ``2-1``... or ``other`` (2-2, 3-1, 0-0...).

    :param sources: source sentences of the link.
    :param targets: target sentences of the link."""
    name = f"{sources}-{targets}"
    return name if name in SHAPES else "other"


@dataclass(frozen=True)
class LinkFilter:
    """Which links the table shows: some link types, and (``below`` set)
    only links whose confidence is below it (links without one are left out)."""
    shapes: frozenset[str] = frozenset(SHAPES)
    below: float | None = None

    @property
    def active(self) -> bool:
        return self.shapes != frozenset(SHAPES) or self.below is not None

    def keeps(self, shape: str, confidence: float | None) -> bool:
        if shape not in self.shapes:
            return False
        return self.below is None or (confidence is not None and confidence < self.below)


class LinkColumn:
    SOURCE, SHAPE, CONFIDENCE, TARGET = range(4)
    TITLES = ("Source", "Link", "Conf.", "Target")
    TIPS = ("Source sentences of the link, one per line",
            "Shape of the link (sentences source:target); ✓ when confirmed",
            "The aligner's confidence in the link (0–1)",
            "Target sentences of the link, one per line")


def side_text(sentences: Sequence[str]) -> str:
    if not sentences:
        return EMPTY_SIDE
    if len(sentences) == 1:
        return sentences[0]
    return "\n".join(f"• {s}" for s in sentences)


def row_tint(link: LinkRow) -> QColor | None:
    """The row's background: red for low confidence, amber for n:m, else none."""
    base = QPalette().color(QPalette.ColorRole.Base)
    if link.low_confidence:
        return mix(base, LOW_CONFIDENCE_HUE, 0.24)
    if not link.one_to_one:
        return mix(base, NOT_ONE_TO_ONE_HUE, 0.22)
    return None


class AlignmentModel(QAbstractTableModel):
    """One row per link the filter keeps (all links without a filter)."""

    document_loaded = Signal(int)  # document id (or -1 for none) after a reload
    page_loaded = Signal(int, int)  # first and last row of a page just read (the view sizes them)
    # An edit of sentences typed in a cell: [(segment id, new text), ...] of one link.
    sentences_edited = Signal(int, list)  # unit id, the changed sentences

    def __init__(self, session: ReviewSession | None = None, parent=None):
        super().__init__(parent)
        self._session: ReviewSession | None = None
        self.document_id: int | None = None
        self._ids: list[int] = []          # the rows: links the filter keeps
        self._all_ids: list[int] = []      # every link, in reading order
        self._confidences: dict[int, float | None] = {}
        self._filter = LinkFilter()
        self._numbers: list[int] | None = None   # link numbers of the rows while a filter is on
        self._not_one_to_one: dict[int, tuple[int, int]] = {}
        self._rows: dict[int, int] = {}
        self._pages: PageCache[LinkRow] = PageCache(self._fetch, self.page_loaded.emit)
        self.last_changed: list[int] = []   # unit ids the last change touched
        self.set_session(session)

    # -- session and document ----------------------------------------------------
    def set_session(self, session: ReviewSession | None) -> None:
        old, self._session = self._session, session
        follow_session(old, session, lambda s: [(s.units_changed, self.refresh_links),
                                                (s.structure_changed, self._structure_changed),
                                                (s.external_change, self.refresh_shown)])
        self.set_document(None)

    def set_document(self, document_id: int | None) -> None:
        self.beginResetModel()
        self.document_id = document_id
        self._pages.clear()
        if document_id is None or self._session is None:
            self._all_ids, self._not_one_to_one, self._confidences = [], {}, {}
        else:
            store = self._session.store
            self._all_ids = store.unit_ids(document_id)
            self._not_one_to_one = link_queries.links_not_one_to_one(store, document_id)
            self._confidences = link_queries.link_confidences(store, document_id)
        self._apply_filter()
        self.endResetModel()
        self.document_loaded.emit(-1 if document_id is None else document_id)

    def reload(self) -> None:
        self.set_document(self.document_id)

    # -- filter --------------------------------------------------------------------
    @property
    def link_filter(self) -> LinkFilter:
        return self._filter

    def set_filter(self, link_filter: LinkFilter) -> None:
        """Show only the links ``link_filter`` keeps (the list of ids is
        filtered in memory: no page is read)."""
        if link_filter == self._filter:
            return
        self.beginResetModel()
        self._filter = link_filter
        self._pages.clear()
        self._apply_filter()
        self.endResetModel()

    def _apply_filter(self) -> None:
        if self._filter.active:
            keeps, shapes, confidences = self._filter.keeps, self._not_one_to_one, self._confidences
            kept = [(n, uid) for n, uid in enumerate(self._all_ids)
                    if keeps(shape_name(*shapes.get(uid, (1, 1))), confidences.get(uid))]
            self._numbers = [n + 1 for n, _ in kept]   # rows keep their link's number
            self._ids = [uid for _, uid in kept]
        else:
            self._ids, self._numbers = self._all_ids, None
        self._rows = {uid: row for row, uid in enumerate(self._ids)}

    def shape_counts(self) -> dict[str, int]:
        """Links of each type of ``SHAPES`` in the whole document."""
        counts = dict.fromkeys(SHAPES, 0)
        counts["1-1"] = len(self._all_ids) - len(self._not_one_to_one)
        for n, m in self._not_one_to_one.values():
            counts[shape_name(n, m)] += 1
        return counts

    def below_count(self, threshold: float) -> int:
        """Links whose confidence is below ``threshold``."""
        return sum(1 for c in self._confidences.values() if c is not None and c < threshold)

    @property
    def all_link_ids(self) -> Sequence[int]:
        """Every link of the document in reading order, the filter's or not."""
        return self._all_ids

    def document_range(self, first: int, last: int) -> list[int]:
        """The links from ``first`` to ``last`` in reading order (those the
        filter hides between them included)."""
        try:
            a, b = self._all_ids.index(first), self._all_ids.index(last)
        except ValueError:
            return []
        a, b = min(a, b), max(a, b)
        return list(self._all_ids[a:b + 1])

    @property
    def link_ids(self) -> Sequence[int]:
        return self._ids

    @property
    def not_one_to_one(self) -> dict[int, tuple[int, int]]:
        """``{unit id: (source sentences, target sentences)}`` of the links that are not 1:1."""
        return self._not_one_to_one

    def row_of(self, unit_id: int) -> int | None:
        return self._rows.get(unit_id)

    @property
    def pages_fetched(self) -> int:
        return self._pages.pages_fetched

    def _fetch(self, ids: list[int]) -> dict[int, LinkRow]:
        return link_queries.link_rows(self._session.store, ids)

    def link_at(self, row: int) -> LinkRow | None:
        if not 0 <= row < len(self._ids) or self._session is None:
            return None
        return self._pages.get(self._ids, row)

    def cached_link_at(self, row: int) -> LinkRow | None:
        """The link of a row if its page is in memory (never reads the store)."""
        return self._pages.cached(row) if 0 <= row < len(self._ids) else None

    def cached_rows(self) -> list[int]:
        return self._pages.cached_rows()

    def link(self, unit_id: int) -> LinkRow | None:
        row = self._rows.get(unit_id)
        return self.link_at(row) if row is not None else None

    # -- changes -------------------------------------------------------------------
    def refresh_links(self, document_id: int, unit_ids: Iterable[int]) -> None:
        """Re-read these links (a confirmation, a target edited in post-editing)."""
        if document_id != self.document_id or self._session is None:
            return
        unit_ids = list(unit_ids)
        self.last_changed = unit_ids
        rows = sorted(r for r in (self._rows.get(uid) for uid in unit_ids) if r is not None)
        if not rows:
            return
        self._pages.refresh(self._ids, rows)
        self.dataChanged.emit(self.index(rows[0], 0), self.index(rows[-1], self.columnCount() - 1))

    def refresh_shown(self, document_id: int) -> None:
        """Another process changed links we cannot name: read shown pages again."""
        if document_id != self.document_id or not self._ids:
            return
        self._pages.clear()
        self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, self.columnCount() - 1))

    def _structure_changed(self, document_id: int, unit_ids: list) -> None:
        if document_id == self.document_id:
            self.last_changed = list(unit_ids)
            self.reload()

    # -- Qt model interface ----------------------------------------------------------
    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(LinkColumn.TITLES)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal:
            if role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(LinkColumn.TITLES):
                return LinkColumn.TITLES[section]
            if role == Qt.ItemDataRole.ToolTipRole and 0 <= section < len(LinkColumn.TIPS):
                return LinkColumn.TIPS[section]
            return None
        if role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self._ids):
            return str(self._numbers[section] if self._numbers is not None else section + 1)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() in (LinkColumn.SOURCE, LinkColumn.TARGET):
            link = self.cached_link_at(index.row())
            if link is None or (link.source_ids if index.column() == LinkColumn.SOURCE else link.target_ids):
                flags |= Qt.ItemFlag.ItemIsEditable  # its sentences can be corrected in place
        return flags

    def setData(self, index: Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Sentences typed in a cell (a list, one text per sentence of the
        side): ``sentences_edited`` asks for the changed ones to be saved
        (one edit); the row changes when the store says it did."""
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or not isinstance(value, (list, tuple)):
            return False
        link = self.link_at(index.row())
        if link is None or index.column() not in (LinkColumn.SOURCE, LinkColumn.TARGET):
            return False
        ids, old = ((link.source_ids, link.sources) if index.column() == LinkColumn.SOURCE
                    else (link.target_ids, link.targets))
        if len(value) != len(ids):
            return False
        changed = [(sid, str(new)) for sid, before, new in zip(ids, old, value) if str(new).strip() != before]
        if changed:
            self.sentences_edited.emit(link.unit_id, changed)
        return True

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        link = self.link_at(index.row())
        if link is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(link, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tip(link, column)
        if role == Qt.ItemDataRole.BackgroundRole:
            if column == LinkColumn.SHAPE and link.confirmed:
                return mix(QPalette().color(QPalette.ColorRole.Base), CONFIRMED_HUE, 0.35)
            return row_tint(link)
        if role == Qt.ItemDataRole.ForegroundRole:
            empty = (column == LinkColumn.SOURCE and not link.sources) or (
                column == LinkColumn.TARGET and not link.targets)
            return QPalette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text) if empty else None
        if role == Qt.ItemDataRole.FontRole and column == LinkColumn.SHAPE and not link.one_to_one:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole:
            # Top: the first lines of both sides face each other, whatever the row height.
            horizontal = (Qt.AlignmentFlag.AlignHCenter if column in (LinkColumn.SHAPE, LinkColumn.CONFIDENCE)
                          else Qt.AlignmentFlag.AlignLeft)
            return int(horizontal | Qt.AlignmentFlag.AlignTop)
        if role == Qt.ItemDataRole.EditRole and column in (LinkColumn.SOURCE, LinkColumn.TARGET):
            return list(link.sources if column == LinkColumn.SOURCE else link.targets)
        if role == LINK_ROLE:
            return link
        if role == SUSPICIOUS_ROLE:
            return link.suspicious
        return None

    @staticmethod
    def _text(link: LinkRow, column: int) -> str | None:
        if column == LinkColumn.SOURCE:
            return side_text(link.sources)
        if column == LinkColumn.TARGET:
            return side_text(link.targets)
        if column == LinkColumn.SHAPE:
            return f"{link.shape} ✓" if link.confirmed else link.shape
        if column == LinkColumn.CONFIDENCE:
            return "" if link.confidence is None else f"{link.confidence:.2f}"
        return None

    @staticmethod
    def _tip(link: LinkRow, column: int) -> str | None:
        if column == LinkColumn.SOURCE:
            return "\n".join(link.sources) or "no source sentence (0:n link)"
        if column == LinkColumn.TARGET:
            tip = "\n".join(link.targets) or "no target sentence (n:0 link)"
            if link.target_edited:
                tip += f"\n\nTarget text edited in post-editing:\n{link.target}"
            return tip
        notes = [f"{link.shape} link"]
        if link.confidence is not None:
            notes.append(f"confidence {link.confidence:.2f}"
                         + (" (low)" if link.low_confidence else ""))
        notes.append("confirmed" if link.confirmed else "not confirmed")
        return " · ".join(notes)
