"""Web pages: the article as a reader sees it (no menus, share buttons,
cookie notices, related links or comments), its metadata, and the translated
page with its markup around the translated text."""
from __future__ import annotations

import lxml.html
import pytest

from workbench.core.documents.html import HtmlFormat
from workbench.core.errors import BadInputError
from workbench.core.text.inline_tags import strip_tags

from tests.core.documents.builders import DATA

PAGE = (DATA / "news_en.html").read_bytes()
RU_PAGE = (DATA / "news_ru_cp1251.html").read_bytes()


def test_the_article_and_nothing_around_it():
    doc = HtmlFormat().read(PAGE, path="news_en.html")
    texts = [strip_tags(b.text) for b in doc.blocks]
    assert [b.kind for b in doc.blocks][:2] == ["title", "body"]
    assert texts[0] == "Council approves city budget after long debate"
    assert "What changes for residents" in texts                      # a heading
    assert "Libraries keep their opening hours." in texts               # a list item
    assert "We listened to the people who wrote to us, and we changed the plan." in texts  # a quote
    assert texts[-1] == "The budget takes effect on 1 April."
    page_furniture = ["cookies", "Subscribe", "Facebook", "Transport strike", "common sense",
                      "All rights reserved", "Politics", "Read more", "reader42"]
    assert not [word for word in page_furniture if any(word in text for text in texts)]
    assert (doc.title, doc.date, doc.author, doc.language) == (
        "Council approves city budget after long debate", "2024-03-05", "Jane Doe", "en")
    assert doc.url == "https://www.dailycourier.example/news/2024/03/05/council-budget"


def test_inline_markup_becomes_tags():
    doc = HtmlFormat().read(PAGE, path="news_en.html")
    first = doc.blocks[1].text
    assert first.startswith("The city council <b0>approved</b0> next year's budget")
    assert "<a1>new funds for <i2>schools</i2></a1>" in first
    assert any("said.<x0/>Bus fares" in b.text for b in doc.blocks)    # <br>


def test_a_russian_page_in_windows_1251():
    doc = HtmlFormat().read(RU_PAGE, path="news_ru_cp1251.html")
    texts = [strip_tags(b.text) for b in doc.blocks]
    assert texts[0] == "В Ташкенте открылся новый музей современного искусства"
    assert doc.blocks[1].text.startswith("ТАШКЕНТ, 24 апреля. /ИА «Дунё»/. В столице Узбекистана")
    assert "<b0>новый музей</b0>" in doc.blocks[1].text
    assert (doc.language, doc.date, doc.author) == ("ru", "2025-04-24", "Иван Петров")
    assert not [t for t in texts if "Поделиться" in t or "Подписывайтесь" in t or "Самарканде" in t
                or "Все права" in t or "Главная" in t]


def test_the_translated_page_keeps_its_markup_and_encoding():
    fmt = HtmlFormat()
    doc = fmt.read(RU_PAGE, path="news_ru_cp1251.html")
    key = doc.blocks[1].key
    translated = ("TASHKENT, April 24. A <b0>new museum</b0> of modern art opened in the capital "
                  "of Uzbekistan on Thursday.")
    out = fmt.write(RU_PAGE, {key: translated, doc.blocks[0].key: "New museum opens in Tashkent"},
                    target_language="en")
    text = out.decode("cp1251")                      # still windows-1251, as the page says
    assert "charset=windows-1251" in text
    tree = lxml.html.document_fromstring(text)
    assert tree.get("lang") == "en"
    paragraph = tree.getroottree().xpath(key)[0]
    assert paragraph.text_content().startswith("TASHKENT, April 24. A new museum of modern art")
    assert paragraph.find("b").text == "new museum"
    assert tree.find(".//h1").text == "New museum opens in Tashkent"
    # everything else of the page is as it was
    assert "Подписывайтесь на наш канал в Telegram" in text
    assert tree.getroottree().xpath(doc.blocks[2].key)[0].find("a").get("href") == \
        "/culture/2025/04/collection.html"


def test_links_keep_their_target_when_translated():
    fmt = HtmlFormat()
    doc = fmt.read(PAGE, path="news_en.html")
    block = doc.blocks[1]
    out = fmt.write(PAGE, {block.key: "Совет <b0>одобрил</b0> бюджет. План включает "
                                      "<a1>новые средства для <i2>школ</i2></a1>."}, target_language="ru")
    tree = lxml.html.document_fromstring(out.decode("utf-8"))
    element = tree.getroottree().xpath(block.key)[0]
    link = element.find("a")
    assert link.get("href") == "/news/schools" and link.find("em").text == "школ"
    assert element.find("strong").text == "одобрил"
    assert tree.get("lang") == "ru"
    assert out.startswith(b"<!DOCTYPE html>")


def test_an_xhtml_page_with_an_xml_declaration(tmp_path):
    page = ('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
            '<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="de" lang="de"><head><title>Rat</title></head>'
            '<body><article><h1>Der Rat beschließt den Haushalt</h1>'
            '<p>Der Stadtrat hat am Dienstag den Haushalt für das nächste Jahr beschlossen, nach einer '
            'langen Debatte über Schulen und Verkehr.</p><p>Die Bürgermeisterin sprach von einem fairen '
            'Kompromiss zwischen allen Fraktionen im Rat.</p></article></body></html>').encode("utf-8")
    doc = HtmlFormat().read(page, path="rat.xhtml")
    assert doc.language == "de" and doc.blocks[0].kind == "title" and len(doc.blocks) == 3
    out = HtmlFormat().write(page, {doc.blocks[1].key: "The council passed the budget."}, target_language="en")
    assert out.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    assert b"The council passed the budget." in out and b'lang="en"' in out


@pytest.mark.parametrize("page, message", [
    ((DATA / "no_article.html").read_bytes(), "no article text"),
    (b"   \n", "is empty"),
    (b"<!DOCTYPE html><html><head><title>x</title></head><body><nav><a href='/'>Home</a></nav></body></html>",
     "no article text"),
])
def test_a_page_without_an_article_is_refused(page, message):
    with pytest.raises(BadInputError, match=message):
        HtmlFormat().read(page, path="page.html")
