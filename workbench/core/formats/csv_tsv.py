"""CSV and TSV, both ways, with a header row.

Layout: the first row names the columns: the source and target language codes
(``en,ru``), then the extra columns the export asked for (``CSV_COLUMNS``:
tuid, status, document, mt, chrf..., and the alignment evidence ``link_type``
(``2-1``) and ``confidence`` (``0.93``)).  UTF-8, with a BOM if asked (Excel
needs one to read UTF-8).

CSV follows RFC 4180 (the ``csv`` module): fields with a comma, quote, CR or
LF are quoted, quotes doubled, rows end in CRLF; newlines inside a cell stay
real newlines inside the quotes.

TSV is the "linear" kind (IANA text/tab-separated-values has no quoting): one
row per line, LF line ends, and inside a cell ``\\`` ``TAB`` ``LF`` ``CR`` are
written ``\\\\`` ``\\t`` ``\\n`` ``\\r`` (as PostgreSQL's COPY and MySQL do).
The importer undoes exactly these four and leaves any other backslash alone.
(A spreadsheet's own "tab-delimited" output, which quotes multi-line cells
like CSV, should be read as CSV.)

Formula injection (OWASP "CSV injection"): with ``safe_formulas`` (the
default) a cell that a spreadsheet would run as a formula -- one starting with
``=`` ``+`` ``-`` ``@`` TAB or CR -- is written with a ``'`` in front.  So is a
cell that already starts with apostrophes followed by one of those, which makes
the change reversible: removing exactly one ``'`` from cells matching
``'+[=+-@TAB CR]...`` restores a guarded export exactly.  Russian dialogue
lines starting with a hyphen get guarded too.

The marker: a guarded export ends its header with one more column,
``x-formula-guard`` (``GUARD_COLUMN``), whose cells are empty.  The importer
undoes the guard in every cell of a file whose header has that column, and
leaves the cells of any other file as written (a leading apostrophe may be
real text, "'Tis", and a file from elsewhere was not guarded by us); the
column itself is dropped.  ``restore_formulas=True``/``False`` overrides the
marker.  An export with ``safe_formulas`` off writes cells verbatim and no
marker.  So every export reads back exactly through its importer.  A guarded
TSV whose trailing tabs an editor stripped still reads (the marker column may
be missing at the end of a row).

Cells have no size limit (Python's csv module stops at 131,072 characters by
default; the file's size bounds them).
"""
from __future__ import annotations

import codecs
import csv
import io
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, ClassVar, Iterable, Iterator

from workbench.core.errors import BadInputError
from workbench.core.progress import CancelledFn, ProgressFn, never_cancelled, no_progress

from workbench.core.formats.base import (CSV_COLUMNS, REPORT_EVERY, ExportOptions, ExportUnit, ImportedCorpus,
                   ImportedUnit, Ticker, atomic_writer, check_pair, corpus_languages,
                   format_chrf, format_confidence, language_code, peek)

# --- formula guard ----------------------------------------------------------

FORMULA_TRIGGERS = frozenset("=+-@\t\r")
GUARD_COLUMN = "x-formula-guard"     # the header column that marks a guarded export
_GUARD_FIRST = FORMULA_TRIGGERS | {"'"}   # cells worth a closer look


def guard_formula(cell: str) -> str:
    """Prefix ``'`` if a spreadsheet would evaluate the cell (see module doc)."""
    if cell[:1] in _GUARD_FIRST and cell.lstrip("'")[:1] in FORMULA_TRIGGERS:
        return "'" + cell
    return cell


def unguard_formula(cell: str) -> str:
    """The inverse of ``guard_formula`` on its output."""
    if cell[:1] == "'" and cell.lstrip("'")[:1] in FORMULA_TRIGGERS:
        return cell[1:]
    return cell


# --- TSV cell escaping --------------------------------------------------------

