"""Alignment editing as command objects (undoable, written at once).

A link is a unit with source and target segments.  Every operation here is
structural: it returns ``RestoreRows`` with the exact rows it touched.  The
target text of a link is recomputed from its target segments after each
change (a human translation's text *is* its segments).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from workbench.core.edits.commands import Command, merge_units_into, rescore, structural
from workbench.core.errors import BadInputError, NotFoundError, PostEditsError

if TYPE_CHECKING:
    from workbench.core.store.database import Store


def _unit_row(store: Store, unit_id: int) -> tuple[int, float]:
    row = store.conn.execute("SELECT document_id, seq FROM units WHERE id = ?", (unit_id,)).fetchone()
    if row is None:
        raise NotFoundError(f"no link (translation unit) with id {unit_id}")
    return row


def _neighbour(store: Store, unit_id: int, direction: int) -> int | None:
    row = store.conn.execute("SELECT document_id, seq FROM units WHERE id = ?", (unit_id,)).fetchone()
    if row is None:  # asked again for history after the unit was removed
        return None
    doc, seq = row
    op, order = (">", "ASC") if direction > 0 else ("<", "DESC")
    row = store.conn.execute(
        f"SELECT id FROM units WHERE document_id = ? AND (seq {op} ? OR (seq = ? AND id {op} ?))"
        f" ORDER BY seq {order}, id {order} LIMIT 1", (doc, seq, seq, unit_id)).fetchone()
    return row[0] if row else None


def _side_ids(store: Store, unit_id: int, side: str) -> list[int]:
    return [r[0] for r in store.conn.execute(
        "SELECT us.segment_id FROM unit_segments us JOIN segments s ON s.id = us.segment_id"
        " WHERE us.unit_id = ? AND us.side = ? ORDER BY s.seq", (unit_id, side))]


def _all_segment_ids(store: Store, unit_ids) -> set[int]:
    found: set[int] = set()
    for uid in unit_ids:
        if uid is not None:
            found.update(r[0] for r in store.conn.execute(
                "SELECT segment_id FROM unit_segments WHERE unit_id = ?", (uid,)))
    return found


def refresh_target(store: Store, unit_id: int) -> None:
    """Target text := the unit's target segments joined (aligned links only)."""
    from workbench.core.store.database import utc_now

    texts = [r[0] for r in store.conn.execute(
        "SELECT s.text FROM unit_segments us JOIN segments s ON s.id = us.segment_id"
        " WHERE us.unit_id = ? AND us.side = 'target' ORDER BY s.seq", (unit_id,))]
    target = " ".join(texts)
    # updated_at: the unit's target changed (export writes it as the change date).
    store.conn.execute(
        "UPDATE units SET target = ?, status = CASE WHEN ? = '' THEN 'new' ELSE 'edited' END,"
        " confirmed = 0, updated_at = ? WHERE id = ?", (target, target, utc_now(), unit_id))
    rescore(store.conn, unit_id)


def _insert_unit_after(store: Store, unit_id: int) -> int:
    from workbench.core.edits.commands import _seq_after
    from workbench.core.store.database import utc_now

    doc, seq = _unit_row(store, unit_id)
    tdoc = store.conn.execute("SELECT target_document_id FROM units WHERE id = ?", (unit_id,)).fetchone()[0]
    now = utc_now()
    return store.conn.execute(
        "INSERT INTO units (document_id, target_document_id, seq, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?)", (doc, tdoc, _seq_after(store, "units", doc, seq), now, now)).lastrowid


class _LinkCommand(Command):
    def _scope_units(self, store: Store) -> set[int]:  # pragma: no cover - abstract
        raise NotImplementedError

    def scope(self, store: Store) -> tuple[set[int], set[int]]:
        units = {u for u in self._scope_units(store) if u is not None}
        return _all_segment_ids(store, units), units

    def perform(self, store: Store) -> Command:
        segs, units = self.scope(store)
        return structural(store, self.label, segs, units, lambda: self._change(store))

    def _change(self, store: Store):  # pragma: no cover - abstract
        raise NotImplementedError


@dataclass(frozen=True)
class MergeLinks(_LinkCommand):
    """Merge a link with the next one."""

    unit_id: int
    label: ClassVar[str] = "merge links"

    def _scope_units(self, store):
        return {self.unit_id, _neighbour(store, self.unit_id, +1)}

    def _change(self, store):
        following = _neighbour(store, self.unit_id, +1)
        if following is None:
            raise BadInputError(f"link {self.unit_id} is the last one: nothing to merge with")
        merge_units_into(store, self.unit_id, following)
        refresh_target(store, self.unit_id)
        return [], []

    def describe(self) -> str:
        return f"merge link {self.unit_id} with the next"


