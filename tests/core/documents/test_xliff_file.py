"""XLIFF 1.2 and 2.0 from other tools: read for review, written back with only the review changed."""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from lxml import etree
from translate.storage import factory
from translate.storage.xliff2 import Xliff2File

from workbench.core.documents.xliff_file import XLIFF12_NS, XLIFF20_NS, XliffFile
from workbench.core.errors import BadInputError
from workbench.core.text.inline_tags import tag_names

DATA = Path(__file__).resolve().parents[2] / "data" / "documents" / "bilingual"
X12 = {"x": XLIFF12_NS}
X20 = {"x": XLIFF20_NS}
FORMAT = XliffFile()


@pytest.fixture
def okapi() -> bytes:
    return (DATA / "okapi12.xlf").read_bytes()


@pytest.fixture
def v20() -> bytes:
    return (DATA / "doc20.xlf").read_bytes()


def xml(element) -> str:
    """An element as written, without the namespace declarations lxml repeats on a sub-element."""
    return re.sub(r' xmlns(:\w+)?="[^"]*"', "", etree.tostring(element, encoding="unicode", with_tail=False))


def blocks(data: bytes) -> dict:
    return {b.key: b for b in FORMAT.read(data).blocks}


def tt_units(data: bytes, name: str = "out.xlf") -> dict:
    """translate-toolkit's view of an XLIFF 1.2 file: "<file original>/<unit id>" -> unit."""
    handle = io.BytesIO(data)
    handle.name = name
    store = factory.getobject(handle)
    return {unit.getid().replace("\x04", "/"): unit for unit in store.units}


# ---------------------------------------------------------------- reading

def test_xliff12_segments_as_a_reviewer_sees_them(okapi):
    document = FORMAT.read(okapi, path="okapi12.xlf")
    assert (document.format, document.title, document.language, document.target_language) == (
        "xliff", "article.html", "en", "ru")
    got = [(b.key, b.text, b.target, b.status, b.note) for b in document.blocks]
    assert got == [
        ("0/tu1", "The <b0>council</b0> met.", "Совет <b0>собрался</b0>.", "edited",
         "Headline: keep it short."),
        ("0/tu2", "Read <g0>more</g0> here<x1/>now & then.",
         "Читайте <g0>больше</g0> здесь<x1/>иногда.", "machine", None),
        ("0/tu3", "Prices rose by <x0/> percent.", "Цены выросли на <x0/> процентов.", "approved", None),
        # tu4 is translate="no"; the seg-source of tu5 makes two blocks
        ("0/tu5/0", "First sentence.", "Первое предложение.", "tm", None),
        ("0/tu5/1", "Second <s0>BBC</s0> one.", "Второе <s0>BBC</s0> предложение.", "tm", None),
        ("0/tu6", "A <i0>split</i0> code and <x1/>more.", None, "new", None),
        # the second <file>; its unit with a blank source is no block
        ("1/tu1", "Subscribe", "Subscribe", "new", None),
    ]
    assert all(b.presegmented and b.kind == "body" for b in document.blocks)


def test_xliff20_segments_as_a_reviewer_sees_them(v20):
    document = FORMAT.read(v20)
    assert (document.title, document.language, document.target_language) == ("guide.html", "en", "de")
    got = [(b.key, b.text, b.target, b.status, b.note) for b in document.blocks]
    assert got == [
        ("0/u1/s1", "Click <b0>Save</b0> now.<x1/>", "Klicken Sie <b0>Speichern</b0> jetzt.<x1/>",
         "edited", "Button label"),
        ("0/u1/s2", "It is <g0>very</g0> <s1>easy</s1>.", None, "new", "Button label"),
        ("0/u2/1", "Done.", "Fertig.", "approved", None),     # no segment id: its rank
        ("0/u4/1", "Machine <x0/> text.", "Maschinen <x0/> Text.", "machine", None),
    ]


