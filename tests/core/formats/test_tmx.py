from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from workbench.core.errors import BadInputError
from workbench.core.formats import ExportOptions, get_importer_for
from workbench.core.formats.tmx import TmxExporter, TmxImporter
from workbench.core.formats.xmlutil import XML_FORBIDDEN

from tests.core.formats.contract import SAMPLES, FormatContract, make_units

REPO = Path(__file__).resolve().parents[3]
TMX_DTD = REPO.parent / "shared" / "tmx14.dtd"


def validate_against_dtd(path: Path) -> None:
    document = etree.parse(str(path))  # well-formed, whatever else
    assert document.getroot().tag == "tmx"
    if not TMX_DTD.exists():  # a clone without ../shared: well-formedness only
        return
    dtd = etree.DTD(str(TMX_DTD))
    assert dtd.validate(document), dtd.error_log.filter_from_errors()


class TestTmxContract(FormatContract):
    exporter = TmxExporter()
    suffix = ".tmx"

    def read_pairs(self, out):
        corpus = TmxImporter().read(out)
        return [(unit.source, unit.target) for unit in corpus.units()]

    def check_valid(self, out):
        validate_against_dtd(out)


def test_header_and_unit_metadata(tmp_path):
    out = tmp_path / "meta.tmx"
    TmxExporter().export(make_units(SAMPLES[:2]), out,
                         options=ExportOptions(creation_date="2025-05-01T10:00:00Z"))
    root = etree.parse(str(out)).getroot()
    header = root.find("header")
    assert dict(header.attrib) == {
        "creationtool": "workbench", "creationtoolversion": header.get("creationtoolversion"),
        "segtype": "sentence", "o-tmf": "workbench", "adminlang": "en", "srclang": "en",
        "datatype": "plaintext", "creationdate": "20250501T100000Z"}
    assert re.fullmatch(r"\d+\.\d+.*", header.get("creationtoolversion"))
    tu = root.find("body/tu")
    assert tu.get("tuid") == "1"
    assert tu.get("creationdate") == "20250424T142600Z"
    assert tu.get("changedate") == "20250425T080005Z"
    props = {prop.get("type"): prop.text for prop in tu.findall("prop")}
    assert props == {"x-document": "Doc 1", "x-document-id": "1", "x-status": "approved",
                     "x-mt-engine": "argos", "x-mt-model": "translate-en_ru",
                     "x-mt-version": "1.9", "x-chrf": "50.00", "x-mt": "MT Привет, мир."}
    langs = [tuv.get("{http://www.w3.org/XML/1998/namespace}lang") for tuv in tu.findall("tuv")]
    assert langs == ["en", "ru"]


def test_include_mt_false_leaves_the_mt_text_out(tmp_path):
    out = tmp_path / "nomt.tmx"
    TmxExporter().export(make_units(SAMPLES[:1]), out, options=ExportOptions(include_mt=False))
    assert "x-mt\"" not in out.read_text(encoding="utf-8")
    assert 'type="x-mt-engine"' in out.read_text(encoding="utf-8")


def test_dates_in_other_iso_forms_become_utc(tmp_path):
    unit = make_units(SAMPLES[:1])[0]
    unit = unit._replace(created_at="2025-04-24T17:26:00+03:00", changed_at="2025-04-24 14:26:00")
    out = tmp_path / "dates.tmx"
    TmxExporter().export([unit], out)
    tu = etree.parse(str(out)).getroot().find("body/tu")
    assert (tu.get("creationdate"), tu.get("changedate")) == ("20250424T142600Z",
                                                              "20250424T142600Z")
    imported = next(iter(TmxImporter().read(out)))
    assert imported.created_at == "2025-04-24T14:26:00Z"


def test_translate_toolkit_reads_every_unit_intact(tmp_path):
    from translate.storage.tmx import tmxfile
    out = tmp_path / "ttk.tmx"
    units = make_units(SAMPLES)
    TmxExporter().export(units, out)
    with open(out, "rb") as handle:
        store = tmxfile(handle, sourcelanguage="en", targetlanguage="ru")
    got = [(u.getid(), u.source or "", u.target or "") for u in store.units]
    assert got == [(str(u.unit_id), u.source, u.target) for u in units]


