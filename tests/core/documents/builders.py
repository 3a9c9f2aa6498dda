"""Documents made for the tests, the way real ones are: Word files with python-docx
(footnotes added as the part Word writes, since python-docx has no API for them),
OpenDocument files with odfpy, and web pages by hand in the style of news sites
(``tests/data/documents``)."""
from __future__ import annotations

import copy
import io
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "data" / "documents"

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
FOOTNOTES_XML = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:footnotes xmlns:w="{W_NS}">
<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>
<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>
<w:footnote w:id="1"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> The figure comes from the </w:t></w:r><w:r><w:rPr><w:i/></w:rPr><w:t>annual report</w:t></w:r><w:r><w:t>.</w:t></w:r></w:p></w:footnote>
</w:footnotes>"""


def _hyperlink(paragraph, text: str, url: str) -> None:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    r_id = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), r_id)
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    color = OxmlElement("w:color")
    color.set(qn("w:val"), "0563C1")
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    rpr.append(color)
    rpr.append(underline)
    run.append(rpr)
    t = OxmlElement("w:t")
    t.text = text
    run.append(t)
    link.append(run)
    paragraph._p.append(link)


def _footnote_reference(paragraph, number: int) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    align = OxmlElement("w:vertAlign")
    align.set(qn("w:val"), "superscript")
    rpr.append(align)
    run.append(rpr)
    ref = OxmlElement("w:footnoteReference")
    ref.set(qn("w:id"), str(number))
    run.append(ref)
    paragraph._p.append(run)


def make_docx(*, paragraphs: int = 0) -> bytes:
    """A report as a translator receives it: a title, headings, formatted runs,
    a link, a list, a table and a footnote.  ``paragraphs`` adds that many body
    paragraphs (for the speed measurement)."""
    import docx
    from docx.opc.constants import CONTENT_TYPE as CT, RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.shared import Pt

    document = docx.Document()
    document.core_properties.title = "Council approves the budget"
    document.core_properties.author = "Jane Doe"
    document.add_paragraph("Council approves the budget", style="Title")
    document.add_heading("Summary", level=1)
    p = document.add_paragraph("The city council ")
    p.add_run("approved").bold = True
    p.add_run(" the budget on Tuesday. It includes ")
    p.add_run("new funds").italic = True
    p.add_run(" for schools, as the report")
    _footnote_reference(p, 1)
    p.add_run(" shows. Details are on ")
    _hyperlink(p, "the city website", "https://example.org/budget")
    p.add_run(".")
    document.add_paragraph("Roads get more money.", style="List Bullet")
    document.add_paragraph("Parks get less money.", style="List Bullet")
    table = document.add_table(rows=2, cols=2)
    table.style = "Table Grid"
    table.cell(0, 0).text = "Item"
    table.cell(0, 1).text = "Amount"
    table.cell(1, 0).text = "Schools"
    run = table.cell(1, 1).paragraphs[0].add_run("12 million")
    run.bold = True
    run.font.size = Pt(14)
    filler = ("The committee met again on Thursday and discussed the details of the plan. "
              "Members asked for more time to read the documents before the next vote.")
    if paragraphs:
        # Copies of one paragraph appended to the body in one go (python-docx's
        # add_paragraph looks for the section properties each time: quadratic).
        template = document.add_paragraph(f"{filler} ")
        template.add_run("Bold words").bold = True
        template.add_run(" end the paragraph.")
        body = document.element.body
        section = body[-1]
        body.remove(section)
        for n in range(paragraphs - 1):
            q = copy.deepcopy(template._p)
            q[0][0].text = f"{n}. {filler} "
            body.append(q)
        body.append(section)
    part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, FOOTNOTES_XML.encode("utf-8"),
                document.part.package)
    document.part.relate_to(part, RT.FOOTNOTES)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_odt(*, paragraphs: int = 0) -> bytes:
    """The same report as OpenDocument text: title, heading, spans, a link, a
    list, a table and a footnote."""
    from odf.opendocument import OpenDocumentText
    from odf.style import Style, TableColumnProperties, TextProperties
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import A, H, List, ListItem, Note, NoteBody, NoteCitation, P, Span
    from odf import dc, teletype

    document = OpenDocumentText()
    document.meta.addElement(dc.Title(text="Council approves the budget"))
    document.meta.addElement(dc.Language(text="en-GB"))
    document.meta.addElement(dc.Creator(text="Jane Doe"))
    bold = Style(name="T1", family="text")
    bold.addElement(TextProperties(fontweight="bold"))
    italic = Style(name="T2", family="text")
    italic.addElement(TextProperties(fontstyle="italic"))
    column = Style(name="C1", family="table-column")
    column.addElement(TableColumnProperties(columnwidth="5cm"))
    for style in (bold, italic, column):
        document.automaticstyles.addElement(style)
    title = Style(name="Title", family="paragraph")
    document.styles.addElement(title)
    document.text.addElement(P(stylename=title, text="Council approves the budget"))
    document.text.addElement(H(outlinelevel=1, text="Summary"))
    p = P(text="The city council ")
    p.addElement(Span(stylename=bold, text="approved"))
    p.addText(" the budget on Tuesday. It includes ")
    p.addElement(Span(stylename=italic, text="new funds"))
    p.addText(" for schools, as the report")
    note = Note(id="ftn1", noteclass="footnote")
    note.addElement(NoteCitation(text="1"))
    body = NoteBody()
    note_p = P(text="The figure comes from the ")
    note_p.addElement(Span(stylename=italic, text="annual report"))
    note_p.addText(".")
    body.addElement(note_p)
    note.addElement(body)
    p.addElement(note)
    p.addText(" shows. Details are on ")
    p.addElement(A(href="https://example.org/budget", type="simple", text="the city website"))
    p.addText(".")
    document.text.addElement(p)
    items = List()
    for text in ("Roads get more money.", "Parks get less money."):
        item = ListItem()
        item.addElement(P(text=text))
        items.addElement(item)
    document.text.addElement(items)
    table = Table(name="Amounts")
    table.addElement(TableColumn(stylename=column, numbercolumnsrepeated=2))
    for left, right in (("Item", "Amount"), ("Schools", "12 million")):
        row = TableRow()
        for n, text in enumerate((left, right)):
            cell = TableCell(valuetype="string")
            cp = P()
            if n == 1 and text == "12 million":
                cp.addElement(Span(stylename=bold, text=text))
            else:
                teletype.addTextToElement(cp, text)
            cell.addElement(cp)
            row.addElement(cell)
        table.addElement(row)
    document.text.addElement(table)
    filler = ("The committee met again on Thursday and discussed the details of the plan. "
              "Members asked for more time to read the documents before the next vote.")
    for n in range(paragraphs):
        q = P(text=f"{n}. {filler} ")
        q.addElement(Span(stylename=bold, text="Bold words"))
        q.addText(" end the paragraph.")
        document.text.addElement(q)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def news_page(*, paragraphs: int = 0) -> bytes:
    """The English news page of ``tests/data/documents`` with ``paragraphs`` more body paragraphs."""
    page = (DATA / "news_en.html").read_text(encoding="utf-8")
    if paragraphs:
        filler = "".join(
            f"<p>{n}. The committee met again on <b>Thursday</b> and discussed the details of the plan."
            f" Members asked for <a href=\"/more/{n}\">more time</a> to read the documents.</p>\n"
            for n in range(paragraphs))
        page = page.replace("<!-- more -->", filler)
    return page.encode("utf-8")
