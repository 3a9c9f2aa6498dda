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

from workbench.core.edits.commands import Command, merge_units_into, structural
from workbench.core.errors import BadInputError, NotFoundError, PostEditsError
from workbench.core.model import Status
from workbench.core.store.clock import utc_now

if TYPE_CHECKING:
    from workbench.core.store.database import Store


def _placement(store: Store, unit_id: int) -> tuple[int, int | None, float]:
    """``(document_id, target_document_id, seq)`` of a link; NotFoundError if none."""
    row = store.unit_placement(unit_id)
    if row is None:
        raise NotFoundError(f"no link (translation unit) with id {unit_id}")
    return row


def refresh_target(store: Store, unit_id: int) -> None:
    """Target text := the unit's target segments joined (aligned links only).

    :param store: the store to change (the caller holds the transaction).
    :param unit_id: the link."""
    store.set_linked_target(unit_id, " ".join(store.side_texts(unit_id, "target")))


def _insert_unit_after(store: Store, unit_id: int) -> int:
    doc, tdoc, seq = _placement(store, unit_id)
    return store.insert_unit(doc, tdoc, store.seq_after("units", doc, seq))


class _LinkCommand(Command):
    def _scope_units(self, store: Store) -> set[int]:  # pragma: no cover - abstract
        raise NotImplementedError

    def scope(self, store: Store) -> tuple[set[int], set[int]]:
        units = {u for u in self._scope_units(store) if u is not None}
        return store.linked_segment_ids(units), units

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
        return {self.unit_id, store.neighbour_unit(self.unit_id, +1)}

    def _change(self, store):
        following = store.neighbour_unit(self.unit_id, +1)
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
        src, tgt = store.side_segment_ids(self.unit_id, "source"), store.side_segment_ids(self.unit_id, "target")
        if not (0 <= self.source_at <= len(src) and 0 <= self.target_at <= len(tgt)):
            raise BadInputError(f"link {self.unit_id} has {len(src)}:{len(tgt)} segments; cannot split at "
                                f"{self.source_at}:{self.target_at}")
        moving = src[self.source_at:] + tgt[self.target_at:]
        staying = src[:self.source_at] + tgt[:self.target_at]
        if not moving or not staying:
            raise BadInputError(f"splitting link {self.unit_id} at {self.source_at}:{self.target_at} "
                                "would leave an empty link")
        new_uid = _insert_unit_after(store, self.unit_id)
        store.move_segments_to(new_uid, moving)
        store.clear_machine_translation(self.unit_id)
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
        return {self.unit_id, store.neighbour_unit(self.unit_id, self.direction)}

    def _change(self, store):
        if self.side not in ("source", "target") or self.direction not in (-1, 1):
            raise BadInputError("side must be source or target, direction -1 or +1")
        other = store.neighbour_unit(self.unit_id, self.direction)
        if other is None:
            raise BadInputError(f"link {self.unit_id} has no {'previous' if self.direction < 0 else 'next'} link")
        ids = store.side_segment_ids(self.unit_id, self.side)
        if not ids:
            raise BadInputError(f"link {self.unit_id} has no {self.side} sentence to move")
        moved = ids[0] if self.direction < 0 else ids[-1]
        store.move_segments_to(other, [moved])
        if store.unit_segment_count(self.unit_id) == 0:
            store.delete_units([self.unit_id])
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
        now = utc_now()
        for uid in self.unit_ids:
            _placement(store, uid)
            # A confirmation is a change of the unit: TMX shows updated_at as
            # its changedate, which must not stay the import time.
            store.set_confirmed(uid, self.confirmed, now=now)
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
        doc, _tdoc, first_seq = _placement(store, self.first_unit_id)
        doc2, _tdoc2, last_seq = _placement(store, self.last_unit_id)
        if doc != doc2:
            raise BadInputError("both links must be in the same document")
        lo, hi = sorted((first_seq, last_seq))
        return store.unit_ids_between(doc, lo, hi)

    def _scope_units(self, store):
        return set(self._range(store))

    def _change(self, store):
        from workbench.core.align import align

        units = self._range(store)
        src = [s for u in units for s in store.side_segment_ids(u, "source")]
        tgt = [s for u in units for s in store.side_segment_ids(u, "target")]
        seg = store.segment_texts_and_paragraphs(src + tgt)
        doc_id, tdoc_id, _seq = _placement(store, units[0])
        doc = store.document(doc_id)
        tgt_lang = store.document(tdoc_id).language if tdoc_id else (doc.target_language or "en")
        links = align([seg[s][0] for s in src], [seg[t][0] for t in tgt], doc.language, tgt_lang,
                      src_paragraphs=[seg[s][1] for s in src], tgt_paragraphs=[seg[t][1] for t in tgt])
        # Reuse the range's unit ids in order, create more if the new alignment has more links.
        store.unlink_units(units)
        ids = list(units)
        created = []
        while len(ids) < len(links):
            new = _insert_unit_after(store, ids[-1])
            ids.append(new)
            created.append(new)
        for uid, link in zip(ids, links):
            store.link_segments([(src[i], uid, "source") for i in link.src]
                                + [(tgt[j], uid, "target") for j in link.tgt])
            store.set_confidence(uid, link.confidence)
            refresh_target(store, uid)
        store.delete_units(ids[len(links):])
        return [], created

    def describe(self) -> str:
        return f"re-align links {self.first_unit_id}..{self.last_unit_id}"


