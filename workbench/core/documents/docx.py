"""Word documents (.docx): paragraphs in, the translated document out.

Reading (python-docx for the package, its lxml elements for the runs): every
paragraph with text, in reading order: the body's paragraphs, headings, list
items and table cells (nested tables and text boxes included), then the
footnotes (python-docx has no footnotes API; their part is read with lxml).
A block's key is ``document:N`` or ``footnotes:N``, the paragraph's rank
among the ``w:p`` elements of that part.

Inline formatting becomes tags, as OmegaT does: the run properties most of
the paragraph's text has are the paragraph's own and need no tag; a stretch
of runs with other properties (bold, italic, another font...) becomes a
paired tag (``<b0>``, ``<i1>``, ``<u2>``, ``<s3>``), a hyperlink ``<a4>``,
and whatever is not text (a picture, a footnote reference, a field code, a
line break) a standalone ``<x5/>``.

Writing: each translated paragraph keeps its paragraph properties (style,
numbering, alignment) and gets new runs: the text of each tag with the run
properties the tag stood for (a copy of the original ``w:rPr``), links as
``w:hyperlink`` with the original relationship, and the original objects put
back where their tag is.  Tables, styles, sections, headers and pictures are
not touched.  Tracked changes in a translated paragraph are taken as accepted
(deleted text is not translated).
"""
from __future__ import annotations

import copy
import io
from collections.abc import Mapping
from dataclasses import dataclass, field

from lxml import etree

from workbench.core.documents.archive import load_package, open_zip
from workbench.core.documents.inline import Empty, TagNamer, escape_lookalikes, flatten, parse
from workbench.core.documents.model import Block, ExtractedDocument
from workbench.core.errors import BadInputError

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
FOOTNOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
WHAT = "a Word document (DOCX)"


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


_P, _R, _T, _RPR, _PPR = _w("p"), _w("r"), _w("t"), _w("rPr"), _w("pPr")
_HYPERLINK, _TAB, _BR, _CR = _w("hyperlink"), _w("tab"), _w("br"), _w("cr")
# Containers whose runs are read as if they were the paragraph's own.
_TRANSPARENT = frozenset(_w(n) for n in ("ins", "smartTag", "customXml", "sdt", "sdtContent",
                                          "moveTo", "dir", "bdo"))
# Marks without content, kept at the paragraph's ends when it is rewritten.
_MARKERS_START = frozenset(_w(n) for n in ("bookmarkStart", "commentRangeStart", "permStart",
                                            "moveToRangeStart", "moveFromRangeStart"))
_MARKERS_END = frozenset(_w(n) for n in ("bookmarkEnd", "commentRangeEnd", "permEnd",
                                          "moveToRangeEnd", "moveFromRangeEnd"))
# Read as nothing (and dropped when the paragraph is rewritten).
_IGNORED = frozenset(_w(n) for n in ("proofErr", "del", "moveFrom", "lastRenderedPageBreak",
                                      "sdtPr", "sdtEndPr", "customXmlPr", "smartTagPr"))
_RUN_IGNORED = frozenset(_w(n) for n in ("rPr", "lastRenderedPageBreak", "delText"))
_SPECIAL_CHARS = {_w("noBreakHyphen"): "\u2011", _w("softHyphen"): "\u00ad"}
# Run properties that do not change how text looks (spell checking, revision ids).
_NOISE = frozenset(_w(n) for n in ("lang", "noProof", "proofErr", "rPrChange", "webHidden"))


@dataclass
class _Atom:
    """A piece of a paragraph: text with its run properties, or an object (a run of no text)."""
    text: str | None
    rpr: object | None            # the run's w:rPr element (or None)
    link: object | None           # the w:hyperlink it is in
    child: object | None = None   # the object (w:drawing, w:footnoteReference...)
    key: bytes = b""              # _rpr_key(rpr), computed once per run


@dataclass
class _Paragraph:
    """A paragraph read: its tagged text, what each tag stands for, its own run properties."""
    text: str
    tags: dict = field(default_factory=dict)   # name -> ("rpr", rPr) | ("link", el, rPr) | ("runs", [(rPr, child)])
    rpr: object | None = None
    starts: list = field(default_factory=list)  # bookmarks and the like
    ends: list = field(default_factory=list)


