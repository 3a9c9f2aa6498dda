"""XLIFF 1.2 and 2.x files from other tools, opened for review and saved back.

Reading
-------
One block per translatable segment, in document order:

- XLIFF 1.2: one block per ``<trans-unit>`` (in any ``<group>``, in every
  ``<file>``), key ``"<file index>/<unit id>"``.  When the unit is segmented
  (``<seg-source>`` with ``<mrk mtype="seg" mid="...">``, as Okapi writes),
  one block per segment, key ``"<file index>/<unit id>/<mid>"``, its target
  being the ``<mrk>`` with the same ``mid`` in ``<target>``.
- XLIFF 2.x: one block per ``<segment>`` of each ``<unit>``, key
  ``"<file index>/<unit id>/<segment id>"`` (the segment's 1-based rank when
  it has no id).  ``<ignorable>`` parts are not blocks.

File indexes count ``<file>`` elements from 0.  Units with ``translate="no"``
(on the unit or inherited from a ``<group>``/``<file>``), 1.2 ``<bin-unit>``
and units whose source holds no text are not blocks and are never touched.
Text is kept exactly as in the file (``xml:space`` is not applied: tools
write segment text as it is, and the spaces around software strings
matter).  ``Block.note`` joins the unit's ``<note>`` texts.  Languages come
from ``source-language``/``target-language`` of the first ``<file>`` (1.2) or
``srcLang``/``trgLang`` (2.x); the title from the first file's ``original``.

Inline markup becomes compact tags (``workbench.core.text.inline_tags``),
numbered from 0 in source order within each block:

=====================================  =====================================
element                                tag
=====================================  =====================================
1.2 ``g``, 2.x ``pc``                  ``<g0>..</g0>`` (``b``/``i``/``u``/``a``
                                       for bold/italic/underline/link, from
                                       ``ctype`` or ``type``/``subType``)
1.2/2.x ``mrk`` (not a segment)        ``<s0>..</s0>``
1.2 ``bpt``+``ept``, ``bx``+``ex``;    ``<g0>`` and ``</g0>`` (the pair, by
2.x ``sc``+``ec``, ``sm``+``em``       ``rid``/``id`` or ``startRef``)
1.2 ``x``, ``ph``, ``it``; 2.x ``ph``, ``<x0/>``
``cp``; a begin or end without its
partner; comments, foreign elements
=====================================  =====================================

A target's inline elements get the number of the source element with the
same name and id, so source and target show the same tags.

States
------
=========================================  ==========  =========================================
read from the file                         status      written for the status
=========================================  ==========  =========================================
no target, or a target without text        new         1.2 ``state="needs-translation"``; 2.x ``initial``
1.2 ``state-qualifier`` mt-suggestion or   machine     1.2 ``needs-review-translation`` +
leveraged-mt; 2.x ``initial`` with text                ``mt-suggestion``; 2.x ``initial``
1.2 qualifier leveraged-tm, tm-suggestion, tm          1.2 ``needs-review-translation`` +
exact-/fuzzy-/id-match, leveraged-*                    ``leveraged-tm``; 2.x ``initial``
1.2 ``new``, ``needs-translation``,        new         (as new)
``needs-adaptation``, ``needs-l10n``
1.2 ``translated``, ``needs-review-*`` or  edited      1.2 ``translated``; 2.x ``translated``
no state; 2.x ``translated``
1.2 ``approved="yes"``, ``final``,         approved    1.2 ``final`` + ``approved="yes"``;
``signed-off``; 2.x ``reviewed``, ``final``            2.x ``final``
=========================================  ==========  =========================================

The first matching row wins (``approved="yes"`` before everything else).  A
state is rewritten only when the status it reads as changes, so a reviewed
file keeps the states it came with wherever the review changed nothing.  A
1.2 status change drops ``state-qualifier`` (unless the row above sets one)
and ``approved="yes"`` when the status is no longer approved.  A segmented
1.2 unit has one state for all its segments: the lowest of their statuses
(new < machine, tm < edited < approved).

Writing
-------
lxml, not translate-toolkit: translate-toolkit re-serialises the whole file
through its own model, while the tree lxml parses keeps every element,
attribute, namespace prefix, comment and processing instruction of the
original, so that only the reviewed targets and their states change.  A
write that changes nothing returns the original bytes; otherwise the tree is
serialised in the file's encoding after the original's own prolog (XML
declaration, DOCTYPE, comments), so an unedited unit may differ from the
original only in lexical details (quote style, character references, the
empty-element form).  A target that is missing is created after the source
(1.2: with ``xml:lang`` of the file's target language); ``target_language``
fills ``target-language``/``trgLang`` when the file has none.

A translation's tags are put back as the elements they stand for, with the
same attributes and ids (the target's own element when the target had one,
otherwise the source's).  A tag that the block does not have (``<b7>``
typed by hand) is written as literal text, so it shows in the file and the
XML stays valid; a tag of the source missing from the translation is left
out.  Tags standing for an element with content (``g``, ``pc``, ``mrk``)
must nest: one closed before it opens, or never closed, is refused with a
``BadInputError`` naming the unit (the QA tag check finds these first).
"""
from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from workbench.core.documents.model import Block, ExtractedDocument
from workbench.core.errors import BadInputError
from workbench.core.text.inline_tags import find_tags, strip_tags

