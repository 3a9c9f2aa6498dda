"""gettext PO (and POT) files from other tools, opened for review and saved back.

Reading
-------
polib parses the file (a well-kept, pure-Python parser; translate-toolkit
would do too but is a much larger dependency for the same job).  One block
per message, in file order; the header (``msgid ""``) and obsolete ``#~``
entries are not blocks and are never touched.

- ``Block.text`` is the ``msgid``, ``Block.target`` the ``msgstr`` (None when
  empty).  PO has no inline markup of its own: HTML or ``%s`` in a message is
  text like any other.
- Key: the ``msgid``, preceded by ``msgctxt`` and ``"\\x04"`` when the entry
  has a context (gettext's own way of telling such messages apart).
- Plurals (``msgid_plural``): one block per plural form of the target
  language, key ``<key>"\\x1f"<n>``; form 0 shows the ``msgid``, the others
  the ``msgid_plural``; the number of forms is ``nplurals`` of the header's
  ``Plural-Forms`` (at least the forms the entry has; 2 without a header).
  The note says which form it is.
- ``Block.note``: the context, the translator's (``# ``) and extracted
  (``#.``) comments.
- Refused with the line: what polib reports, and what it lets through but
  gettext's ``msgfmt`` would not (a message without ``msgstr`` or a string
  without its closing quote, as a truncated file ends; ``msgstr[n]`` without
  ``msgid_plural``; a duplicate message; ``nplurals`` above 10).
- Languages: the source language is not declared by PO (None); the target
  language is the header's ``Language``.  The title is ``Project-Id-Version``
  unless it is gettext's placeholder.

========================================  ==========  ==============================
read                                      status      written for the status
========================================  ==========  ==============================
empty ``msgstr``                          new         no ``fuzzy`` flag
``#, fuzzy`` with a translation           tm          ``fuzzy`` flag
a translation without ``fuzzy``           edited      no ``fuzzy`` flag
(never read)                              machine     ``fuzzy`` flag
(never read)                              approved    no ``fuzzy`` flag
========================================  ==========  ==============================

A fuzzy translation was filled in by a tool (``msgmerge`` from a similar old
message, or a suggestion) and waits for a person: the memory status, which
machine translation does not overwrite.  A translation without the flag was
written by a person, but gettext has no "reviewed" state: it opens as
edited, for the reviewer to approve.  A plural entry has one flag for all
its forms: fuzzy while any form is machine or tm.  The flag is changed only
when a status changes; removing it also removes the ``#|`` previous-message
lines, which only a fuzzy entry needs (as ``msgmerge`` and Poedit do).

Writing
-------
The original text is patched, not re-serialised: only the ``msgstr`` lines
of edited messages and the ``#,`` lines of changed flags are replaced
(polib renders them, wrapped as it wraps); every other byte stays as it
was, so a reviewed file's diff shows the review and nothing else (polib's
own ``save`` would re-wrap every message).  A write that changes nothing
returns the original bytes.  ``target_language`` fills the header's
``Language`` when it is missing or empty; ``PO-Revision-Date`` is left alone
(the output depends only on its input).  When a translation cannot be
written in the file's charset (a Latin-1 file getting Cyrillic), the file
is written in UTF-8 and its header says so.
"""
from __future__ import annotations

import codecs
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import polib

from workbench.core.documents.model import Block, ExtractedDocument
from workbench.core.errors import BadInputError

__all__ = ["PoFile", "CONTEXT_SEPARATOR", "PLURAL_SEPARATOR"]

CONTEXT_SEPARATOR = "\x04"    # msgctxt + this + msgid, as gettext keys messages
PLURAL_SEPARATOR = "\x1f"     # key + this + plural form number
STATUSES = ("new", "machine", "edited", "approved", "tm")
_FUZZY_STATUSES = {"machine", "tm"}
_MO_MAGIC = (b"\xde\x12\x04\x95", b"\x95\x04\x12\xde")
_CHARSET = re.compile(rb"charset=([A-Za-z0-9_.:-]+)")
_PLACEHOLDER_TITLE = "PACKAGE VERSION"


