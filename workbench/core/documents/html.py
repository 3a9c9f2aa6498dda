"""Web pages: the article of an HTML page in, the translated page out.

Reading: trafilatura (a library made for this) decides what the article is:
the title, headings, paragraphs, list items and table cells of the main text,
without navigation, share buttons, related links, cookie notices and comment
sections; htmldate finds the publication date.  Each block trafilatura keeps
is then located in the page itself (lxml), by its text, and read from there
with its inline markup as tags (``<b0>``…``</b0>`` for ``<b>``/``<strong>``,
``<i1>`` for ``<i>``/``<em>``, ``<a2>`` for links, ``<s3>`` for other spans,
``<x4/>`` for line breaks, images and empty elements).  The block's key is
its element's path in the page.

Writing: the page is parsed again the same way, each translated block's
element gets the translated text with its markup rebuilt from the original
elements (attributes, link targets, classes kept), and ``<html lang>`` names
the target language.  Everything else of the page is left as it was.

The encoding is the page's own: a BOM, else ``<meta charset>`` (or the
``http-equiv`` form, or an XML declaration), else detected like a text file's;
the output is written back in the same encoding (characters it cannot hold as
character references).
"""
from __future__ import annotations

import codecs
import copy
import re
from collections.abc import Mapping
from functools import lru_cache

from workbench.core.documents.inline import Empty, TagNamer, escape_lookalikes, parse
from workbench.core.documents.model import Block, ExtractedDocument
from workbench.core.documents.segmenting import classify_blocks
from workbench.core.errors import BadInputError
from workbench.core.text.decoding import decode_bytes

# Elements a block of text can be, innermost wins (a <p> inside a <div>).
_BLOCK_TAGS = frozenset("""p h1 h2 h3 h4 h5 h6 li td th dd dt blockquote figcaption caption pre
    div section article main header footer aside address summary center label""".split())
# Elements that are never text.
_SKIP = frozenset("script style noscript template".split())
_VOID = frozenset("br img wbr input hr embed source track area col param meta link".split())
_LETTERS = {"b": "b", "strong": "b", "i": "i", "em": "i", "u": "u", "a": "a"}
# trafilatura's XML: the elements that hold a block of text.
_EXTRACTED_BLOCKS = frozenset("head p item cell quote code".split())

