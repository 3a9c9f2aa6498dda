"""XLIFF 1.2: export, and import of plain-text XLIFF 1.2 files.

Export writes one ``<file>`` per document (``original`` = document title,
``datatype="plaintext"``) and one ``<trans-unit>`` per unit::

    <trans-unit id="42" approved="yes" xml:space="preserve">
      <source xml:lang="en">...</source>
      <target xml:lang="ru" state="final">...</target>
      <alt-trans origin="argos translate-en_ru 1.9" match-quality="71.23">
        <target xml:lang="ru">raw machine translation</target>
      </alt-trans>
    </trans-unit>

Status -> ``state``: approved -> final (and ``approved="yes"``), edited ->
translated, machine -> needs-review-translation, new -> new (no ``<target>``
at all when the target is empty).  ``match-quality`` carries the post-edit
chrF of the MT against the target, when known.  Units should come grouped by
document: each change of document starts a new ``<file>``.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import ClassVar, Iterable, Iterator

from lxml import etree

from workbench.core.errors import BadInputError
from workbench.core.model import Status
from workbench.core.progress import CancelledFn, ProgressFn, never_cancelled, no_progress

from workbench.core.formats.base import (REPORT_EVERY, ExportOptions, ExportUnit, ImportedCorpus, ImportedUnit,
                   Ticker, atomic_writer, corpus_languages, language_code, now_iso, peek)
from workbench.core.formats.xmlutil import (finished_message, attribute_items, check_no_entity_refs, check_size, escape_attr,
                      escape_fields, local_name, release, safe_iterparse)

log = logging.getLogger(__name__)

XLIFF_NS = "urn:oasis:names:tc:xliff:document:1.2"
STATE_OF_STATUS = {
    Status.APPROVED: "final",
    Status.EDITED: "translated",
    Status.MACHINE: "needs-review-translation",
    Status.NEW: "new",
}


class XliffExporter:
    name: ClassVar[str] = "xliff"
    extensions: ClassVar[tuple[str, ...]] = (".xlf", ".xliff")

    def export(self, units: Iterable[ExportUnit], out: Path, *,
               options: ExportOptions = ExportOptions(), total: int | None = None,
               progress: ProgressFn = no_progress,
               cancelled: CancelledFn = never_cancelled) -> int:
        first, stream = peek(units)
        ticker = Ticker(total, progress, cancelled, "XLIFF export")
        tool = (f'<header><tool tool-id="{escape_attr(options.creation_tool)}" '
                f'tool-name="{escape_attr(options.creation_tool)}" '
                f'tool-version="{escape_attr(options.creation_tool_version)}"/></header>')
        date = escape_attr(options.creation_date or now_iso())
        stripped = [0]
        count = 0
        document: int | None = None
        with atomic_writer(out) as handle:
            handle.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                         f'<xliff version="1.2" xmlns="{XLIFF_NS}">\n')
            if first is None:  # XLIFF needs one <file>: an empty one
                source, target = corpus_languages(None, options)
                handle.write(_file_start("", source, target, date, tool, stripped)
                             + "    </body>\n  </file>\n")
            chunk: list[str] = []
            for unit in stream:
                if unit.document_id != document:
                    if document is not None:
                        chunk.append("    </body>\n  </file>\n")
                    document = unit.document_id
                    chunk.append(_file_start(unit.document, unit.source_lang,
                                             unit.target_lang, date, tool, stripped))
                chunk.append(_trans_unit(unit, options.include_mt, stripped))
                count += 1
                if count % REPORT_EVERY == 0:
                    handle.write("".join(chunk))
                    chunk.clear()
                    ticker.tick(count)
            if document is not None:
                chunk.append("    </body>\n  </file>\n")
            chunk.append("</xliff>\n")
            handle.write("".join(chunk))
        progress(1.0, finished_message(count, out, stripped))
        return count


def _file_start(title: str, source: str, target: str, date: str, tool: str,
                stripped: list[int]) -> str:
    original = escape_fields((title,), stripped)[0].replace('"', "&quot;")
    original = original.replace("\n", "&#10;").replace("\t", "&#9;")
    return (f'  <file original="{original}" source-language="{escape_attr(source)}" '
            f'target-language="{escape_attr(target)}" datatype="plaintext" date="{date}">\n'
            f'    {tool}\n    <body>\n')


def _trans_unit(unit: ExportUnit, include_mt: bool, stripped: list[int]) -> str:
    mt = unit.mt if include_mt else None
    origin = " ".join(part for part in (unit.mt_engine, unit.mt_model, unit.mt_version)
                      if part) or "machine translation"
    source, target, mt_text = escape_fields(
        (" ".join(unit.source_segments), " ".join(unit.target_segments), mt or ""), stripped)
    source_lang, target_lang = escape_attr(unit.source_lang), escape_attr(unit.target_lang)
    state = STATE_OF_STATUS.get(unit.status)
    parts = [f'      <trans-unit id="{unit.unit_id}"',
             ' approved="yes"' if unit.status == Status.APPROVED else "",
             f' xml:space="preserve">\n        <source xml:lang="{source_lang}">{source}</source>\n']
    if target or unit.status != Status.NEW:
        state_attr = f' state="{state}"' if state else ""
        parts.append(f'        <target xml:lang="{target_lang}"{state_attr}>{target}</target>\n')
    if mt is not None:
        quality = f' match-quality="{unit.chrf:.2f}"' if unit.chrf is not None else ""
        parts.append(f'        <alt-trans origin="{escape_attr(origin)}"{quality}>'
                     f'<target xml:lang="{target_lang}">{mt_text}</target></alt-trans>\n')
    parts.append("      </trans-unit>\n")
    return "".join(parts)


# --- import -----------------------------------------------------------------

# Inline elements whose content is native code, not text.
_CODE_ELEMENTS = frozenset({"bpt", "ept", "ph", "it", "x", "bx", "ex", "sub"})


def _text(element: etree._Element) -> str:
    parts = [element.text or ""]
    for child in element:
        name = local_name(child.tag)
        if name and name not in _CODE_ELEMENTS:  # <g>, <mrk>: text containers
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


class XliffImporter:
    """Plain-text XLIFF 1.2 (and 1.0/1.1): ``<source>``/``<target>`` of each
    ``<trans-unit>`` of the ``<file>`` elements in the chosen language pair."""

    name: ClassVar[str] = "xliff"
    extensions: ClassVar[tuple[str, ...]] = (".xlf", ".xliff")

    def read(self, path: Path, *, source_lang: str | None = None,
             target_lang: str | None = None) -> ImportedCorpus:
        path = Path(path)
        pairs: dict[tuple[str, str], int] = {}
        files = 0
        for kind, value in _walk(path, check=True):
            if kind == "file":
                files += 1
                pairs.setdefault(value, 0)
            else:
                pairs[value[0]] = pairs.get(value[0], 0) + 1
        if files == 0:
            raise BadInputError(f"{path.name}: no <file> element")
        source, target = _choose_pair(path, pairs, source_lang, target_lang)
        usable = pairs.get((source, target), 0)
        return ImportedCorpus(
            path=path, format=self.name, source_lang=source, target_lang=target,
            header={"files": str(files)}, unit_count=usable,
            skipped=sum(pairs.values()) - usable,
            _stream=lambda: _stream(path, source, target))

    def validate(self, path: Path) -> None:
        self.read(Path(path))


def _choose_pair(path: Path, pairs: dict[tuple[str, str], int], source_lang: str | None,
                 target_lang: str | None) -> tuple[str, str]:
    wanted = [(s, t) for s, t in pairs
              if (not source_lang or s == language_code(source_lang))
              and (not target_lang or t == language_code(target_lang))]
    if len(wanted) == 1:
        return wanted[0]
    listed = ", ".join(f"{s}->{t}" for s, t in pairs)
    if not wanted:
        raise BadInputError(f"{path.name}: no file in the language pair asked for "
                            f"(the file has {listed})")
    raise BadInputError(f"{path.name} holds {listed}: say which languages to import")


def _walk(path: Path, *, check: bool) -> Iterator[tuple[str, object]]:
    """("file", (src, tgt)) at each <file>, ("unit", ((src, tgt), element)) at
    each </trans-unit>; the element is released after the consumer resumes."""
    pair = ("", "")
    original = ""
    root_seen = False
    for event, element in safe_iterparse(path, events=("start", "end")):
        name = local_name(element.tag)
        if not root_seen:
            root_seen = True
            if name != "xliff":
                raise BadInputError(
                    f"{path.name}: not an XLIFF file (the root element is <{name}>)")
            version = element.get("version", "1.2")
            if not version.startswith("1."):
                raise BadInputError(f"{path.name}: XLIFF {version} is not supported "
                                    f"(XLIFF 1.x only)")
            continue
        if event == "start":
            if name == "file":
                source = element.get("source-language")
                if not source:
                    raise BadInputError(f"{path.name}: line {element.sourceline}: <file> "
                                        f"without source-language")
                pair = (language_code(source),
                        language_code(element.get("target-language") or ""))
                original = element.get("original", "")
                yield "file", pair
            continue
        if name == "trans-unit":
            if check:
                check_size(element, path, children=len(element), what="child elements")
                for child in element:
                    check_size(child, path)
                check_no_entity_refs(element, path)
            yield "unit", (pair, element, original)
            release(element)
        elif name == "file":
            release(element)


def _stream(path: Path, source: str, target: str) -> Iterator[ImportedUnit]:
    for kind, value in _walk(path, check=False):
        if kind != "unit":
            continue
        pair, element, original = value
        if pair != (source, target):
            continue
        yield _unit(element, source, target, original)


def _unit(element: etree._Element, source: str, target: str, original: str) -> ImportedUnit:
    texts = {"source": "", "target": ""}
    props: dict[str, str] = {"document": original} if original else {}
    notes: list[str] = []
    for child in element:
        name = local_name(child.tag)
        if name in ("source", "target"):
            texts[name] = _text(child)
            if name == "target" and child.get("state"):
                props["state"] = child.get("state")
        elif name == "note":
            notes.append(child.text or "")
        elif name == "alt-trans":
            for alt in child:
                if local_name(alt.tag) == "target":
                    props.setdefault("mt", _text(alt))
            for key in ("origin", "match-quality"):
                if child.get(key):
                    props.setdefault(f"alt-trans:{key}", child.get(key))
    for key, value in attribute_items(element):
        if key not in ("id", "{http://www.w3.org/XML/1998/namespace}space"):
            props[local_name(key)] = value
    return ImportedUnit(source=texts["source"], target=texts["target"], source_lang=source,
                        target_lang=target, tuid=element.get("id"), props=props,
                        notes=tuple(notes))