def test_control_characters_are_stripped_counted_and_the_file_stays_valid(tmp_path, caplog):
    units = make_units([("bell\x07 and \x00nul", "vertical\x0btab \ufffe end"),
                        ("lone \ud800 surrogate", "fine")])
    out = tmp_path / "ctrl.tmx"
    messages: list[str] = []
    with caplog.at_level(logging.WARNING):
        TmxExporter().export(units, out, progress=lambda f, m: messages.append(m))
    validate_against_dtd(out)
    assert TestTmxContract().read_pairs(out) == [("bell and nul", "verticaltab  end"),
                                                 ("lone  surrogate", "fine")]
    # 5 in the texts, 2 more in the MT prop (make_units copies the target into it)
    assert "stripped 7 control characters" in messages[-1]
    assert "stripped 7" in caplog.text


def test_mixed_direction_units_carry_their_own_srclang(tmp_path):
    units = make_units([("Hello", "Привет")]) + make_units(
        [("Привет", "Hello")], source_lang="ru", target_lang="en", start=2)
    out = tmp_path / "mixed.tmx"
    TmxExporter().export(units, out)
    validate_against_dtd(out)
    tus = etree.parse(str(out)).getroot().findall("body/tu")
    assert [tu.get("srclang") for tu in tus] == [None, "ru"]
    corpus = TmxImporter().read(out)  # en/ru pair: tu srclang kept as a prop
    assert [(u.source, u.target, u.props.get("srclang")) for u in corpus] == [
        ("Hello", "Привет", None), ("Hello", "Привет", "ru")]


XML_TEXT = st.text(st.characters(exclude_categories=()), max_size=60)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pairs=st.lists(st.tuples(XML_TEXT, XML_TEXT), max_size=6))
def test_any_unicode_round_trips_minus_what_xml_cannot_carry(tmp_path, pairs):
    out = tmp_path / "prop.tmx"
    TmxExporter().export(make_units(pairs), out)
    expected = [(XML_FORBIDDEN.sub("", s), XML_FORBIDDEN.sub("", t)) for s, t in pairs]
    assert TestTmxContract().read_pairs(out) == expected


# --- import -------------------------------------------------------------------

def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


TMX11 = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx11.dtd">
<tmx version="1.1">
<header creationtool="OldTool" creationtoolversion="1" segtype="sentence" o-tmf="x"
        adminlang="EN-US" srclang="EN-US" datatype="plaintext">
  <prop type="x-project">Demo</prop>
  <note>Header note</note>
</header>
<body>
<tu tuid="a1" creationid="alice" changeid="bob" usagecount="3" creationdate="20240102T030405Z">
  <prop type="x-domain">news</prop><prop type="x-domain">politics</prop>
  <note>check the name</note>
  <tuv lang="EN-US" creationid="alice"><seg>Hello <bpt i="1">&lt;b&gt;</bpt>bold<ept i="1">&lt;/b&gt;</ept> <hi>world</hi>!</seg></tuv>
  <tuv lang="RU-RU"><prop type="x-quality">good</prop><seg>Привет, <ph>{1}</ph>мир!</seg></tuv>