def test_source_and_target_show_the_same_tags(okapi, v20):
    for data in (okapi, v20):
        for block in FORMAT.read(data).blocks:
            if block.target:
                assert tag_names(block.target) == tag_names(block.text)


def test_target_only_inline_element_gets_its_own_number():
    data = _xliff12('<source>A <x id="1"/> b</source><target>А <x id="1"/> б <x id="9"/></target>')
    (block,) = FORMAT.read(data).blocks
    assert (block.text, block.target) == ("A <x0/> b", "А <x0/> б <x1/>")
    out = FORMAT.write(data, {"0/u1": "<x1/>Б <x0/>"})
    target = etree.fromstring(out).find(".//x:target", X12)
    assert xml(target).endswith(
        '><x id="9"/>Б <x id="1"/></target>')


def test_states_map_to_statuses():
    def status(target_attrs: str, unit_attrs: str = "", text: str = "Т") -> str:
        data = _xliff12(f'<source>S</source><target {target_attrs}>{text}</target>', unit_attrs)
        return FORMAT.read(data).blocks[0].status

    assert status('state="new"') == "new"
    assert status('state="needs-translation"') == "new"
    assert status('state="translated"') == "edited"
    assert status('state="needs-review-translation"') == "edited"
    assert status("") == "edited"
    assert status('state="signed-off"') == "approved"
    assert status('state="final"') == "approved"
    assert status('state="translated"', 'approved="yes"') == "approved"
    assert status('state="needs-review-translation" state-qualifier="leveraged-mt"') == "machine"
    assert status('state="needs-review-translation" state-qualifier="fuzzy-match"') == "tm"
    assert status('state="translated"', text="") == "new"


def test_translate_no_is_inherited_and_such_units_stay_untouched():
    data = (f'<xliff version="1.2" xmlns="{XLIFF12_NS}"><file source-language="en" original="a"><body>'
            '<group translate="no"><trans-unit id="1"><source>Keep</source></trans-unit>'
            '<trans-unit id="2" translate="yes"><source>Go</source></trans-unit></group>'
            '</body></file></xliff>').encode()
    assert [b.key for b in FORMAT.read(data).blocks] == ["0/2"]
    out = FORMAT.write(data, {"0/1": "Changed", "0/2": "Va"})
    assert b"<source>Keep</source></trans-unit>" in out and b"Changed" not in out
    data = _xliff20('<segment><source>S</source></segment>').replace(
        b'<file id="f">', b'<file id="f">' + f'<unit id="u0"><segment><source>Yes</source></segment></unit>'
        f'<group id="g" translate="no"><unit id="n"><segment><source>No</source></segment></unit></group>'.encode())
    assert [b.key for b in FORMAT.read(data).blocks] == ["0/u0/1", "0/u1/1"]


def test_xliff12_without_namespace_is_read():
    data = (b'<xliff version="1.2"><file source-language="en" target-language="fr" original="a">'
            b'<body><trans-unit id="1"><source>Hi</source><target>Salut</target></trans-unit>'
            b'</body></file></xliff>')
    (block,) = FORMAT.read(data).blocks
    assert (block.key, block.text, block.target, block.status) == ("0/1", "Hi", "Salut", "edited")
    out = FORMAT.write(data, {"0/1": "Bonjour"}, statuses={"0/1": "approved"})
    unit = etree.fromstring(out).find(".//trans-unit")
    assert (unit.get("approved"), unit.find("target").text, unit.find("target").get("state")) == (
        "yes", "Bonjour", "final")


# ---------------------------------------------------------------- round trips

def test_round_trip_without_edits_is_the_same_file(okapi, v20):
    for data in (okapi, v20):
        assert FORMAT.write(data, {}) == data
        # every block given back as read changes nothing either
        read = FORMAT.read(data).blocks
        assert FORMAT.write(data, {b.key: b.target for b in read if b.target is not None},
                            statuses={b.key: b.status for b in read}) == data


