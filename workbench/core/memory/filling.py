"""Targets filled from the memory: pre-translation and repetitions.

Both write through ``FillFromMemory`` commands applied as one history step
(``Batch``), so one undo takes a whole pre-translation, or an approval and
the repetitions it filled, back.  A person's target (status edited or
approved) is never touched.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from workbench.core.edits.commands import Approve, Batch, Command
from workbench.core.errors import BadInputError
from workbench.core.model import Status
from workbench.core.memory.search import search
from workbench.core.progress import Cancelled, CancelledFn, ProgressFn, never_cancelled, no_progress
from workbench.core.store.clock import utc_now

REPETITIONS_SETTING = "repetitions"


@dataclass(frozen=True)
class FillFromMemory(Command):
    """Set a unit's target with its provenance (its own inverse restores the old ones)."""

    unit_id: int
    text: str
    status: str
    origin: str | None
    score: float | None
    guard: bool = True   # refuse to overwrite a person's target (False: a person chose the match)
    # A repetition: when a person has worked on the unit since the approval was
    # worked out (another process, between the read and the write), leave it
    # alone instead of refusing the whole approval.
    skip_if_taken: bool = False
    label: ClassVar[str] = "fill from memory"

    def scope(self, store) -> tuple[set[int], set[int]]:
        return set(), {self.unit_id}

    def perform(self, store) -> Command:
        old_target, old_status, old_origin, old_score = store.tm_unit_fill_state(self.unit_id)
        if self.guard and self.status == "tm" and Status(old_status) in Status.BY_PERSON:
            if self.skip_if_taken:
                return Batch((), "nothing to undo")  # left alone: nothing to take back
            raise BadInputError(f"unit {self.unit_id} was {old_status} by a person meanwhile: its target is"
                                f" kept; nothing was changed")
        store.tm_write_fill(self.unit_id, self.text, self.status, self.origin, self.score, utc_now())
        store.rescore(self.unit_id)
        return FillFromMemory(self.unit_id, old_target, old_status, old_origin, old_score, False)

    def describe(self) -> str:
        return f"unit {self.unit_id}: target from {self.origin or 'memory'} ({self.score or 0:g}%)"


@dataclass(frozen=True)
class Fill:
    unit_id: int
    target: str
    score: int
    origin: str


def repetitions_on(store) -> bool:
    """Whether approving a unit fills its repetitions (setting 'repetitions', default on).

    Parameters:
        store: an open ``Store``."""
    return store.tm_setting(REPETITIONS_SETTING, "on") == "on"


def approval(store, unit_ids: tuple[int, ...], *, repetitions: bool | None = None) -> Command:
    """The command that approves units and, unless turned off, gives every other
    untouched unit (new, machine, tm) of the same document with the same source
    text the approved target (status ``tm``, score 100): one undo step.

    Parameters:
        store: an open ``Store`` (read only here: apply the command returned).
        unit_ids: the units to approve.
        repetitions: None follows the setting; True/False force it."""
    approve = Approve(tuple(unit_ids))
    if repetitions is None:
        repetitions = repetitions_on(store)
    if not repetitions:
        return approve
    fills: list[Command] = []
    filled: set[int] = set(unit_ids)
    for unit in store.units_by_ids(list(unit_ids)):
        target = unit.target if unit.target.strip() else (unit.mt or "")
        if not target.strip() or not unit.source.strip():
            continue
        for other, source in store.tm_fillable_units(unit.document_id):
            if other in filled or source != unit.source:
                continue
            filled.add(other)
            fills.append(FillFromMemory(other, target, "tm", f"repetition of unit {unit.id}", 100,
                                        skip_if_taken=True))
    if not fills:
        return approve
    return Batch((approve, *fills), "approve")


def pretranslation(store, document_id: int, *, min_score: int = 100,
                   progress: ProgressFn = no_progress, cancelled: CancelledFn = never_cancelled) -> list[Fill]:
    """What pre-translating a document would fill: the best memory match of each
    unit no person has worked on, when it scores at least ``min_score``.

    Parameters:
        store: an open ``Store``.
        document_id: the document.
        min_score: the lowest score taken (0-100).
        progress: called with (fraction, message); cancelled: polled between units."""
    if not 0 <= min_score <= 100:
        raise BadInputError(f"--min-score must be 0-100, not {min_score}")
    language, target_language = store.tm_document_languages(document_id)
    if not target_language:
        raise BadInputError(f"document {document_id} has no target language to pre-translate into")
    units = store.tm_fillable_units(document_id)
    fills: list[Fill] = []
    for n, (unit_id, source) in enumerate(units):
        if cancelled():
            raise Cancelled("pre-translation cancelled: nothing was changed")
        if n % 20 == 0:
            progress(n / max(1, len(units)), f"looking up unit {n + 1:,} of {len(units):,}")
        if not source.strip():
            continue
        found = search(store, source[:2000], language, target_language, min_score=min_score, limit=1,
                       exclude_units={unit_id})
        if found:
            best = found[0]
            fills.append(Fill(unit_id, best.target, best.score, best.origin))
    progress(1.0, f"{len(fills):,} of {len(units):,} units found in the memory")
    return fills


def pretranslate_command(fills: list[Fill]) -> Command | None:
    """One undoable step that writes ``fills`` (None when there is nothing to fill).

    Parameters:
        fills: from ``pretranslation``."""
    if not fills:
        return None
    return Batch(tuple(FillFromMemory(f.unit_id, f.target, "tm", f.origin, f.score) for f in fills),
                 "pre-translate")