__all__ = ["XliffFile", "XLIFF12_NS", "XLIFF20_NS"]

XLIFF12_NS = "urn:oasis:names:tc:xliff:document:1.2"
XLIFF20_NS = "urn:oasis:names:tc:xliff:document:2.0"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

STATUSES = ("new", "machine", "edited", "approved", "tm")
# The lowest status of a segmented 1.2 unit is its state.
_RANK = {"new": 0, "machine": 1, "tm": 1, "edited": 2, "approved": 3}

_MT_QUALIFIERS = {"mt-suggestion", "leveraged-mt"}
_TM_QUALIFIERS = {"leveraged-tm", "tm-suggestion", "exact-match", "fuzzy-match", "id-match",
                  "leveraged-inherited", "leveraged-repository", "leveraged-glossary"}
_UNTRANSLATED_12 = {"new", "needs-translation", "needs-adaptation", "needs-l10n"}
_APPROVED_12 = {"final", "signed-off"}
# status -> (state, state-qualifier or None) written into XLIFF 1.2
_STATE_12 = {
    "new": ("needs-translation", None),
    "machine": ("needs-review-translation", "mt-suggestion"),
    "tm": ("needs-review-translation", "leveraged-tm"),
    "edited": ("translated", None),
    "approved": ("final", None),
}
_STATE_20 = {"new": "initial", "machine": "initial", "tm": "initial",
             "edited": "translated", "approved": "final"}

# Inline elements: with content, begin/end of a pair, and the rest (standalone).
_WRAPS = {"g", "mrk", "pc"}
_BEGINS = {"bpt": "ept", "bx": "ex", "sc": "ec", "sm": "em"}
_ENDS = {end: begin for begin, end in _BEGINS.items()}
_CTYPE_LETTERS = {"bold": "b", "x-bold": "b", "italic": "i", "x-italic": "i",
                  "underlined": "u", "x-underlined": "u", "x-underline": "u",
                  "link": "a", "x-link": "a"}
_SUBTYPE_LETTERS = {"xlf:b": "b", "xlf:i": "i", "xlf:u": "u"}


def _local(tag: object) -> str:
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]


# ---------------------------------------------------------------- inline codes

@dataclass
class _Code:
    """One inline tag of a block and the element(s) it stands for."""
    name: str                                   # "g0", "x3"
    shape: str                                  # "wrap", "pair" or "single"
    element: etree._Element | None = None       # the wrap, begin or standalone element
    end: etree._Element | None = None           # a pair's end element


@dataclass
class _Codes:
    """The tags of one block: source elements numbered in order, target elements matched by id."""
    by_name: dict[str, _Code] = field(default_factory=dict)
    by_ident: dict[tuple[str, str], tuple[_Code, str]] = field(default_factory=dict)
    count: int = 0

    def new(self, letters: str, shape: str) -> _Code:
        code = _Code(f"{letters}{self.count}", shape)
        self.count += 1
        self.by_name[code.name] = code
        return code