_NOISE_MARKS = (b"lang", b"noProof", b"proofErr", b"rPrChange", b"webHidden", b"rsid", b"hint")
_keys: dict[bytes, bytes] = {}


def _rpr_key(rpr) -> bytes:
    """What a run's properties look like, without what does not change its look
    (cached by the serialised element: a paragraph repeats the same few)."""
    if rpr is None:
        return b""
    raw = etree.tostring(rpr)
    if not any(mark in raw for mark in _NOISE_MARKS):
        return raw if len(rpr) else b""
    found = _keys.get(raw)
    if found is None:
        if len(_keys) > 4096:
            _keys.clear()
        found = _keys[raw] = _clean_key(rpr)
    return found


def _clean_key(rpr) -> bytes:
    clean = copy.deepcopy(rpr)
    for child in list(clean):
        if child.tag in _NOISE:
            clean.remove(child)
    for element in clean.iter():
        for attribute in list(element.attrib):
            if attribute.rpartition("}")[2].startswith("rsid") or attribute == _w("hint"):
                del element.attrib[attribute]
    return etree.tostring(clean) if len(clean) else b""


def _atoms(paragraph) -> tuple[list[_Atom], list, list]:
    atoms: list[_Atom] = []
    starts: list = []
    ends: list = []

    def run(r, link) -> None:
        rpr = r.find(_RPR)
        key = _rpr_key(rpr)
        for child in r:
            tag = child.tag
            if tag in _RUN_IGNORED:
                continue
            if tag == _T:
                if child.text:
                    atoms.append(_Atom(child.text, rpr, link, None, key))
            elif tag == _TAB:
                atoms.append(_Atom("\t", rpr, link, None, key))
            elif tag in _SPECIAL_CHARS:
                atoms.append(_Atom(_SPECIAL_CHARS[tag], rpr, link, None, key))
            else:
                atoms.append(_Atom(None, rpr, link, child, key))

    def walk(container, link) -> None:
        for child in container:
            tag = child.tag
            if tag == _PPR or tag in _IGNORED or not isinstance(tag, str):
                continue
            if tag == _R:
                run(child, link)
            elif tag == _HYPERLINK:
                walk(child, child)
            elif tag in _TRANSPARENT:
                walk(child, link)
            elif tag in _MARKERS_START:
                starts.append(child)
            elif tag in _MARKERS_END:
                ends.append(child)
            else:  # w:fldSimple, m:oMath...: kept whole
                atoms.append(_Atom(None, None, link, child))

    walk(paragraph, None)
    return atoms, starts, ends


def _letters(rpr) -> str:
    if rpr is None:
        return "s"
    for letters, name in (("b", "b"), ("i", "i"), ("u", "u")):
        flag = rpr.find(_w(name))
        if flag is not None and flag.get(_w("val"), "true").lower() not in ("0", "false", "off", "none"):
            return letters
    return "s"


def _dominant(atoms: list[_Atom]) -> tuple[bytes, object | None]:
    weight: dict[bytes, int] = {}
    first: dict[bytes, object | None] = {}
    for atom in atoms:
        if atom.text is not None and atom.link is None:
            key = atom.key
            weight[key] = weight.get(key, 0) + len(atom.text.strip() or " ")
            first.setdefault(key, atom.rpr)
    if not weight:  # all text in links: the paragraph's own is the first run's
        for atom in atoms:
            if atom.text is not None:
                return atom.key, atom.rpr
        return b"", None
    key = max(weight, key=lambda k: weight[k])
    return key, first[key]


def read_paragraph(paragraph) -> _Paragraph:
    """A ``w:p`` element as tagged text and the tags' meaning."""
    atoms, starts, ends = _atoms(paragraph)
    own_key, own_rpr = _dominant(atoms)
    namer = TagNamer()
    tags: dict = {}
    parts: list[str] = []
    index = 0
    while index < len(atoms):
        link = atoms[index].link
        stop = index
        while stop < len(atoms) and atoms[stop].link is link:
            stop += 1
        group = atoms[index:stop]
        if link is None:
            parts.extend(_runs_text(group, own_key, namer, tags))
        else:
            link_key, link_rpr = _dominant([_Atom(a.text, a.rpr, None, a.child, a.key) for a in group])
            name, opening, closing = namer.paired("a")
            shallow = link.makeelement(link.tag, dict(link.attrib))
            tags[name] = ("link", shallow, link_rpr)
            parts.append(opening)
            parts.extend(_runs_text(group, link_key, namer, tags))
            parts.append(closing)
        index = stop
    text = "".join(parts)
    return _Paragraph(text, tags, own_rpr, starts, ends)


