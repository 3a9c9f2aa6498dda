"""The deliverable: a document's translation written in its original format.

OmegaT's "Create translated documents" is the model.  Each block of the
original (a paragraph, heading, cell, footnote...) gets the translations of
its units, joined with the whitespace that separated their sources in the
block, and the document's format writes them into a copy of the original:
HTML keeps the page's markup around the translated text, DOCX and ODT keep
styles, tables and formatting runs (the inline tags of the translation say
where), and a plain-text article keeps its paragraph breaks.

Which translation a unit contributes:

- an **approved** target (``Status.REVIEWED``): the translation signed off;
- otherwise the chosen fallback: ``source`` (the source text, so the
  document stays complete and the gap is visible) or ``mt`` (the machine
  translation, or the source when there is none).  Every unit that used the
  fallback is listed in the report;
- an excluded unit keeps its source text (it is not to be translated) and is
  counted apart.

A **bilingual file** (XLIFF, PO) is saved back rather than filled in: every
unit with a target writes that target and its status (the file's state
follows: approved -> final, machine -> MT suggestion...), a unit without one
is left as the file had it (no fallback: the other tool still sees it as
untranslated), and excluded units are not touched.  The report lists the
units left as they were.

A unit merged across a paragraph break gives its whole translation to its
first paragraph; the later paragraph, whose text it took, is emptied.  The
output is written atomically (``outputs``): the old file or the new one,
never half of one.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from workbench.core.errors import BadInputError, OutputExistsError
from workbench.core.model import Status, Unit
from workbench.core.progress import Cancelled, CancelledFn, ProgressFn, never_cancelled, no_progress
from workbench.core.store.database import Store

FALLBACKS = ("source", "mt")
# What an existing output may look like (``outputs.sniff``) to be replaced without force.
_REPLACEABLE = {"docx": {"zip"}, "odt": {"zip"}, "html": {"xml", "text"},
                "text": {"text", "csv", "tsv"}, "xliff": {"xliff", "xml"}, "po": {"text"}}
# Statuses from least to most finished, for a block's status in bilingual formats.
_ORDER = [Status.NEW, Status.MACHINE, Status.TM, Status.EDITED, Status.APPROVED]


@dataclass(frozen=True)
class FallbackUnit:
    """A unit delivered without an approved target."""
    unit_id: int
    paragraph: int
    status: str          # its status (new, machine, edited, tm)
    used: str            # "source" or "mt": what went into the document; "file": left as the file had it
    reason: str          # why: "not approved", "not approved, no machine translation"


@dataclass(frozen=True)
class DeliveryReport:
    """What ``deliver_document`` wrote."""
    document_id: int
    path: Path
    format: str          # the document's format ("text", "html", "docx", "odt"...)
    fallback: str        # the fallback chosen
    units: int           # units delivered
    approved: int        # of which with an approved target
    excluded: int        # of which excluded (source kept)
    blocks: int          # blocks of the original given a translation
    fallbacks: list[FallbackUnit] = field(default_factory=list)

    def describe(self) -> str:
        """One line for the terminal and the status bar."""
        with_mt = sum(1 for unit in self.fallbacks if unit.used == "mt")
        as_in_file = sum(1 for unit in self.fallbacks if unit.used == "file")
        with_source = len(self.fallbacks) - with_mt - as_in_file
        fallback = "".join([
            f"; {as_in_file} without a target left as the file had them" if as_in_file else "",
            f"; {with_mt} without an approved target got the machine translation" if with_mt else "",
            f"; {with_source} without an approved target kept the source text" if with_source else ""])
        excluded = f"; {self.excluded} excluded kept as source" if self.excluded else ""
        return (f"wrote {self.path} ({self.format}): {self.approved} of {self.units} units "
                f"approved{fallback}{excluded}")


def deliver_document(store: Store, document_id: int, out_path: str | Path, *,
                     fallback: str = "source", force: bool = False,
                     progress: ProgressFn = no_progress,
                     cancelled: CancelledFn = never_cancelled) -> DeliveryReport:
    """Write a document's translation in its original format.

    :param store: the open store.
    :param document_id: the document (an article, a web page, a DOCX...).
    :param out_path: the file to write; never the database or a file the
        workbench owns (``outputs.check_output_path``); an existing file of
        another kind only with ``force``.
    :param fallback: what units without an approved target contribute:
        ``"source"`` or ``"mt"`` (the source when there is no MT).
    :param force: replace an existing file that does not look like the output.
    :param progress: ``progress(fraction, message)``.
    :param cancelled: polled while the translations are gathered; True raises
        ``Cancelled`` and nothing is written.
    Returns the report: counts and the units that used the fallback.
    """
    from workbench.core.documents.registry import is_bilingual
    from workbench.core.outputs import check_output_path, write_bytes_atomically

    if fallback not in FALLBACKS:
        raise BadInputError(f"unknown fallback {fallback!r}: choose source or mt")
    document = store.document(document_id)
    if document.translation_of is not None or not store.has_units(document_id):
        raise BadInputError(f"document {document_id} is the translation of another document "
                            f"(or has no units): deliver the document it translates")
    info = store.document_file_info(document_id)
    format_name = info[0] if info else "text"
    bilingual = is_bilingual(format_name)
    out = Path(out_path).expanduser()
    try:
        out = check_output_path(out, format_name=format_name, database=store.path, force=force)
    except OutputExistsError as error:
        if not _replaceable(out, format_name):
            raise error from None
    progress(0.0, f"gathering the translation of {document.title[:40]!r}")
    paragraph_units: dict[int, list[tuple[Unit, str]]] = {}
    fallbacks: list[FallbackUnit] = []
    approved = excluded = count = 0
    for unit in store.units(document_id):
        count += 1
        if count % 2000 == 0:
            if cancelled():
                raise Cancelled("delivery cancelled: nothing was written")
            progress(0.5, f"gathered {count:,} units")
        if bilingual:
            # Saved back: the reviewed targets and states, nothing invented.
            if unit.excluded:
                excluded += 1
                continue
            if not unit.target.strip():
                fallbacks.append(FallbackUnit(unit.id, unit.paragraph, str(unit.status), "file",
                                              "no target: left as the file had it"))
                continue
            approved += unit.status in Status.REVIEWED
            paragraph_units.setdefault(unit.paragraph, []).append((unit, unit.target))
            continue
        if unit.excluded:
            excluded += 1
            text = unit.source
        elif unit.status in Status.REVIEWED and unit.target.strip():
            approved += 1
            text = unit.target
        else:
            reason = "not approved"
            used = fallback
            if fallback == "mt" and unit.mt and unit.mt.strip():
                text = unit.mt
            else:
                text = unit.source
                if fallback == "mt":
                    used, reason = "source", "not approved, no machine translation"
            fallbacks.append(FallbackUnit(unit.id, unit.paragraph, str(unit.status), used, reason))
        paragraph_units.setdefault(unit.paragraph, []).append((unit, text))
    if cancelled():
        raise Cancelled("delivery cancelled: nothing was written")
    if info is None:
        data = _plain_text(paragraph_units)
        blocks_written = len(paragraph_units)
    else:
        data, blocks_written = _formatted(store, document, paragraph_units, empty_merged=not bilingual)
    progress(0.9, f"writing {out.name}")
    write_bytes_atomically(out, data)
    progress(1.0, f"wrote {out.name}")
    return DeliveryReport(document_id, out, format_name, fallback, count, approved, excluded,
                          blocks_written, fallbacks)


def _replaceable(path: Path, format_name: str) -> bool:
    from workbench.core.outputs import SNIFF_BYTES, sniff

    try:
        with open(path, "rb") as handle:  # check_output_path ruled out the database first
            kind = sniff(handle.read(SNIFF_BYTES))
    except OSError:
        return False
    return kind in _REPLACEABLE.get(format_name, set())


def _join(block_text: str | None, pieces: list[tuple[Unit, str]]) -> str:
    """The translations of a block's units, with the whitespace that separated their sources."""
    if len(pieces) == 1:
        return pieces[0][1]
    out = [pieces[0][1]]
    cursor = 0
    previous_end = None
    for index, (unit, text) in enumerate(pieces):
        found = block_text.find(unit.source, cursor) if block_text and unit.source else -1
        if index:
            gap = " "
            if found >= 0 and previous_end is not None:
                between = block_text[previous_end:found]
                if not between.strip():
                    gap = between
            out.append(gap + text)
        if found >= 0:
            cursor = previous_end = found + len(unit.source)
        else:
            previous_end = None
    return "".join(out)


