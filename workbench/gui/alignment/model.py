"""The alignment table: one row per link of a document pair, fetched lazily.

Like the unit table, the model keeps only the document's ordered link ids
(plus the shapes of the links that are not 1:1, for row heights) and reads
the sentences of a page of ``PAGE_SIZE`` links when rows show.  Each sentence of a
side is on a line of its own, so a 2:1 link shows its two parts.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

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
from workbench.gui.session import ReviewSession
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
    document_loaded = Signal(int)  # document id (or -1 for none) after a reload
    page_loaded = Signal(int, int)  # first and last row of a page just read (the view sizes them)

    def __init__(self, session: ReviewSession | None = None, parent=None):
        super().__init__(parent)
        self._session: ReviewSession | None = None
        self.document_id: int | None = None
        self._ids: list[int] = []
        self._not_one_to_one: dict[int, tuple[int, int]] = {}
        self._rows: dict[int, int] = {}
        self._pages: PageCache[LinkRow] = PageCache(self._fetch, self.page_loaded.emit)
        self.last_changed: list[int] = []   # unit ids the last change touched
        self.set_session(session)

    # -- session and document ----------------------------------------------------
    def set_session(self, session: ReviewSession | None) -> None:
        if self._session is not None:
            self._session.units_changed.disconnect(self.refresh_links)
            self._session.structure_changed.disconnect(self._structure_changed)
            self._session.external_change.disconnect(self.refresh_shown)
        self._session = session
        if session is not None:
            session.units_changed.connect(self.refresh_links)
            session.structure_changed.connect(self._structure_changed)
            session.external_change.connect(self.refresh_shown)
        self.set_document(None)

    def set_document(self, document_id: int | None) -> None:
        self.beginResetModel()
        self.document_id = document_id
        self._pages.clear()
        if document_id is None or self._session is None:
            self._ids, self._not_one_to_one = [], {}
        else:
            store = self._session.store
            self._ids = store.unit_ids(document_id)
            self._not_one_to_one = link_queries.links_not_one_to_one(store, document_id)
        self._rows = {uid: row for row, uid in enumerate(self._ids)}
        self.endResetModel()
        self.document_loaded.emit(-1 if document_id is None else document_id)

    def reload(self) -> None:
        self.set_document(self.document_id)

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
            return str(section + 1)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

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
