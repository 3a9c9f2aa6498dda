"""XML both ways: a fast escaper for writing, a hardened streaming parser for reading.

Writing: exporters build XML as strings (an lxml tree per unit is several
times slower and buys nothing for plain text).  Characters XML 1.0 cannot
carry at all -- C0 controls other than tab/LF/CR, lone surrogates, U+FFFE and
U+FFFF -- are *stripped* (a numeric reference such as ``&#1;`` is not
well-formed XML 1.0 either, so there is no faithful way to keep them);
``clean_text`` counts them so the exporter can warn.  Everything else, emoji
included, is written as UTF-8.

Reading: ``lxml.iterparse`` with entity resolution, DTD loading and network
access off and lxml's size limits on, elements cleared as they are consumed
(bounded memory).  A document whose DOCTYPE declares entities is refused
outright: no interchange file needs them, and they are how billion-laughs and
external-entity (``SYSTEM "file:///etc/passwd"``) attacks work.
"""
from __future__ import annotations

import logging
import re
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

from lxml import etree

from workbench.core.errors import BadInputError

log = logging.getLogger(__name__)

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# Not in XML 1.0's Char production.
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def escape_text(text: str) -> str:
    """Element content: ``&``, ``<`` and ``>`` (so "]]>" cannot occur).  Only
    for text known to hold no forbidden character and no CR; otherwise use
    ``clean_text``."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def clean_text(text: str, stripped: list[int]) -> str:
    """Element content from any string: strip what XML 1.0 cannot carry (adding
    the count to ``stripped[0]``), escape, and write CR as ``&#13;`` because a
    parser turns a literal CR into LF."""
    if XML_FORBIDDEN.search(text):
        text, count = XML_FORBIDDEN.subn("", text)
        stripped[0] += count
    text = escape_text(text)
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    return text


# Joins a unit's texts so they are escaped in one pass.  Any printable
# character would do: one that occurs in a text shows up as an extra split and
# sends that unit down the slow path, so it costs speed, never correctness.
_SEPARATOR = "\ufffc"


def escape_fields(fields: tuple[str, ...], stripped: list[int]) -> list[str]:
    """Escape a unit's texts for element content.

    The hot path of every XML exporter.  ``str.isprintable`` is a C loop that
    is false for every forbidden character and for CR (and also for harmless
    ones such as NBSP or LF): when it is true, the texts need only ``&<>``
    escaping, done once for all of them; otherwise each goes through
    ``clean_text``.
    """
    raw = _SEPARATOR.join(fields)
    if raw.isprintable():
        escaped = escape_text(raw).split(_SEPARATOR)
        if len(escaped) == len(fields):
            return escaped
    return [clean_text(field, stripped) for field in fields]


@lru_cache(maxsize=256)
def escape_attr(text: str) -> str:
    """A double-quoted attribute value (languages, tool names: few, so cached).
    Tab, LF and CR as references: attribute-value normalisation would turn
    them into spaces."""
    text = escape_text(XML_FORBIDDEN.sub("", text))
    if '"' in text:
        text = text.replace('"', "&quot;")
    if "\n" in text:
        text = text.replace("\n", "&#10;")
    if "\t" in text:
        text = text.replace("\t", "&#9;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    return text


def finished_message(count: int, out: Path, stripped: list[int]) -> str:
    """The last progress message of an XML export (logs stripped characters)."""
    message = f"Wrote {count:,} units to {Path(out).name}"
    if stripped[0]:
        message += f"; stripped {stripped[0]:,} control characters XML 1.0 cannot carry"
        log.warning(message)
    return message


def local_name(tag: object) -> str:
    """"{urn:x}tu" -> "tu"; comments, PIs and entities -> ""."""
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2] if tag[:1] == "{" else tag


def _refuse_entity_declarations(path: Path) -> None:
    """Fail fast, with a clear message, on a DOCTYPE that declares entities.

    libxml2 would stop a billion-laughs file too, but with an obscure message
    at a misleading position; looking at the prolog first says what is wrong.
    """
    try:
        with open(path, "rb") as handle:
            head = handle.read(1 << 16)
    except OSError as error:
        raise BadInputError(f"Cannot read {path}: {error.strerror or error}") from error
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", errors="replace")
    else:
        text = head.decode("utf-8", errors="replace")
    doctype = text.find("<!DOCTYPE")
    if doctype < 0:
        return
    root = re.search(r"<[A-Za-z_]", text[doctype + 9:])
    subset = text[doctype: doctype + 9 + root.start()] if root else text[doctype:]
    if "<!ENTITY" in subset:
        raise BadInputError(
            f"{path.name}: the file declares XML entities (<!ENTITY ...>), which an "
            f"interchange file never needs; refusing it (entities can expand without "
            f"bound or read other files)")


def _syntax_error(path: Path, error: etree.XMLSyntaxError) -> BadInputError:
    # The error log is per thread and outlives a parse: keep this file's errors.
    entries = [entry for entry in (error.error_log or ())
               if entry.filename == str(path) and entry.level >= etree.ErrorLevels.ERROR]
    if entries:
        first = entries[0]
        line, column, message = first.line, first.column, first.message
    else:
        (line, column), message = error.position, error.msg
    message = re.sub(r",? line \d+, column \d+.*$", "", str(message)).strip()
    # libxml2's safety limits name a parser option; say what the file does instead.
    if "Excessive depth" in message:
        message = "elements nested more than 256 deep (refusing an absurd file)"
    elif "too long" in message or "huge text node" in message.lower():
        message = "a text of more than 10,000,000 characters (refusing an absurd file)"
    return BadInputError(
        f"{path.name}: not well-formed XML at line {line}, column {column}: {message}")


def safe_iterparse(path: Path, tags: Iterable[str] | None = None,
                   events: tuple[str, ...] = ("end",)) -> Iterator[tuple[str, etree._Element]]:
    """``iterparse`` that cannot be turned against the machine it runs on.

    Yields ``(event, element)``; raises ``BadInputError`` with line and column
    on anything malformed.  The caller clears what it has consumed
    (``release``).
    """
    path = Path(path)
    _refuse_entity_declarations(path)
    kwargs = dict(events=events, resolve_entities=False, no_network=True,
                  load_dtd=False, dtd_validation=False, huge_tree=False,
                  remove_blank_text=False)
    if tags is not None:
        kwargs["tag"] = tuple(tags)
    etree.clear_error_log()
    try:
        parser = etree.iterparse(str(path), **kwargs)
        checked = False
        for event, element in parser:
            if not checked:
                checked = True
                dtd = element.getroottree().docinfo.internalDTD
                if dtd is not None and any(True for _ in dtd.entities()):
                    raise BadInputError(
                        f"{path.name}: the file declares XML entities; refusing it")
            yield event, element
    except etree.XMLSyntaxError as error:
        raise _syntax_error(path, error) from None
    except OSError as error:
        raise BadInputError(f"Cannot read {path}: {error.strerror or error}") from error


def release(element: etree._Element) -> None:
    """Free a consumed element and the siblings before it (bounded memory)."""
    element.clear(keep_tail=True)
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


# Limits per element that no real interchange file comes near (a TMX <tu> has
# a handful of attributes and props): beyond them a file is refused, so the
# work per element stays bounded however the file was crafted.
MAX_ATTRIBUTES = 1000
MAX_CHILDREN = 1000     # <prop> and <note> children of one unit


def attribute_items(element: etree._Element) -> list[tuple[str, str]]:
    """``(qualified name, value)`` of an element's attributes in linear time.

    ``element.attrib.items()`` looks every value up by name, a walk of the
    attribute list each time: quadratic (100,000 attributes took 38 s).  The
    XPath ``@*`` axis walks the list once.  Few attributes take the direct
    path, which is cheaper per call."""
    attrib = element.attrib
    if len(attrib) <= 8:
        return list(attrib.items())
    return [(value.attrname, str(value)) for value in element.xpath("@*")]


def check_size(element: etree._Element, path: Path, *, children: int | None = None,
               what: str = "props and notes") -> None:
    """Refuse an element with more than ``MAX_ATTRIBUTES`` attributes, or a
    unit with more than ``MAX_CHILDREN`` ``children`` (counted by the caller)."""
    name = local_name(element.tag)
    count = len(element.attrib)
    if count > MAX_ATTRIBUTES:
        raise BadInputError(
            f"{path.name}: line {element.sourceline}: <{name}> has {count:,} attributes (the "
            f"limit is {MAX_ATTRIBUTES:,}); refusing an absurd file")
    if children is not None and children > MAX_CHILDREN:
        raise BadInputError(
            f"{path.name}: line {element.sourceline}: <{name}> has {children:,} {what} (the "
            f"limit is {MAX_CHILDREN:,}); refusing an absurd file")


def check_no_entity_refs(element: etree._Element, path: Path) -> None:
    """An entity reference left unresolved (declared in a DTD we do not load)
    would silently lose text: refuse the file instead."""
    for node in element.iter(etree.Entity):
        raise BadInputError(
            f"{path.name}: line {node.sourceline or '?'}: entity reference {node.text} "
            f"is not a character or predefined entity; refusing to guess its text")
