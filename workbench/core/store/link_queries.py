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
from workbench.core.store.connection import in_chunks
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
    source_ids: tuple[int, ...] = ()   # the segment ids of ``sources``, in the same order
    target_ids: tuple[int, ...] = ()   # the segment ids of ``targets``

    @property
    def shape(self) -> str:
        """The link's type as ``n:m`` (source sentences : target sentences)."""
        return f"{len(self.sources)}:{len(self.targets)}"

    @property
    def one_to_one(self) -> bool:
        """Whether the link joins exactly one source and one target sentence."""
        return len(self.sources) == 1 and len(self.targets) == 1

    @property
    def low_confidence(self) -> bool:
        """Whether the aligner's confidence is below the review threshold."""
        return self.confidence is not None and self.confidence < LOW_CONFIDENCE

    @property
    def suspicious(self) -> bool:
        """Whether a reviewer should look first: unconfirmed and not 1:1 or low confidence."""
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
        """Links not yet confirmed."""
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
    for chunk, marks in in_chunks(unit_ids):
        sides: dict[int, tuple[list[tuple[int, str]], list[tuple[int, str]]]] = {uid: ([], []) for uid in chunk}
        for uid, side, sid, text in store.conn.execute(
                f"""SELECT us.unit_id, us.side, s.id, s.text FROM unit_segments us
                    JOIN segments s ON s.id = us.segment_id
                    WHERE us.unit_id IN ({marks}) ORDER BY s.seq""", chunk):
            sides[uid][0 if side == "source" else 1].append((sid, text))
        for uid, status, confirmed, confidence, target in store.conn.execute(
                f"SELECT id, status, confirmed, confidence, target FROM units WHERE id IN ({marks})", chunk):
            sources, targets = sides[uid]
            found[uid] = LinkRow(uid, tuple(t for _, t in sources), tuple(t for _, t in targets), confidence,
                                 bool(confirmed), status, target, tuple(i for i, _ in sources),
                                 tuple(i for i, _ in targets))
    return found


def link_confidences(store: Store, document_id: int) -> dict[int, float | None]:
    """``{unit id: the aligner's confidence}`` of every link of a document pair.

    :param store: the store to read.
    :param document_id: a document pair's source document."""
    return dict(store.conn.execute("SELECT id, confidence FROM units WHERE document_id = ?", (document_id,)))


def find_links(store: Store, document_id: int, text: str, *, source: bool = True,
               target: bool = True) -> set[int]:
    """Ids of the links with a sentence that contains ``text`` (case and
    accents of any script compared as Python's ``casefold`` does: SQLite's
    ``LIKE`` folds ASCII only).

    :param store: the store to read.
    :param document_id: a document pair's source document.
    :param text: what to find (empty: nothing is found).
    :param source: look in the source sentences.
    :param target: look in the target sentences."""
    needle = text.casefold()
    sides = [side for side, wanted in (("source", source), ("target", target)) if wanted]
    if not needle or not sides:
        return set()
    marks = ",".join("?" * len(sides))
    return {uid for uid, sentence in store.conn.execute(
        f"SELECT us.unit_id, s.text FROM units u JOIN unit_segments us ON us.unit_id = u.id"
        f" JOIN segments s ON s.id = us.segment_id WHERE u.document_id = ? AND us.side IN ({marks})",
        (document_id, *sides)) if needle in sentence.casefold()}


def unconfirmed_link_ids(store: Store, document_id: int) -> set[int]:
    """Ids of the document's unconfirmed links, in reading order."""
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


@dataclass(frozen=True)
class PairLayout:
    """A document pair as the alignment map needs it: both sides' sentences in
    reading order, and each link as sentence positions."""
    sources: tuple[str, ...]
    targets: tuple[str, ...]
    # (unit id, source sentence indices, target sentence indices, confidence), in reading order
    links: tuple[tuple[int, tuple[int, ...], tuple[int, ...], float | None], ...]


def pair_layout(store: Store, document_id: int) -> PairLayout:
    """Both sides of a document pair and its links as sentence positions.

    :param store: the store to read.
    :param document_id: a document pair's source document (its translation
        is the document its links' target sentences belong to)."""
    row = store.conn.execute("SELECT target_document_id FROM units WHERE document_id = ?"
                             " AND target_document_id IS NOT NULL LIMIT 1", (document_id,)).fetchone()
    target_id = row[0] if row else None
    position: dict[int, tuple[str, int]] = {}
    texts: dict[str, list[str]] = {"source": [], "target": []}
    for side, doc in (("source", document_id), ("target", target_id)):
        if doc is None:
            continue
        for sid, text in store.conn.execute(
                "SELECT id, text FROM segments WHERE document_id = ? ORDER BY seq", (doc,)):
            position[sid] = (side, len(texts[side]))
            texts[side].append(text)
    links: dict[int, tuple[list[int], list[int], float | None]] = {
        uid: ([], [], confidence) for uid, confidence in store.conn.execute(
            "SELECT id, confidence FROM units WHERE document_id = ? ORDER BY seq", (document_id,))}
    for uid, sid in store.conn.execute(
            "SELECT us.unit_id, us.segment_id FROM unit_segments us JOIN units u ON u.id = us.unit_id"
            " WHERE u.document_id = ?", (document_id,)):
        side, index = position.get(sid, (None, -1))
        if side is not None:
            links[uid][0 if side == "source" else 1].append(index)
    return PairLayout(tuple(texts["source"]), tuple(texts["target"]),
                      tuple((uid, tuple(sorted(s)), tuple(sorted(t)), c) for uid, (s, t, c) in links.items()))