def escape_tsv(cell: str) -> str:
    if "\\" in cell:
        cell = cell.replace("\\", "\\\\")
    if "\t" in cell:
        cell = cell.replace("\t", "\\t")
    if "\n" in cell:
        cell = cell.replace("\n", "\\n")
    if "\r" in cell:
        cell = cell.replace("\r", "\\r")
    return cell


_TSV_ESCAPE = re.compile(r"\\([\\tnr])")
_TSV_UNESCAPED = {"\\": "\\", "t": "\t", "n": "\n", "r": "\r"}


def unescape_tsv(cell: str) -> str:
    if "\\" not in cell:
        return cell
    return _TSV_ESCAPE.sub(lambda match: _TSV_UNESCAPED[match.group(1)], cell)


# --- export -----------------------------------------------------------------

def _text_or_empty(name: str) -> Callable[[ExportUnit], str]:
    def get(unit: ExportUnit) -> str:
        value = getattr(unit, name)
        return "" if value is None else value
    return get


_COLUMN_GETTERS: dict[str, Callable[[ExportUnit], str]] = {
    name: _text_or_empty(name) for name in CSV_COLUMNS}
_COLUMN_GETTERS["tuid"] = lambda unit: str(unit.unit_id)
_COLUMN_GETTERS["chrf"] = lambda unit: format_chrf(unit.chrf)
_COLUMN_GETTERS["confidence"] = lambda unit: format_confidence(unit.confidence)


def _checked_columns(columns: tuple[str, ...]) -> tuple[str, ...]:
    unknown = [column for column in columns if column not in CSV_COLUMNS]
    if unknown:
        raise BadInputError(f"Unknown column {', '.join(unknown)}: choose from "
                            f"{', '.join(CSV_COLUMNS)}")
    return columns


class _DelimitedExporter:
    name: ClassVar[str]
    extensions: ClassVar[tuple[str, ...]]

    def export(self, units: Iterable[ExportUnit], out: Path, *,
               options: ExportOptions = ExportOptions(), total: int | None = None,
               progress: ProgressFn = no_progress,
               cancelled: CancelledFn = never_cancelled) -> int:
        columns = _checked_columns(options.columns)
        getters = [_COLUMN_GETTERS[column] for column in columns]
        first, stream = peek(units)
        source, target = corpus_languages(first, options)
        ticker = Ticker(total, progress, cancelled, f"{self.name.upper()} export")
        guard = options.safe_formulas
        fmt = self.name.upper()
        count = 0
        with atomic_writer(out, encoding="utf-8-sig" if options.bom else "utf-8",
                           newline="") as handle:
            write_row = self._row_writer(handle)
            write_row([source, target, *columns, *([GUARD_COLUMN] if guard else [])])
            for unit in stream:
                if unit.source_lang != source or unit.target_lang != target:
                    check_pair(unit, source, target, fmt)
                row = [" ".join(unit.source_segments), " ".join(unit.target_segments)]
                if getters:
                    row += [get(unit) for get in getters]
                if guard:
                    row = [guard_formula(cell) if cell[:1] in _GUARD_FIRST else cell
                           for cell in row]
                    row.append("")  # the marker column
                write_row(row)
                count += 1
                if count % REPORT_EVERY == 0:
                    ticker.tick(count)
        progress(1.0, f"Wrote {count:,} units to {Path(out).name}")
        return count

    def _row_writer(self, handle) -> Callable[[list[str]], object]:
        raise NotImplementedError


class CsvExporter(_DelimitedExporter):
    name: ClassVar[str] = "csv"
    extensions: ClassVar[tuple[str, ...]] = (".csv",)

    def _row_writer(self, handle):
        return csv.writer(handle, lineterminator="\r\n").writerow


class TsvExporter(_DelimitedExporter):
    name: ClassVar[str] = "tsv"
    extensions: ClassVar[tuple[str, ...]] = (".tsv", ".tab")

    def _row_writer(self, handle):
        write = handle.write

        def write_row(row: list[str]) -> None:
            write("\t".join([escape_tsv(cell) for cell in row]) + "\n")
        return write_row


