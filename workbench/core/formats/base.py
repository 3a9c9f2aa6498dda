"""What every interchange format shares: the units going out, the units coming
in, the options, and the two protocols a format implements.

Exporters take *any* iterable of ``ExportUnit`` and write it as they go (no
whole-corpus lists), so a million-unit corpus costs no more memory than ten.
Choosing which units to export (status, document, kind...) is the caller's job;
an exporter writes what it is given and honours ``ExportOptions``.

Importers check the whole file first and stream second: ``read()`` fails with a
``BadInputError`` before returning if the file is malformed anywhere, so a
caller that writes units as it iterates never imports half a file.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, ClassVar, Iterable, Iterator, Mapping, NamedTuple, Protocol, TextIO

from workbench.core.errors import BadInputError
from workbench.core.progress import Cancelled, CancelledFn, ProgressFn, never_cancelled, no_progress

try:  # the version of the installed distribution, for creationtoolversion
    from importlib.metadata import PackageNotFoundError, version as _dist_version
    TOOL_VERSION = _dist_version("workbench")
except PackageNotFoundError:  # running from a bare source tree
    TOOL_VERSION = "0.1.0"

# How often (in units) exporters report progress and poll ``cancelled()``:
# often enough for a responsive GUI, rare enough to cost nothing.
REPORT_EVERY = 2000


class ExportUnit(NamedTuple):
    """One translation unit as the store hands it to an exporter.

    Immutable like the core's frozen dataclasses, but a NamedTuple: a
    million-unit export builds a million of these, and a tuple is built five
    times faster than a frozen dataclass (``replace`` is ``unit._replace``)."""
    unit_id: int                       # becomes the TMX tuid / XLIFF trans-unit id
    source_segments: tuple[str, ...]   # n source segments (n >= 0)
    target_segments: tuple[str, ...]   # m target segments; post-edited units: one string
    source_lang: str                   # ISO 639-1, e.g. "en"
    target_lang: str
    document_id: int
    document: str                      # document title
    status: str                        # new | machine | edited | approved
    mt: str | None = None
    mt_engine: str | None = None
    mt_model: str | None = None
    mt_version: str | None = None
    chrf: float | None = None          # post-edit chrF of mt vs target (0-100)
    created_at: str | None = None      # ISO 8601 UTC, e.g. "2025-04-24T14:26:00Z"
    changed_at: str | None = None
    tm_origin: str | None = None       # a target filled from the memory: where it came from
    tm_score: float | None = None      # and the match's score (0-100)
    # Alignment evidence of a unit linking sentences of two documents (None otherwise):
    link_type: str | None = None       # "2-1": source sentences - target sentences
    confidence: float | None = None    # the aligner's confidence in the link (0-1)

    @property
    def source(self) -> str:
        """The source text: n:m units join their segments with a space."""
        return " ".join(self.source_segments)

    @property
    def target(self) -> str:
        return " ".join(self.target_segments)


@dataclass(frozen=True)
class ImportedUnit:
    """One bilingual pair read from a file."""
    source: str
    target: str
    source_lang: str                   # lower-case primary language subtag, e.g. "en"
    target_lang: str
    tuid: str | None = None
    created_at: str | None = None      # ISO 8601 UTC when the file's date parses
    changed_at: str | None = None
    # TMX: every <prop type=...> of the <tu> (repeated types joined with "\n"),
    # every other <tu> attribute (creationid, changeid, usagecount...), and the
    # source/target <tuv>'s attributes and props as "source:NAME"/"target:NAME".
    # CSV/TSV: the extra columns by header name.  XLIFF: state, approved...
    props: Mapping[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImportedCorpus:
    """A checked file, ready to stream.

    ``units()`` re-reads the file each time it is called (nothing is held in
    memory), so it can be iterated more than once.  ``unit_count`` and
    ``skipped`` come from the checking pass, so a caller can show progress.
    """
    path: Path
    format: str
    source_lang: str
    target_lang: str
    header: Mapping[str, str]
    unit_count: int
    skipped: int                       # units without both languages, not yielded
    _stream: Callable[[], Iterator[ImportedUnit]] = field(repr=False, compare=False)

    def units(self) -> Iterator[ImportedUnit]:
        return self._stream()

    def __iter__(self) -> Iterator[ImportedUnit]:
        return self._stream()


@dataclass(frozen=True)
class ExportOptions:
    """How to write; which units to write is the caller's choice."""
    # Languages of the file when the units cannot say (an empty corpus), or to
    # insist on a pair: a unit of another pair is then refused.
    source_lang: str | None = None
    target_lang: str | None = None
    bom: bool = False                  # CSV/TSV: start with a UTF-8 BOM (Excel wants it)
    # CSV/TSV: prefix "'" to cells a spreadsheet would run as a formula (OWASP).
    safe_formulas: bool = True
    # CSV/TSV: extra columns after source and target, any of CSV_COLUMNS.
    columns: tuple[str, ...] = ()
    include_mt: bool = True            # TMX x-mt prop, XLIFF <alt-trans>
    creation_tool: str = "workbench"
    creation_tool_version: str = TOOL_VERSION
    creation_date: str | None = None   # header date (ISO 8601); None: now, UTC