@dataclass(frozen=True)
class SplitLink(_LinkCommand):
    """Split a link: the first ``source_at`` source and ``target_at`` target
    segments stay, the rest move to a new link right after.  ``(1, 0)`` on a
    1:1 link inserts an empty counterpart (gives 1:0 and 0:1)."""

    unit_id: int
    source_at: int = 1
    target_at: int = 1
    label: ClassVar[str] = "split link"

    def _scope_units(self, store):
        return {self.unit_id}

    def _change(self, store):
        src, tgt = _side_ids(store, self.unit_id, "source"), _side_ids(store, self.unit_id, "target")
        if not (0 <= self.source_at <= len(src) and 0 <= self.target_at <= len(tgt)):
            raise BadInputError(f"link {self.unit_id} has {len(src)}:{len(tgt)} segments; cannot split at "
                                f"{self.source_at}:{self.target_at}")
        moving = src[self.source_at:] + tgt[self.target_at:]
        staying = src[:self.source_at] + tgt[:self.target_at]
        if not moving or not staying:
            raise BadInputError(f"splitting link {self.unit_id} at {self.source_at}:{self.target_at} "
                                "would leave an empty link")
        new_uid = _insert_unit_after(store, self.unit_id)
        store.conn.executemany("UPDATE unit_segments SET unit_id = ? WHERE segment_id = ?",
                               [(new_uid, s) for s in moving])
        store.conn.execute("UPDATE units SET mt = NULL, mt_engine = NULL, mt_model = NULL,"
                           " mt_version = NULL WHERE id = ?", (self.unit_id,))
        refresh_target(store, self.unit_id)
        refresh_target(store, new_uid)
        return [], [new_uid]

    def describe(self) -> str:
        return f"split link {self.unit_id} at {self.source_at}:{self.target_at}"


@dataclass(frozen=True)
class MoveSegment(_LinkCommand):
    """Move the first segment of a side up into the previous link
    (``direction=-1``) or the last segment down into the next (``+1``).
    A link left with no segment at all is removed."""

    unit_id: int
    side: str          # "source" | "target"
    direction: int     # -1 up, +1 down
    label: ClassVar[str] = "move sentence"

    def _scope_units(self, store):
        return {self.unit_id, _neighbour(store, self.unit_id, self.direction)}

    def _change(self, store):
        if self.side not in ("source", "target") or self.direction not in (-1, 1):
            raise BadInputError("side must be source or target, direction -1 or +1")
        other = _neighbour(store, self.unit_id, self.direction)
        if other is None:
            raise BadInputError(f"link {self.unit_id} has no {'previous' if self.direction < 0 else 'next'} link")
        ids = _side_ids(store, self.unit_id, self.side)
        if not ids:
            raise BadInputError(f"link {self.unit_id} has no {self.side} sentence to move")
        moved = ids[0] if self.direction < 0 else ids[-1]
        store.conn.execute("UPDATE unit_segments SET unit_id = ? WHERE segment_id = ?", (other, moved))
        left = store.conn.execute("SELECT count(*) FROM unit_segments WHERE unit_id = ?",
                                  (self.unit_id,)).fetchone()[0]
        if left == 0:
            store.conn.execute("DELETE FROM units WHERE id = ?", (self.unit_id,))
        else:
            refresh_target(store, self.unit_id)
        refresh_target(store, other)
        return [], []

    def describe(self) -> str:
        where = "up into the previous" if self.direction < 0 else "down into the next"
        return f"move {self.side} sentence of link {self.unit_id} {where} link"


@dataclass(frozen=True)
class ConfirmLinks(Command):
    """Mark links checked by a person.  A confirmed link of a human
    translation is an approved pair (export takes approved units)."""

    unit_ids: tuple[int, ...]
    confirmed: bool = True
    label: ClassVar[str] = "confirm links"

    def scope(self, store: Store) -> tuple[set[int], set[int]]:
        return set(), set(self.unit_ids)

    def perform(self, store: Store) -> Command:
        segs, units = self.scope(store)
        return structural(store, self.label, segs, units, lambda: self._change(store))

    def _change(self, store):
        from workbench.core.store.database import utc_now

        now = utc_now()
        for uid in self.unit_ids:
            _unit_row(store, uid)
            # A confirmation is a change of the unit: TMX shows updated_at as
            # its changedate, which must not stay the import time.
            store.conn.execute(
                "UPDATE units SET confirmed = ?, status = CASE WHEN ? AND target != '' THEN 'approved'"
                " WHEN status = 'approved' THEN 'edited' ELSE status END, updated_at = ? WHERE id = ?",
                (int(self.confirmed), int(self.confirmed), now, uid))
        return [], []

    def describe(self) -> str:
        return f"{'confirm' if self.confirmed else 'unconfirm'} links {list(self.unit_ids)}"


