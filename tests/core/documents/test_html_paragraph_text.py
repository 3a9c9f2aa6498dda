"""trafilatura's paragraph-text question answered in one walk of the page:
the same text as libxml2's XPath, and the path the import really takes (a
trafilatura that asked otherwise would bring back a time quadratic in the
page's size without any test failing)."""
from __future__ import annotations

import lxml.etree
import lxml.html

from tests.core.documents.builders import DATA, news_page
from workbench.core.documents import html
from workbench.core.documents.html import HtmlFormat, _extraction_tree, _paragraph_text

XPATH = lxml.etree.XPath("//p//text()")


def test_the_same_text_as_the_xpath_on_awkward_markup():
    page = ("<html><body><div><p>One <b>bold<!-- a comment -->text</b> tail<?pi x?>after</p>"
            "<p>Outer <p>inner paragraph</p> rest</p></div><p></p>"
            "<table><tr><td><p>In a <i>cell</i></p></td></tr></table>"
            "<p>Line<br>break &amp; entity</p></body></html>")
    tree = _extraction_tree(page)
    for element in [tree, *tree.iter()]:
        if isinstance(element.tag, str):
            assert "".join(_paragraph_text(element)) == "".join(XPATH(element))
    assert "".join(tree.xpath("//p//text()")) == "".join(XPATH(tree))


def test_the_test_pages_give_the_same_text_and_the_same_article():
    import trafilatura

    for name in ("news_en.html", "news_ru_cp1251.html"):
        text, _, _ = html.decode_page((DATA / name).read_bytes(), name)
        tree = _extraction_tree(text)
        assert "".join(_paragraph_text(tree)) == "".join(XPATH(tree))
        options = dict(output_format="xml", include_formatting=True, include_links=True, fast=True,
                       with_metadata=True, include_comments=False)
        assert trafilatura.extract(tree, **options) == trafilatura.extract(text, **options)


def test_the_import_takes_the_one_walk(monkeypatch):
    asked = []

    def counted(element):
        asked.append(element)
        return _paragraph_text(element)

    monkeypatch.setattr(html, "_paragraph_text", counted)
    extracted = HtmlFormat().read(news_page(paragraphs=50), path="news.html")
    assert asked, "trafilatura no longer asks for //p//text() through the page's elements"
    assert sum(block.text.startswith("49. The committee") for block in extracted.blocks) == 1


def test_a_fragment_is_left_to_trafilatura():
    assert _extraction_tree("<p>only a fragment</p>") is None
    assert isinstance(_extraction_tree("<html><body><p>x</p></body></html>"), lxml.html.HtmlElement)
