"""Read-only questions the alignment view asks the store, answered in SQL.

A *link* is a unit of an aligned document pair: n source sentences and m
target sentences.  The view keeps a document's link ids (with their shapes,
for row heights) and reads the sentences of a page of links at a time; the
navigation (next suspicious, next unconfirmed) scans one compact query over
the document.  Qt free, like ``queries``.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..core.store import Store

# Below this confidence a link is worth a second look.
LOW_CONFIDENCE = 0.5


@dataclass(frozen=True)
class LinkShape:
    """What the view needs of every link up front: id and shape."""
    unit_id: int
    sources: int
    targets: int


@dataclass(frozen=True)
class LinkRow:
    """One link as the view shows it: the sentences of both sides."""
    unit_id: int
    sources: tuple[str, ...]
    targets: tuple[str, ...]
    confidence: float | None
    confirmed: bool
    status: str
    target: str                 # the unit's target text (post-editing may have changed it)

    @property
    def shape(self) -> str:
        return f"{len(self.sources)}:{len(self.targets)}"

    @property
    def one_to_one(self) -> bool:
        return len(self.sources) == 1 and len(self.targets) == 1

    @property
    def low_confidence(self) -> bool:
        return self.confidence is not None and self.confidence < LOW_CONFIDENCE

    @property
    def suspicious(self) -> bool:
        return not self.one_to_one or self.low_confidence

    @property
    def target_edited(self) -> bool:
        """The target text no longer is the target sentences (edited in post-editing)."""
        return self.target != " ".join(self.targets)


@dataclass(frozen=True)
class LinkSummary:
    links: int
    confirmed: int
    not_one_to_one: int
    low_confidence: int

    def describe(self) -> str:
        return (f"{self.links:,} links · {self.confirmed:,} confirmed · "
                f"{self.not_one_to_one:,} not 1:1 · {self.low_confidence:,} below "
                f"{LOW_CONFIDENCE:.0%} confidence")


def is_pair(store: Store, document_id: int) -> bool:
    """Whether the document has a human translation aligned to it."""
    if store.conn.execute("SELECT 1 FROM documents WHERE translation_of = ? LIMIT 1",
                          (document_id,)).fetchone():
        return True
    return store.conn.execute(
        "SELECT 1 FROM units WHERE document_id = ? AND target_document_id IS NOT NULL LIMIT 1",
        (document_id,)).fetchone() is not None


def pair_document_ids(store: Store) -> dict[int, int]:
    """``{source document id: its translation's id}`` for every pair."""
    return {src: tgt for tgt, src in store.conn.execute(
        "SELECT id, translation_of FROM documents WHERE translation_of IS NOT NULL ORDER BY id")}


# One pass over the document's units joined to their segments: the index on
# unit_segments(unit_id, side) makes it ~10 ms for 10,000 links.
_SHAPES_SQL = """
SELECT u.id, coalesce(sum(us.side = 'source'), 0), coalesce(sum(us.side = 'target'), 0),
       u.confirmed, u.confidence
FROM units u LEFT JOIN unit_segments us ON us.unit_id = u.id
WHERE u.document_id = ?
GROUP BY u.id
ORDER BY u.seq, u.id
"""


def link_shapes(store: Store, document_id: int) -> list[LinkShape]:
    """Every link of the document in reading order, with its shape."""
    return [LinkShape(uid, n, m) for uid, n, m, _c, _f in store.conn.execute(_SHAPES_SQL, (document_id,))]


def link_summary(store: Store, document_id: int) -> LinkSummary:
    links = confirmed = odd = low = 0
    for _uid, n, m, is_confirmed, confidence in store.conn.execute(_SHAPES_SQL, (document_id,)):
        links += 1
        confirmed += bool(is_confirmed)
        odd += not (n == 1 and m == 1)
        low += confidence is not None and confidence < LOW_CONFIDENCE
    return LinkSummary(links, confirmed, odd, low)


def link_rows(store: Store, unit_ids: Sequence[int]) -> dict[int, LinkRow]:
    """The links of ``unit_ids`` (a page), in two queries."""
    found: dict[int, LinkRow] = {}
    for start in range(0, len(unit_ids), 500):
        chunk = list(unit_ids[start:start + 500])
        marks = ",".join("?" * len(chunk))
        sides: dict[int, tuple[list[str], list[str]]] = {uid: ([], []) for uid in chunk}
        for uid, side, text in store.conn.execute(
                f"""SELECT us.unit_id, us.side, s.text FROM unit_segments us
                    JOIN segments s ON s.id = us.segment_id
                    WHERE us.unit_id IN ({marks}) ORDER BY s.seq""", chunk):
            sides[uid][0 if side == "source" else 1].append(text)
        for uid, status, confirmed, confidence, target in store.conn.execute(
                f"SELECT id, status, confirmed, confidence, target FROM units WHERE id IN ({marks})", chunk):
            sources, targets = sides[uid]
            found[uid] = LinkRow(uid, tuple(sources), tuple(targets), confidence, bool(confirmed),
                                 status, target)
    return found


def next_link(store: Store, document_id: int, after_unit_id: int | None, wanted: str) -> int | None:
    """The first link after ``after_unit_id`` (wrapping around; from the top
    when None) that is ``wanted``: "unconfirmed", or "suspicious" (not 1:1 or
    of low confidence, and not yet confirmed: a confirmed link was looked at)."""
    if wanted not in ("unconfirmed", "suspicious"):
        raise ValueError(f"unknown kind of link: {wanted}")
    rows = store.conn.execute(_SHAPES_SQL, (document_id,)).fetchall()
    start = next((n + 1 for n, row in enumerate(rows) if row[0] == after_unit_id), 0)
    for uid, n, m, confirmed, confidence in rows[start:] + rows[:start]:
        if confirmed:
            continue
        if wanted == "unconfirmed" or not (n == 1 and m == 1) or (
                confidence is not None and confidence < LOW_CONFIDENCE):
            return uid
    return None