@dataclass(frozen=True)
class RealignRange(_LinkCommand):
    """Re-run the aligner over the links ``first_unit_id`` .. ``last_unit_id``."""

    first_unit_id: int
    last_unit_id: int
    label: ClassVar[str] = "re-align"

    def _range(self, store) -> list[int]:
        doc, first_seq = _unit_row(store, self.first_unit_id)
        doc2, last_seq = _unit_row(store, self.last_unit_id)
        if doc != doc2:
            raise BadInputError("both links must be in the same document")
        lo, hi = sorted((first_seq, last_seq))
        return [r[0] for r in store.conn.execute(
            "SELECT id FROM units WHERE document_id = ? AND seq BETWEEN ? AND ? ORDER BY seq, id",
            (doc, lo, hi))]

    def _scope_units(self, store):
        return set(self._range(store))

    def _change(self, store):
        from workbench.core.align import align

        units = self._range(store)
        src = [s for u in units for s in _side_ids(store, u, "source")]
        tgt = [s for u in units for s in _side_ids(store, u, "target")]
        seg = {r[0]: r[1:] for r in store.conn.execute(
            f"SELECT id, text, paragraph FROM segments WHERE id IN ({','.join(map(str, src + tgt)) or '0'})")}
        doc = store.document(_unit_row(store, units[0])[0])
        tdoc_id = store.conn.execute("SELECT target_document_id FROM units WHERE id = ?",
                                     (units[0],)).fetchone()[0]
        tgt_lang = store.document(tdoc_id).language if tdoc_id else (doc.target_language or "en")
        links = align([seg[s][0] for s in src], [seg[t][0] for t in tgt], doc.language, tgt_lang,
                      src_paragraphs=[seg[s][1] for s in src], tgt_paragraphs=[seg[t][1] for t in tgt])
        # Reuse the range's unit ids in order, create more if the new alignment has more links.
        store.conn.executemany("DELETE FROM unit_segments WHERE unit_id = ?", [(u,) for u in units])
        ids = list(units)
        created = []
        while len(ids) < len(links):
            new = _insert_unit_after(store, ids[-1])
            ids.append(new)
            created.append(new)
        for uid, link in zip(ids, links):
            store.conn.executemany(
                "INSERT INTO unit_segments (segment_id, unit_id, side) VALUES (?, ?, ?)",
                [(src[i], uid, "source") for i in link.src] + [(tgt[j], uid, "target") for j in link.tgt])
            store.conn.execute("UPDATE units SET confidence = ? WHERE id = ?", (link.confidence, uid))
            refresh_target(store, uid)
        store.conn.executemany("DELETE FROM units WHERE id = ?", [(u,) for u in ids[len(links):]])
        return [], created

    def describe(self) -> str:
        return f"re-align links {self.first_unit_id}..{self.last_unit_id}"


# -- aligning a whole document with its translation ---------------------------------

# One link: (source segment ids, target segment ids, the aligner's confidence).
LinkSpec = tuple[tuple[int, ...], tuple[int, ...], float | None]

_POST_EDITED_SQL = """
SELECT u.id, u.status, u.target,
       (SELECT group_concat(text, ' ') FROM (
            SELECT s.text FROM unit_segments us JOIN segments s ON s.id = us.segment_id
            WHERE us.unit_id = u.id AND us.side = 'target' ORDER BY s.seq))
FROM units u WHERE u.document_id = ? AND u.status IN ('edited', 'approved') ORDER BY u.seq, u.id
"""


def post_edited_unit_ids(store: Store, document_id: int) -> list[int]:
    """Units whose target a person wrote or signed off, in reading order.

    That is every approved unit with a target (an approved post-edit, an
    approved MT, a confirmed link of an aligned translation) and every
    edited unit whose target is not just the text of its own target
    sentences: an aligned link's translation is no post-edit, an untouched
    machine translation has status machine.

    :param store: the store to read.
    :param document_id: the (source) document.
    """
    return [uid for uid, status, target, linked in store.conn.execute(_POST_EDITED_SQL, (document_id,))
            if _reviewed(status, target, linked or "")]


