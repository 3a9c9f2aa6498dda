"""TMX: export as TMX 1.4 (valid against the LISA DTD), import TMX 1.1-1.4.

Export writes one ``<tu>`` per unit::

    <tu tuid="42" creationdate="20250424T142600Z" changedate="...">
      <prop type="x-document">Title</prop>      document title
      <prop type="x-document-id">7</prop>
      <prop type="x-status">approved</prop>     new | machine | edited | approved
      <prop type="x-mt-engine">argos</prop>     when the unit has MT
      <prop type="x-mt-model">translate-en_ru</prop>
      <prop type="x-mt-version">1.9</prop>
      <prop type="x-chrf">71.20</prop>          post-edit chrF, MT vs target
      <prop type="x-mt">...</prop>              the raw MT text (``include_mt``),
                                                for (source, MT, post-edit) triplets
      <prop type="x-link-type">2-1</prop>       an aligned unit's shape: source - target sentences
      <prop type="x-alignment-confidence">0.93</prop>   the aligner's confidence in the link
      <tuv xml:lang="en"><seg>...</seg></tuv>
      <tuv xml:lang="ru"><seg>...</seg></tuv>
    </tu>

A unit whose source language differs from the header's ``srclang`` (a
mixed-direction export) carries its own ``srclang`` attribute, as TMX allows.
Characters XML 1.0 cannot carry are stripped (see ``xmlutil``) and counted in a
log warning and the final progress message.  ``x-chrf`` has two decimals.

Import reads TMX 1.1-1.4 in two passes over the file: the first checks it
all (well-formed, a <tmx> root, every <tuv> has a language, no entity
references) and counts units per language set; ``read()`` returns only after
it, so a malformed file imports nothing.  The second pass streams units.
Languages: the caller's, else the header's ``srclang`` (or the first tuv's
when it says ``*all*``) and the one other language present (a multilingual
file must say which).  Tags match by primary subtag (``EN-US`` is ``en``).
A <tu> lacking either language is skipped and counted.  Inline native codes
(<bpt> <ept> <ph> <it> <ut>) are dropped from the text, <hi> keeps its text.
Unit props: see ``ImportedUnit.props``.  A file that changes between the
two passes can still fail mid-stream: callers import inside a transaction.
"""
from __future__ import annotations

import logging
from functools import lru_cache
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, Iterable, Iterator

from lxml import etree

from workbench.core.errors import BadInputError
from workbench.core.progress import CancelledFn, ProgressFn, never_cancelled, no_progress

from workbench.core.formats.base import (REPORT_EVERY, ExportOptions, ExportUnit, ImportedCorpus, ImportedUnit,
                   Ticker, atomic_writer, corpus_languages, iso_to_tmx_date,
                   language_code, now_iso, peek, tmx_to_iso_date)
from workbench.core.formats.xmlutil import (finished_message, XML_LANG, attribute_items, check_no_entity_refs, check_size,
                      escape_attr, escape_fields, local_name, release, safe_iterparse)

log = logging.getLogger(__name__)


class TmxExporter:
    name: ClassVar[str] = "tmx"
    extensions: ClassVar[tuple[str, ...]] = (".tmx",)

    def export(self, units: Iterable[ExportUnit], out: Path, *,
               options: ExportOptions = ExportOptions(), total: int | None = None,
               progress: ProgressFn = no_progress,
               cancelled: CancelledFn = never_cancelled) -> int:
        first, stream = peek(units)
        srclang, _ = corpus_languages(first, options)
        ticker = Ticker(total, progress, cancelled, "TMX export")
        count = 0
        stripped = [0]  # characters XML cannot carry, removed
        include_mt = options.include_mt
        with atomic_writer(out) as handle:
            handle.write(_header(srclang, options))
            chunk: list[str] = []
            for unit in stream:
                chunk.append(_tu(unit, srclang, include_mt, stripped))
                count += 1
                if count % REPORT_EVERY == 0:
                    handle.write("".join(chunk))
                    chunk.clear()
                    ticker.tick(count)
            chunk.append("  </body>\n</tmx>\n")
            handle.write("".join(chunk))
        progress(1.0, finished_message(count, out, stripped))
        return count