_META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([-\w.:]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([-\w.:]+)""", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_SPACE = re.compile(r"\s+")
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
         (codecs.BOM_UTF16_BE, "utf-16-be"))


def decode_page(data: bytes, name: str) -> tuple[str, str, bytes]:
    """The page's text, its encoding and its BOM (b"" when none).

    :param data: the page's bytes.
    :param name: the file's name, for messages."""
    if not data.strip():
        raise BadInputError(f"{name} is empty")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(encoding, errors="replace"), encoding, bom
    head = data[:8192]
    declared = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    if declared:
        try:
            encoding = codecs.lookup(declared.group(1).decode("ascii")).name
            # A page that says UTF-8 but is not (or names a codec that cannot
            # be right) is read as an undeclared one.
            return data.decode(encoding), encoding, b""
        except (LookupError, UnicodeDecodeError):
            pass
    text = decode_bytes(data, name=name)
    try:
        text.encode("utf-8")
        encoding = "utf-8" if _is_utf8(data) else _guess_single_byte(data, text)
    except UnicodeEncodeError:
        encoding = "utf-8"
    return text, encoding, b""


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def _guess_single_byte(data: bytes, text: str) -> str:
    """The codec that turns ``text`` back into ``data`` (what decode_bytes detected)."""
    for encoding in ("cp1251", "koi8_r", "cp1252", "latin-1", "mac_cyrillic", "cp866"):
        try:
            if text.encode(encoding).replace(b"\r\n", b"\n") == data.replace(b"\r\n", b"\n"):
                return encoding
        except UnicodeEncodeError:
            continue
    return "utf-8"


def _parse_page(text: str):
    import lxml.html

    text = _XML_DECLARATION.sub("", text, count=1)
    try:
        return lxml.html.document_fromstring(text)
    except Exception:  # noqa: BLE001 - lxml raises several kinds on garbage
        return None


def element_paths(root) -> dict:
    """Every element of the page -> its path as ``getpath`` writes it
    (``/html/body/div[2]/p``), in one pass: ``getpath`` and a positional XPath
    count the siblings each time, which is quadratic on a long page."""
    paths = {root: f"/{root.tag}"}
    stack = [root]
    while stack:
        parent = stack.pop()
        base = paths[parent]
        children = [child for child in parent if isinstance(child.tag, str)]
        totals: dict[str, int] = {}
        for child in children:
            totals[child.tag] = totals.get(child.tag, 0) + 1
        seen: dict[str, int] = {}
        for child in children:
            seen[child.tag] = seen.get(child.tag, 0) + 1
            paths[child] = (f"{base}/{child.tag}[{seen[child.tag]}]" if totals[child.tag] > 1
                            else f"{base}/{child.tag}")
            stack.append(child)
    return paths


def _nospace(text: str) -> str:
    return "".join(text.split())


def _plain(element) -> str:
    """An element's text without scripts, styles and comments."""
    parts: list[str] = []

    def walk(el) -> None:
        if el.text:
            parts.append(el.text)
        for child in el:
            if isinstance(child.tag, str) and child.tag.lower() not in _SKIP:
                walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(element)
    return "".join(parts)


def _has_text(element) -> bool:
    return bool(_plain(element).strip())


def _local(tag) -> str:
    return tag.rpartition("}")[2].lower() if isinstance(tag, str) else ""


def _tagged(block) -> tuple[str, dict]:
    """A block element's text with its inline markup as tags, and what each tag stands for."""
    namer = TagNamer()
    tags: dict[str, object] = {}
    parts: list[str] = []
    preformatted = _local(block.tag) == "pre"

    def text(value: str | None) -> None:
        if value:
            parts.append(escape_lookalikes(value if preformatted else _SPACE.sub(" ", value)))

    def walk(element) -> None:
        text(element.text)
        for child in element:
            tag = _local(child.tag)
            if not tag:          # a comment or processing instruction: left out
                pass
            elif tag in _SKIP or tag in _VOID or not _has_text(child):
                name, written = namer.empty()
                tags[name] = child
                parts.append(written)
            else:
                name, opening, closing = namer.paired(_LETTERS.get(tag, "s"))
                tags[name] = child
                parts.append(opening)
                walk(child)
                parts.append(closing)
            text(child.tail)

    walk(block)
    joined = "".join(parts)
    return (joined.strip("\n") if preformatted else _SPACE.sub(" ", joined).strip()), tags


def _candidates(body) -> dict[str, list]:
    """Block elements of the page by their text without whitespace, in page order."""
    found: dict[str, list] = {}
    for element in body.iter():
        if _local(element.tag) in _BLOCK_TAGS:
            key = _nospace(_plain(element))
            if key:
                found.setdefault(key, []).append(element)
    return found


class _Locator:
    """Finds the page element of each block trafilatura extracted."""

    def __init__(self, body) -> None:
        self.by_text = _candidates(body)
        self.used: set = set()
        self.around_used: set = set()   # ancestors of used elements

    def find(self, text: str):
        options = self.by_text.get(_nospace(text), [])
        for n, element in enumerate(options):
            if element in self.used or element in self.around_used or any(
                    a in self.used for a in element.iterancestors()):
                continue
            # The innermost element with the same text: <div><p>text</p></div> is the <p>.
            for inner in options[n + 1:]:
                if element in set(inner.iterancestors()):
                    element = inner
            self.used.add(element)
            self.around_used.update(element.iterancestors())
            return element
        return None


# trafilatura measures the text of the page's paragraphs with one XPath,
# ``//p//text()``.  libxml2 answers it by merging each paragraph's text nodes
# into the result with a duplicate check against all nodes found so far: time
# grows with (paragraphs x text nodes), 6 s for a 2 MB page and minutes for
# 5 MB, most of the import.  trafilatura is handed a tree whose elements answer
# that one question with one walk of the page (the same text, in the same
# order); every other query goes to lxml as before.
_PARAGRAPH_TEXT = "//p//text()"


def _paragraph_text(element) -> list[str]:
    """What ``element.xpath("//p//text()")`` returns, in one pass: the text
    of every ``<p>`` of the element's document, a nested one's only once (libxml2
    may keep a run of text in several nodes: the joined text is the same)."""
    out: list[str] = []
    for paragraph in element.getroottree().getroot().iter("p"):
        if next(paragraph.iterancestors("p"), None) is None:
            out.extend(paragraph.itertext())
    return out


@lru_cache(maxsize=1)
def _extraction_parser():
    """trafilatura's own HTML parser settings, with elements that answer
    ``_PARAGRAPH_TEXT`` in linear time."""
    import lxml.html

    class ParagraphText:
        def xpath(self, _path, **kwargs):
            if _path == _PARAGRAPH_TEXT and not kwargs:
                return _paragraph_text(self)
            return super().xpath(_path, **kwargs)

    class Lookup(lxml.html.HtmlElementClassLookup):
        """lxml.html's classes (forms, inputs...), each with ParagraphText first."""

        def __init__(self) -> None:
            super().__init__()
            self.mixed: dict[type, type] = {}

        def lookup(self, node_type, document, namespace, name):
            cls = super().lookup(node_type, document, namespace, name)
            if node_type != "element":
                return cls
            if cls not in self.mixed:
                self.mixed[cls] = type(cls.__name__, (ParagraphText, cls), {})
            return self.mixed[cls]

    parser = lxml.html.HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8",
                                  remove_comments=True, remove_pis=True)
    parser.set_element_class_lookup(Lookup())
    return parser