def _flatten(container: etree._Element) -> list[etree._Element]:
    """The inline nodes of a content element in document order (inside wraps too)."""
    nodes = []
    for child in container:
        nodes.append(child)
        if isinstance(child.tag, str) and _local(child.tag) in _WRAPS:
            nodes.extend(_flatten(child))
    return nodes


def _ident(node: etree._Element, ordinals: dict[str, int]) -> tuple[str, str]:
    """What matches a target's inline element to the source's: name and id."""
    local = _local(node.tag) if isinstance(node.tag, str) else f"#{type(node).__name__}"
    if isinstance(node.tag, str):
        if node.get("id") is not None:
            return local, "id:" + node.get("id")
        if node.get("startRef") is not None:
            return local, "ref:" + node.get("startRef")
        if node.get("mid") is not None:
            return local, "mid:" + node.get("mid")
    ordinals[local] = ordinals.get(local, 0) + 1
    return local, f"#{ordinals[local]}"


def _pair_key(node: etree._Element) -> str | None:
    if node.get("isolated") == "yes":
        return None
    local = _local(node.tag)
    if local in ("ec", "em"):
        return node.get("startRef")
    if local in ("sc", "sm"):
        return node.get("id")
    return node.get("rid") or node.get("id")


def _letters(node: etree._Element, shape: str) -> str:
    if shape == "single":
        return "x"
    local = _local(node.tag)
    if local in ("mrk", "sm", "em"):
        return "s"
    if node.get("ctype") in _CTYPE_LETTERS:
        return _CTYPE_LETTERS[node.get("ctype")]
    if node.get("subType") in _SUBTYPE_LETTERS:
        return _SUBTYPE_LETTERS[node.get("subType")]
    if node.get("type") == "link":
        return "a"
    return "g"


def _roles(nodes: list[etree._Element]) -> dict[etree._Element, str]:
    """Each inline node's role: wrap, begin, end or single (a begin or end without partner)."""
    roles: dict[etree._Element, str] = {}
    waiting: dict[tuple[str, str], list[etree._Element]] = {}
    for node in nodes:
        local = _local(node.tag) if isinstance(node.tag, str) else ""
        if local in _WRAPS and node.get("mtype") != "seg":
            roles[node] = "wrap"
        elif local in _BEGINS and _pair_key(node) is not None:
            roles[node] = "single"      # until its end turns up
            waiting.setdefault((local, _pair_key(node)), []).append(node)
        elif local in _ENDS and _pair_key(node) is not None and waiting.get((_ENDS[local], _pair_key(node))):
            begin = waiting[(_ENDS[local], _pair_key(node))].pop(0)
            roles[begin] = "begin"
            roles[node] = ("end", begin)  # type: ignore[assignment]
        else:
            roles[node] = "single"
    return roles


def _read_content(container: etree._Element, codes: _Codes, *, source: bool) -> str:
    """The text of a source or target element, inline elements as compact tags.

    The source numbers its elements; a target element takes the number of
    the source element with the same name and id (and prefers itself as the
    element written back for that tag), and the elements only the target
    has are numbered after the source's.
    """
    nodes = _flatten(container)
    roles = _roles(nodes)
    ordinals: dict[str, int] = {}
    tags: dict[etree._Element, tuple[_Code, str]] = {}
    fresh: set[str] = set()          # codes first seen in this content
    for node in nodes:
        role = roles[node]
        ident = _ident(node, ordinals)
        known = None if source else codes.by_ident.get(ident)
        if known is not None:
            code, side = known
        elif isinstance(role, tuple) and tags[role[1]][0].name in fresh:
            code, side = tags[role[1]][0], "end"       # the end of a pair begun here
        else:
            shape = {"wrap": "wrap", "begin": "pair"}.get(role if isinstance(role, str) else "", "single")
            code, side = codes.new(_letters(node, shape), shape), "open"
            fresh.add(code.name)
        if side == "end":
            code.end = node
        else:
            code.element = node
        if source:
            codes.by_ident[ident] = (code, side)
        tags[node] = (code, side)

    out: list[str] = []

    def emit(element: etree._Element) -> None:
        out.append(element.text or "")
        for child in element:
            code, side = tags[child]
            if code.shape == "wrap":
                out.append(f"<{code.name}>")
                emit(child)
                out.append(f"</{code.name}>")
            elif code.shape == "pair":
                out.append(f"<{code.name}>" if side == "open" else f"</{code.name}>")
            else:
                out.append(f"<{code.name}/>")
            out.append(child.tail or "")

    emit(container)
    return "".join(out)