</tu>
<tu tuid="a2"><tuv lang="EN-US"><seg>Only English</seg></tuv></tu>
<tu><tuv lang="RU-RU"><seg>Порядок</seg></tuv><tuv lang="EN-GB"><seg>Order reversed</seg></tuv></tu>
</body></tmx>
"""


def test_imports_tmx_1_1_with_props_attributes_and_inline_codes(tmp_path):
    path = write(tmp_path, "old.tmx", TMX11)
    corpus = get_importer_for(path).read(path)
    assert (corpus.source_lang, corpus.target_lang) == ("en", "ru")
    assert (corpus.unit_count, corpus.skipped) == (2, 1)
    assert corpus.header["creationtool"] == "OldTool"
    assert corpus.header["x-project"] == "Demo" and corpus.header["note"] == "Header note"
    first, second = list(corpus.units())
    assert (first.source, first.target) == ("Hello bold world!", "Привет, мир!")
    assert first.tuid == "a1" and first.created_at == "2024-01-02T03:04:05Z"
    assert first.props["x-domain"] == "news\npolitics"
    assert (first.props["creationid"], first.props["changeid"],
            first.props["usagecount"]) == ("alice", "bob", "3")
    assert first.props["source:creationid"] == "alice"
    assert first.props["target:x-quality"] == "good"
    assert first.notes == ("check the name",)
    assert (second.source, second.target, second.tuid) == ("Order reversed", "Порядок", None)


def test_utf16_and_namespaced_tmx(tmp_path):
    text = TMX11.replace('encoding="UTF-8"', 'encoding="UTF-16"').replace(
        '<tmx version="1.1">', '<tmx version="1.4" xmlns="http://www.lisa.org/tmx14">')
    path = write(tmp_path, "wide.tmx", text, encoding="utf-16")
    corpus = TmxImporter().read(path)
    assert [u.target for u in corpus] == ["Привет, мир!", "Порядок"]


def test_explicit_languages_choose_tuvs_in_a_multilingual_tmx(tmp_path):
    text = TMX11.replace('<tuv lang="RU-RU"><seg>Порядок',
                         '<tuv lang="de"><seg>Ordnung</seg></tuv><tuv lang="RU-RU"><seg>Порядок')
    path = write(tmp_path, "multi.tmx", text)
    with pytest.raises(BadInputError, match="de, en, ru: say which target"):
        TmxImporter().read(path)
    corpus = TmxImporter().read(path, target_lang="de")
    assert [(u.source, u.target) for u in corpus] == [("Order reversed", "Ordnung")]
    corpus = TmxImporter().read(path, source_lang="ru", target_lang="en")
    assert [u.source for u in corpus] == ["Привет, мир!", "Порядок"]
    with pytest.raises(BadInputError, match="no target language fr"):
        TmxImporter().read(path, target_lang="fr")


def test_corpus_streams_again_on_each_iteration(tmp_path):
    out = tmp_path / "twice.tmx"
    TmxExporter().export(make_units(SAMPLES), out)
    corpus = TmxImporter().read(out)
    assert list(corpus.units()) == list(corpus.units())
    assert corpus.unit_count == len(SAMPLES)


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE tmx [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<tmx version="1.4"><header srclang="en"/><body>
<tu><tuv xml:lang="en"><seg>&lol9;</seg></tuv><tuv xml:lang="ru"><seg>x</seg></tuv></tu>
</body></tmx>
"""


def test_billion_laughs_fails_fast_with_a_clear_error(tmp_path):
    import time
    path = write(tmp_path, "lol.tmx", BILLION_LAUGHS)
    started = time.perf_counter()
    with pytest.raises(BadInputError, match="declares XML entities"):
        TmxImporter().read(path)
    assert time.perf_counter() - started < 1.0


@pytest.mark.parametrize("declaration", [
    '<!ENTITY secret SYSTEM "file://{secret}">',
    '<!ENTITY % remote SYSTEM "file://{dtd}"> %remote;',
])
def test_external_entities_are_never_read(tmp_path, declaration):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-MARKER")
    dtd = tmp_path / "evil.dtd"
    dtd.write_text(f'<!ENTITY secret SYSTEM "file://{secret}">')
    text = (f'<?xml version="1.0"?>\n<!DOCTYPE tmx [{declaration.format(secret=secret, dtd=dtd)}]>\n'
            '<tmx version="1.4"><header srclang="en"/><body><tu><tuv xml:lang="en">'
            '<seg>a &secret; b</seg></tuv><tuv xml:lang="ru"><seg>x</seg></tuv></tu>'
            '</body></tmx>')
    path = write(tmp_path, "xxe.tmx", text)
    with pytest.raises(BadInputError, match="declares XML entities") as error:
        list(TmxImporter().read(path).units())
    assert "TOP-SECRET-MARKER" not in str(error.value)


@pytest.mark.parametrize("text, fault", [
    ('<tmx version="1.4"><header srclang="en"/><body><tu><tuv xml:lang="en"><seg>a & b'
     '</seg></tuv></tu></body></tmx>', "& "),
    ('<tmx version="1.4"><header srclang="en"/><body>\n<tu><tuv xml:lang="en"><seg>&nbsp;'
     '</seg></tuv></tu></body></tmx>', "&nbsp;"),
    ('<tmx version="1.4"><header srclang="en"/><body>\n<tu><tuv xml:lang="en"><seg>ok'
     '</sеg></tuv></tu></body></tmx>', "</sеg>"),
    ('<tmx version="1.4"><header srclang="en"/>\n<body><tu><tuv xml:lang="en"><seg>ok</seg>'
     '</tuv></tu>\n', None),  # truncated: the fault is the end of the file
])
def test_malformed_files_fail_with_line_and_column(tmp_path, text, fault):
    path = write(tmp_path, "bad.tmx", text)
    with pytest.raises(BadInputError) as error:
        TmxImporter().read(path)
    found = re.search(r"bad\.tmx: not well-formed XML at line (\d+), column (\d+): \S",
                      str(error.value))
    assert found, str(error.value)
    line, column = int(found[1]), int(found[2])
    if fault is None:
        assert (line, column) == (text.count("\n") + 1, 1)
    else:
        before = text[:text.index(fault)]
        assert line == before.count("\n") + 1
        start = len(before) - (before.rfind("\n") + 1) + 1  # 1-based column of the fault
        assert start <= column <= start + len(fault) + 1


