"""Glossary files: read TBX (TBX-Basic / TBX 2 ``martif`` and TBX v3
``tbx``), CSV/TSV with a header and OmegaT's tab-separated glossary; write
TBX or CSV.

A file is read whole before anything is stored: a malformed one imports
nothing and the error names its line.  XML is parsed with
``formats.xmlutil.safe_iterparse`` (no entities, no DTD, no network).
"""
from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from workbench.core.errors import BadInputError
from workbench.core.formats.xmlutil import clean_text, escape_attr, local_name, safe_iterparse
from workbench.core.outputs import atomic_writer
from workbench.core.store.qa_rows import GlossaryTerm

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# TBX administrative status / normative authorization values that mark a term
# that must not be used.
_FORBIDDEN_STATUS = {"deprecatedterm-admn-sts", "supersededterm-admn-sts", "deprecatedterm",
                     "supersededterm", "forbidden", "notrecommended"}

_SOURCE_HEADERS = {"source", "src", "term", "source term", "source_term"}
_TARGET_HEADERS = {"target", "tgt", "translation", "target term", "target_term"}
_NOTE_HEADERS = {"note", "notes", "comment", "comments", "definition", "description"}
_FORBIDDEN_HEADERS = {"forbidden", "deprecated", "status"}


@dataclass(frozen=True)
class Entry:
    """A glossary entry read from a file, before it is stored."""
    source: str
    target: str
    source_lang: str
    target_lang: str
    note: str | None = None
    forbidden: bool = False

    def row(self) -> tuple[str, str, str, str, str | None, bool]:
        return (self.source, self.target, self.source_lang, self.target_lang, self.note, self.forbidden)


def _lang(code: str | None) -> str:
    return (code or "").strip().replace("_", "-").split("-")[0].lower()


def sniff_format(path: Path) -> str:
    """``tbx``, ``csv``, ``tsv`` or ``omegat``, from the name and first bytes.

    Parameters:
        path: the glossary file."""
    try:
        head = path.read_bytes()[:4096]
    except OSError as exc:
        raise BadInputError(f"cannot read {path}: {exc.strerror or exc}") from None
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff").lstrip()
    if text.startswith("<") or path.suffix.lower() in (".tbx", ".xml"):
        return "tbx"
    if path.suffix.lower() == ".csv":
        return "csv"
    if path.suffix.lower() == ".tsv":
        return "tsv"
    first = next((line for line in text.splitlines() if line.strip() and not line.startswith("#")), "")
    cells = [c.strip().lower() for c in first.split("\t")]
    if "\t" in first and (cells[0] in _SOURCE_HEADERS or len(_lang(cells[0])) == 2 and len(cells[0]) <= 5
                          and cells[1:2] and len(_lang(cells[1])) == 2 and len(cells[1]) <= 5):
        return "tsv"
    if "\t" in first or path.suffix.lower() in (".txt", ".utf8"):
        return "omegat"
    return "csv"


def read_glossary(path: str | Path, *, source_lang: str | None = None, target_lang: str | None = None,
                  fmt: str | None = None) -> list[Entry]:
    """Read every entry of a glossary file (nothing is stored).

    Parameters:
        path: a TBX, CSV/TSV (with a header) or OmegaT glossary file.
        source_lang, target_lang: the language pair; TBX and a CSV header
            with language codes name it themselves (these pick the pair then).
        fmt: force the format (``tbx``, ``csv``, ``tsv``, ``omegat``).

    Raises ``BadInputError`` naming the line of the first problem."""
    path = Path(path)
    if not path.is_file():
        raise BadInputError(f"no glossary file {path}")
    fmt = fmt or sniff_format(path)
    if fmt == "tbx":
        entries = _read_tbx(path, _lang(source_lang), _lang(target_lang))
    else:
        entries = _read_delimited(path, fmt, _lang(source_lang), _lang(target_lang))
    if not entries:
        raise BadInputError(f"{path.name}: no glossary entries found")
    return entries