def _canonical_units(data: bytes, tag: str, ns: dict) -> dict:
    root = etree.fromstring(data)
    return {f"{index}/{unit.get('id')}": etree.tostring(unit, method="c14n")
            for index, file in enumerate(root.iterfind("x:file", ns))
            for unit in file.iterfind(f".//x:{tag}", ns)}


def test_an_edit_changes_that_target_only(okapi):
    out = FORMAT.write(okapi, {"0/tu1": "Совет <b0>наконец</b0> собрался."})
    # the bytes differ only in that target
    old_lines, new_lines = okapi.decode().splitlines(), out.decode().splitlines()
    changed = [(a, b) for a, b in zip(old_lines, new_lines) if a != b]
    assert len(old_lines) == len(new_lines)
    assert changed == [('<target xml:lang="ru" state="translated">Совет <g id="1" ctype="bold">собрался</g>.</target>',
                        '<target xml:lang="ru" state="translated">Совет <g id="1" ctype="bold">наконец</g> собрался.</target>')]


def test_serialised_file_keeps_every_other_unit_equivalent(okapi, v20):
    out = FORMAT.write(okapi, {"0/tu2": "Новое <g0>слово</g0><x1/>."}, statuses={"0/tu2": "approved"})
    before, after = _canonical_units(okapi, "trans-unit", X12), _canonical_units(out, "trans-unit", X12)
    assert before.keys() == after.keys()
    assert [key for key in before if before[key] != after[key]] == ["0/tu2"]
    out = FORMAT.write(v20, {"0/u4/1": "Maschine <x0/>."})
    before, after = _canonical_units(v20, "unit", X20), _canonical_units(out, "unit", X20)
    assert [key for key in before if before[key] != after[key]] == ["0/u4"]
    # the prolog, comments and the root's start tag are kept byte for byte
    assert out.split(b"<file", 1)[0] == v20.split(b"<file", 1)[0]


def test_edited_xliff12_opens_in_lxml_and_translate_toolkit(okapi):
    out = FORMAT.write(
        okapi,
        {"0/tu2": "Читайте <g0>далее</g0> тут<x1/>иногда.",
         "0/tu6": "Один <i0>разделённый</i0> код и <x1/>ещё.",
         "1/tu1": "Подписаться"},
        statuses={"0/tu2": "approved", "0/tu3": "edited"})
    root = etree.fromstring(out)
    tu2 = root.find(".//x:trans-unit[@id='tu2']", X12)
    target = tu2.find("x:target", X12)
    assert xml(target) == (
        f'<target xml:lang="ru" state="final">Читайте <bpt id="1">&lt;a href="/more"&gt;</bpt>'
        'далее<ept id="1">&lt;/a&gt;</ept> тут<x id="2" ctype="lb"/>иногда.</target>')
    assert tu2.get("approved") == "yes" and "state-qualifier" not in target.attrib
    # a unit without a target gets one after its source, in the file's target language
    tu6 = root.find(".//x:trans-unit[@id='tu6']", X12)
    assert [etree.QName(child).localname for child in tu6] == ["source", "target"]
    assert xml(tu6.find("x:target", X12)) == (
        f'<target xml:lang="ru" state="translated">Один <bx id="1" ctype="italic"/>'
        'разделённый<ex id="1"/> код и <it id="2" pos="open">&lt;span&gt;</it>ещё.</target>')
    tu3 = root.find(".//x:trans-unit[@id='tu3']", X12)
    assert "approved" not in tu3.attrib and tu3.find("x:target", X12).get("state") == "translated"

    units = tt_units(out)
    assert units["article.html/tu2"].target == 'Читайте <a href="/more">далее</a> тутиногда.'
    assert units["article.html/tu2"].isapproved()
    assert units["article.html/tu6"].target == "Один разделённый код и <span>ещё."
    assert units["sidebar.html/tu1"].target == "Подписаться"
    assert units["article.html/tu1"].target == "Совет собрался."      # untouched
    assert not units["article.html/tu3"].isapproved()
    # and the workbench reads its own output back with the review in place
    again = blocks(out)
    assert (again["0/tu2"].target, again["0/tu2"].status) == ("Читайте <g0>далее</g0> тут<x1/>иногда.", "approved")
    assert (again["1/tu1"].target, again["1/tu1"].status) == ("Подписаться", "edited")
    assert again["0/tu3"].status == "edited"