def _label(path: str | None) -> str:
    return Path(path).name if path else "the PO file"


# ---------------------------------------------------------------- decoding and parsing

@dataclass
class _Text:
    text: str
    encoding: str
    bom: bool


def _decode(data: bytes, label: str) -> _Text:
    if not data.strip():
        raise BadInputError(f"{label}: the file is empty")
    if data[:4] in _MO_MAGIC:
        raise BadInputError(f"{label}: a compiled MO file, not a PO file (open the .po it was made from)")
    if b"\x00" in data[:8192]:
        raise BadInputError(f"{label}: a binary file, not a PO file")
    bom = data.startswith(codecs.BOM_UTF8)
    if bom:
        data = data[len(codecs.BOM_UTF8):]
    match = _CHARSET.search(data[:8192])
    encoding = match.group(1).decode("ascii") if match and match.group(1) != b"CHARSET" else "UTF-8"
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise BadInputError(f"{label}: the header names an unknown charset {encoding!r}") from None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise BadInputError(f"{label}: line {line} is not valid {encoding} (the charset the header "
                            f"declares)") from None
    return _Text(text, encoding, bom)


def _parse(text: str, label: str) -> polib.POFile:
    # polib takes a string holding a path for a file name: a text with a line
    # break is never one.
    content = text if "\n" in text else text + "\n"
    try:
        return polib.pofile(content, wrapwidth=78)
    except (OSError, ValueError, KeyError, IndexError) as error:
        message = " ".join(str(error).split())     # polib may quote a line with its break
        found = re.search(r"\(line (\d+)\)(?::\s*(.*))?", message)
        if found:
            detail = f": {found.group(2)}" if found.group(2) else ""
            raise BadInputError(f"{label}: not a valid PO file: syntax error at line {found.group(1)}"
                                f"{detail}") from None
        raise BadInputError(f"{label}: not a valid PO file: {message}") from None


def _base_key(entry: polib.POEntry) -> str:
    if entry.msgctxt is not None:
        return f"{entry.msgctxt}{CONTEXT_SEPARATOR}{entry.msgid}"
    return entry.msgid


MAX_PLURALS = 10    # no language has more than 6 plural forms


def _nplurals(po: polib.POFile, label: str) -> int | None:
    match = re.search(r"nplurals\s*=\s*(\d+)", po.metadata.get("Plural-Forms", ""))
    if not match:
        return None
    count = int(match.group(1))
    if not 1 <= count <= MAX_PLURALS:
        raise BadInputError(f"{label}: the header's Plural-Forms says nplurals={count}; a language has "
                            f"1 to {MAX_PLURALS} plural forms")
    return count


@dataclass
class _Form:
    """One block: a message, or one plural form of it."""
    key: str
    entry: polib.POEntry
    plural: int | None          # the form's number, None for a singular message
    text: str
    target: str | None
    status: str
    note: str | None


def _forms(po: polib.POFile, label: str) -> list[_Form]:
    forms: list[_Form] = []
    seen: dict[str, int] = {}
    nplurals = _nplurals(po, label)
    for entry in po:
        if entry.obsolete or entry.msgid == "":
            continue
        key = _base_key(entry)
        line = max(entry.linenum or 0, 1)    # polib numbers the file's first entry 0
        if key in seen:
            raise BadInputError(f"{label}: line {line}: duplicate message definition (first "
                                f"at line {seen[key]}); gettext refuses such a file too")
        seen[key] = line
        fuzzy = "fuzzy" in entry.flags
        notes = []
        if entry.msgctxt is not None:
            notes.append(f"Context: {entry.msgctxt}")
        notes += [comment for comment in (entry.tcomment, entry.comment) if comment]
        if not entry.msgid_plural:
            target = entry.msgstr or None
            forms.append(_Form(key, entry, None, entry.msgid, target, _status(target, fuzzy),
                               "\n".join(notes) or None))
            continue
        count = max([nplurals or 2, *(int(n) + 1 for n in entry.msgstr_plural)])
        if count > MAX_PLURALS:
            raise BadInputError(f"{label}: line {line}: msgstr[{count - 1}]: a language has at most "
                                f"{MAX_PLURALS} plural forms")
        for n in range(count):
            target = entry.msgstr_plural.get(n) or None
            note = "\n".join(notes + [f"Plural form {n} of {count}"
                                      + (f" ({po.metadata['Plural-Forms']})" if nplurals else "")])
            forms.append(_Form(f"{key}{PLURAL_SEPARATOR}{n}", entry, n,
                               entry.msgid if n == 0 else entry.msgid_plural, target,
                               _status(target, fuzzy), note))
    return forms


