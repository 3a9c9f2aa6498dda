"""Read-only questions the alignment view asks the store, answered in SQL.

A *link* is a unit of an aligned document pair: n source sentences and m
target sentences.  The view keeps a document's link ids (and the shapes of
the few links that are not 1:1, for row heights) and reads the sentences of a
page of links at a time; the navigation (next suspicious, next unconfirmed)
asks for the ids of the candidates.  Qt free, like ``queries``.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from workbench.core.model import Status
from workbench.core.store.database import Store

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
    """Counts of a document's links, in link words.

    A link is confirmed when a person checked it; confirming a link that has
    a target approves its unit (export takes approved units), so a confirmed
    1:0 link (a sentence with no translation) is never approved: the two
    counts differ by such links, and every view says which one it shows."""
    links: int
    confirmed: int
    not_one_to_one: int     # n:m and one-sided links
    low_confidence: int
    approved: int = 0       # units approved (what the document list and export count)
    one_sided: int = 0      # 1:0 and 0:1 links (a sentence on one side only)
    suspicious: int = 0     # unconfirmed and not 1:1 or of low confidence (F8 visits them)
    confirmed_without_target: int = 0  # confirmed, but nothing to approve (1:0)

    @property
    def unconfirmed(self) -> int:
        return self.links - self.confirmed

    @property
    def many(self) -> int:
        """n:m links with sentences on both sides (2:1, 1:2...)."""
        return self.not_one_to_one - self.one_sided

    def describe(self) -> str:
        """The alignment view's summary line."""
        return (f"{self.links:,} links · {self.confirmed:,} confirmed · {self.approved:,}/{self.links:,} "
                f"approved · {self.many:,} n:m · {self.one_sided:,} one-sided (1:0 or 0:1) · "
                f"{self.low_confidence:,} below {LOW_CONFIDENCE:.0%} confidence")

    def status_line(self) -> str:
        """The status bar's counts while the alignment view is shown."""
        return (f"{self.confirmed:,}/{self.links:,} links confirmed · {self.unconfirmed:,} unconfirmed · "
                f"{self.suspicious:,} suspicious · {self.approved:,} approved")

    def all_confirmed(self) -> str:
        """What to say when no link is left to confirm."""
        text = f"every link is confirmed · {self.approved:,}/{self.links:,} units approved"
        if self.confirmed_without_target:
            n = self.confirmed_without_target
            text += (f" ({n:,} confirmed 1:0 link{'s have' if n != 1 else ' has'} no target to approve)")
        return text


def is_pair(store: Store, document_id: int) -> bool:
    """Whether the document's units are aligned to a human translation.

    Asked of the units, not of ``translation_of``: undoing an alignment puts
    the 1:0 units back while the translation stays imported."""
    return store.conn.execute(
        "SELECT 1 FROM units WHERE document_id = ? AND target_document_id IS NOT NULL LIMIT 1",
        (document_id,)).fetchone() is not None


def pair_document_ids(store: Store) -> dict[int, int]:
    """``{source document id: its translation's id}`` for every aligned pair."""
    return {src: tgt for tgt, src in store.conn.execute(
        "SELECT d.id, d.translation_of FROM documents d WHERE d.translation_of IS NOT NULL"
        " AND d.pending IS NULL AND EXISTS"
        " (SELECT 1 FROM units u WHERE u.document_id = d.translation_of AND u.target_document_id = d.id)"
        " ORDER BY d.id")}


def confirmed_links(store: Store, document_ids: Iterable[int]) -> dict[int, int]:
    """``{document id: confirmed links}`` for the given documents (pairs)."""
    ids = list(document_ids)
    if not ids:
        return {}
    return {doc: n for doc, n in store.conn.execute(
        f"SELECT document_id, sum(confirmed) FROM units WHERE document_id IN ({','.join('?' * len(ids))})"
        " GROUP BY document_id", ids)}


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


def link_summary(store: Store, document_id: int,
                 not_one_to_one: Mapping[int, tuple[int, int]] | None = None) -> LinkSummary:
    """Counts of the document's links; ``not_one_to_one`` is what
    ``links_not_one_to_one`` returns (read when not given).

    :param store: the store to read.
    :param document_id: a document pair's source document.
    :param not_one_to_one: the shapes of its links that are not 1:1.
    """
    shapes = links_not_one_to_one(store, document_id) if not_one_to_one is None else not_one_to_one
    links = confirmed = low = approved = suspicious = bare = 0
    for uid, is_confirmed, confidence, status, target in store.conn.execute(
            "SELECT id, confirmed, confidence, status, target FROM units WHERE document_id = ?", (document_id,)):
        links += 1
        weak = confidence is not None and confidence < LOW_CONFIDENCE
        low += weak
        approved += status == Status.APPROVED
        if is_confirmed:
            confirmed += 1
            bare += target == ""
        elif weak or uid in shapes:
            suspicious += 1
    one_sided = sum(1 for n, m in shapes.values() if n == 0 or m == 0)
    return LinkSummary(links, confirmed, len(shapes), low, approved, one_sided, suspicious, bare)


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