def test_edited_xliff20_opens_in_lxml_and_translate_toolkit(v20):
    out = FORMAT.write(v20, {"0/u1/s2": "Es ist <s1>leicht</s1>, <g0>sehr</g0>.",
                             "0/u4/1": "Maschine <x0/>."},
                       statuses={"0/u2/1": "edited", "0/u1/s2": "approved"})
    root = etree.fromstring(out)
    s2 = root.find(".//x:segment[@id='s2']", X20)
    assert s2.get("state") == "final"
    assert xml(s2.find("x:target", X20)) == (
        f'<target>Es ist <mrk id="m1" type="term">leicht</mrk>, '
        '<sc id="3" dataRefStart="d2"/>sehr<ec startRef="3" dataRefEnd="d3"/>.</target>')
    assert root.find(".//x:unit[@id='u2']/x:segment", X20).get("state") == "translated"
    # the new target is indented like the source
    assert b'</source>\n        <target>Es ist' in out

    units = {unit.getid(): unit for unit in Xliff2File.parsestring(out).units}
    assert units["u1::s2"].target == "Es ist leicht, sehr."
    assert units["u4"].target == "Maschine ."
    assert units["u1::s2"].isapproved() and not units["u2"].isapproved()
    assert units["u1::s1"].target == "Klicken Sie Speichern jetzt."      # untouched
    again = blocks(out)
    assert (again["0/u1/s2"].target, again["0/u1/s2"].status) == ("Es ist <s1>leicht</s1>, <g0>sehr</g0>.", "approved")
    assert again["0/u4/1"].target == "Maschine <x0/>."


@pytest.mark.parametrize("status", ["new", "machine", "tm", "edited", "approved"])
def test_every_status_survives_a_round_trip_in_xliff12(status):
    data = _xliff12('<source>S</source><target state="translated">T</target>')
    out = FORMAT.write(data, {}, statuses={"0/u1": status})
    assert FORMAT.read(out).blocks[0].status == status


@pytest.mark.parametrize("status, state, back", [
    ("new", "initial", "machine"), ("machine", "initial", "machine"), ("tm", "initial", "machine"),
    ("edited", "translated", "edited"), ("approved", "final", "approved")])
def test_statuses_in_xliff20(status, state, back):
    data = _xliff20('<segment id="s" state="translated"><source>S</source><target>T</target></segment>')
    out = FORMAT.write(data, {}, statuses={"0/u1/s": status})
    assert etree.fromstring(out).find(".//x:segment", X20).get("state") == state
    assert FORMAT.read(out).blocks[0].status == back   # 2.0 has one state for untouched text


def test_state_is_kept_where_the_status_did_not_change():
    data = _xliff12('<source>S</source><target state="signed-off">T</target>')
    out = FORMAT.write(data, {"0/u1": "T2"}, statuses={"0/u1": "approved"})
    assert etree.fromstring(out).find(".//x:target", X12).get("state") == "signed-off"


