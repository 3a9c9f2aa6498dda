"""Read-only questions the alignment view asks the store, answered in SQL.

A *link* is a unit of an aligned document pair: n source sentences and m
target sentences.  The view keeps a document's link ids (and the shapes of
the few links that are not 1:1, for row heights) and reads the sentences of a
page of links at a time; the navigation (next suspicious, next unconfirmed)
asks for the ids of the candidates.  Qt free, like ``queries``.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..core.store import Store

# Below this confidence a link is worth a second look.
LOW_CONFIDENCE = 0.5


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
        "SELECT id, translation_of FROM documents WHERE translation_of IS NOT NULL"
        " AND pending IS NULL ORDER BY id")}


# Only the links that are not 1:1 (a minority): the view gives their rows more
# height.  ~30 ms for 10,000 links; the ids themselves come from the units index.
_NOT_ONE_TO_ONE_SQL = """
SELECT us.unit_id, sum(us.side = 'source'), sum(us.side = 'target')
FROM units u JOIN unit_segments us ON us.unit_id = u.id
WHERE u.document_id = ?
GROUP BY us.unit_id
HAVING sum(us.side = 'source') != 1 OR sum(us.side = 'target') != 1
"""


def links_not_one_to_one(store: Store, document_id: int) -> dict[int, tuple[int, int]]:
    """``{unit id: (source sentences, target sentences)}`` of the links that are not 1:1."""
    return {uid: (n, m) for uid, n, m in store.conn.execute(_NOT_ONE_TO_ONE_SQL, (document_id,))}


def link_summary(store: Store, document_id: int, not_one_to_one: int) -> LinkSummary:
    """Counts of the document's links (the caller knows how many are not 1:1)."""
    links, confirmed, low = store.conn.execute(
        "SELECT count(*), coalesce(sum(confirmed), 0), coalesce(sum(confidence < ?), 0)"
        " FROM units WHERE document_id = ?", (LOW_CONFIDENCE, document_id)).fetchone()
    return LinkSummary(links, confirmed, not_one_to_one, low)


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


def unconfirmed_link_ids(store: Store, document_id: int) -> set[int]:
    return {r[0] for r in store.conn.execute(
        "SELECT id FROM units WHERE document_id = ? AND confirmed = 0", (document_id,))}


def suspicious_link_ids(store: Store, document_id: int, not_one_to_one: Iterable[int]) -> set[int]:
    """Unconfirmed links that are not 1:1 or of low confidence (a confirmed
    link was looked at by a person: it is no longer suspicious)."""
    unconfirmed = unconfirmed_link_ids(store, document_id)
    low = {r[0] for r in store.conn.execute(
        "SELECT id FROM units WHERE document_id = ? AND confirmed = 0 AND confidence < ?",
        (document_id, LOW_CONFIDENCE))}
    return low | (unconfirmed & set(not_one_to_one))


def first_row_after(rows: Iterable[int], current: int) -> int | None:
    """The smallest row after ``current``, else the smallest (wrapping around)."""
    after = first = None
    for row in rows:
        if row > current and (after is None or row < after):
            after = row
        if first is None or row < first:
            first = row
    return after if after is not None else first