def _reviewed(status: str, target: str, linked: str) -> bool:
    return bool(target.strip()) and (status == "approved" or (status == "edited" and target != linked))


def check_post_edits(store: Store, document_id: int, keep_targets: bool | None) -> int:
    """How many post-edited units aligning ``document_id`` meets; raises
    ``PostEditsError`` when there are some and ``keep_targets`` is None (no
    choice made between keeping and replacing them).

    :param store: the store to read.
    :param document_id: the document about to be aligned.
    :param keep_targets: True keep, False replace, None not said.
    """
    count = len(post_edited_unit_ids(store, document_id))
    if count and keep_targets is None:
        title = store.document(document_id).title
        raise PostEditsError(f"document {document_id} (“{title}”) has {count:,} post-edited or approved "
                             f"target{'s' if count != 1 else ''} that aligning would replace")
    return count


@dataclass
class _OldUnit:
    id: int
    row: dict
    sources: list[int]
    targets: list[int]
    target_texts: list[str]

    @property
    def post_edited(self) -> bool:
        """A target a person wrote or signed off (see ``post_edited_unit_ids``)."""
        return _reviewed(self.row["status"], self.row["target"], " ".join(self.target_texts))


# The columns of a unit that carry over to its link when the link keeps it.
_CARRIED = ("target", "mt", "mt_engine", "mt_model", "mt_version", "status", "confirmed", "created_at",
            "updated_at")
_MT = ("mt", "mt_engine", "mt_model", "mt_version")


def _old_units(store: Store, document_id: int) -> dict[int, _OldUnit]:
    units = {row[0]: _OldUnit(row[0], dict(zip(_CARRIED, row[1:])), [], [], []) for row in store.conn.execute(
        f"SELECT id, {', '.join(_CARRIED)} FROM units WHERE document_id = ? ORDER BY seq, id", (document_id,))}
    for uid, side, sid, text in store.conn.execute(
            "SELECT us.unit_id, us.side, us.segment_id, s.text FROM units u"
            " JOIN unit_segments us ON us.unit_id = u.id JOIN segments s ON s.id = us.segment_id"
            " WHERE u.document_id = ? ORDER BY s.seq", (document_id,)):
        unit = units[uid]
        if side == "source":
            unit.sources.append(sid)
        else:
            unit.targets.append(sid)
            unit.target_texts.append(text)
    return units


def _check_links(store: Store, source_id: int, target_id: int, links: Sequence[LinkSpec]) -> None:
    """Refuse links that would break the one-unit-per-segment rule, in words."""
    conn = store.conn
    if source_id == target_id:
        raise BadInputError(f"document {source_id} cannot be aligned with itself")
    source_segments = sorted(r[0] for r in conn.execute(
        "SELECT id FROM segments WHERE document_id = ?", (source_id,)))
    if sorted(s for link in links for s in link[0]) != source_segments:
        raise BadInputError(f"the alignment must give every sentence of document {source_id} one link")
    target_segments = {r[0] for r in conn.execute("SELECT id FROM segments WHERE document_id = ?", (target_id,))}
    used = [t for link in links for t in link[1]]
    if len(set(used)) != len(used) or not set(used) <= target_segments:
        raise BadInputError(f"the alignment must link each sentence of document {target_id} at most once")
    other = conn.execute(
        "SELECT u.document_id FROM segments s JOIN unit_segments us ON us.segment_id = s.id"
        " JOIN units u ON u.id = us.unit_id WHERE s.document_id = ? AND u.document_id != ? LIMIT 1",
        (target_id, source_id)).fetchone()
    if other is not None:
        raise BadInputError(
            f"the sentences of document {target_id} already belong to document {other[0]} "
            f"(“{store.document(other[0]).title}”): a text can be the translation of one document only")


