"""gettext PO files: read for review, patched in place with the review, read back by polib and translate-toolkit."""
from __future__ import annotations

import difflib
import io
from pathlib import Path

import polib
import pytest
from translate.storage import factory

from workbench.core.documents.po_file import PoFile
from workbench.core.errors import BadInputError

DATA = Path(__file__).resolve().parents[2] / "data" / "documents" / "bilingual"
FORMAT = PoFile()
PLURAL = "%d file removed\x1f"


@pytest.fixture
def messages() -> bytes:
    return (DATA / "messages.po").read_bytes()


def changed_lines(old: bytes, new: bytes, encoding: str = "utf-8") -> list[str]:
    """The lines a write removed (-) and added (+)."""
    diff = difflib.unified_diff(old.decode(encoding).splitlines(), new.decode(encoding).splitlines(), n=0)
    return [line for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")]


def tt_units(data: bytes) -> dict:
    handle = io.BytesIO(data)
    handle.name = "out.po"
    return {unit.getid(): unit for unit in factory.getobject(handle).units if unit.getid()}


# ---------------------------------------------------------------- reading

def test_messages_as_a_reviewer_sees_them(messages):
    document = FORMAT.read(messages, path="messages.po")
    assert (document.format, document.title, document.language, document.target_language) == (
        "po", "example 1.0", None, "ru")
    got = [(b.key, b.text, b.target, b.status) for b in document.blocks]
    assert got == [
        ("Welcome to the <b>library</b>.", "Welcome to the <b>library</b>.",
         "Добро пожаловать в <b>библиотеку</b>.", "edited"),
        ("Open %s", "Open %s", None, "new"),
        ("menu\x04File", "File", "Файл", "edited"),
        ("document\x04File", "File", "Документ", "edited"),
        (PLURAL + "0", "%d file removed", "%d файл удалён", "tm"),
        (PLURAL + "1", "%d files removed", "%d файла удалено", "tm"),
        (PLURAL + "2", "%d files removed", "%d файлов удалено", "tm"),
        ("One item\x1f0", "One item", None, "new"),
        ("One item\x1f1", "%d items", None, "new"),
        ("One item\x1f2", "%d items", None, "new"),
        ("A long help text that spans several lines in the file, as gettext wraps them at seventy-nine "
         "columns.\nSecond paragraph.",
         "A long help text that spans several lines in the file, as gettext wraps them at seventy-nine "
         "columns.\nSecond paragraph.",
         "Длинный текст справки, который занимает несколько строк в файле.\nВторой абзац.", "edited"),
        ("Quit", "Quit", "Выйти", "tm"),
    ]   # the header and the obsolete "Old message" are no blocks
    notes = {b.key: b.note for b in document.blocks}
    assert notes["Welcome to the <b>library</b>."] == "Shown on the start page."
    assert notes["Open %s"] == "Translator: keep it short."
    assert notes["menu\x04File"] == "Context: menu"
    assert notes[PLURAL + "2"].startswith("Plural form 2 of 3 (nplurals=3;")
    assert all(b.presegmented for b in document.blocks)


def test_plural_forms_without_a_header():
    data = b'msgid "one"\nmsgid_plural "many"\nmsgstr[0] "un"\nmsgstr[1] "beaucoup"\n'
    document = FORMAT.read(data)
    assert [(b.key, b.text, b.target) for b in document.blocks] == [
        ("one\x1f0", "one", "un"), ("one\x1f1", "many", "beaucoup")]
    assert document.target_language is None and document.title is None


# ---------------------------------------------------------------- writing

def test_round_trip_without_edits_is_the_same_file(messages):
    assert FORMAT.write(messages, {}) == messages
    read = FORMAT.read(messages).blocks
    assert FORMAT.write(messages, {b.key: b.target for b in read if b.target},
                        statuses={b.key: b.status for b in read}) == messages


def test_edits_change_only_their_msgstr_lines(messages):
    out = FORMAT.write(messages, {
        "Open %s": "Открыть %s",
        "document\x04File": "Документ",                       # unchanged
        PLURAL + "1": "%d файла убрано",
        "One item\x1f0": "Один элемент",
        "A long help text that spans several lines in the file, as gettext wraps them at seventy-nine "
        "columns.\nSecond paragraph.": "Справка.\nВторая строка с \"кавычками\".",
    })
    assert changed_lines(messages, out) == [
        '-msgstr ""', '+msgstr "Открыть %s"',
        '-msgstr[1] "%d файла удалено"', '+msgstr[1] "%d файла убрано"',
        '-msgstr[0] ""', '+msgstr[0] "Один элемент"',
        '-"Длинный текст справки, который занимает несколько строк в файле.\\n"',
        '-"Второй абзац."',
        '+"Справка.\\n"',
        '+"Вторая строка с \\"кавычками\\"."',
    ]
    # polib and translate-toolkit read the edited file with the translations in place
    entries = {(e.msgctxt, e.msgid): e for e in polib.pofile(out.decode())}
    assert entries[(None, "Open %s")].msgstr == "Открыть %s"
    assert entries[(None, "%d file removed")].msgstr_plural[1] == "%d файла убрано"
    units = tt_units(out)
    assert units["Open %s"].target == "Открыть %s"
    assert units["One item"].target.strings == ["Один элемент", "", ""]
    assert units["A long help text that spans several lines in the file, as gettext wraps them at "
                 "seventy-nine columns.\nSecond paragraph."].target == 'Справка.\nВторая строка с "кавычками".'
    # and so does the workbench
    again = {b.key: b for b in FORMAT.read(out).blocks}
    assert (again["Open %s"].target, again["Open %s"].status) == ("Открыть %s", "edited")
    assert again[PLURAL + "1"].target == "%d файла убрано"


def test_fuzzy_flag_follows_the_status(messages):
    # approving a fuzzy entry removes the flag and the previous-message lines
    out = FORMAT.write(messages, {"Quit": "Выход"}, statuses={"Quit": "approved"})
    assert changed_lines(messages, out) == ['-#, fuzzy', '-msgstr "Выйти"', '+msgstr "Выход"']
    assert not tt_units(out)["Quit"].isfuzzy()
    forms = {PLURAL + str(n): "approved" for n in range(3)}
    out = FORMAT.write(messages, {}, statuses=forms)
    assert changed_lines(messages, out) == [
        '-#, fuzzy, c-format', '-#| msgid "%d file deleted"', '-#| msgid_plural "%d files deleted"',
        '+#, c-format']
    # one form still from the memory: the entry stays fuzzy
    out = FORMAT.write(messages, {}, statuses={**forms, PLURAL + "2": "tm"})
    assert out == messages
    # a translation sent back as machine or memory work becomes fuzzy, the other flags kept
    out = FORMAT.write(messages, {"Open %s": "Открыть %s"}, statuses={"Open %s": "machine"})
    assert changed_lines(messages, out) == [
        '-#, c-format', '+#, fuzzy, c-format', '-msgstr ""', '+msgstr "Открыть %s"']
    assert tt_units(out)["Open %s"].isfuzzy()
    out = FORMAT.write(messages, {}, statuses={"menu\x04File": "tm"})
    assert changed_lines(messages, out) == ['+#, fuzzy']
    assert [b.status for b in FORMAT.read(out).blocks if b.key == "menu\x04File"] == ["tm"]


def test_a_plural_form_the_entry_lacks_is_added():
    data = ('msgid ""\nmsgstr ""\n"Language: ru\\n"\n"Plural-Forms: nplurals=3; plural=n%10==1 ? 0 : 1;\\n"\n\n'
            'msgid "day"\nmsgid_plural "days"\nmsgstr[0] "день"\nmsgstr[1] "дня"\n').encode()
    assert [b.target for b in FORMAT.read(data).blocks] == ["день", "дня", None]
    out = FORMAT.write(data, {"day\x1f2": "дней"})
    assert out.endswith('msgstr[1] "дня"\nmsgstr[2] "дней"\n'.encode())
    assert tt_units(out)["day"].target.strings == ["день", "дня", "дней"]


def test_template_gets_the_language_and_a_charset_placeholder_is_utf8():
    data = (b'msgid ""\nmsgstr ""\n"Project-Id-Version: PACKAGE VERSION\\n"\n"Language-Team: LANGUAGE\\n"\n'
            b'"Language: \\n"\n"Content-Type: text/plain; charset=CHARSET\\n"\n\n'
            b'#: a.c:1\nmsgid "Hello"\nmsgstr ""\n')
    document = FORMAT.read(data, path="app.pot")
    assert (document.title, document.target_language) == (None, None)
    out = FORMAT.write(data, {"Hello": "Привет"}, target_language="ru")
    assert changed_lines(data, out) == ['-"Language: \\n"', '+"Language: ru\\n"',
                                        '-msgstr ""', '+msgstr "Привет"']
    assert FORMAT.read(out).target_language == "ru"


def test_obsolete_entries_and_comments_stay(messages):
    out = FORMAT.write(messages, {"Welcome to the <b>library</b>.": "Добро пожаловать!"})
    assert out.endswith('#~ msgid "Old message"\n#~ msgstr "Старое сообщение"\n'.encode())
    assert out.startswith(messages[:messages.index(b'msgid "Welcome')])


def test_crlf_and_a_missing_final_line_break_are_kept():
    data = b'msgid "a"\r\nmsgstr "x"\r\n\r\nmsgid "b"\r\nmsgstr ""'
    out = FORMAT.write(data, {"a": "y", "b": "z"}, statuses={"a": "machine"})
    assert out == b'#, fuzzy\r\nmsgid "a"\r\nmsgstr "y"\r\n\r\nmsgid "b"\r\nmsgstr "z"'
    data = b'msgid "day"\nmsgid_plural "days"\nmsgstr[0] "jour"'
    assert FORMAT.write(data, {"day\x1f1": "jours"}) == data + b'\nmsgstr[1] "jours"'


def test_charset_of_the_file_is_kept_or_becomes_utf8():
    header = b'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=ISO-8859-1\\n"\n\n'
    data = header + 'msgid "coffee"\nmsgstr ""\n'.encode("latin-1")
    out = FORMAT.write(data, {"coffee": "café"})
    assert out == header + 'msgid "coffee"\nmsgstr "café"\n'.encode("latin-1")
    out = FORMAT.write(data, {"coffee": "кофе"})
    assert b"charset=UTF-8" in out and 'msgstr "кофе"'.encode() in out
    assert FORMAT.read(out).blocks[0].target == "кофе"
    bom = b"\xef\xbb\xbf" + b'msgid "a"\nmsgstr ""\n'
    assert FORMAT.write(bom, {"a": "b"}) == b"\xef\xbb\xbf" + b'msgid "a"\nmsgstr "b"\n'


def test_unknown_status_is_refused(messages):
    with pytest.raises(BadInputError, match="unknown status 'final'"):
        FORMAT.write(messages, {}, statuses={"Quit": "final"})


# ---------------------------------------------------------------- bad input

@pytest.mark.parametrize("data, message", [
    (b"", r"bad\.po: the file is empty"),
    (b"\n\n", r"bad\.po: the file is empty"),
    (b"\xde\x12\x04\x95\x00\x00\x00\x00", r"bad\.po: a compiled MO file, not a PO file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", r"bad\.po: a binary file, not a PO file"),
    (b'msgid "a"\nmsgstr "b"\nthis is not PO\n', r"bad\.po: not a valid PO file: syntax error at line 3"),
    (b'msgid "a"\nmsgstr "b "c" d"\n', r"bad\.po: not a valid PO file: syntax error at line 2: unescaped double quote"),
    (b"/etc/passwd", r"bad\.po: not a valid PO file: syntax error at line 1"),
    (b'msgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n', r"bad\.po: line 4: duplicate message definition \(first at line 1\)"),
    (b'msgid ""\nmsgstr "Language: ru\\n"\n\n#~ msgid "x"\n#~ msgstr "y"\n', r"bad\.po: no messages to translate"),
    (b'msgid ""\nmsgstr "Content-Type: text/plain; charset=NOPE-1\\n"\n', r"bad\.po: the header names an unknown charset 'NOPE-1'"),
    (b'msgid "a"\nmsgstr "b"\n\nmsgid "\xff"\nmsgstr ""\n', r"bad\.po: line 4 is not valid UTF-8"),
    # what a truncated file ends with, which polib lets through
    (b'msgid "a"\nmsgstr "b"\n\nmsgid "c"\n', r"bad\.po: line 4: a message without msgstr \(is the file truncated\?\)"),
    (b'msgid "a"\nmsgstr "b"\n\nmsgid "c"\nmsgstr "d', r"bad\.po: line 5: not a complete quoted string"),
    (b'msgid "a"\nmsgid_plural "as"\nmsgstr[0] "b"\nmsgstr[1', r"bad\.po: line 4: not a PO keyword line"),
    (b'msgid "a"\nmsgstr[0] "b"\n', r"bad\.po: line 1: msgstr\[n\] in a message without msgid_plural"),
    (b'msgid ""\nmsgstr "Plural-Forms: nplurals=300; plural=n;\\n"\n\nmsgid "a"\nmsgstr ""\n',
     r"bad\.po: the header's Plural-Forms says nplurals=300"),
])
def test_bad_input_is_one_clear_message(data, message):
    with pytest.raises(BadInputError, match=message) as error:
        FORMAT.read(data, path="/some/where/bad.po")
    assert "\n" not in str(error.value)