def _header(srclang: str, options: ExportOptions) -> str:
    created = iso_to_tmx_date(options.creation_date or now_iso())
    tool = escape_attr(options.creation_tool)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n'
        '<tmx version="1.4">\n'
        f'  <header creationtool="{tool}"'
        f' creationtoolversion="{escape_attr(options.creation_tool_version)}"'
        f' segtype="sentence" o-tmf="{tool}" adminlang="en"'
        f' srclang="{escape_attr(srclang)}" datatype="plaintext"'
        f' creationdate="{created}"/>\n'
        '  <body>\n')


_tmx_date = lru_cache(maxsize=4096)(iso_to_tmx_date)


def _tu(unit: ExportUnit, srclang: str, include_mt: bool, stripped: list[int]) -> str:
    """One <tu> as a string: the hot loop, so texts are escaped in one go
    (``escape_fields``) and the element is one f-string."""
    mt = unit.mt if include_mt else None
    fields = (unit.document, unit.status, unit.mt_engine or "", unit.mt_model or "",
              unit.mt_version or "", mt or "", " ".join(unit.source_segments),
              " ".join(unit.target_segments))
    document, status, engine, model, version, mt_text, source, target = \
        escape_fields(fields, stripped)
    head = f'    <tu tuid="{unit.unit_id}"'
    if unit.source_lang != srclang:
        head += f' srclang="{escape_attr(unit.source_lang)}"'
    if unit.created_at:
        created = _tmx_date(unit.created_at)
        if created:
            head += f' creationdate="{created}"'
    if unit.changed_at:
        changed = _tmx_date(unit.changed_at)
        if changed:
            head += f' changedate="{changed}"'
    return (
        f'{head}>\n      <prop type="x-document">{document}</prop>\n'
        f'      <prop type="x-document-id">{unit.document_id}</prop>\n'
        f'      <prop type="x-status">{status}</prop>\n'
        + (f'      <prop type="x-mt-engine">{engine}</prop>\n' if engine else "")
        + (f'      <prop type="x-mt-model">{model}</prop>\n' if model else "")
        + (f'      <prop type="x-mt-version">{version}</prop>\n' if version else "")
        + (f'      <prop type="x-chrf">{unit.chrf:.2f}</prop>\n' if unit.chrf is not None else "")
        + (f'      <prop type="x-mt">{mt_text}</prop>\n' if mt is not None else "")
        + (f'      <prop type="x-tm-origin">{escape_attr(unit.tm_origin)}</prop>\n' if unit.tm_origin else "")
        + (f'      <prop type="x-tm-score">{unit.tm_score:g}</prop>\n' if unit.tm_score is not None else "")
        + (f'      <prop type="x-link-type">{escape_attr(unit.link_type)}</prop>\n' if unit.link_type else "")
        + (f'      <prop type="x-alignment-confidence">{unit.confidence:.2f}</prop>\n'
           if unit.confidence is not None else "")
        + f'      <tuv xml:lang="{escape_attr(unit.source_lang)}"><seg>{source}</seg></tuv>\n'
        f'      <tuv xml:lang="{escape_attr(unit.target_lang)}"><seg>{target}</seg></tuv>\n'
        '    </tu>\n')


# --- import -----------------------------------------------------------------

# Inline elements whose content is a native code (an HTML tag, an RTF control
# word...), not text: dropped, their tails kept.  <hi> wraps real text.
_CODE_ELEMENTS = frozenset({"bpt", "ept", "ph", "it", "ut", "sub"})
_TU_DATE_ATTRS = ("tuid", "creationdate", "changedate")