def test_a_malformed_tail_fails_before_any_unit_is_yielded(tmp_path):
    out = tmp_path / "good.tmx"
    TmxExporter().export(make_units(SAMPLES), out)
    broken = tmp_path / "broken.tmx"
    broken.write_bytes(out.read_bytes().replace(b"</body>", b"<tu><tuv></body>"))
    with pytest.raises(BadInputError):
        TmxImporter().read(broken)  # nothing to iterate: the caller imports nothing


@pytest.mark.parametrize("text, message", [
    ("", "not well-formed XML"),
    ("<html><body/></html>", "not a TMX file"),
    ('<tmx version="1.4"><header/><body><tu><tuv><seg>x</seg></tuv></tu></body></tmx>',
     "without a language"),
])
def test_not_a_tmx(tmp_path, text, message):
    path = write(tmp_path, "odd.tmx", text)
    with pytest.raises(BadInputError, match=message):
        TmxImporter().read(path)


def test_texts_holding_the_fast_path_separator_take_the_slow_path_intact(tmp_path):
    # escape_fields joins a unit's texts on U+FFFC to escape them in one go.
    pairs = [("object \ufffc replacement & co", "\ufffc<b>\ufffc")]
    out = tmp_path / "sep.tmx"
    TmxExporter().export(make_units(pairs), out)
    validate_against_dtd(out)
    assert TestTmxContract().read_pairs(out) == pairs


# --- absurd element sizes: linear work, then a clear refusal -----------------------------

def _tmx_with_tu(tu_open: str, children: str = "") -> str:
    return ('<?xml version="1.0"?>\n<tmx version="1.4"><header srclang="en"/><body>'
            f'{tu_open}{children}<tuv xml:lang="en"><seg>a</seg></tuv>'
            '<tuv xml:lang="ru"><seg>б</seg></tuv></tu></body></tmx>\n')


def _attributes(count: int) -> str:
    return "<tu " + " ".join(f'x-a{i}="v{i}"' for i in range(count)) + ">"


def _best_time(fn, runs: int = 5) -> float:
    """Best CPU time of this process (other processes' load does not count)."""
    import time
    best = float("inf")
    for _ in range(runs):
        started = time.process_time()
        fn()
        best = min(best, time.process_time() - started)
    return best


def test_work_per_unit_grows_linearly_with_its_attributes(tmp_path, monkeypatch):
    """Reading every attribute of a <tu> was quadratic (lxml looks each value
    up by name): 10k attributes took 0.75 s, 100k 38.5 s.  With the limit
    lifted, four times the attributes must cost about four times the time
    (quadratic would be sixteen); the bound is loose on purpose."""
    from workbench.core.formats import xmlutil
    monkeypatch.setattr(xmlutil, "MAX_ATTRIBUTES", 10**6, raising=False)
    times = {}
    for count in (10_000, 40_000):
        path = tmp_path / f"a{count}.tmx"
        path.write_text(_tmx_with_tu(_attributes(count)), encoding="utf-8")
        corpus = TmxImporter().read(path)
        (unit,) = list(corpus.units())
        assert len(unit.props) == count and unit.props[f"x-a{count - 1}"] == f"v{count - 1}"
        times[count] = _best_time(lambda: list(corpus.units()))
    assert times[40_000] < 8 * times[10_000] + 0.05, times


@pytest.mark.parametrize("tu_open, children, message", [
    (_attributes(100_000), "", r"line 2: <tu> has 100,000 attributes \(the limit is 1,000\)"),
    ("<tu>", '<prop type="x">v</prop>' * 100_000,
     r"line 2: <tu> has 100,000 props and notes \(the limit is 1,000\)"),
    ('<tu><tuv xml:lang="de" ' + " ".join(f'a{i}="v"' for i in range(5000)) + "><seg>x</seg></tuv>",
     "", r"<tuv> has 5,001 attributes"),
])
def test_absurd_attribute_and_prop_counts_are_refused(tmp_path, tu_open, children, message):
    path = tmp_path / "absurd.tmx"
    path.write_text(_tmx_with_tu(tu_open, children), encoding="utf-8")
    with pytest.raises(BadInputError, match=message):
        TmxImporter().read(path)