def _runs_text(atoms: list[_Atom], own_key: bytes, namer: TagNamer, tags: dict) -> list[str]:
    parts: list[str] = []
    index = 0
    while index < len(atoms):
        atom = atoms[index]
        if atom.text is None:
            stop = index
            while stop < len(atoms) and atoms[stop].text is None:
                stop += 1
            name, written = namer.empty()
            tags[name] = ("runs", [(a.rpr, a.child) for a in atoms[index:stop]])
            parts.append(written)
            index = stop
            continue
        key = atom.key
        stop = index
        text = []
        while stop < len(atoms) and atoms[stop].text is not None and atoms[stop].key == key:
            text.append(atoms[stop].text)
            stop += 1
        words = escape_lookalikes("".join(text))
        if key == own_key:
            parts.append(words)
        else:
            name, opening, closing = namer.paired(_letters(atom.rpr))
            tags[name] = ("rpr", atom.rpr)
            parts.append(f"{opening}{words}{closing}")
        index = stop
    return parts


def write_paragraph(paragraph, translated: str, target_language: str | None = None) -> None:
    """Replace a ``w:p`` element's runs by the translated text, formatting rebuilt from its tags."""
    read = read_paragraph(paragraph)
    nodes = parse(translated, known=read.tags)
    for child in list(paragraph):
        if child.tag != _PPR:
            paragraph.remove(child)
    for marker in read.starts:
        paragraph.append(marker)
    used: set[str] = set()
    current_link_name = None
    current_link = None
    for item, active in flatten(nodes):
        link_name = next((n for n in active if read.tags[n][0] == "link"), None)
        rpr_name = next((n for n in reversed(active) if read.tags[n][0] == "rpr"), None)
        if link_name is None:
            parent = paragraph
            current_link_name = None
        else:
            if link_name != current_link_name:
                current_link = copy.deepcopy(read.tags[link_name][1])
                paragraph.append(current_link)
                current_link_name = link_name
            parent = current_link
        if rpr_name is not None:
            rpr = read.tags[rpr_name][1]
        elif link_name is not None:
            rpr = read.tags[link_name][2]
        else:
            rpr = read.rpr
        if isinstance(item, Empty):
            for run_rpr, child in read.tags[item.name][1]:
                run = _new_run(paragraph, run_rpr, target_language)
                run.append(child if item.name not in used else copy.deepcopy(child))
                parent.append(run)
            used.add(item.name)
            continue
        run = _new_run(paragraph, rpr, target_language)
        for n, line in enumerate(item.split("\n")):
            if n:
                run.append(run.makeelement(_BR, {}))
            for m, piece in enumerate(line.split("\t")):
                if m:
                    run.append(run.makeelement(_TAB, {}))
                if piece:
                    t = run.makeelement(_T, {})
                    t.text = piece
                    t.set(XML_SPACE, "preserve")
                    run.append(t)
        parent.append(run)
    for marker in read.ends:
        paragraph.append(marker)


def _new_run(paragraph, rpr, target_language: str | None):
    run = paragraph.makeelement(_R, {})
    if rpr is not None:
        rpr = copy.deepcopy(rpr)
        if target_language:
            lang = rpr.find(_w("lang"))
            if lang is not None and lang.get(_w("val")):
                lang.set(_w("val"), target_language)
        run.append(rpr)
    return run


def _paragraphs(root) -> list:
    """The ``w:p`` elements of a part in document order, VML fallbacks left out
    (a text box is written twice: the drawing and an old-Word copy)."""
    fallback = f"{{{MC}}}Fallback"
    return [p for p in root.iter(_P) if not any(a.tag == fallback for a in p.iterancestors())]


def _style(paragraph) -> str:
    ppr = paragraph.find(_PPR)
    style = ppr.find(_w("pStyle")) if ppr is not None else None
    return (style.get(_w("val")) or "") if style is not None else ""