# -- aligning a whole document with its translation ---------------------------------

# One link: (source segment ids, target segment ids, the aligner's confidence).
LinkSpec = tuple[tuple[int, ...], tuple[int, ...], float | None]

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
    return [uid for uid, status, target, linked in store.post_edit_candidates(document_id)
            if _reviewed(status, target, linked or "")]


def _reviewed(status: str, target: str, linked: str) -> bool:
    return bool(target.strip()) and (status == Status.APPROVED or (status == Status.EDITED and target != linked))


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
    units = {row[0]: _OldUnit(row[0], dict(zip(_CARRIED, row[1:])), [], [], [])
             for row in store.unit_columns(document_id, _CARRIED)}
    for uid, side, sid, text in store.linked_segments_with_text(document_id):
        unit = units[uid]
        if side == "source":
            unit.sources.append(sid)
        else:
            unit.targets.append(sid)
            unit.target_texts.append(text)
    return units


def _check_links(store: Store, source_id: int, target_id: int, links: Sequence[LinkSpec]) -> None:
    """Refuse links that would break the one-unit-per-segment rule, in words."""
    if source_id == target_id:
        raise BadInputError(f"document {source_id} cannot be aligned with itself")
    source_segments = sorted(store.document_segment_ids(source_id))
    if sorted(s for link in links for s in link[0]) != source_segments:
        raise BadInputError(f"the alignment must give every sentence of document {source_id} one link")
    target_segments = set(store.document_segment_ids(target_id))
    used = [t for link in links for t in link[1]]
    if len(set(used)) != len(used) or not set(used) <= target_segments:
        raise BadInputError(f"the alignment must link each sentence of document {target_id} at most once")
    other = store.unit_document_holding(target_id, other_than=source_id)
    if other is not None:
        raise BadInputError(
            f"the sentences of document {target_id} already belong to document {other} "
            f"(“{store.document(other).title}”): a text can be the translation of one document only")


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
    _check_links(store, source_id, target_id, links)
    old = _old_units(store, source_id)
    if keep_targets is None and any(u.post_edited for u in old.values()):
        check_post_edits(store, source_id, None)  # raises, with the count and title
    owner = {sid: unit for unit in old.values() for sid in unit.sources}
    texts = store.document_segment_texts(target_id)
    store.delete_document_units(source_id)
    now = utc_now()
    placed: set[int] = set()  # post-edited units whose target went to a link
    new_ids = []
    for n, (src_ids, tgt_ids, confidence) in enumerate(links):
        owners = list({owner[s].id: owner[s] for s in src_ids if s in owner}.values())
        same = owners[0] if len(owners) == 1 and owners[0].sources == list(src_ids) else None
        translation = " ".join(texts[t] for t in tgt_ids)
        row = {"target": translation, "status": str(Status.EDITED if translation else Status.NEW), "confirmed": 0,
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
                row.update(target=" ".join(u.row["target"].strip() for u in kept), status=str(Status.EDITED))
        uid = store.insert_unit_row(source_id, target_id, n + 1, confidence, {k: row[k] for k in _CARRIED})
        store.link_segments([(s, uid, "source") for s in src_ids] + [(t, uid, "target") for t in tgt_ids])
        if row["mt"] is not None:
            store.rescore(uid)
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