def align_units(store: Store, source_id: int, target_id: int, links: Sequence[LinkSpec],
                keep_targets: bool | None = False) -> list[int]:
    """Replace the units of a document by one unit per link to the segments
    of its translation; returns the new unit ids (the caller holds the
    transaction; ``AlignPair`` records it as an edit).

    A unit's target is its target sentences joined with a space, except:

    * a link with exactly the source and target sentences of an old unit
      stays that unit (target, status, confirmation, MT, times), unless its
      target is being replaced: re-aligning keeps a person's checks;
    * ``keep_targets=True``: a link whose source sentences held post-edited
      or approved targets (``post_edited_unit_ids``: confirmed links
      included) takes those targets, joined in reading order, instead of
      the translation, whose sentences stay linked to it.  A link with
      exactly the source sentences of one post-edited unit keeps that unit's
      status (approved stays approved) and times; a link that gathers more
      becomes edited.  A post-edit goes to the first link that holds one of
      its sentences;
    * a machine translation carries over to a link with exactly the source
      sentences of the unit that had it.

    :param store: the store to write.
    :param source_id: the document whose units are replaced.
    :param target_id: its translation (a document without units).
    :param links: ``(source segment ids, target segment ids, confidence)``
        in reading order, every source segment of the document in one link.
    :param keep_targets: True keep post-edits, False replace them, None
        refuse (``PostEditsError``) when there are any.
    """
    from workbench.core.store.database import utc_now

    _check_links(store, source_id, target_id, links)
    old = _old_units(store, source_id)
    if keep_targets is None and any(u.post_edited for u in old.values()):
        check_post_edits(store, source_id, None)  # raises, with the count and title
    conn = store.conn
    owner = {sid: unit for unit in old.values() for sid in unit.sources}
    texts = dict(conn.execute("SELECT id, text FROM segments WHERE document_id = ?", (target_id,)))
    conn.execute("DELETE FROM units WHERE document_id = ?", (source_id,))
    now = utc_now()
    placed: set[int] = set()  # post-edited units whose target went to a link
    new_ids = []
    for n, (src_ids, tgt_ids, confidence) in enumerate(links):
        owners = list({owner[s].id: owner[s] for s in src_ids if s in owner}.values())
        same = owners[0] if len(owners) == 1 and owners[0].sources == list(src_ids) else None
        translation = " ".join(texts[t] for t in tgt_ids)
        row = {"target": translation, "status": "edited" if translation else "new", "confirmed": 0,
               "created_at": now, "updated_at": now, **dict.fromkeys(_MT)}
        if same is not None:
            row["created_at"] = same.row["created_at"]
            row.update({k: same.row[k] for k in _MT})
        if same is not None and same.targets == list(tgt_ids) and (keep_targets or not same.post_edited):
            row = dict(same.row)  # the link is as it was
            placed.add(same.id)
        elif keep_targets:
            kept = [u for u in owners if u.post_edited and u.id not in placed]
            placed.update(u.id for u in kept)
            if len(kept) == 1 and kept[0] is same:
                row.update({k: same.row[k] for k in ("target", "status", "updated_at")})
            elif kept:
                row.update(target=" ".join(u.row["target"].strip() for u in kept), status="edited")
        uid = conn.execute(
            f"INSERT INTO units (document_id, target_document_id, seq, confidence, {', '.join(_CARRIED)})"
            f" VALUES (?, ?, ?, ?, {', '.join('?' * len(_CARRIED))})",
            (source_id, target_id, n + 1, confidence, *(row[k] for k in _CARRIED))).lastrowid
        conn.executemany("INSERT INTO unit_segments (segment_id, unit_id, side) VALUES (?, ?, ?)",
                         [(s, uid, "source") for s in src_ids] + [(t, uid, "target") for t in tgt_ids])
        if row["mt"] is not None:
            rescore(conn, uid)
        new_ids.append(uid)
    return new_ids


@dataclass(frozen=True)
class AlignPair(Command):
    """Align a document with its human translation, as one edit: the
    document's units are replaced by one unit per link (``align_units`` says
    how targets, statuses and MT carry over).  The inverse puts the old units
    back exactly, ids included; the translation stays imported.

    ``keep_targets``: None refuses when a person has post-edited the
    document (``PostEditsError``), True keeps their targets, False replaces
    them by the translation."""

    source_document_id: int
    target_document_id: int
    links: tuple[LinkSpec, ...]
    keep_targets: bool | None = None
    label: ClassVar[str] = "align translation"

    def document_id(self, store: Store) -> int | None:
        return self.source_document_id

    def scope(self, store: Store) -> tuple[set[int], set[int]]:
        # Segments are not changed, only which unit holds them: the units say it all.
        return set(), set(store.unit_ids(self.source_document_id))

    def perform(self, store: Store) -> Command:
        store.document(self.source_document_id)
        store.document(self.target_document_id)
        segs, units = self.scope(store)
        return structural(store, self.label, segs, units, lambda: ([], align_units(
            store, self.source_document_id, self.target_document_id, self.links, self.keep_targets)))

    def describe(self) -> str:
        what = {True: "; post-edits kept", False: "; post-edits replaced", None: ""}[self.keep_targets]
        return (f"align document {self.source_document_id} with its translation "
                f"{self.target_document_id}: {len(self.links)} links{what}")