def _footnotes_part(document):
    for rel in document.part.rels.values():
        if rel.reltype == FOOTNOTES and not rel.is_external:
            return rel.target_part
    return None


def _part_root(part):
    from lxml import etree

    element = getattr(part, "_element", None)
    if element is not None:
        return element
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    return etree.fromstring(part.blob, parser)


class DocxFormat:
    """Word documents (.docx): paragraphs, lists, tables and footnotes; formatting as tags."""

    name = "docx"
    extensions = (".docx",)
    bilingual = False

    def _open(self, data: bytes, name: str):
        import docx

        open_zip(data, name, WHAT, ("[Content_Types].xml", "word/document.xml"))
        return load_package(docx.Document, data, name, WHAT)

    def read(self, data: bytes, *, path: str | None = None) -> ExtractedDocument:
        """The paragraphs of a Word document as blocks, with its title, author and language.

        :param data: the file's bytes.
        :param path: its name, for messages."""
        name = path or "the document"
        document = self._open(data, name)
        blocks: list[Block] = []
        title_block = None
        for index, paragraph in enumerate(_paragraphs(document.element.body)):
            read = read_paragraph(paragraph)
            if not _has_words(read.text):
                continue
            kind = "body"
            if title_block is None and _style(paragraph).lower() == "title":
                kind = "title"
                title_block = read.text
            blocks.append(Block(f"document:{index}", read.text.strip(), kind))
        footnotes = _footnotes_part(document)
        if footnotes is not None:
            for index, paragraph in enumerate(_paragraphs(_part_root(footnotes))):
                read = read_paragraph(paragraph)
                if _has_words(read.text):
                    blocks.append(Block(f"footnotes:{index}", read.text.strip()))
        if not blocks:
            raise BadInputError(f"{name}: the document has no text to translate")
        properties = document.core_properties
        from workbench.core.text.inline_tags import strip_tags

        # No date: a Word file's creation date is its template's as often as not.
        title = (properties.title or "").strip() or (strip_tags(title_block) if title_block else None)
        return ExtractedDocument(
            format=self.name, blocks=blocks, title=title, language=_language(document),
            author=(properties.author or "").strip() or None)

    def write(self, original: bytes, translations: Mapping[str, str], *,
              target_language: str | None = None, statuses: Mapping[str, str] | None = None) -> bytes:
        """The document with each paragraph in ``translations`` translated, formatting kept.

        :param original: the file's bytes, as imported.
        :param translations: block key -> translated text with tags.
        :param target_language: the language set on the translated runs and the document's default.
        :param statuses: unused."""
        from lxml import etree

        document = self._open(original, "the original document")
        parts = {"document": (document.element.body, None)}
        footnotes = _footnotes_part(document)
        if footnotes is not None:
            parts["footnotes"] = (_part_root(footnotes), footnotes)
        paragraphs = {part: _paragraphs(root) for part, (root, _) in parts.items()}
        for key, translated in translations.items():
            part, _, number = key.partition(":")
            found = paragraphs.get(part)
            if found is None or not number.isdigit() or int(number) >= len(found):
                continue
            write_paragraph(found[int(number)], translated, target_language)
        if target_language:
            _set_language(document, target_language)
        if footnotes is not None and getattr(footnotes, "_element", None) is None:
            footnotes._blob = etree.tostring(parts["footnotes"][0], xml_declaration=True,
                                             encoding="UTF-8", standalone=True)
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()


def _has_words(text: str) -> bool:
    from workbench.core.text.inline_tags import strip_tags

    return any(ch.isalnum() for ch in strip_tags(text))


def _defaults_lang(document):
    styles = document.styles.element
    return styles.find(f"{_w('docDefaults')}/{_w('rPrDefault')}/{_RPR}/{_w('lang')}")


def _language(document) -> str | None:
    try:
        lang = _defaults_lang(document)
    except Exception:  # noqa: BLE001 - no styles part: the language is detected instead
        return None
    value = lang.get(_w("val")) if lang is not None else None
    if not value:
        return None
    primary = value.split("-")[0].lower()
    return primary if primary.isalpha() and 2 <= len(primary) <= 3 else None


def _set_language(document, language: str) -> None:
    try:
        lang = _defaults_lang(document)
    except Exception:  # noqa: BLE001 - nothing to set
        return
    if lang is not None:
        lang.set(_w("val"), language)
