"""Word and OpenDocument files: paragraphs, headings, lists, table cells and
footnotes in reading order, formatting as tags, and the translated document
opening in the library that reads the format with styles and runs intact."""
from __future__ import annotations

import io
import zipfile

import pytest

from workbench.core.documents.docx import DocxFormat
from workbench.core.documents.odt import OdtFormat
from workbench.core.errors import BadInputError

from tests.core.documents.builders import make_docx, make_odt

EXPECTED = [
    ("title", "Council approves the budget"),
    ("body", "Summary"),
    ("body", "The city council <b0>approved</b0> the budget on Tuesday. It includes <i1>new funds</i1>"
             " for schools, as the report<x2/> shows. Details are on <a3>the city website</a3>."),
    ("body", "Roads get more money."),
    ("body", "Parks get less money."),
    ("body", "Item"), ("body", "Amount"), ("body", "Schools"),
]
TRANSLATED = ("Городской совет <b0>одобрил</b0> бюджет во вторник. Он включает <i1>новые средства</i1> "
              "для школ, как показывает доклад<x2/>. Подробности на <a3>сайте города</a3>.")


def test_docx_blocks_in_reading_order():
    doc = DocxFormat().read(make_docx(), path="report.docx")
    got = [(b.kind, b.text) for b in doc.blocks]
    assert got[:8] == EXPECTED
    assert got[8] == ("body", "12 million")              # the cell's own formatting: no tag
    assert got[9] == ("body", "<x0/> The figure comes from the <i1>annual report</i1>.")  # the footnote
    assert doc.blocks[9].key.startswith("footnotes:")
    assert (doc.title, doc.author, doc.language) == ("Council approves the budget", "Jane Doe", "en")


def test_docx_translated_keeps_styles_runs_links_tables_and_footnotes():
    import docx

    fmt = DocxFormat()
    data = make_docx()
    doc = fmt.read(data, path="report.docx")
    keys = {b.text: b.key for b in doc.blocks}
    out = fmt.write(data, {keys[EXPECTED[2][1]]: TRANSLATED, keys["Schools"]: "Школы",
                           keys["12 million"]: "12 миллионов", keys["Roads get more money."]: "Дорогам больше.",
                           doc.blocks[9].key: "<x0/> Цифра взята из <i1>годового отчёта</i1>."},
                    target_language="ru")
    result = docx.Document(io.BytesIO(out))
    paragraphs = result.paragraphs
    assert [p.style.name for p in paragraphs[:5]] == ["Title", "Heading 1", "Normal", "List Bullet", "List Bullet"]
    runs = [(r.text, r.bold, r.italic) for r in paragraphs[2].runs]
    assert ("одобрил", True, None) in runs and ("новые средства", None, True) in runs
    assert paragraphs[2].text == ("Городской совет одобрил бюджет во вторник. Он включает новые средства "
                                  "для школ, как показывает доклад. Подробности на сайте города.")
    xml = paragraphs[2]._p.xml
    assert "w:footnoteReference" in xml and "w:hyperlink" in xml
    link = paragraphs[2]._p.find(".//{http://schemas.openxmlformats.org/wordprocessingml/2006/main}hyperlink")
    rel = link.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
    assert result.part.rels[rel].target_ref == "https://example.org/budget"
    assert paragraphs[3].text == "Дорогам больше." and paragraphs[4].text == "Parks get less money."
    table = result.tables[0]
    assert table.style.name == "Table Grid"
    assert table.cell(1, 0).text == "Школы"
    cell_run = table.cell(1, 1).paragraphs[0].runs[0]
    assert cell_run.text == "12 миллионов" and cell_run.bold and cell_run.font.size.pt == 14
    footnotes = zipfile.ZipFile(io.BytesIO(out)).read("word/footnotes.xml").decode("utf-8")
    assert "годового отчёта" in footnotes and "w:footnoteRef" in footnotes
    # read back: the same blocks, translated
    again = {b.key: b.text for b in fmt.read(out, path="out.docx").blocks}
    assert again[keys[EXPECTED[2][1]]] == TRANSLATED