def _decode(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise BadInputError(f"{path.name}: line {line}: not UTF-8 text") from None


def _read_delimited(path: Path, fmt: str, source_lang: str, target_lang: str) -> list[Entry]:
    text = _decode(path)
    delimiter = "," if fmt == "csv" else "\t"
    lines = text.splitlines()
    entries: list[Entry] = []
    if fmt == "omegat":
        if not (source_lang and target_lang):
            raise BadInputError(f"{path.name}: an OmegaT glossary does not name its languages: give --from and --to")
        for number, line in enumerate(lines, 1):
            if not line.strip() or line.startswith("#"):
                continue
            cells = line.split("\t")
            if len(cells) < 2 or not cells[0].strip() or not cells[1].strip():
                raise BadInputError(f"{path.name}: line {number}: expected 'source<TAB>target[<TAB>comment]'")
            entries.append(Entry(cells[0].strip(), cells[1].strip(), source_lang, target_lang,
                                 cells[2].strip() or None if len(cells) > 2 else None))
        return entries
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as exc:
        raise BadInputError(f"{path.name}: line {_csv_line(text, delimiter)}: malformed {fmt.upper()} ({exc})") from None
    # Physical line of each record (a quoted cell may span lines).
    starts, reader = [], csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    line_no = 1
    for _row in reader:
        starts.append(line_no)
        line_no = reader.line_num + 1
    header_index = next((i for i, r in enumerate(rows) if any(c.strip() for c in r)), None)
    if header_index is None:
        return []
    header = [c.strip().lower() for c in rows[header_index]]
    col_s = col_t = None
    for i, name in enumerate(header):
        if name in _SOURCE_HEADERS and col_s is None:
            col_s = i
        elif name in _TARGET_HEADERS and col_t is None:
            col_t = i
    if col_s is None and len(header) >= 2 and all(len(_lang(h)) in (2, 3) and len(h) <= 6 and h.replace("-", "").replace("_", "").isalpha()
                                                  for h in header[:2]):
        langs = [_lang(h) for h in header]
        if source_lang and source_lang in langs and target_lang and target_lang in langs:
            col_s, col_t = langs.index(source_lang), langs.index(target_lang)
        else:
            col_s, col_t = 0, 1
            source_lang, target_lang = source_lang or langs[0], target_lang or langs[1]
    if col_s is None or col_t is None:
        raise BadInputError(f"{path.name}: line {starts[header_index]}: the header must name a source and a target"
                            f" column (source,target or language codes such as en,ru)")
    if not (source_lang and target_lang):
        raise BadInputError(f"{path.name}: the header does not name the languages: give --from and --to")
    col_n = next((i for i, h in enumerate(header) if h in _NOTE_HEADERS), None)
    col_f = next((i for i, h in enumerate(header) if h in _FORBIDDEN_HEADERS), None)
    for index in range(header_index + 1, len(rows)):
        row = rows[index]
        if not any(c.strip() for c in row):
            continue
        line = starts[index]
        if len(row) != len(header):
            raise BadInputError(f"{path.name}: line {line}: {len(row)} columns, the header has {len(header)}")
        source, target = row[col_s].strip(), row[col_t].strip()
        if not source or not target:
            raise BadInputError(f"{path.name}: line {line}: empty source or target term")
        note = row[col_n].strip() or None if col_n is not None else None
        flag = row[col_f].strip().lower() if col_f is not None else ""
        forbidden = flag in ("1", "yes", "true", "x", "forbidden", "deprecated")
        entries.append(Entry(source, target, source_lang, target_lang, note, forbidden))
    return entries


def _csv_line(text: str, delimiter: str) -> int:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        for _row in reader:
            pass
    except csv.Error:
        return reader.line_num
    return reader.line_num


def _read_tbx(path: Path, want_source: str, want_target: str) -> list[Entry]:
    entries: list[Entry] = []
    default_lang = ""
    for event, element in safe_iterparse(path, events=("start", "end")):
        name = local_name(element.tag)
        if event == "start":
            if name in ("martif", "tbx") and element.get(XML_LANG):
                default_lang = _lang(element.get(XML_LANG))
            continue
        if name not in ("termEntry", "conceptEntry"):
            continue
        line = element.sourceline
        by_lang: dict[str, list[tuple[str, bool]]] = {}
        notes: list[str] = []
        for child in element.iter():
            cname = local_name(child.tag)
            if cname in ("descrip", "note") and child.getparent() is element and (child.text or "").strip():
                notes.append(child.text.strip())
            if cname not in ("langSet", "langSec"):
                continue
            lang = _lang(child.get(XML_LANG) or default_lang)
            if not lang:
                raise BadInputError(f"{path.name}: line {child.sourceline}: a {cname} without xml:lang")
            for holder in child.iter():
                hname = local_name(holder.tag)
                if hname not in ("tig", "ntig", "termSec"):
                    continue
                term_el = next((e for e in holder.iter() if local_name(e.tag) == "term"), None)
                text = "".join(term_el.itertext()).strip() if term_el is not None else ""
                if not text:
                    raise BadInputError(f"{path.name}: line {holder.sourceline}: a {hname} without a term")
                status = {(e.text or "").strip().lower() for e in holder.iter()
                          if local_name(e.tag) == "termNote"
                          and e.get("type") in ("administrativeStatus", "normativeAuthorization")}
                by_lang.setdefault(lang, []).append((text, bool(status & _FORBIDDEN_STATUS)))
        if not by_lang:
            raise BadInputError(f"{path.name}: line {line}: a {name} without terms")
        langs = list(by_lang)
        source = want_source or langs[0]
        if source not in by_lang:
            element.clear(keep_tail=True)
            continue
        targets = [want_target] if want_target else [l for l in langs if l != source]
        for target in targets:
            if target not in by_lang:
                continue
            sources = [t for t, forbidden in by_lang[source] if not forbidden] or [by_lang[source][0][0]]
            for src in sources:
                for tgt, forbidden in by_lang[target]:
                    entries.append(Entry(src, tgt, source, target, "; ".join(notes) or None, forbidden))
        element.clear(keep_tail=True)
    return entries


def write_glossary(terms: Sequence[GlossaryTerm], out: Path, fmt: str) -> int:
    """Write glossary entries as TBX (TBX-Basic style ``martif``) or CSV.

    Parameters:
        terms: the entries.
        out: the output file (written under a temporary name, then renamed).
        fmt: ``tbx`` or ``csv``.

    Returns how many entries were written."""
    with atomic_writer(out, newline="" if fmt == "csv" else "\n") as handle:
        if fmt == "csv":
            writer = csv.writer(handle)
            writer.writerow(["source", "target", "source_lang", "target_lang", "note", "forbidden"])
            for t in terms:
                writer.writerow([t.source, t.target, t.source_lang, t.target_lang, t.note or "",
                                 "yes" if t.forbidden else ""])
            return len(terms)
        handle.write('<?xml version="1.0" encoding="UTF-8"?>\n<martif type="TBX-Basic" xml:lang="'
                     + escape_attr(terms[0].source_lang if terms else "en") + '">\n'
                     '<martifHeader><fileDesc><sourceDesc><p>workbench glossary</p></sourceDesc></fileDesc>'
                     '</martifHeader>\n<text><body>\n')
        stripped = [0]
        for t in terms:
            handle.write(f'<termEntry id="t{t.id}">')
            if t.note:
                handle.write(f'<descrip type="definition">{clean_text(t.note, stripped)}</descrip>')
            handle.write(f'<langSet xml:lang="{escape_attr(t.source_lang)}"><tig><term>{clean_text(t.source, stripped)}'
                         f'</term></tig></langSet>')
            status = ('<termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote>'
                      if t.forbidden else "")
            handle.write(f'<langSet xml:lang="{escape_attr(t.target_lang)}"><tig><term>{clean_text(t.target, stripped)}'
                         f'</term>{status}</tig></langSet></termEntry>\n')
        handle.write("</body></text>\n</martif>\n")
    return len(terms)