def _plain_text(paragraph_units: dict[int, list[tuple[Unit, str]]]) -> bytes:
    """A plain-text article: one paragraph per paragraph, a blank line between."""
    paragraphs = [_join(None, paragraph_units[p]) for p in sorted(paragraph_units)]
    return ("\n\n".join(p.strip() for p in paragraphs if p.strip()) + "\n").encode("utf-8")


def _formatted(store: Store, document, paragraph_units, *, empty_merged: bool = True) -> tuple[bytes, int]:
    from workbench.core.documents.registry import get_format

    stored = store.document_file(document.id)
    blocks = {block.paragraph: block for block in store.document_blocks(document.id)}
    translations: dict[str, str] = {}
    statuses: dict[str, str] = {}
    for paragraph, pieces in paragraph_units.items():
        block = blocks.get(paragraph)
        if block is None:
            continue
        translations[block.key] = _join(block.text, pieces)
        statuses[block.key] = str(min((unit.status for unit, _ in pieces), key=_ORDER.index))
    # Paragraphs whose text a unit merged across the break took: emptied.
    for paragraph in store.segment_paragraphs(document.id) if empty_merged else ():
        block = blocks.get(paragraph)
        if block is not None and block.key not in translations:
            translations[block.key] = ""
    data = get_format(stored.format).write(stored.original, translations,
                                           target_language=document.target_language,
                                           statuses=statuses)
    return data, len(translations)