def _clear(element: etree._Element) -> None:
    element.text = None
    for child in list(element):
        element.remove(child)


def _copy(element: etree._Element) -> etree._Element:
    duplicate = copy.deepcopy(element)
    duplicate.tail = None
    return duplicate


def _insert_after(sibling: etree._Element, element: etree._Element) -> None:
    """Insert a new element after ``sibling``, indented as ``sibling`` is."""
    previous = sibling.getprevious()
    before = previous.tail if previous is not None else sibling.getparent().text
    element.tail = sibling.tail
    if before is not None and not before.strip():
        sibling.tail = before
    sibling.addnext(element)


def _write_content(container: etree._Element, text: str, codes: _Codes, key: str) -> None:
    """Replace the content of ``container`` with ``text``, its tags turned back into elements."""
    _clear(container)
    stack: list[tuple[etree._Element, _Code | None]] = [(container, None)]

    def add_text(piece: str) -> None:
        if not piece:
            return
        parent = stack[-1][0]
        if len(parent):
            parent[-1].tail = (parent[-1].tail or "") + piece
        else:
            parent.text = (parent.text or "") + piece

    last = 0
    for tag in find_tags(text):
        add_text(text[last:tag.start])
        last = tag.end
        code = codes.by_name.get(tag.name)
        parent = stack[-1][0]
        if code is None or (code.shape == "single") != (tag.kind == "empty"):
            add_text(tag.text)                 # not a tag of this block: literal text
        elif code.shape == "wrap":
            if tag.kind == "open":
                element = parent.makeelement(code.element.tag, dict(code.element.attrib))
                parent.append(element)
                stack.append((element, code))
            elif stack[-1][1] is code:
                stack.pop()
            else:
                raise BadInputError(
                    f"Cannot write {key}: the translation closes {tag.text} where it is not "
                    f"open; fix the tags so that each pair nests")
        elif code.shape == "pair":
            element = code.element if tag.kind == "open" else code.end
            if element is None:
                add_text(tag.text)
            else:
                parent.append(_copy(element))
        else:
            parent.append(_copy(code.element))
    add_text(text[last:])
    if len(stack) > 1:
        raise BadInputError(
            f"Cannot write {key}: the translation opens <{stack[-1][1].name}> and never closes "
            f"it; fix the tags so that each pair nests")


# ---------------------------------------------------------------- segments

@dataclass
class _Segment:
    """One block and where it lives in the tree."""
    key: str
    unit: etree._Element                 # 1.2 trans-unit, 2.x unit
    holder: etree._Element               # where the state is: 1.2 trans-unit, 2.x segment
    source: etree._Element               # source content: <source>, or a seg-source <mrk>
    target: etree._Element | None        # target content: <target>, a target <mrk>, or None
    file_element: etree._Element
    codes: _Codes
    text: str
    target_text: str | None
    status: str
    note: str | None
    mid: str | None = None               # 1.2 segmented units


@dataclass
class _Parsed:
    tree: etree._ElementTree
    version: str                        # "1.2" or "2.0"
    ns: str                             # "" for namespace-less 1.2
    segments: list[_Segment]


def _label(path: str | None) -> str:
    return Path(path).name if path else "the XLIFF file"


_PARSER_OPTIONS = dict(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                       huge_tree=False, remove_blank_text=False, remove_comments=False, remove_pis=False,
                       strip_cdata=False)