# --- import -----------------------------------------------------------------

_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")
# Column names that are not languages even though some look like one ("mt").
_KNOWN_COLUMNS = frozenset(CSV_COLUMNS) | {"id", "note", "notes", "source", "target"}


def _is_language(name: str) -> bool:
    return name.lower() not in _KNOWN_COLUMNS and bool(_LANGUAGE_TAG.match(name.strip()))


@dataclass(frozen=True)
class _Layout:
    header: tuple[str, ...]
    source_column: int
    target_column: int
    source_lang: str
    target_lang: str


class _DelimitedImporter:
    name: ClassVar[str]
    extensions: ClassVar[tuple[str, ...]]

    def __init__(self, *, restore_formulas: bool | None = None) -> None:
        """:param restore_formulas: undo the formula guard; None (the default):
            when the header has the ``GUARD_COLUMN`` marker."""
        self.restore_formulas = restore_formulas

    def read(self, path: Path, *, source_lang: str | None = None,
             target_lang: str | None = None) -> ImportedCorpus:
        path = Path(path)
        layout: _Layout | None = None
        rows = 0
        # Checking pass: decoding, quoting, column counts, the whole file.
        for line, row in self._rows(path):
            if layout is None:
                layout = _layout(path, row, source_lang, target_lang)
            elif len(row) != len(layout.header) and not _marker_stripped(layout, row):
                raise BadInputError(
                    f"{path.name}: line {line} has {len(row)} columns, the header has "
                    f"{len(layout.header)}")
            else:
                rows += 1
        if layout is None:
            raise BadInputError(f"{path.name}: empty file (a header row naming the "
                                f"languages is needed)")
        frozen = layout
        return ImportedCorpus(
            path=path, format=self.name, source_lang=layout.source_lang,
            target_lang=layout.target_lang,
            header={"columns": ",".join(layout.header), "format": self.name},
            unit_count=rows, skipped=0, _stream=lambda: self._units(path, frozen))

    def validate(self, path: Path, *, source_lang: str | None = None,
                 target_lang: str | None = None) -> None:
        """Raise BadInputError if the file cannot be imported."""
        self.read(path, source_lang=source_lang, target_lang=target_lang)

    def _units(self, path: Path, layout: _Layout) -> Iterator[ImportedUnit]:
        header = layout.header
        marked = GUARD_COLUMN in header
        restore = marked if self.restore_formulas is None else self.restore_formulas
        extra = [(index, name) for index, name in enumerate(header)
                 if index not in (layout.source_column, layout.target_column)
                 and name != GUARD_COLUMN]
        rows = self._rows(path)
        next(rows)  # the header
        for _, row in rows:
            if restore:
                row = [unguard_formula(cell) for cell in row]
            props: dict[str, str] = {}
            notes: tuple[str, ...] = ()
            for index, name in extra:
                value = row[index]
                if name.lower() in ("note", "notes"):
                    notes = (value,) if value else ()
                elif value:
                    props[name] = value
            yield ImportedUnit(
                source=row[layout.source_column], target=row[layout.target_column],
                source_lang=layout.source_lang, target_lang=layout.target_lang,
                tuid=props.pop("tuid", None) or props.pop("id", None),
                created_at=props.pop("created_at", None),
                changed_at=props.pop("changed_at", None),
                props=props, notes=notes)

    def _rows(self, path: Path) -> Iterator[tuple[int, list[str]]]:
        """(line number, cells) for each non-blank row."""
        raise NotImplementedError


def _marker_stripped(layout: _Layout, row: list[str]) -> bool:
    """A row lacking only the (empty) marker column at the end: an editor
    stripped the trailing tab of a guarded TSV."""
    return len(row) == len(layout.header) - 1 and layout.header[-1] == GUARD_COLUMN


