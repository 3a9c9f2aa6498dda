from __future__ import annotations


import pytest
from lxml import etree

from workbench.core.errors import BadInputError
from workbench.core.formats import ExportOptions
from workbench.core.formats.xliff import XLIFF_NS, XliffExporter, XliffImporter

from tests.core.formats.contract import SAMPLES, FormatContract, make_units

NS = {"x": XLIFF_NS}


class TestXliffContract(FormatContract):
    exporter = XliffExporter()
    suffix = ".xlf"

    def read_pairs(self, out):
        corpus = XliffImporter().read(out)
        return [(unit.source, unit.target) for unit in corpus.units()]

    def check_valid(self, out):
        root = etree.parse(str(out)).getroot()
        assert root.tag == f"{{{XLIFF_NS}}}xliff" and root.get("version") == "1.2"
        files = root.findall("x:file", NS)
        assert files, "XLIFF needs at least one <file>"
        for file in files:
            assert file.get("datatype") == "plaintext" and file.get("source-language")
            assert [local(c) for c in file] == ["header", "body"]
            for unit in file.iterfind("x:body/x:trans-unit", NS):
                order = [local(c) for c in unit]
                # XLIFF 1.2: source, target?, then alt-trans/note...
                assert order[0] == "source" and "source" not in order[1:]
                assert order[1:2] in (["target"], ["alt-trans"], [])


def local(element) -> str:
    return etree.QName(element).localname


STATES = {"approved": ("final", "yes"), "edited": ("translated", None),
          "machine": ("needs-review-translation", None), "new": ("new", None)}


@pytest.mark.parametrize("status", sorted(STATES))
def test_status_maps_to_state_and_approved(tmp_path, status):
    out = tmp_path / "s.xlf"
    XliffExporter().export(make_units(SAMPLES[:1], status=status), out)
    unit = etree.parse(str(out)).getroot().find(".//x:trans-unit", NS)
    state, approved = STATES[status]
    assert unit.find("x:target", NS).get("state") == state
    assert unit.get("approved") == approved
    imported = next(iter(XliffImporter().read(out)))
    assert imported.props["state"] == state


def test_new_unit_without_translation_has_no_target(tmp_path):
    unit = make_units(SAMPLES[:1], status="new")[0]._replace(target_segments=(), mt=None)
    out = tmp_path / "new.xlf"
    XliffExporter().export([unit], out)
    element = etree.parse(str(out)).getroot().find(".//x:trans-unit", NS)
    assert [local(c) for c in element] == ["source"]


def test_one_file_per_document_and_mt_as_alt_trans(tmp_path):
    out = tmp_path / "docs.xlf"
    units = make_units(SAMPLES[:6])  # make_units puts four units per document
    XliffExporter().export(units, out)
    root = etree.parse(str(out)).getroot()
    files = root.findall("x:file", NS)
    assert [(f.get("original"), len(f.findall(".//x:trans-unit", NS))) for f in files] == [
        ("Doc 1", 4), ("Doc 2", 2)]
    assert [(f.get("source-language"), f.get("target-language")) for f in files] == [
        ("en", "ru")] * 2
    alt = root.find(".//x:trans-unit/x:alt-trans", NS)
    assert alt.get("origin") == "argos translate-en_ru 1.9"
    assert alt.get("match-quality") == "50.00"
    assert alt.find("x:target", NS).text == "MT Привет, мир."
    assert files[0].find("x:header/x:tool", NS).get("tool-id") == "workbench"


def test_include_mt_false_writes_no_alt_trans(tmp_path):
    out = tmp_path / "nomt.xlf"
    XliffExporter().export(make_units(SAMPLES[:2]), out, options=ExportOptions(include_mt=False))
    assert etree.parse(str(out)).getroot().find(".//x:alt-trans", NS) is None


def test_translate_toolkit_reads_the_export(tmp_path):
    from translate.storage.xliff import xlifffile
    out = tmp_path / "ttk.xlf"
    units = make_units(SAMPLES, status="approved")
    units[1] = units[1]._replace(status="edited")
    XliffExporter().export(units, out)
    with open(out, "rb") as handle:
        store = xlifffile(handle)
    assert [(u.source, u.target or "") for u in store.units] == [(u.source, u.target)
                                                                  for u in units]
    assert [u.isapproved() for u in store.units][:3] == [True, False, True]
    assert store.getfilenames() == ["Doc 1", "Doc 2", "Doc 3"]


def test_document_titles_with_markup_characters_are_escaped(tmp_path):
    unit = make_units(SAMPLES[:1])[0]._replace(document='A "quoted" <title> & co\nline')
    out = tmp_path / "t.xlf"
    XliffExporter().export([unit], out)
    file = etree.parse(str(out)).getroot().find("x:file", NS)
    assert file.get("original") == 'A "quoted" <title> & co\nline'


def test_import_picks_the_language_pair(tmp_path):
    en_ru = make_units(SAMPLES[:2])
    en_de = [u._replace(unit_id=u.unit_id + 10, document_id=9, target_lang="de")
             for u in make_units([("Hello", "Hallo")])]
    out = tmp_path / "pairs.xlf"
    XliffExporter().export(en_ru + en_de, out)
    with pytest.raises(BadInputError, match="en->ru, en->de: say which languages"):
        XliffImporter().read(out)
    corpus = XliffImporter().read(out, target_lang="de")
    assert ([(u.source, u.target) for u in corpus], corpus.skipped) == ([("Hello", "Hallo")], 2)


@pytest.mark.parametrize("text, message", [
    ('<xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0"/>', "XLIFF 2.0"),
    ('<xliff version="1.2"><file source-language="en"><body><trans-unit id="1">'
     '<source>a</source></trans-unit></body></file>', "not well-formed XML at line 1"),
    ('<xliff version="1.2"/>', "no <file>"),
    ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "e">]><xliff version="1.2"/>',
     "declares XML entities"),
])
def test_bad_xliff(tmp_path, text, message):
    path = tmp_path / "bad.xlf"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BadInputError, match=message):
        XliffImporter().read(path)


def test_absurd_attribute_counts_are_refused(tmp_path):
    attributes = " ".join(f'x{i}="v"' for i in range(100_000))
    path = tmp_path / "absurd.xlf"
    path.write_text(f'<xliff version="1.2"><file source-language="en" target-language="ru">'
                    f'<body><trans-unit id="1" {attributes}><source>a</source></trans-unit>'
                    f'</body></file></xliff>', encoding="utf-8")
    with pytest.raises(BadInputError, match=r"line 1: <trans-unit> has 100,001 attributes"):
        XliffImporter().read(path)