def _parse_xml(data: bytes, label: str) -> etree._ElementTree:
    if not data.strip():
        raise BadInputError(f"{label}: the file is empty")
    utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<"))
    if not utf16 and b"\x00" in data[:8192]:
        raise BadInputError(f"{label}: a binary file, not XLIFF")
    try:
        root = etree.fromstring(data, etree.XMLParser(**_PARSER_OPTIONS))
    except etree.XMLSyntaxError as error:
        line, column = error.position
        # libxml2 may quote the offending text on further lines: keep its first line.
        message = re.sub(r",? line \d+, column \d+.*$", "", str(error.msg).strip().splitlines()[0]).strip()
        if line >= data.count(b"\n") + 1 or "end of data" in message.lower():
            message += " (the file ends there: is it truncated?)"
        raise BadInputError(f"{label}: not well-formed XML at line {line}, column {column}: {message}") from None
    tree = root.getroottree()
    dtd = tree.docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.entities()):
        raise BadInputError(f"{label}: the file declares XML entities (<!ENTITY ...>), which XLIFF "
                            f"never needs; refusing it")
    for node in root.iter(etree.Entity):
        raise BadInputError(f"{label}: line {node.sourceline}: entity reference {node.text} is not "
                            f"defined; refusing to guess its text")
    return tree


def _version(root: etree._Element, label: str) -> tuple[str, str]:
    local = _local(root.tag)
    ns = root.tag[1:].partition("}")[0] if root.tag.startswith("{") else ""
    if local != "xliff":
        raise BadInputError(f"{label}: not an XLIFF file (its root element is <{local}>, not <xliff>)")
    version = (root.get("version") or "").strip()
    if ns == XLIFF12_NS or (ns == "" and version == "1.2"):
        return "1.2", ns
    if ns == XLIFF20_NS and re.fullmatch(r"2(\.\d+)?", version or "2.0"):
        return "2.0", ns
    raise BadInputError(
        f"{label}: XLIFF version {version or '(none)'} in namespace {ns or '(none)'} is not supported; "
        f"only XLIFF 1.2 and 2.x files can be opened")


def _translatable(element: etree._Element, stop: etree._Element) -> bool:
    """``translate`` on the element or the nearest ancestor up to ``stop`` that has it."""
    node = element
    while node is not None:
        value = node.get("translate")
        if value is not None:
            return value != "no"
        if node is stop:
            return True
        node = node.getparent()
    return True


def _notes(unit: etree._Element, q) -> str | None:
    texts = ["".join(note.itertext()).strip() for note in unit.iter(q("note"))
             if note.getparent() is unit or _local(note.getparent().tag) == "notes"
             and note.getparent().getparent() is unit]
    texts = [text for text in texts if text]
    return "\n".join(texts) or None


def _has_text(text: str | None) -> bool:
    return bool(text) and bool(strip_tags(text).strip())


def _status_12(unit: etree._Element, target: etree._Element | None, text: str | None) -> str:
    if target is None or not _has_text(text):
        return "new"
    if unit.get("approved") == "yes":
        return "approved"
    state, qualifier = target.get("state"), target.get("state-qualifier")
    if state in _APPROVED_12:
        return "approved"
    if qualifier in _MT_QUALIFIERS:
        return "machine"
    if qualifier in _TM_QUALIFIERS:
        return "tm"
    if state in _UNTRANSLATED_12:
        return "new"
    return "edited"


def _status_20(segment: etree._Element, text: str | None) -> str:
    state = segment.get("state", "initial")
    if not _has_text(text):
        return "new"
    if state in ("reviewed", "final"):
        return "approved"
    if state == "translated":
        return "edited"
    return "machine"