def _layout(path: Path, header: list[str], source_lang: str | None,
            target_lang: str | None) -> _Layout:
    names = tuple(cell.strip() for cell in header)
    if len(names) < 2:
        raise BadInputError(f"{path.name}: the header has {len(names)} column; a source "
                            f"and a target column are needed")
    codes = [language_code(name) if _is_language(name) else None for name in names]
    if source_lang and target_lang:
        source, target = language_code(source_lang), language_code(target_lang)
        if source in codes and target in codes:
            return _Layout(names, codes.index(source), codes.index(target), source, target)
        if codes[0] is None and codes[1] is None:  # "source,target" or such
            return _Layout(names, 0, 1, source, target)
        raise BadInputError(
            f"{path.name}: the header ({', '.join(names[:2])}) does not name "
            f"{source} and {target}")
    if codes[0] is None or codes[1] is None:
        raise BadInputError(
            f"{path.name}: the header's first two columns must be language codes "
            f"(e.g. en,ru), not {names[0]},{names[1]}; or say the languages")
    source = language_code(source_lang) if source_lang else codes[0]
    target = language_code(target_lang) if target_lang else (
        codes[1] if codes[1] != source else codes[0])
    if source not in codes or target not in codes or source == target:
        raise BadInputError(f"{path.name}: the header names {codes[0]},{codes[1]}, "
                            f"not {source} and {target}")
    return _Layout(names, codes.index(source), codes.index(target), source, target)


def _decoded_lines(path: Path) -> Iterator[tuple[int, str]]:
    """(line number, text with its line end): UTF-8 (BOM or not), or UTF-16
    with a BOM (Excel's "Unicode text").  Bad bytes fail with their line."""
    try:
        handle = open(path, "rb")
    except OSError as error:
        raise BadInputError(f"Cannot read {path}: {error.strerror or error}") from error
    with handle:
        start = handle.read(4)
        handle.seek(0)
        if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            text = io.TextIOWrapper(handle, encoding="utf-16", newline="")
            try:
                for number, line in enumerate(text, 1):
                    yield number, line
            except UnicodeDecodeError as error:
                raise BadInputError(f"{path.name}: not valid UTF-16 ({error.reason})") from None
            return
        for number, raw in enumerate(handle, 1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                raise BadInputError(
                    f"{path.name}: line {number}, byte {error.start + 1}: not UTF-8 "
                    f"(save the file as UTF-8)") from None
            if number == 1 and line.startswith("\ufeff"):
                line = line[1:]
            yield number, line


class CsvImporter(_DelimitedImporter):
    """RFC 4180 CSV; a header of ``;``-separated names means a ``;`` file (the
    CSV of spreadsheets in locales with a decimal comma)."""

    name: ClassVar[str] = "csv"
    extensions: ClassVar[tuple[str, ...]] = (".csv",)

    def _rows(self, path: Path) -> Iterator[tuple[int, list[str]]]:
        lines = _decoded_lines(path)
        current = [0]

        def tracked() -> Iterator[str]:
            for number, line in lines:
                current[0] = number
                yield line

        source = tracked()
        first_line = next(source, None)
        if first_line is None:
            return
        delimiter = ";" if ";" in first_line and "," not in first_line else ","

        def all_lines() -> Iterator[str]:
            yield first_line
            yield from source

        # No cell size limit but the file's (the default, 131,072 characters,
        # refused the workbench's own export of a long target).
        csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
        reader = csv.reader(all_lines(), delimiter=delimiter, strict=True)
        try:
            for row in reader:
                if row:
                    yield current[0], row
        except csv.Error as error:
            raise BadInputError(f"{path.name}: line {current[0]}: malformed CSV "
                                f"({error})") from None


class TsvImporter(_DelimitedImporter):
    name: ClassVar[str] = "tsv"
    extensions: ClassVar[tuple[str, ...]] = (".tsv", ".tab")

    def _rows(self, path: Path) -> Iterator[tuple[int, list[str]]]:
        for number, line in _decoded_lines(path):
            if line.endswith("\n"):
                line = line[:-2] if line.endswith("\r\n") else line[:-1]
            if line:
                yield number, [unescape_tsv(cell) for cell in line.split("\t")]