def _extraction_tree(page: str):
    """The page parsed for trafilatura as it parses a string itself (its
    repairs first), with the elements of ``_extraction_parser``; None when
    that fails (trafilatura is then given the text)."""
    import lxml.html

    try:
        from trafilatura.utils import is_dubious_html, repair_faulty_html

        beginning = page[:50].lower()
        page = repair_faulty_html(page, beginning)
        try:
            tree = lxml.html.fromstring(page, parser=_extraction_parser())
        except ValueError:  # an encoding declaration in a str: as bytes, as trafilatura does
            tree = lxml.html.fromstring(page.encode("utf-8", "surrogatepass"),
                                        parser=_extraction_parser())
    except Exception:  # noqa: BLE001 - trafilatura then parses (and judges) the text itself
        return None
    if tree is None or len(tree) < (2 if is_dubious_html(beginning) else 1):
        return None  # what trafilatura rejects or parses again: its call
    return tree


class HtmlFormat:
    """Web pages (.html, .htm, .xhtml): the article in, the translated page out."""

    name = "html"
    extensions = (".html", ".htm", ".xhtml", ".shtml")
    bilingual = False

    def read(self, data: bytes, *, path: str | None = None) -> ExtractedDocument:
        """The article of a web page as blocks, with its title, date, author, URL and language.

        :param data: the page's bytes.
        :param path: its name, for messages."""
        import lxml.etree
        import trafilatura

        name = path or "the page"
        text, _, _ = decode_page(data, name)
        root = _parse_page(text)
        body = root.find("body") if root is not None else None
        if body is None:
            raise BadInputError(f"{name} is not a readable web page (no HTML body)")
        page = _XML_DECLARATION.sub("", text, count=1)
        tree = _extraction_tree(page)
        extracted = trafilatura.extract(
            page if tree is None else tree, output_format="xml", include_formatting=True,
            include_links=True, include_tables=True, include_comments=False, include_images=False,
            with_metadata=True, deduplicate=False,
            # Its own extractor only: the comparison with readability and
            # jusText costs more than half the time and changes little on news pages.
            fast=True)
        if not extracted:
            raise BadInputError(f"{name}: no article text found in this page (only navigation, "
                                f"scripts or boilerplate): nothing to import")
        xml = lxml.etree.fromstring(extracted.encode("utf-8"))
        main = xml.find("main")
        pieces = [] if main is None else [
            element for element in main.iter(*_EXTRACTED_BLOCKS)
            if not any(True for _ in element.iterdescendants(*_EXTRACTED_BLOCKS))]
        locator = _Locator(body)
        paths = element_paths(root)
        title = (xml.get("title") or "").strip() or None
        blocks: list[Block] = []
        title_index = None
        if title:
            element = locator.find(title)
            if element is None:
                head_title = root.find("head/title")
                if head_title is not None and _has_text(head_title):
                    element = head_title
            if element is not None:
                tagged, _ = _tagged(element)
                blocks.append(Block(paths[element], tagged))
                title_index = 0
        for piece in pieces:
            words = "".join(piece.itertext())
            if not words.strip():
                continue
            element = locator.find(words)
            if element is None:
                continue  # trafilatura joined or cut elements: not a block of the page
            tagged, _ = _tagged(element)
            if tagged:
                blocks.append(Block(paths[element], tagged))
        if len(blocks) == (title_index is not None):  # a title alone is no article
            raise BadInputError(f"{name}: no article text found in this page (only navigation, "
                                f"scripts or boilerplate): nothing to import")
        from workbench.core.text.inline_tags import strip_tags

        kinds = classify_blocks([strip_tags(block.text) for block in blocks], title_index=title_index)
        for block, kind in zip(blocks, kinds):
            block.kind = kind
        return ExtractedDocument(
            format=self.name, blocks=blocks, title=title, language=_language(root),
            date=_date(text) or xml.get("date"), author=(xml.get("author") or "").strip() or None,
            url=(xml.get("url") or "").strip() or None)

    def write(self, original: bytes, translations: Mapping[str, str], *,
              target_language: str | None = None, statuses: Mapping[str, str] | None = None) -> bytes:
        """The page with each block in ``translations`` translated, markup kept.

        :param original: the page's bytes, as imported.
        :param translations: block key (element path) -> translated text with tags.
        :param target_language: set as ``<html lang>``.
        :param statuses: unused (a web page has no statuses)."""
        import lxml.html

        text, encoding, bom = decode_page(original, "the original page")
        declaration = _XML_DECLARATION.match(text)
        root = _parse_page(text)
        if root is None:
            raise BadInputError("the stored page can no longer be parsed")
        tree = root.getroottree()
        by_path = {path: element for element, path in element_paths(root).items()}
        for key, translated in translations.items():
            element = by_path.get(key)
            if element is not None:
                _fill(element, translated)
        if target_language:
            root.set("lang", target_language)
            if root.get("{http://www.w3.org/XML/1998/namespace}lang") is not None:
                root.set("{http://www.w3.org/XML/1998/namespace}lang", target_language)
        out = lxml.html.tostring(tree, encoding="unicode", method="html",
                                 include_meta_content_type=True, doctype=tree.docinfo.doctype or None)
        if declaration:
            out = declaration.group(0).lstrip() + "\n" + out
        return bom + out.encode(encoding, errors="xmlcharrefreplace")


