"""The workbench's data, as frozen dataclasses.

A *document* is one article in one language.  Its text is cut into *segments*
(sentences, in reading order, each with a paragraph index and a kind).  A
*translation unit* links n source segments to m target segments (n, m >= 0):
the post-editing case is 1:0 with the translation held as ``target`` text on
the unit; an aligned document pair links segments of both documents.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class SegmentKind(str, Enum):
    TITLE = "title"
    META = "meta"            # dates, bylines, view counters, reading time
    BODY = "body"
    BOILERPLATE = "boilerplate"  # "Subscribe to our Telegram channel", photo credits

    def __str__(self) -> str:  # so f-strings and JSON show the bare value
        return self.value


class Status(str, Enum):
    NEW = "new"            # nothing yet
    MACHINE = "machine"    # target is the unedited machine translation
    EDITED = "edited"      # a person changed the target
    APPROVED = "approved"  # a person signed the target off
    TM = "tm"              # filled from the translation memory, not yet reviewed

    def __str__(self) -> str:
        return self.value


# Groups of statuses, named once (SQL ``IN (...)`` lists come from these too).
Status.UNTOUCHED = frozenset({Status.NEW, Status.MACHINE})    # no person's work: MT may fill it
Status.BY_PERSON = frozenset({Status.EDITED, Status.APPROVED})  # a person's work: never overwritten
Status.REVIEWED = frozenset({Status.APPROVED})                 # signed off: exported by default
# TM (filled from the memory) is in none of the three: no person wrote it, it is
# not reviewed yet, and MT never overwrites it (the memory's match is kept).
Status.MEMORY_FILLS = Status.UNTOUCHED | {Status.TM}          # no person's work: the memory may fill it
Status.UNREVIEWED = frozenset(Status) - Status.REVIEWED      # what "next unapproved" visits


def sql_list(statuses) -> str:
    """``'a', 'b'`` for an SQL ``IN (...)`` list of statuses (sorted, quoted)."""
    return ", ".join(f"'{s.value}'" for s in sorted(statuses, key=lambda s: s.value))


@dataclass(frozen=True)
class Document:
    id: int
    title: str
    language: str                 # ISO 639-1 of the text
    target_language: str | None   # language it is being translated into
    source_path: str | None
    checksum: str                 # sha256 of the imported bytes (or of the text)
    date: str | None              # ISO 8601 publication date, when found
    imported_at: str              # ISO 8601 UTC
    translation_of: int | None = None  # for the human translation of another document


@dataclass(frozen=True)
class Segment:
    id: int
    document_id: int
    position: int      # 0-based rank in reading order
    paragraph: int     # 0-based paragraph index
    kind: SegmentKind
    excluded: bool
    text: str


@dataclass(frozen=True)
class Unit:
    """A translation unit: n source segments <-> m target segments."""
    id: int
    document_id: int              # the source document
    source_segment_ids: tuple[int, ...]
    target_segment_ids: tuple[int, ...]
    source: str                   # source segments' text joined with a space
    target: str                   # the translation (edited, approved or MT copy)
    mt: str | None                # machine translation of ``source``
    mt_engine: str | None         # e.g. "argos"
    mt_model: str | None          # e.g. "translate-en_ru"
    mt_version: str | None        # package version, e.g. "1.9"
    status: Status
    confirmed: bool               # alignment link checked by a person
    confidence: float | None      # aligner's confidence in the link
    created_at: str
    updated_at: str
    # Derived from the source segments, for display and filtering.
    paragraph: int = 0
    kind: SegmentKind = SegmentKind.BODY
    excluded: bool = False
    # Post-edit scores of mt against target (sacrebleu chrF and TER), when both exist.
    pe_chrf: float | None = None
    pe_ter: float | None = None


@dataclass(frozen=True)
class Edit:
    """One row of the edit history: what changed, before and after."""
    id: int
    at: str
    command: str          # command class name, e.g. "SetTarget"
    summary: str          # human-readable description
    before: str | None    # JSON of the affected rows before
    after: str | None     # JSON of the affected rows after
    undone: bool          # undone (redoable) or dropped from the walkable history
    state: str = "done"   # 'done', 'undone' or 'dropped'
    document_id: int | None = None