def test_segmented_unit_edit_and_its_unit_state(okapi):
    out = FORMAT.write(okapi, {"0/tu5/1": "Второе <s0>Би-би-си</s0>."})
    target = etree.fromstring(out).find(".//x:trans-unit[@id='tu5']/x:target", X12)
    assert xml(target).split(">", 1)[1] == (
        '<mrk mtype="seg" mid="0">Первое предложение.</mrk> <mrk mtype="seg" mid="1">Второе '
        '<mrk mtype="protected">Би-би-си</mrk>.</mrk></target>')
    # one segment edited, the other still from the memory: the unit stays at its lowest
    assert (target.get("state"), target.get("state-qualifier")) == ("needs-review-translation", "leveraged-tm")
    out = FORMAT.write(okapi, {}, statuses={"0/tu5/0": "approved", "0/tu5/1": "approved"})
    unit = etree.fromstring(out).find(".//x:trans-unit[@id='tu5']", X12)
    assert unit.get("approved") == "yes" and unit.find("x:target", X12).get("state") == "final"
    assert {b.key: b.status for b in FORMAT.read(out).blocks if b.key.startswith("0/tu5")} == {
        "0/tu5/0": "approved", "0/tu5/1": "approved"}


def test_segmented_unit_without_target_gets_the_seg_source_layout():
    data = _xliff12('<source>One. Two.</source><seg-source><mrk mtype="seg" mid="a">One.</mrk> '
                    '<x id="1"/><mrk mtype="seg" mid="b">Two.</mrk></seg-source>')
    assert [b.key for b in FORMAT.read(data).blocks] == ["0/u1/a", "0/u1/b"]
    out = FORMAT.write(data, {"0/u1/b": "Deux."})
    target = etree.fromstring(out).find(".//x:target", X12)
    assert xml(target) == (
        f'<target xml:lang="fr"><mrk mtype="seg" mid="a"/> <x id="1"/>'
        '<mrk mtype="seg" mid="b">Deux.</mrk></target>')
    # then the other segment, into the same target
    out2 = FORMAT.write(out, {"0/u1/a": "Un."})
    assert [(b.target, b.status) for b in FORMAT.read(out2).blocks] == [("Un.", "edited"), ("Deux.", "edited")]


def test_tags_in_translations():
    data = _xliff12('<source>A <g id="7" ctype="x-custom">b</g> c<ph id="2">{x}</ph></source>')
    # moved and nested the other way round: fine; the attributes come from the source
    out = FORMAT.write(data, {"0/u1": "<x1/>в <g0>б</g0>"})
    target = etree.fromstring(out).find(".//x:target", X12)
    assert xml(target).split(">", 1)[1] == (
        '<ph id="2">{x}</ph>в <g id="7" ctype="x-custom">б</g></target>')
    # a tag of no element of the block: text; a missing tag: left out
    out = FORMAT.write(data, {"0/u1": "в <b7>б</b7> & <g0>с</g0>"})
    target = etree.fromstring(out).find(".//x:target", X12)
    assert "".join(target.itertext()) == "в <b7>б</b7> & с"
    assert [child.tag.split("}")[1] for child in target] == ["g"]
    assert FORMAT.read(out).blocks[0].target == "в <b7>б</b7> & <g0>с</g0>"
    # paired tags that do not nest cannot be written
    with pytest.raises(BadInputError, match=r"0/u1.*</g0>"):
        FORMAT.write(data, {"0/u1": "в </g0>б<g0>"})
    with pytest.raises(BadInputError, match=r"0/u1.*<g0>.*never closes"):
        FORMAT.write(data, {"0/u1": "в <g0>б"})


def test_target_language_fills_a_file_that_has_none():
    data = _xliff12("<source>S</source>", file_attrs='source-language="en"')
    assert FORMAT.read(data).target_language is None
    out = FORMAT.write(data, {"0/u1": "Т"}, target_language="ru")
    root = etree.fromstring(out)
    assert root.find("x:file", X12).get("target-language") == "ru"
    assert root.find(".//x:target", X12).get("{http://www.w3.org/XML/1998/namespace}lang") == "ru"
    data = _xliff20('<segment><source>S</source></segment>', trg="")
    out = FORMAT.write(data, {"0/u1/1": "T"}, target_language="de")
    assert etree.fromstring(out).get("trgLang") == "de"