def test_docx_translation_with_lost_or_foreign_tags_still_writes():
    fmt = DocxFormat()
    data = make_docx()
    key = next(b.key for b in fmt.read(data).blocks if b.text.startswith("The city council"))
    out = fmt.write(data, {key: "Совет одобрил <b9>бюджет</b9>. </i1> <a3>Сайт"})
    again = {b.key: b.text for b in fmt.read(out).blocks}
    assert again[key] == "Совет одобрил бюджет.  <a0>Сайт</a0>"  # the dropped tags, not the text


def test_odt_blocks_in_reading_order_with_the_footnote_after_its_paragraph():
    doc = OdtFormat().read(make_odt(), path="report.odt")
    got = [(b.kind, b.text) for b in doc.blocks]
    assert got[:3] == EXPECTED[:3]
    assert got[3] == ("body", "The figure comes from the <i0>annual report</i0>.")
    assert got[4:9] == EXPECTED[3:]
    assert got[9] == ("body", "<b0>12 million</b0>")
    assert (doc.title, doc.author, doc.language) == ("Council approves the budget", "Jane Doe", "en")


def test_odt_translated_keeps_styles_spans_links_tables_and_notes():
    from odf import teletype
    from odf.opendocument import load
    from odf.table import Table
    from odf.text import A, Note, P, Span

    fmt = OdtFormat()
    data = make_odt()
    doc = fmt.read(data, path="report.odt")
    keys = {b.text: b.key for b in doc.blocks}
    out = fmt.write(data, {keys[EXPECTED[2][1]]: TRANSLATED,
                           keys["The figure comes from the <i0>annual report</i0>."]:
                               "Цифра взята из <i0>годового отчёта</i0>.",
                           keys["<b0>12 million</b0>"]: "<b0>12 миллионов</b0>"}, target_language="ru")
    result = load(io.BytesIO(out))
    paragraphs = result.getElementsByType(P)
    main = next(p for p in paragraphs if teletype.extractText(p).startswith("Городской"))
    spans = [(s.getAttribute("stylename"), teletype.extractText(s)) for s in main.getElementsByType(Span)]
    assert ("T1", "одобрил") in spans and ("T2", "новые средства") in spans
    link = main.getElementsByType(A)[0]
    assert link.getAttribute("href") == "https://example.org/budget" and teletype.extractText(link) == "сайте города"
    note = main.getElementsByType(Note)[0]
    assert "Цифра взята из годового отчёта." in teletype.extractText(note)
    cells = [teletype.extractText(p) for p in result.getElementsByType(Table)[0].getElementsByType(P)]
    assert cells == ["Item", "Amount", "Schools", "12 миллионов"]
    assert any(p.getAttribute("stylename") == "Title" for p in paragraphs)
    again = {b.key: b.text for b in fmt.read(out).blocks}
    assert again[keys[EXPECTED[2][1]]] == TRANSLATED


# --- bad input -------------------------------------------------------------------

def _zip(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def _encrypted_office_file() -> bytes:
    """What Word writes for a password-protected DOCX: an OLE2 compound file."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + b"EncryptionInfo\x00EncryptedPackage" * 20


@pytest.mark.parametrize("fmt", [DocxFormat(), OdtFormat()])
@pytest.mark.parametrize("data, message", [
    (_encrypted_office_file(), "password-protected"),
    (b"This is not a zip file at all, just some text pretending.", "not a readable ZIP"),
    (b"", "is empty"),
    (make_docx()[:3000], "damaged"),
    (_zip({"hello.txt": b"hi"}), "damaged or not"),
    (_zip({"[Content_Types].xml": b"x", "word/document.xml": b"\x00" * (20 << 20),
           "content.xml": b"x"}), "zip bomb"),   # 20 MiB from ~20 KiB
])
def test_bad_office_files_are_refused_with_one_line(fmt, data, message):
    with pytest.raises(BadInputError, match=message) as caught:
        fmt.read(data, path="bad.file")
    assert "\n" not in str(caught.value) and "bad.file" in str(caught.value)


def test_a_docx_whose_document_part_is_broken_xml_is_refused():
    data = make_docx()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members["word/document.xml"] = members["word/document.xml"][:500]
    with pytest.raises(BadInputError, match="damaged or not a Word document"):
        DocxFormat().read(_zip(members), path="broken.docx")