def _status(target: str | None, fuzzy: bool) -> str:
    if not target:
        return "new"
    return "tm" if fuzzy else "edited"


# ---------------------------------------------------------------- where each entry's lines are

@dataclass
class _Chunk:
    """The lines of one entry of the original (indexes into its lines)."""
    start: int
    obsolete: bool = False
    flags: int | None = None                                  # the "#," line
    previous: list[int] = field(default_factory=list)         # "#|" lines
    keywords: int | None = None                               # first msgctxt/msgid line
    sections: dict[str, list[int]] = field(default_factory=dict)   # keyword -> [start, end)
    strings: dict[str, list[str]] = field(default_factory=dict)    # keyword -> quoted pieces

    @property
    def has_msgstr(self) -> bool:
        return any(name.startswith("msgstr") for name in self.sections)

    def value(self, name: str) -> str | None:
        pieces = self.strings.get(name)
        return None if pieces is None else "".join(polib.unescape(piece) for piece in pieces)

    @property
    def key(self) -> str:
        msgid, msgctxt = self.value("msgid") or "", self.value("msgctxt")
        return msgid if msgctxt is None else f"{msgctxt}{CONTEXT_SEPARATOR}{msgid}"


_KEYWORD = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)(?=\s|\"|$)\s*(.*)$")


_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"')


def _chunks(lines: list[str], label: str) -> list[_Chunk]:
    """Cut the original's lines into entries, as polib (which already accepted them) reads them.

    Hand-written because polib keeps only the first line of an entry, and
    writing in place needs the lines of its flags and of its ``msgstr``.
    Also refuses what polib lets through: a string without its closing
    quote, a message without ``msgstr`` (both what a truncated file ends with).

    :raises BadInputError: with the line.
    """
    chunks: list[_Chunk] = []
    current = _Chunk(0)
    section: str | None = None

    def close(chunk: _Chunk) -> None:
        if chunk.keywords is None:
            return
        if not chunk.obsolete:
            line = f"{label}: line {chunk.keywords + 1}"
            if not chunk.has_msgstr:
                raise BadInputError(f"{line}: a message without msgstr (is the file truncated?)")
            plural = "msgid_plural" in chunk.sections
            if plural and "msgstr" in chunk.sections:
                raise BadInputError(f"{line}: a message with msgid_plural takes msgstr[n], not msgstr")
            if not plural and "msgstr" not in chunk.sections:
                raise BadInputError(f"{line}: msgstr[n] in a message without msgid_plural")
        chunks.append(chunk)

    for index, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            continue
        obsolete = stripped.startswith("#~")
        if obsolete:
            stripped = stripped[2:].strip()
            if stripped.startswith("|"):
                stripped = "#" + stripped      # an obsolete entry's previous message
        keyword = _KEYWORD.match(stripped)
        starts = (stripped.startswith("#") or (keyword and keyword.group(1) in ("msgctxt", "msgid")))
        if starts and current.has_msgstr:
            close(current)
            current = _Chunk(index)
            section = None
        if keyword or stripped.startswith('"'):
            if current.keywords is not None and current.obsolete != obsolete:
                raise BadInputError(f"{label}: line {index + 1}: a message mixes obsolete (#~) "
                                    f"and current lines")
            current.obsolete = obsolete
        if stripped.startswith("#,"):
            current.flags = index
        elif stripped.startswith("#|"):
            current.previous.append(index)
        elif stripped.startswith("#"):
            pass
        elif not obsolete and not (keyword or stripped.startswith('"')):
            raise BadInputError(f"{label}: line {index + 1}: not a PO keyword line (is the file "
                                f"truncated?)")
        elif not obsolete and not _QUOTED.fullmatch(keyword.group(2) if keyword else stripped):
            raise BadInputError(f"{label}: line {index + 1}: not a complete quoted string "
                                f"(is the file truncated?)")
        elif keyword:
            section = keyword.group(1)
            if section in current.sections and not obsolete:
                raise BadInputError(f"{label}: line {index + 1}: a second {section} in one message")
            if current.keywords is None:
                current.keywords = index
            current.sections[section] = [index, index + 1]
            current.strings[section] = [keyword.group(2)[1:-1]]
        elif stripped.startswith('"') and section is not None:
            current.sections[section][1] = index + 1
            current.strings[section].append(stripped[1:-1])
    close(current)
    return chunks