def _fill(block, translated: str) -> None:
    """Put translated text with tags into a block element, its markup rebuilt."""
    _, tags = _tagged(block)
    nodes = parse(translated, known=tags)
    for child in list(block):
        block.remove(child)
    block.text = None
    used: set[str] = set()

    def emit(parent, items) -> None:
        last = None
        for node in items:
            if isinstance(node, str):
                if last is None:
                    parent.text = (parent.text or "") + node
                else:
                    last.tail = (last.tail or "") + node
                continue
            original = tags[node.name]
            if isinstance(node, Empty):
                element = original if node.name not in used else copy.deepcopy(original)
                used.add(node.name)
                element.tail = None
            else:
                element = parent.makeelement(original.tag, dict(original.attrib))
                emit(element, node.children)
            parent.append(element)
            last = element

    emit(block, nodes)


def _language(root) -> str | None:
    lang = root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang")
    if not lang:
        for meta in root.iter("meta"):
            if (meta.get("http-equiv") or "").lower() == "content-language":
                lang = meta.get("content")
                break
    if not lang:
        return None
    primary = lang.strip().replace("_", "-").split("-")[0].lower()
    return primary if primary.isalpha() and 2 <= len(primary) <= 3 else None


def _date(text: str) -> str | None:
    import htmldate

    try:
        return htmldate.find_date(text, original_date=True, extensive_search=False)
    except Exception:  # noqa: BLE001 - a date is a nicety; a page without one still imports
        return None