def _parse(data: bytes, path: str | None) -> _Parsed:
    label = _label(path)
    tree = _parse_xml(data, label)
    root = tree.getroot()
    version, ns = _version(root, label)

    def q(name: str) -> str:
        return f"{{{ns}}}{name}" if ns else name

    segments: list[_Segment] = []
    seen: dict[str, int] = {}

    def add(segment: _Segment, line: int | None) -> None:
        if segment.key in seen:
            raise BadInputError(
                f"{label}: line {line}: the unit id of {segment.key!r} occurs twice in one <file> "
                f"(first at line {seen[segment.key]}); refusing a file whose translations could not "
                f"be put back")
        seen[segment.key] = line or 0
        segments.append(segment)

    for file_index, file_element in enumerate(root.iterchildren(q("file"))):
        if version == "1.2":
            _collect_12(file_element, file_index, q, add)
        else:
            _collect_20(file_element, file_index, q, add)
    if not segments:
        raise BadInputError(f"{label}: no translatable units (no <{'trans-unit' if version == '1.2' else 'unit'}> "
                            f"with source text that may be translated)")
    return _Parsed(tree, version, ns, segments)


def _collect_12(file_element, file_index, q, add) -> None:
    for ordinal, unit in enumerate(file_element.iter(q("trans-unit")), 1):
        source = unit.find(q("source"))
        if source is None or not _translatable(unit, file_element):
            continue
        uid = unit.get("id") or f"#{ordinal}"
        target = unit.find(q("target"))
        note = _notes(unit, q)
        seg_source = unit.find(q("seg-source"))
        marks = [] if seg_source is None else [
            mark for mark in seg_source.iter(q("mrk")) if mark.get("mtype") == "seg"]
        if not marks:
            codes = _Codes()
            text = _read_content(source, codes, source=True)
            if not _has_text(text):
                continue
            target_text = None if target is None else _read_content(target, codes, source=False)
            add(_Segment(f"{file_index}/{uid}", unit, unit, source, target, file_element, codes, text,
                         target_text, _status_12(unit, target, target_text), note), unit.sourceline)
            continue
        target_marks = {} if target is None else {
            mark.get("mid"): mark for mark in target.iter(q("mrk")) if mark.get("mtype") == "seg"}
        for mark in marks:
            codes = _Codes()
            text = _read_content(mark, codes, source=True)
            if not _has_text(text):
                continue
            mid = mark.get("mid") or ""
            target_mark = target_marks.get(mid)
            target_text = None if target_mark is None else _read_content(target_mark, codes, source=False)
            add(_Segment(f"{file_index}/{uid}/{mid}", unit, unit, mark, target_mark, file_element, codes,
                         text, target_text, _status_12(unit, target, target_text), note, mid=mid),
                mark.sourceline)


def _collect_20(file_element, file_index, q, add) -> None:
    for ordinal, unit in enumerate(file_element.iter(q("unit")), 1):
        if not _translatable(unit, file_element):
            continue
        uid = unit.get("id") or f"#{ordinal}"
        note = _notes(unit, q)
        for rank, segment in enumerate(unit.iterchildren(q("segment")), 1):
            source = segment.find(q("source"))
            if source is None:
                continue
            codes = _Codes()
            text = _read_content(source, codes, source=True)
            if not _has_text(text):
                continue
            target = segment.find(q("target"))
            target_text = None if target is None else _read_content(target, codes, source=False)
            add(_Segment(f"{file_index}/{uid}/{segment.get('id') or rank}", unit, segment, source, target,
                         file_element, codes, text, target_text, _status_20(segment, target_text), note),
                segment.sourceline)


# ---------------------------------------------------------------- serialising

_PROLOG = re.compile(rb"(?:\xef\xbb\xbf)?(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>)*", re.S)
_EPILOG = re.compile(rb"(?:\s+|<\?.*?\?>|<!--.*?-->)*\Z", re.S)


_START_TAG = re.compile(rb"""<(?:[^>"']|"[^"]*"|'[^']*')*>""")