def test_other_encodings_are_written_in_their_encoding():
    data = _xliff12("<source>Café</source>").decode().replace(
        '<?xml version="1.0" encoding="UTF-8"?>', "<?xml version='1.0' encoding='ISO-8859-1'?>").encode("latin-1")
    assert FORMAT.read(data).blocks[0].text == "Café"
    out = FORMAT.write(data, {"0/u1": "Кафе é"})
    assert out.startswith(b"<?xml version='1.0' encoding='ISO-8859-1'?>")
    assert b"\xe9" in out and FORMAT.read(out).blocks[0].target == "Кафе é"
    utf16 = _xliff12("<source>Tea</source>").decode().replace("UTF-8", "UTF-16").encode("utf-16")
    out = FORMAT.write(utf16, {"0/u1": "Чай"})
    assert out.startswith((b"\xff\xfe", b"\xfe\xff")) and FORMAT.read(out).blocks[0].target == "Чай"


def test_unknown_status_is_refused():
    with pytest.raises(BadInputError, match="unknown status 'done'"):
        FORMAT.write(_xliff12("<source>S</source>"), {}, statuses={"0/u1": "done"})


# ---------------------------------------------------------------- bad input

@pytest.mark.parametrize("data, message", [
    (b"", r"bad\.xlf: the file is empty"),
    (b"  \n", r"bad\.xlf: the file is empty"),
    (b"PK\x03\x04\x00\x00binary", r"bad\.xlf: a binary file, not XLIFF"),
    (b'<html><body>Hello</body></html>', r"bad\.xlf: not an XLIFF file \(its root element is <html>"),
    (b'<xliff version="1.1" xmlns="urn:oasis:names:tc:xliff:document:1.1"><file/></xliff>',
     r"bad\.xlf: XLIFF version 1\.1 .* not supported; only XLIFF 1\.2 and 2\.x"),
    (b'<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file source-language="en">'
     b'<body><trans-unit id="1" translate="no"><source>x</source></trans-unit></body></file></xliff>',
     r"bad\.xlf: no translatable units"),
    (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><xliff version="1.2">&a;</xliff>',
     r"bad\.xlf: the file declares XML entities"),
])
def test_bad_input_is_one_clear_message(data, message):
    with pytest.raises(BadInputError, match=message) as error:
        FORMAT.read(data, path="/some/where/bad.xlf")
    assert "\n" not in str(error.value)


def test_truncated_xliff_names_line_and_column(okapi):
    truncated = okapi[:okapi.index(b"<trans-unit id=\"tu3\"") + 30]
    with pytest.raises(BadInputError) as error:
        FORMAT.read(truncated, path="okapi12.xlf")
    message = str(error.value)
    assert message.startswith("okapi12.xlf: not well-formed XML at line 17, column ")
    assert "truncated" in message and "\n" not in message


def test_duplicate_unit_ids_are_refused():
    data = _xliff12('<source>A</source></trans-unit><trans-unit id="u1"><source>B</source>')
    with pytest.raises(BadInputError, match=r"line \d+: the unit id of '0/u1' occurs twice"):
        FORMAT.read(data)


# ---------------------------------------------------------------- helpers

def _xliff12(unit_content: str, unit_attrs: str = "",
             file_attrs: str = 'source-language="en" target-language="fr"') -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<xliff version="1.2" xmlns="{XLIFF12_NS}">\n'
            f'<file original="t.txt" datatype="plaintext" {file_attrs}><body>\n'
            f'<trans-unit id="u1" {unit_attrs}>{unit_content}</trans-unit>\n'
            f'</body></file>\n</xliff>\n').encode()


def _xliff20(unit_content: str, trg: str = "de") -> bytes:
    languages = f'srcLang="en" trgLang="{trg}"' if trg else 'srcLang="en"'
    return (f'<xliff xmlns="{XLIFF20_NS}" version="2.0" {languages}><file id="f">'
            f'<unit id="u1">{unit_content}</unit></file></xliff>').encode()