def _seg_text(element: etree._Element) -> str:
    parts = [element.text or ""]
    for child in element:
        name = local_name(child.tag)
        if name and name not in _CODE_ELEMENTS:
            parts.append(_seg_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _tuv_lang(tuv: etree._Element) -> str:
    # TMX 1.4 uses xml:lang, 1.1-1.2 used lang; some tools write both.
    return tuv.get(XML_LANG) or tuv.get("lang") or ""


@dataclass(frozen=True)
class _Scan:
    header: dict[str, str]
    language_sets: Counter      # frozenset of a tu's language codes -> number of tus
    first_lang: str | None      # language of the first tuv in the file
    tus: int

    @property
    def languages(self) -> set[str]:
        return set().union(*self.language_sets)

    def usable(self, source: str, target: str) -> int:
        return sum(count for langs, count in self.language_sets.items()
                   if source in langs and target in langs)


class TmxImporter:
    """Reads TMX 1.1 to 1.4 (``lang`` or ``xml:lang``), any encoding lxml detects."""

    name: ClassVar[str] = "tmx"
    extensions: ClassVar[tuple[str, ...]] = (".tmx",)

    def read(self, path: Path, *, source_lang: str | None = None,
             target_lang: str | None = None) -> ImportedCorpus:
        path = Path(path)
        scan = self._scan(path)
        source, target = self._choose_languages(path, scan, source_lang, target_lang)
        usable = scan.usable(source, target)
        return ImportedCorpus(
            path=path, format=self.name, source_lang=source, target_lang=target,
            header=scan.header, unit_count=usable, skipped=scan.tus - usable,
            _stream=lambda: _stream(path, source, target))

    def validate(self, path: Path) -> None:
        """Raise BadInputError if the file is not a well-formed TMX."""
        self._scan(Path(path))

    @staticmethod
    def _scan(path: Path) -> _Scan:
        """The checking pass: the whole file, constant memory."""
        header: dict[str, str] = {}
        language_sets: Counter = Counter()
        first_lang: str | None = None
        tus = 0
        root_checked = False
        # Only the elements needed: Python-level events for every <prop> and
        # <seg> would make this pass several times slower.
        for event, element in safe_iterparse(path, tags=("{*}tmx", "{*}header", "{*}tu"),
                                             events=("start", "end")):
            name = local_name(element.tag)
            if not root_checked:
                root_checked = True
                if name != "tmx" or element.getparent() is not None:
                    raise BadInputError(f"{path.name}: not a TMX file (no <tmx> root element)")
                continue
            if event != "end":
                continue
            if name == "header":
                check_size(element, path, children=len(element))
                header = _header_fields(element)
                release(element)
            elif name == "tu":
                tus += 1
                langs = set()
                extras = 0
                for tuv in element:
                    if local_name(tuv.tag) != "tuv":
                        extras += 1
                        continue
                    check_size(tuv, path, children=len(tuv))
                    lang = _tuv_lang(tuv)
                    if not lang:
                        raise BadInputError(
                            f"{path.name}: line {tuv.sourceline}: <tuv> without a language")
                    code = language_code(lang)
                    first_lang = first_lang or code
                    langs.add(code)
                check_size(element, path, children=extras)
                check_no_entity_refs(element, path)
                language_sets[frozenset(langs)] += 1
                release(element)
        if not root_checked:
            raise BadInputError(f"{path.name}: not a TMX file (no <tmx> root element)")
        return _Scan(header, language_sets, first_lang, tus)

    @staticmethod
    def _choose_languages(path: Path, scan: _Scan, source_lang: str | None,
                          target_lang: str | None) -> tuple[str, str]:
        present = sorted(scan.languages)
        srclang = scan.header.get("srclang", "")
        source = language_code(source_lang) if source_lang else (
            language_code(srclang) if srclang and srclang != "*all*" else scan.first_lang)
        if target_lang:
            target = language_code(target_lang)
        else:
            others = [lang for lang in present if lang != source]
            if len(others) > 1:
                raise BadInputError(
                    f"{path.name} holds {', '.join(present)}: say which target language "
                    f"to import")
            target = others[0] if others else None
        if scan.tus == 0:  # an empty TMX is a valid, empty corpus
            return source or "und", target or "und"
        for role, lang in (("source", source), ("target", target)):
            if not lang or lang not in scan.languages:
                raise BadInputError(
                    f"{path.name}: no {role} language {lang or ''} in the file "
                    f"(it holds {', '.join(present) or 'no languages'})".replace("  ", " "))
        if source == target:
            raise BadInputError(f"{path.name}: source and target are both {source}")
        return source, target  # type: ignore[return-value]


def _header_fields(header: etree._Element) -> dict[str, str]:
    """Header attributes, then its props by type and notes as "note"."""
    fields = {local_name(key) if key != XML_LANG else "xml:lang": value
              for key, value in attribute_items(header)}
    props: dict[str, list[str]] = {}
    notes = []
    for child in header:
        name = local_name(child.tag)
        if name == "prop" and child.get("type"):
            props.setdefault(child.get("type"), []).append(child.text or "")
        elif name == "note":
            notes.append(child.text or "")
    for key, values in props.items():
        fields[key] = "\n".join([fields[key], *values] if key in fields else values)
    if notes:
        fields["note"] = "\n".join(notes)
    return fields


def _stream(path: Path, source: str, target: str) -> Iterator[ImportedUnit]:
    """The second pass: units with both languages, one at a time."""
    for _, element in safe_iterparse(path, tags=("{*}tu",)):
        unit = _unit(element, source, target)
        release(element)
        if unit is not None:
            yield unit


_code = lru_cache(maxsize=256)(language_code)
_iso_date = lru_cache(maxsize=4096)(tmx_to_iso_date)


def _children(element: etree._Element) -> Iterator[tuple[str, etree._Element]]:
    """(local name, child) for element children; comments and PIs skipped."""
    for child in element:
        tag = child.tag
        if tag.__class__ is str:
            yield (tag.rpartition("}")[2] if tag[0] == "{" else tag), child


def _unit(tu: etree._Element, source: str, target: str) -> ImportedUnit | None:
    """The hot loop of the import (lxml proxies are costly: touch each once).
    Work is linear in the unit's size (``attribute_items``, props joined once);
    the checking pass has refused absurd sizes."""
    props: dict[str, str] = {}
    repeated: dict[str, list[str]] = {}
    notes: list[str] = []
    source_tuv = target_tuv = None
    for name, child in _children(tu):
        if name == "tuv":
            code = _code(child.get(XML_LANG) or child.get("lang") or "")
            if code == source and source_tuv is None:
                source_tuv = child
            elif code == target and target_tuv is None:
                target_tuv = child
        elif name == "prop":
            _add_prop(props, repeated, child.get("type") or "prop", child.text or "")
        elif name == "note":
            notes.append(child.text or "")
    if source_tuv is None or target_tuv is None:
        return None
    attributes = tu.attrib
    if len(attributes) > 1:
        for key, value in attribute_items(tu):
            if key not in _TU_DATE_ATTRS:
                props[local_name(key)] = value
    texts = []
    for side, tuv in (("source", source_tuv), ("target", target_tuv)):
        if len(tuv.attrib) > 1:
            for key, value in attribute_items(tuv):
                if key not in (XML_LANG, "lang"):
                    props[f"{side}:{local_name(key)}"] = value
        seg = None
        for name, child in _children(tuv):
            if name == "seg":
                seg = child
            elif name == "prop":
                _add_prop(props, repeated, f"{side}:{child.get('type') or 'prop'}", child.text or "")
            elif name == "note":
                notes.append(child.text or "")
        if seg is None:
            texts.append("")
        elif len(seg):
            texts.append(_seg_text(seg))
        else:
            texts.append(seg.text or "")
    for key, values in repeated.items():
        props[key] = "\n".join(values)
    created = attributes.get("creationdate") or target_tuv.get("creationdate")
    changed = attributes.get("changedate") or target_tuv.get("changedate")
    return ImportedUnit(
        source=texts[0], target=texts[1], source_lang=source, target_lang=target,
        tuid=attributes.get("tuid"), created_at=_iso_date(created) if created else None,
        changed_at=_iso_date(changed) if changed else None, props=props, notes=tuple(notes))


def _add_prop(props: dict[str, str], repeated: dict[str, list[str]], key: str, value: str) -> None:
    # TMX allows a prop type to repeat (several x-domain...): keep them all,
    # joined with "\n" once at the end (joining as they come is quadratic).
    if key in repeated:
        repeated[key].append(value)
    elif key in props:
        repeated[key] = [props.pop(key), value]
    else:
        props[key] = value