def _serialise(tree: etree._ElementTree, original: bytes,
               root_attributes: list[tuple[str, str]]) -> bytes:
    """The tree as bytes, after the original's own prolog and before its epilogue.

    :param root_attributes: the root's attributes as parsed, before any change.
    """
    encoding = tree.docinfo.encoding or "UTF-8"
    try:
        ascii_compatible = "<x/>".encode(encoding) == b"<x/>"
    except LookupError:
        ascii_compatible = False
    if ascii_compatible:
        prolog = _PROLOG.match(original)
        epilog = _EPILOG.search(original)
        if prolog and epilog and original[prolog.end():prolog.end() + 1] == b"<":
            body = etree.tostring(tree.getroot(), encoding=encoding, xml_declaration=False)
            # The root's start tag as it was (libxml2 writes namespace declarations
            # before the other attributes), unless its attributes changed.
            old_tag = _START_TAG.match(original, prolog.end())
            new_tag = _START_TAG.match(body)
            if old_tag and new_tag and root_attributes == list(tree.getroot().attrib.items()):
                body = old_tag.group() + body[new_tag.end():]
            return original[:prolog.end()] + body + original[epilog.start():]
    return etree.tostring(tree, encoding=encoding, xml_declaration=True,
                          standalone=tree.docinfo.standalone)


# ---------------------------------------------------------------- the format

