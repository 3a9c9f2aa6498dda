"""OpenDocument text (.odt): paragraphs in, the translated document out (odfpy).

Reading: every ``text:p`` and ``text:h`` with text, in document order: body
paragraphs, headings, list items, table cells, and the paragraphs of a
footnote right after the paragraph that cites it.  A block's key is the
paragraph's rank among the ``text:p``/``text:h`` elements of the body.

Inline formatting becomes tags: a ``text:span`` is a paired tag whose letters
say what its style does (``<b0>`` bold, ``<i1>`` italic, ``<u2>`` underline,
``<s3>`` anything else), a ``text:a`` link ``<a4>``, and a note citation,
frame, bookmark, field or line break a standalone ``<x5/>``.

Writing: each translated paragraph keeps its element and attributes (style,
outline level) and gets the translated text, with spans and links rebuilt
from the originals (same style names, same link targets) and the original
objects (notes with their translated paragraphs, frames) put back where their
tags are.  Styles, tables, lists and pictures are left as they were.
"""
from __future__ import annotations

import io
import re
from collections.abc import Mapping

from workbench.core.documents.archive import load_package, open_zip
from workbench.core.documents.inline import Empty, TagNamer, escape_lookalikes, parse
from workbench.core.documents.model import Block, ExtractedDocument
from workbench.core.errors import BadInputError

TEXTNS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
STYLENS = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
FONS = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
WHAT = "an OpenDocument text (ODT)"
_PARAGRAPHS = {(TEXTNS, "p"), (TEXTNS, "h")}
_DROPPED = {(TEXTNS, "soft-page-break")}
_SPACE = re.compile(r"[ \t\r\n]+")


def _children(element) -> list:
    return list(element.childNodes)


def _is_element(node) -> bool:
    return node.nodeType == node.ELEMENT_NODE


def _paragraphs(root) -> list:
    """``text:p``/``text:h`` elements under ``root`` in document order (a note's
    paragraphs right after the start of the paragraph holding it)."""
    found = []
    stack = [root]
    while stack:
        node = stack.pop()
        if _is_element(node) and node.qname in _PARAGRAPHS:
            found.append(node)
        stack.extend(reversed([child for child in _children(node) if _is_element(child)]))
    return found


def _style_letters(document) -> dict[str, str]:
    """Text style name -> tag letters (b bold, i italic, u underline, s other)."""
    letters: dict[str, str] = {}
    for container in (document.styles, document.automaticstyles):
        for style in container.getElementsByType(_style_class()):
            name = style.getAttrNS(STYLENS, "name")
            props = [child for child in _children(style) if _is_element(child)
                     and child.qname == (STYLENS, "text-properties")]
            kind = "s"
            for prop in props:
                if (prop.getAttrNS(FONS, "font-weight") or "") in ("bold", "600", "700", "800", "900"):
                    kind = "b"
                elif prop.getAttrNS(FONS, "font-style") in ("italic", "oblique"):
                    kind = "i"
                elif (prop.getAttrNS(STYLENS, "text-underline-style") or "none") != "none":
                    kind = "u"
            if name:
                letters[name] = kind
    return letters


def _style_class():
    from odf.style import Style

    return Style


def _text_of(node) -> str:
    if node.nodeType == node.TEXT_NODE:
        return node.data
    if not _is_element(node):
        return ""
    if node.qname == (TEXTNS, "s"):
        return " " * int(node.getAttrNS(TEXTNS, "c") or 1)
    if node.qname == (TEXTNS, "tab"):
        return "\t"
    if node.qname in ((TEXTNS, "note"), (TEXTNS, "line-break")):
        return ""
    return "".join(_text_of(child) for child in _children(node))


def read_paragraph(paragraph, letters: dict[str, str]) -> tuple[str, dict]:
    """A paragraph's text with its inline markup as tags, and the element each tag stands for."""
    namer = TagNamer()
    tags: dict = {}
    parts: list[str] = []

    def walk(element) -> None:
        for node in _children(element):
            if node.nodeType == node.TEXT_NODE:
                parts.append(escape_lookalikes(_SPACE.sub(" ", node.data)))
                continue
            if not _is_element(node) or node.qname in _DROPPED:
                continue
            qname = node.qname
            if qname == (TEXTNS, "s"):
                parts.append(" " * int(node.getAttrNS(TEXTNS, "c") or 1))
            elif qname == (TEXTNS, "tab"):
                parts.append("\t")
            elif qname in ((TEXTNS, "span"), (TEXTNS, "a")) and _text_of(node).strip():
                kind = "a" if qname == (TEXTNS, "a") else letters.get(
                    node.getAttrNS(TEXTNS, "style-name") or "", "s")
                name, opening, closing = namer.paired(kind)
                tags[name] = node
                parts.append(opening)
                walk(node)
                parts.append(closing)
            else:
                name, written = namer.empty()
                tags[name] = node
                parts.append(written)

    walk(paragraph)
    return "".join(parts).strip(" "), tags