# Extra CSV/TSV columns an export may ask for, in the order given by the caller.
CSV_COLUMNS = ("tuid", "status", "document", "mt", "mt_engine", "mt_model",
               "mt_version", "chrf", "created_at", "changed_at", "link_type", "confidence")
# The alignment evidence columns (``export --evidence``).
EVIDENCE_COLUMNS = ("link_type", "confidence")


class Exporter(Protocol):
    name: ClassVar[str]
    extensions: ClassVar[tuple[str, ...]]

    def export(self, units: Iterable[ExportUnit], out: Path, *, options: ExportOptions = ...,
               total: int | None = None, progress: ProgressFn = no_progress,
               cancelled: CancelledFn = never_cancelled) -> int:
        """Write ``units`` to ``out``; return how many were written."""


class Importer(Protocol):
    name: ClassVar[str]
    extensions: ClassVar[tuple[str, ...]]

    def read(self, path: Path, *, source_lang: str | None = None,
             target_lang: str | None = None) -> ImportedCorpus:
        """Check the whole file, then return a corpus that streams its units."""


# --- helpers shared by the formats ------------------------------------------

def language_code(tag: str) -> str:
    """"EN-US" -> "en", "pt_BR" -> "pt": the workbench speaks ISO 639-1."""
    return tag.replace("_", "-").split("-", 1)[0].strip().lower()


def format_chrf(chrf: float | None) -> str:
    return "" if chrf is None else f"{chrf:.2f}"


def format_confidence(confidence: float | None) -> str:
    """An alignment confidence with two decimals ("0.93"); "" when there is none."""
    return "" if confidence is None else f"{confidence:.2f}"


def iso_to_tmx_date(value: str | None) -> str | None:
    """ISO 8601 -> TMX's ``YYYYMMDDThhmmssZ`` (UTC); None when absent/unparsable."""
    if not value:
        return None
    # Fast path: the store's canonical "2025-04-24T14:26:00Z".
    if len(value) == 20 and value[19] == "Z" and value[10] == "T":
        return (value[0:4] + value[5:7] + value[8:10] + "T"
                + value[11:13] + value[14:16] + value[17:19] + "Z")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:  # the store keeps UTC; a naive time is UTC
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def tmx_to_iso_date(value: str | None) -> str | None:
    """TMX ``YYYYMMDDThhmmssZ`` -> ``YYYY-MM-DDThh:mm:ssZ``; other forms kept as given."""
    if not value:
        return None
    v = value.strip()
    if len(v) == 16 and v[8] == "T" and v[15] == "Z" and (v[:8] + v[9:15]).isdigit():
        return f"{v[0:4]}-{v[4:6]}-{v[6:8]}T{v[9:11]}:{v[11:13]}:{v[13:15]}Z"
    return v


def now_iso() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class Ticker:
    """Progress and cancel polling every REPORT_EVERY units, at no cost between."""

    def __init__(self, total: int | None, progress: ProgressFn, cancelled: CancelledFn,
                 what: str = "Export") -> None:
        self.total = total if total and total > 0 else None
        self.progress = progress
        self.cancelled = cancelled
        self.what = what

    def tick(self, done: int) -> None:
        if self.cancelled():
            raise Cancelled(f"{self.what} cancelled after {done:,} units")
        fraction = min(done / self.total, 1.0) if self.total else 0.0
        self.progress(fraction, f"{self.what}: {done:,} units")


# The writer every exporter uses lives with the output checks (temp file,
# fsync, rename, stale temp files removed); re-exported here for the formats.
from workbench.core.outputs import atomic_writer  # noqa: E402,F401


def corpus_languages(first: ExportUnit | None, options: ExportOptions) -> tuple[str, str]:
    """The file's language pair: the options', else the first unit's, else "und"."""
    source = options.source_lang or (first.source_lang if first else None) or "und"
    target = options.target_lang or (first.target_lang if first else None) or "und"
    return source, target


def check_pair(unit: ExportUnit, source: str, target: str, fmt: str) -> None:
    """Formats with one language pair per file refuse a unit of another pair."""
    if unit.source_lang != source or unit.target_lang != target:
        raise BadInputError(
            f"{fmt} holds one language pair per file: unit {unit.unit_id} is "
            f"{unit.source_lang}->{unit.target_lang}, the file is {source}->{target}; "
            f"export one direction at a time")


def peek(units: Iterable[ExportUnit]) -> tuple[ExportUnit | None, Iterator[ExportUnit]]:
    """The first unit (to name languages) and an iterator that still yields it."""
    iterator = iter(units)
    for first in iterator:
        def again() -> Iterator[ExportUnit]:
            yield first
            yield from iterator
        return first, again()
    return None, iter(())