class XliffFile:
    """XLIFF 1.2 and 2.x files: their segments with targets and states, written back reviewed.

    See the module docstring for the keys, tags and the state table.
    """
    name = "xliff"
    extensions = (".xlf", ".xliff")
    bilingual = True

    def read(self, data: bytes, *, path: str | None = None) -> ExtractedDocument:
        """The translatable segments of an XLIFF file.

        :param data: the file's bytes.
        :param path: the file's path, named in error messages.
        :raises BadInputError: empty, binary, not well-formed (line and column), not XLIFF 1.2/2.x,
            or no translatable unit.
        """
        parsed = _parse(data, path)
        root = parsed.tree.getroot()
        first = next(root.iterchildren(f"{{{parsed.ns}}}file" if parsed.ns else "file"))
        if parsed.version == "1.2":
            language, target_language = first.get("source-language"), first.get("target-language")
        else:
            language, target_language = root.get("srcLang"), root.get("trgLang")
        blocks = [Block(key=s.key, text=s.text, target=s.target_text, status=s.status,
                        presegmented=True, note=s.note) for s in parsed.segments]
        return ExtractedDocument(format=self.name, blocks=blocks, title=first.get("original"),
                                 language=language or None, target_language=target_language or None)

    def write(self, original: bytes, translations: Mapping[str, str], *,
              target_language: str | None = None,
              statuses: Mapping[str, str] | None = None) -> bytes:
        """The original XLIFF with the given targets and states; everything else untouched.

        :param original: the bytes ``read`` was given.
        :param translations: block key -> target text with tags; other blocks keep their target.
        :param target_language: written where the file declares no target language.
        :param statuses: block key -> workbench status; a block whose text changes without a
            status here becomes ``edited`` (``new`` when the text is empty).
        :raises BadInputError: the original is not a readable XLIFF file, an unknown status, or a
            translation whose paired tags do not nest.
        """
        statuses = statuses or {}
        for key, status in statuses.items():
            if status not in STATUSES:
                raise BadInputError(f"Cannot write {key}: unknown status {status!r} "
                                    f"(one of {', '.join(STATUSES)})")
        parsed = _parse(original, None)
        changed = False
        groups: dict[int, list[_Segment]] = {}
        for segment in parsed.segments:
            groups.setdefault(id(segment.holder), []).append(segment)
        for group in groups.values():
            old = [segment.status for segment in group]
            new = []
            for segment in group:
                status = statuses.get(segment.key)
                text = translations.get(segment.key)
                if text is not None and text != (segment.target_text or ""):
                    self._put_text(parsed, segment, text, target_language)
                    changed = True
                    if status is None:
                        status = "edited" if _has_text(text) else "new"
                new.append(status or segment.status)
            old_state, new_state = min(old, key=_RANK.get), min(new, key=_RANK.get)
            if new_state != old_state:
                changed |= self._put_state(parsed, group[0], new_state)
        root = parsed.tree.getroot()
        root_attributes = list(root.attrib.items())
        if target_language and changed:
            if parsed.version == "2.0" and not root.get("trgLang"):
                root.set("trgLang", target_language)
            elif parsed.version == "1.2":
                for file_element in {id(s.file_element): s.file_element for s in parsed.segments}.values():
                    if not file_element.get("target-language"):
                        file_element.set("target-language", target_language)
        if not changed:
            return original
        return _serialise(parsed.tree, original, root_attributes)

    @staticmethod
    def _put_text(parsed: _Parsed, segment: _Segment, text: str, target_language: str | None) -> None:
        ns = parsed.ns

        def q(name: str) -> str:
            return f"{{{ns}}}{name}" if ns else name

        if segment.target is None:
            if segment.mid is not None:
                segment.target = XliffFile._target_mark(segment, q, target_language)
            else:
                holder = segment.holder if parsed.version == "2.0" else segment.unit
                after = holder.find(q("seg-source")) if parsed.version == "1.2" else None
                after = after if after is not None else segment.source
                target = holder.makeelement(q("target"), {})
                if parsed.version == "1.2":
                    language = segment.file_element.get("target-language") or target_language
                    if language:
                        target.set(XML_LANG, language)
                _insert_after(after, target)
                segment.target = target
        _write_content(segment.target, text, segment.codes, segment.key)
        segment.target_text = text

    @staticmethod
    def _target_mark(segment: _Segment, q, target_language: str | None) -> etree._Element:
        """The target ``<mrk>`` of a segmented 1.2 unit, (re)building ``<target>`` after
        ``<seg-source>`` when it lacks the segment: the layout of the seg-source, with the
        target's existing segment marks moved in (so other blocks still point at them) and
        empty ones for the rest.  Text of an unsegmented old target is dropped."""
        unit = segment.unit
        seg_source = unit.find(q("seg-source"))
        target = unit.find(q("target"))
        existing = {} if target is None else {
            mark.get("mid"): mark for mark in target.iter(q("mrk")) if mark.get("mtype") == "seg"}
        skeleton = unit.makeelement(q("target"), {} if target is None else dict(target.attrib))
        if target is None:
            language = segment.file_element.get("target-language") or target_language
            if language:
                skeleton.set(XML_LANG, language)

        def fill(into: etree._Element, content: etree._Element) -> None:
            into.text = content.text
            for child in content:
                if isinstance(child.tag, str) and _local(child.tag) == "mrk" and child.get("mtype") == "seg":
                    mark = existing.get(child.get("mid"))
                    if mark is None:
                        mark = into.makeelement(child.tag, dict(child.attrib))
                    mark.tail = child.tail
                    into.append(mark)
                elif isinstance(child.tag, str) and _local(child.tag) in _WRAPS:
                    wrap = into.makeelement(child.tag, dict(child.attrib))
                    wrap.tail = child.tail
                    into.append(wrap)
                    fill(wrap, child)
                else:
                    duplicate = copy.deepcopy(child)
                    into.append(duplicate)

        fill(skeleton, seg_source)
        if target is not None:
            skeleton.tail = target.tail
            target.getparent().replace(target, skeleton)
        else:
            _insert_after(seg_source, skeleton)
        for mark in skeleton.iter(q("mrk")):
            if mark.get("mtype") == "seg" and mark.get("mid") == segment.mid:
                return mark
        raise AssertionError("the skeleton holds every segment of the seg-source")

    @staticmethod
    def _put_state(parsed: _Parsed, segment: _Segment, status: str) -> bool:
        if parsed.version == "2.0":
            if segment.holder.get("state", "initial") == _STATE_20[status]:
                return False
            segment.holder.set("state", _STATE_20[status])
            return True
        unit = segment.unit
        ns = parsed.ns
        target = unit.find(f"{{{ns}}}target" if ns else "target")
        if target is None:
            return False
        state, qualifier = _STATE_12[status]
        target.set("state", state)
        if qualifier:
            target.set("state-qualifier", qualifier)
        elif "state-qualifier" in target.attrib:
            del target.attrib["state-qualifier"]
        if status == "approved":
            unit.set("approved", "yes")
        elif "approved" in unit.attrib:
            del unit.attrib["approved"]
        return True