def write_paragraph(paragraph, translated: str, letters: dict[str, str]) -> None:
    """Replace a paragraph's content by the translated text, its markup rebuilt from its tags."""
    from odf import teletype
    from odf.element import Element

    _, tags = read_paragraph(paragraph, letters)
    nodes = parse(translated, known=tags)
    for node in _children(paragraph):
        _detach(paragraph, node)
    used: set[str] = set()

    def emit(parent, items) -> None:
        for item in items:
            if isinstance(item, str):
                teletype.addTextToElement(parent, item)
                continue
            original = tags[item.name]
            if isinstance(item, Empty):
                element = original if item.name not in used else _clone(original, deep=True)
                used.add(item.name)
            else:
                element = Element(qname=original.qname, qattributes=dict(original.attributes),
                                  check_grammar=False)
                emit(element, item.children)
            parent.addElement(element, check_grammar=False)

    emit(paragraph, nodes)


def _detach(parent, node) -> None:
    """Take a child out of its parent.  odfpy's ``removeChild`` keeps its
    caches of elements right but fails on text nodes, which are unlinked here."""
    if _is_element(node):
        parent.removeChild(node)
        return
    parent.childNodes.remove(node)
    if node.nextSibling is not None:
        node.nextSibling.previousSibling = node.previousSibling
    if node.previousSibling is not None:
        node.previousSibling.nextSibling = node.nextSibling
    node.nextSibling = node.previousSibling = node.parentNode = None


def _clone(node, deep: bool):
    from odf.element import Element, Text

    if node.nodeType == node.TEXT_NODE:
        return Text(node.data)
    element = Element(qname=node.qname, qattributes=dict(node.attributes), check_grammar=False)
    if deep:
        for child in _children(node):
            element.appendChild(_clone(child, True))
    return element


def _meta(document, name: str, namespace: str) -> str | None:
    for node in _children(document.meta):
        if _is_element(node) and node.qname == (namespace, name):
            value = _text_of(node).strip()
            return value or None
    return None


DC = "http://purl.org/dc/elements/1.1/"
METANS = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"


class OdtFormat:
    """OpenDocument text (.odt): paragraphs, headings, lists, tables and notes; spans and links as tags."""

    name = "odt"
    extensions = (".odt",)
    bilingual = False

    def _open(self, data: bytes, name: str):
        from odf.opendocument import load

        archive = open_zip(data, name, WHAT, ("content.xml",))
        try:
            mimetype = archive.read("mimetype").decode("ascii", "replace").strip() \
                if "mimetype" in archive.namelist() else ""
        except Exception:  # noqa: BLE001 - a damaged member: load says so below
            mimetype = ""
        if mimetype and mimetype != "application/vnd.oasis.opendocument.text":
            raise BadInputError(f"{name} is {mimetype}, not {WHAT}")
        return load_package(load, data, name, WHAT)

    def read(self, data: bytes, *, path: str | None = None) -> ExtractedDocument:
        """The paragraphs of an ODT file as blocks, with its title, author, date and language.

        :param data: the file's bytes.
        :param path: its name, for messages."""
        from workbench.core.text.inline_tags import strip_tags

        name = path or "the document"
        document = self._open(data, name)
        letters = _style_letters(document)
        blocks: list[Block] = []
        title_block = None
        for index, paragraph in enumerate(_paragraphs(document.text)):
            text, _ = read_paragraph(paragraph, letters)
            if not any(ch.isalnum() for ch in strip_tags(text)):
                continue
            kind = "body"
            style = (paragraph.getAttrNS(TEXTNS, "style-name") or "").lower()
            if title_block is None and style == "title":
                kind, title_block = "title", text
            blocks.append(Block(str(index), text, kind))
        if not blocks:
            raise BadInputError(f"{name}: the document has no text to translate")
        language = _meta(document, "language", DC)
        primary = language.split("-")[0].lower() if language else None
        date = _meta(document, "creation-date", METANS) or _meta(document, "date", DC)
        return ExtractedDocument(
            format=self.name, blocks=blocks,
            title=_meta(document, "title", DC) or (strip_tags(title_block) if title_block else None),
            language=primary if primary and primary.isalpha() and 2 <= len(primary) <= 3 else None,
            date=date[:10] if date else None,
            author=_meta(document, "initial-creator", METANS) or _meta(document, "creator", DC))

    def write(self, original: bytes, translations: Mapping[str, str], *,
              target_language: str | None = None, statuses: Mapping[str, str] | None = None) -> bytes:
        """The document with each paragraph in ``translations`` translated, styles kept.

        :param original: the file's bytes, as imported.
        :param translations: block key -> translated text with tags.
        :param target_language: the document's language in its metadata.
        :param statuses: unused."""
        document = self._open(original, "the original document")
        letters = _style_letters(document)
        paragraphs = _paragraphs(document.text)
        for key, translated in translations.items():
            if key.isdigit() and int(key) < len(paragraphs):
                write_paragraph(paragraphs[int(key)], translated, letters)
        if target_language:
            for node in _children(document.meta):
                if _is_element(node) and node.qname == (DC, "language"):
                    for child in _children(node):
                        _detach(node, child)
                    node.addText(target_language)
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()
