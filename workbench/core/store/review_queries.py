"""Read-only questions the window asks the store, answered in SQL.

The core's ``Store`` answers per-unit questions; a 100,000-unit document also
needs cheap whole-document ones (which ids to show when skipped rows are
hidden, which units are unapproved, where a text occurs).  They live here, Qt
free, so the views stay thin.  Candidates to move into ``Store`` later.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from workbench.core.scoring import CorpusScores, document_scores
from workbench.core.model import Status, Unit
from workbench.core.store.database import Store
from workbench.core.store.link_queries import LinkSummary, is_pair, link_summary

# Kinds that are not part of the article proper: dimmed, and hidden on request.
SKIPPED_KINDS = ("meta", "boilerplate")


def visible_unit_ids(store: Store, document_id: int, hide_skipped: bool) -> list[int]:
    """Unit ids in reading order; ``hide_skipped`` leaves out excluded units and
    meta/boilerplate ones (a unit's kind is that of its first source segment,
    it is excluded when all its source segments are)."""
    ids = store.unit_ids(document_id)
    if not hide_skipped:
        return ids
    # One pass over the document's segments beats a correlated subquery per
    # unit by ~4x on 100,000 units.
    first_kind: dict[int, str] = {}
    included: set[int] = set()
    for unit_id, kind, excluded in store.conn.execute(
            """SELECT us.unit_id, s.kind, s.excluded FROM segments s
               JOIN unit_segments us ON us.segment_id = s.id
               WHERE s.document_id = ? AND us.side = 'source' ORDER BY s.seq""", (document_id,)):
        first_kind.setdefault(unit_id, kind)
        if not excluded:
            included.add(unit_id)
    return [uid for uid in ids
            if (uid in included or uid not in first_kind) and first_kind.get(uid, "body") not in SKIPPED_KINDS]


def next_todo_unit_ids(store: Store, document_id: int, after_unit_id: int | None,
                       statuses: Sequence[str], limit: int = 64) -> list[int]:
    """Up to ``limit`` units after ``after_unit_id`` in reading order (from the
    start when None) with one of ``statuses`` that are work to do: not excluded,
    not meta or boilerplate.  Walks the (document, seq) index from the
    position, so it costs the same at row 10 as at row 90,000."""
    marks = ",".join("?" * len(statuses))
    where, args = "", []
    if after_unit_id is not None:
        row = store.conn.execute("SELECT seq FROM units WHERE id = ?", (after_unit_id,)).fetchone()
        if row is not None:
            # "seq >= ?" lets SQLite start the index range here (50x faster at
            # row 50,000 than the equivalent row-value comparison).
            where, args = "AND u.seq >= ? AND (u.seq > ? OR u.id > ?)", [row[0], row[0], after_unit_id]
    return [r[0] for r in store.conn.execute(
        f"""SELECT u.id FROM units u WHERE u.document_id = ? AND u.status IN ({marks}) {where}
            AND NOT EXISTS (SELECT 1 FROM unit_segments us JOIN segments s ON s.id = us.segment_id
                            WHERE us.unit_id = u.id AND us.side = 'source'
                              AND (s.excluded = 1 OR s.kind IN (?, ?)))
            ORDER BY u.seq, u.id LIMIT ?""",
        (document_id, *statuses, *args, *SKIPPED_KINDS, limit))]


def document_progress(store: Store) -> dict[int, tuple[int, int]]:
    """``{document_id: (approved units, all units)}`` in one query (documents
    still being imported left out).

    :param store: the store to read.
    All units counted per document along ``units_document_seq`` and the approved
    ones along ``units_by_status``, each without a sort; the pending documents
    are left out of the grouped rows, not tested unit by unit (at 5,000,000 units:
    ~1.3 s instead of ~3 s)."""
    return {doc: (approved or 0, total) for doc, approved, total in store.conn.execute(
        "SELECT document_id, sum(a), sum(t) FROM (SELECT document_id, 0 AS a, count(*) AS t FROM units"
        " GROUP BY document_id UNION ALL SELECT document_id, count(*), 0 FROM units WHERE status = ?"
        " GROUP BY document_id) WHERE document_id NOT IN (SELECT id FROM documents WHERE pending IS NOT NULL)"
        " GROUP BY document_id", (Status.APPROVED.value,))}


def next_segment_id(store: Store, segment_id: int) -> int | None:
    """The segment after ``segment_id`` in its document, if any."""
    row = store.conn.execute(
        """SELECT n.id FROM segments s JOIN segments n
             ON n.document_id = s.document_id AND n.seq > s.seq
           WHERE s.id = ? ORDER BY n.seq LIMIT 1""", (segment_id,)).fetchone()
    return row[0] if row else None


def segment_texts(store: Store, segment_ids: Sequence[int]) -> list[str]:
    """Texts of segments by id, in one query (``{segment id: text}``)."""
    return [store.segment(sid).text for sid in segment_ids]


def locate_offset(texts: Sequence[str], offset: int) -> tuple[int, int]:
    """Map a cursor offset in the texts joined with single spaces (as
    ``Unit.source`` joins its segments) to ``(index of text, offset in it)``."""
    start = 0
    for n, text in enumerate(texts):
        end = start + len(text)
        if offset <= end or n == len(texts) - 1:
            return n, max(0, min(offset - start, len(text)))
        start = end + 1
    raise ValueError("no texts")


@dataclass(frozen=True)
class SearchQuery:
    """What Find looks for: the pattern, regex or plain, case, and which side(s)."""
    pattern: str
    in_source: bool = True
    in_target: bool = True
    regex: bool = False
    case_sensitive: bool = False

    def compiled(self) -> re.Pattern[str]:
        """The pattern as a regex (``re.error`` for a bad one)."""
        flags = 0 if self.case_sensitive else re.IGNORECASE
        return re.compile(self.pattern if self.regex else re.escape(self.pattern), flags)


def _texts(store: Store, document_id: int) -> Iterable[tuple[int, str, str]]:
    """(unit id, source, target) of every unit, in reading order, without the
    per-unit subqueries of ``Store.units`` (this runs over whole documents)."""
    sources: dict[int, list[str]] = {}
    for unit_id, text in store.conn.execute(
            """SELECT us.unit_id, s.text FROM segments s JOIN unit_segments us ON us.segment_id = s.id
               WHERE s.document_id = ? AND us.side = 'source' ORDER BY s.seq""", (document_id,)):
        sources.setdefault(unit_id, []).append(text)
    for unit_id, target in store.conn.execute(
            "SELECT id, target FROM units WHERE document_id = ? ORDER BY seq, id", (document_id,)):
        yield unit_id, " ".join(sources.get(unit_id, ())), target


def search_units(store: Store, document_id: int, query: SearchQuery) -> list[int]:
    """Ids of units whose source and/or target match, in reading order."""
    pattern = query.compiled()
    return [uid for uid, source, target in _texts(store, document_id)
            if (query.in_source and pattern.search(source))
            or (query.in_target and pattern.search(target))]


def replace_in_targets(store: Store, document_id: int, query: SearchQuery,
                       replacement: str) -> list[tuple[int, str]]:
    """``(unit id, new target)`` for every target the replacement changes."""
    pattern = query.compiled()
    if not query.regex:
        replacement = replacement.replace("\\", "\\\\")  # literal text, no group references
    changed = []
    for uid, _source, target in _texts(store, document_id):
        new = pattern.sub(replacement, target)
        if new != target:
            changed.append((uid, new))
    return changed


@dataclass(frozen=True)
class DocumentFigures:
    """What the metrics panel shows for one document."""
    document_id: int
    scores: CorpusScores | None
    unit_ids: tuple[int, ...]          # every unit, in reading order
    ter: tuple[float | None, ...]      # its stored post-edit TER (None: nothing to compare)
    reviewed: tuple[bool, ...]         # edited or approved: the units the corpus scores use


def document_figures(db_path: str | Path, document_id: int) -> DocumentFigures:
    """Corpus scores and per-unit TER, read through a Store of its own (runs
    in a worker thread)."""
    with Store(db_path, create=False) as store:
        rows = store.conn.execute(
            "SELECT id, pe_ter, status FROM units WHERE document_id = ? ORDER BY seq, id",
            (document_id,)).fetchall()
        scores = document_scores(store, document_id)
    return DocumentFigures(document_id, scores, tuple(r[0] for r in rows), tuple(r[1] for r in rows),
                           tuple(r[2] in Status.BY_PERSON for r in rows))


def figures_of(db_path: str | Path, document_ids: Sequence[int]) -> list[DocumentFigures]:
    """Counts and post-edit figures of a document, as the metrics panel shows them."""
    return [document_figures(db_path, doc) for doc in document_ids]


@dataclass(frozen=True)
class DocumentCounts:
    """What the status bar, the document list and (for a pair) the figures
    panel count for one document."""
    document_id: int
    statuses: dict[str, int]           # units per status (all four keys)
    links: LinkSummary | None = None   # a document pair's links, in link words

    @property
    def units(self) -> int:
        """How many units the document has (all statuses)."""
        return sum(self.statuses.values())


def document_counts_of(db_path: str | Path, document_ids: Sequence[int]) -> dict[int, DocumentCounts]:
    """Units per status for each document, and the links of document pairs,
    through a Store of its own (runs in a worker thread)."""
    with Store(db_path, create=False) as store:
        return {doc: DocumentCounts(doc, store.status_counts(doc),
                                    link_summary(store, doc) if is_pair(store, doc) else None)
                for doc in document_ids}


def describe_unit(unit: Unit) -> str:
    """One line about a unit for the editor pane: id, paragraph, kind, segments."""
    shape = f"{len(unit.source_segment_ids)} segment{'s' if len(unit.source_segment_ids) != 1 else ''}"
    return f"unit {unit.id} · paragraph {unit.paragraph + 1} · {unit.kind} · {shape}"