# ---------------------------------------------------------------- the format

class PoFile:
    """gettext PO and POT files: messages with their translations and fuzzy flags, written back reviewed.

    See the module docstring for keys, plurals and the status table.
    """
    name = "po"
    extensions = (".po", ".pot")
    bilingual = True

    def read(self, data: bytes, *, path: str | None = None) -> ExtractedDocument:
        """The messages of a PO or POT file.

        :param data: the file's bytes.
        :param path: the file's path, named in error messages.
        :raises BadInputError: empty, binary or MO, not valid in its charset, a syntax error
            (with the line), a duplicate message, or no message to translate.
        """
        label = _label(path)
        text = _decode(data, label).text
        po = _parse(text, label)
        _chunks(text.splitlines(keepends=True), label)
        forms = _forms(po, label)
        if not forms:
            raise BadInputError(f"{label}: no messages to translate (only a header or obsolete entries)")
        title = po.metadata.get("Project-Id-Version")
        blocks = [Block(key=f.key, text=f.text, target=f.target, status=f.status, presegmented=True,
                        note=f.note) for f in forms]
        return ExtractedDocument(format=self.name, blocks=blocks,
                                 title=title if title and title != _PLACEHOLDER_TITLE else None,
                                 language=None, target_language=po.metadata.get("Language") or None)

    def write(self, original: bytes, translations: Mapping[str, str], *,
              target_language: str | None = None,
              statuses: Mapping[str, str] | None = None) -> bytes:
        """The original PO with the given translations and fuzzy flags; every other line untouched.

        :param original: the bytes ``read`` was given.
        :param translations: block key -> translation; other messages keep theirs.
        :param target_language: written into the header's ``Language`` when that is missing or empty.
        :param statuses: block key -> workbench status; a message whose translation changes
            without a status here becomes ``edited`` (``new`` when the translation is empty).
        :raises BadInputError: the original is not a readable PO file, or an unknown status.
        """
        statuses = statuses or {}
        for key, status in statuses.items():
            if status not in STATUSES:
                raise BadInputError(f"Cannot write {key!r}: unknown status {status!r} "
                                    f"(one of {', '.join(STATUSES)})")
        label = "the original PO file"
        decoded = _decode(original, label)
        po = _parse(decoded.text, label)
        lines = decoded.text.splitlines(keepends=True)
        newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
        chunks = {chunk.key: chunk for chunk in _chunks(lines, label) if not chunk.obsolete}
        by_entry: dict[int, list[_Form]] = {}
        for form in _forms(po, label):
            by_entry.setdefault(id(form.entry), []).append(form)

        edits: list[tuple[int, int, list[str]]] = []   # replace lines [start, end) with these
        for forms in by_entry.values():
            entry = forms[0].entry
            chunk = chunks.get(_base_key(entry))
            if chunk is None:     # polib and the line cutter disagree: leave the entry alone
                continue
            old = [form.status for form in forms]
            new = []
            for form in forms:
                text = translations.get(form.key)
                status = statuses.get(form.key)
                if text is not None and text != (form.target or ""):
                    edits.append(self._msgstr_lines(chunk, entry, form, text, newline))
                    if status is None:
                        status = "edited" if text else "new"
                new.append(status or form.status)
            if new != old:
                want = any(status in _FUZZY_STATUSES for status in new)
                if want != ("fuzzy" in entry.flags):
                    edits += self._flag_lines(chunk, lines, want, newline)
        if not edits:
            return original
        if target_language and not po.metadata.get("Language"):
            header = chunks.get("")
            if header is not None and "msgstr" in header.sections:
                edits.append(self._language_lines(header, target_language, newline))
        # From the end of the file back, so that earlier line numbers stay right; at one
        # place, the later insertion first, so that insertions keep their order.
        order = sorted(range(len(edits)), key=lambda i: (edits[i][0], edits[i][1], i), reverse=True)
        unterminated = not lines[-1].endswith(("\n", "\r"))
        if unterminated:            # the file's last line has no break: one while editing
            lines[-1] += newline
        for start, end, replacement in (edits[i] for i in order):
            lines[start:end] = replacement
        text = "".join(lines)
        if unterminated:
            text = text.removesuffix(newline)
        encoding = decoded.encoding
        try:
            data = text.encode(encoding)
        except UnicodeEncodeError:
            text = re.sub(r"charset=[A-Za-z0-9_.:-]+", "charset=UTF-8", text, count=1)
            data = text.encode("utf-8")
        return (codecs.BOM_UTF8 if decoded.bom else b"") + data

    @staticmethod
    def _rendered(entry: polib.POEntry, newline: str) -> list[str]:
        """polib's lines for ``entry``, with the file's line ends."""
        return [line + newline for line in str(entry).split("\n") if line]

    def _msgstr_lines(self, chunk: _Chunk, entry: polib.POEntry, form: _Form, text: str,
                      newline: str) -> tuple[int, int, list[str]]:
        if form.plural is None:
            name = "msgstr"
            rendered = polib.POEntry(msgid="", msgstr=text)
        else:
            name = f"msgstr[{form.plural}]"
            rendered = polib.POEntry(msgid="", msgid_plural="-", msgstr_plural={form.plural: text})
        lines = self._rendered(rendered, newline)
        lines = lines[next(i for i, line in enumerate(lines) if line.startswith("msgstr")):]
        if name in chunk.sections:
            start, end = chunk.sections[name]
            return start, end, lines
        # A plural form the entry lacks: after its last msgstr line.
        end = max(section[1] for key, section in chunk.sections.items() if key.startswith("msgstr"))
        return end, end, lines

    @staticmethod
    def _flag_lines(chunk: _Chunk, lines: list[str], fuzzy: bool,
                    newline: str) -> list[tuple[int, int, list[str]]]:
        edits = []
        if chunk.flags is not None:
            line = lines[chunk.flags]
            flags = [flag.strip() for flag in line.strip()[2:].split(",") if flag.strip()]
            flags = [flag for flag in flags if flag != "fuzzy"]
            if fuzzy:
                flags.insert(0, "fuzzy")
            ending = line[len(line.rstrip("\r\n")):]
            edits.append((chunk.flags, chunk.flags + 1, [f"#, {', '.join(flags)}{ending}"] if flags else []))
        elif fuzzy:
            before = min(chunk.previous + [chunk.keywords])
            edits.append((before, before, [f"#, fuzzy{newline}"]))
        if not fuzzy:
            edits += [(index, index + 1, []) for index in chunk.previous]
        return edits

    def _language_lines(self, header: _Chunk, language: str, newline: str) -> tuple[int, int, list[str]]:
        text = header.value("msgstr") or ""
        if re.search(r"^Language:[ \t]*$", text, re.M):
            text = re.sub(r"^Language:[ \t]*$", f"Language: {language}", text, count=1, flags=re.M)
        elif re.search(r"^Language-Team:.*\n", text, re.M):
            text = re.sub(r"^(Language-Team:.*\n)", rf"\1Language: {language}\n", text, count=1, flags=re.M)
        else:
            text += ("" if text.endswith("\n") or not text else "\n") + f"Language: {language}\n"
        lines = self._rendered(polib.POEntry(msgid="", msgstr=text), newline)
        start, end = header.sections["msgstr"]
        return start, end, lines[next(i for i, line in enumerate(lines) if line.startswith("msgstr")):]
