"""Which formats exist, by name, by file extension and by content."""
from __future__ import annotations

import codecs
import re
from pathlib import Path

from workbench.core.errors import BadInputError

from workbench.core.formats.base import Exporter, Importer
from workbench.core.formats.csv_tsv import CsvExporter, CsvImporter, TsvExporter, TsvImporter
from workbench.core.formats.moses import MosesExporter
from workbench.core.formats.parquet import ParquetExporter
from workbench.core.formats.tmx import TmxExporter, TmxImporter
from workbench.core.formats.xliff import XliffExporter, XliffImporter

EXPORTERS: dict[str, Exporter] = {
    exporter.name: exporter
    for exporter in (TmxExporter(), CsvExporter(), TsvExporter(), MosesExporter(),
                     XliffExporter(), ParquetExporter())
}
IMPORTERS: dict[str, Importer] = {
    importer.name: importer
    for importer in (TmxImporter(), CsvImporter(), TsvImporter(), XliffImporter())
}
REGISTRY = {"export": EXPORTERS, "import": IMPORTERS}


def get_exporter(name: str) -> Exporter:
    try:
        return EXPORTERS[name.lower()]
    except KeyError:
        raise BadInputError(f"Unknown export format {name!r}: choose from "
                            f"{', '.join(EXPORTERS)}") from None


def get_importer(name: str) -> Importer:
    try:
        return IMPORTERS[name.lower()]
    except KeyError:
        raise BadInputError(f"Unknown import format {name!r}: choose from "
                            f"{', '.join(IMPORTERS)}") from None


def get_importer_for(path: Path) -> Importer:
    """The importer for a file, by its extension."""
    suffix = Path(path).suffix.lower()
    for importer in IMPORTERS.values():
        if suffix in importer.extensions:
            return importer
    known = ", ".join(sorted({ext for imp in IMPORTERS.values() for ext in imp.extensions}))
    raise BadInputError(f"{Path(path).name}: cannot tell the format from the extension "
                        f"{suffix or '(none)'}; known: {known}")


def exporter_for(path: Path) -> Exporter | None:
    """The exporter a file name suggests (``out.tmx`` -> TMX), if any."""
    suffix = Path(path).suffix.lower()
    for exporter in EXPORTERS.values():
        if suffix in exporter.extensions:
            return exporter
    return None


# --- what a file is: by content first, by extension second -----------------------

TEXT = "text"                               # an article (plain text), not a corpus
TEXT_SUFFIXES = (".txt", ".text", ".md")    # plus no suffix at all
_XML_SUFFIXES = (".tmx", ".xlf", ".xliff", ".xml")
_SNIFF_BYTES = 64 * 1024
_XML_NAME = re.compile(r"<([A-Za-z_][\w.:-]*)")
_DOCTYPE_SUBSET = re.compile(r"""\[(?:[^\]"']|"[^"]*"|'[^']*')*\]""")  # quoted "]" allowed


def importable_suffixes() -> tuple[str, ...]:
    """Extensions of every importable format (articles and corpora), for file
    dialogs and directory imports."""
    corpus = sorted({ext for importer in IMPORTERS.values() for ext in importer.extensions})
    return (*TEXT_SUFFIXES, *corpus)


def detect_format(path: Path, head: bytes) -> str:
    """``"text"`` or the name of the importer for a file, decided by its content
    first (a TMX saved as .txt is a TMX) and its extension second.

    :param path: the file (its name and extension).
    :param head: its first bytes (64 KiB are plenty; see ``SNIFF_BYTES``).
    XML whose root is <tmx> or <xliff> is that format, whatever the extension.
    Other XML is refused when it says it is XML (an ``<?xml`` declaration) or
    has an XML extension; markup in a text file without one (an HTML snippet)
    stays text.  Without XML, a .tmx/.xlf/.csv/.tsv extension names the
    format (its importer reports what is wrong), and a first line of two
    language codes (``en,ru`` or ``en<TAB>ru``) makes a CSV/TSV corpus.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    text = _head_text(head).lstrip("\ufeff \t\r\n")
    root, declared = _xml_root(text)
    if root is not None or declared:
        name = (root or "").rpartition(":")[2].lower()
        if name in ("tmx", "xliff"):
            return name
        if root is None and suffix in _XML_SUFFIXES[:3]:
            return get_importer_for(path).name  # let the importer say what is wrong
        if declared or suffix in _XML_SUFFIXES:
            what = f"whose root element is <{root}>" if root else "without a root element"
            raise BadInputError(f"{path.name}: an XML file {what}, neither TMX nor XLIFF; "
                                f"nothing to import")
    if suffix in _XML_SUFFIXES[:3] or suffix in (".csv", ".tsv", ".tab"):
        return get_importer_for(path).name
    return _delimited_header(text) or TEXT


SNIFF_BYTES = _SNIFF_BYTES


def _head_text(head: bytes) -> str:
    for bom, encoding in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                          (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if head.startswith(bom):
            return head.decode(encoding, errors="replace")
    if head[:2] in (b"<\x00", b"\x00<"):  # BOM-less UTF-16 XML (lxml reads it)
        return head.decode("utf-16-le" if head[0] else "utf-16-be", errors="replace")
    return head.decode("utf-8", errors="replace")


def _xml_root(text: str) -> tuple[str | None, bool]:
    """(root element name or None, whether the text declares itself XML),
    skipping the prolog: declaration, comments, processing instructions and a
    DOCTYPE with its internal subset."""
    declared = text.startswith("<?xml")
    position = 0
    while True:
        while position < len(text) and text[position].isspace():
            position += 1
        if text.startswith("<?", position):
            end = text.find("?>", position)
        elif text.startswith("<!--", position):
            end = text.find("-->", position)
            end = end + 1 if end >= 0 else end
        elif text.startswith("<!DOCTYPE", position):
            subset = text.find("[", position)
            close = text.find(">", position)
            if 0 <= subset < close:
                match = _DOCTYPE_SUBSET.match(text, subset)
                close = text.find(">", match.end()) if match else -1
            end = close - 1 if close >= 0 else -1
        else:
            match = _XML_NAME.match(text, position)
            return (match.group(1) if match else None), declared
        if end < 0:
            return None, declared
        position = end + 2


def _delimited_header(text: str) -> str | None:
    """"csv"/"tsv" when the first line names two languages (``en,ru``)."""
    from workbench.core.formats.csv_tsv import _is_language

    first = next((line for line in text.splitlines() if line.strip()), "")
    if len(first) > 500:
        return None
    for delimiter, name in (("\t", "tsv"), (",", "csv"), (";", "csv")):
        cells = [cell.strip().strip('"') for cell in first.split(delimiter)]
        if len(cells) >= 2 and _is_language(cells[0]) and _is_language(cells[1]):
            return name
    return None
