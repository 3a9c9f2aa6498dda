"""Documents through the store: import (one dispatcher, all or nothing), edit,
and deliver in the original format, with the fallback for unapproved units."""
from __future__ import annotations

import io
import zipfile

import lxml.html
import pytest

from workbench.core.documents import registry
from workbench.core.documents.deliver import deliver_document
from workbench.core.documents.model import Block, ExtractedDocument
from workbench.core.edits import history
from workbench.core.edits.commands import Approve, SetTarget
from workbench.core.errors import BadInputError, OutputRefusedError
from workbench.core.importing import detect_format, import_paths
from workbench.core.progress import Cancelled

from tests.core.documents.builders import DATA, make_docx, make_odt
from tests.reliability.helpers import dump


def _approve(store, unit_id: int, text: str) -> None:
    history.apply(store, SetTarget(unit_id, text))
    history.apply(store, Approve((unit_id,)))


def _units_by_source(store, doc_id):
    return {u.source: u for u in store.units(doc_id)}


def test_formats_are_told_by_content_then_extension(tmp_path):
    (tmp_path / "page.txt").write_bytes((DATA / "news_en.html").read_bytes())
    (tmp_path / "report").write_bytes(make_docx())
    (tmp_path / "notes.bin").write_bytes(make_odt())
    (tmp_path / "broken.docx").write_bytes(b"not a zip")
    (tmp_path / "fragment.htm").write_text("<div><p>Hello there, reader.</p></div>", encoding="utf-8")
    assert [detect_format(tmp_path / n) for n in ("page.txt", "report", "notes.bin", "broken.docx",
                                                  "fragment.htm")] == ["html", "docx", "odt", "docx", "html"]


def test_a_page_imports_as_segments_with_its_metadata(store, tmp_path):
    page = tmp_path / "news_en.html"
    page.write_bytes((DATA / "news_en.html").read_bytes())
    (result,) = import_paths(store, [page])
    assert result.format == "html" and result.language == "en"
    doc = store.document(result.document_id)
    assert (doc.title, doc.date, doc.target_language) == (
        "Council approves city budget after long debate", "2024-03-05", "ru")
    assert store.document_file_info(doc.id) == (
        "html", "Jane Doe", "https://www.dailycourier.example/news/2024/03/05/council-budget")
    segments = store.segments(doc.id)
    assert (segments[0].kind, segments[0].text) == ("title", "Council approves city budget after long debate")
    assert [s.text for s in segments[1:3]] == [
        "The city council <b0>approved</b0> next year's budget on Tuesday after a debate that lasted "
        "almost six hours.",
        "The plan includes <a1>new funds for <i2>schools</i2></a1> and a freeze on parking fees."]
    assert segments[1].paragraph == segments[2].paragraph == 1
    assert store.document_file(doc.id).original == page.read_bytes()


def test_html_round_trip_import_edit_deliver(store, tmp_path):
    page = tmp_path / "news.html"
    page.write_bytes((DATA / "news_en.html").read_bytes())
    doc = import_paths(store, [page])[0].document_id
    units = _units_by_source(store, doc)
    _approve(store, units["Council approves city budget after long debate"].id,
             "Совет утвердил городской бюджет после долгих дебатов")
    _approve(store, units["The city council <b0>approved</b0> next year's budget on Tuesday after a debate "
                          "that lasted almost six hours."].id,
             "Городской совет во вторник <b0>утвердил</b0> бюджет на следующий год.")
    _approve(store, units["The plan includes <a1>new funds for <i2>schools</i2></a1> and a freeze on "
                          "parking fees."].id,
             "План включает <a1>новые средства для <i2>школ</i2></a1>.")
    out = tmp_path / "news.ru.html"
    report = deliver_document(store, doc, out)
    tree = lxml.html.document_fromstring(out.read_text(encoding="utf-8"))
    assert tree.get("lang") == "ru"
    assert tree.find(".//h1").text == "Совет утвердил городской бюджет после долгих дебатов"
    paragraph = tree.find(".//div[@class='story-body']/p")
    assert paragraph.text_content() == ("Городской совет во вторник утвердил бюджет на следующий год. "
                                        "План включает новые средства для школ.")
    assert paragraph.find("strong").text == "утвердил"
    assert paragraph.find("a").get("href") == "/news/schools" and paragraph.find("a/em").text == "школ"
    assert tree.find(".//header//nav") is not None and "Accept all cookies" in out.read_text(encoding="utf-8")
    assert report.approved == 3 and report.units == len(units) and len(report.fallbacks) == len(units) - 3
    assert {f.used for f in report.fallbacks} == {"source"}


def test_docx_round_trip_with_mt_fallback(store, tmp_path):
    import docx

    path = tmp_path / "report.docx"
    path.write_bytes(make_docx())
    doc = import_paths(store, [path])[0].document_id
    units = _units_by_source(store, doc)
    first = units["The city council <b0>approved</b0> the budget on Tuesday."]
    _approve(store, first.id, "Городской совет <b0>одобрил</b0> бюджет во вторник.")
    roads = units["Roads get more money."]
    store.set_machine_translations([(roads.id, "Дорогам больше денег.", "argos", "test", "1")])
    out = tmp_path / "report.ru.docx"
    report = deliver_document(store, doc, out, fallback="mt")
    result = docx.Document(str(out))
    body = result.paragraphs[2]
    assert body.text.startswith("Городской совет одобрил бюджет во вторник. It includes new funds")
    assert ("одобрил", True) in [(r.text, r.bold) for r in body.runs]
    assert result.paragraphs[3].text == "Дорогам больше денег." and result.paragraphs[3].style.name == "List Bullet"
    assert result.tables[0].cell(1, 1).paragraphs[0].runs[0].bold
    used = {f.unit_id: f.used for f in report.fallbacks}
    assert used[roads.id] == "mt" and first.id not in used
    assert used[units["Summary"].id] == "source"
    assert "1 without an approved target got the machine translation" in report.describe()


def test_odt_round_trip(store, tmp_path):
    from odf import teletype
    from odf.opendocument import load
    from odf.text import P

    path = tmp_path / "report.odt"
    path.write_bytes(make_odt())
    doc = import_paths(store, [path])[0].document_id
    units = _units_by_source(store, doc)
    _approve(store, units["The figure comes from the <i0>annual report</i0>."].id,
             "Цифра взята из <i0>годового отчёта</i0>.")
    out = tmp_path / "report.ru.odt"
    deliver_document(store, doc, out)
    texts = [teletype.extractText(p) for p in load(str(out)).getElementsByType(P)]
    assert "Цифра взята из годового отчёта." in texts
    assert "Roads get more money." in texts


def test_a_text_article_delivers_with_its_paragraph_breaks(store, tmp_path):
    article = tmp_path / "talks.txt"
    article.write_text("Talks resume in Geneva\n\nThe talks went well. They resume on Monday.\n\n"
                       "Both sides were pleased.\n", encoding="utf-8")
    doc = import_paths(store, [article])[0].document_id
    assert store.document_file(doc) is None                  # plain text keeps no original
    units = _units_by_source(store, doc)
    _approve(store, units["The talks went well."].id, "Переговоры прошли хорошо.")
    _approve(store, units["They resume on Monday."].id, "Они продолжатся в понедельник.")
    out = tmp_path / "talks.ru.txt"
    report = deliver_document(store, doc, out)
    assert out.read_text(encoding="utf-8") == ("Talks resume in Geneva\n\nПереговоры прошли хорошо. "
                                               "Они продолжатся в понедельник.\n\nBoth sides were pleased.\n")
    assert report.format == "text" and [f.unit_id for f in report.fallbacks] == [
        units["Talks resume in Geneva"].id, units["Both sides were pleased."].id]


def test_the_whitespace_between_sentences_is_kept(store, tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("First sentence here.  Second one after two spaces.")
    buffer = io.BytesIO()
    document.save(buffer)
    path = tmp_path / "spaces.docx"
    path.write_bytes(buffer.getvalue())
    doc = import_paths(store, [path])[0].document_id
    for unit, text in zip(store.units(doc), ("Первое.", "Второе.")):
        _approve(store, unit.id, text)
    out = tmp_path / "spaces.ru.docx"
    deliver_document(store, doc, out)
    assert docx.Document(str(out)).paragraphs[0].text == "Первое.  Второе."


def test_delivery_refuses_the_database_and_other_files_and_can_be_cancelled(store, tmp_path):
    page = tmp_path / "news.html"
    page.write_bytes((DATA / "news_en.html").read_bytes())
    doc = import_paths(store, [page])[0].document_id
    with pytest.raises(OutputRefusedError):
        deliver_document(store, doc, store.path)
    other = tmp_path / "other.html"
    other.write_bytes(make_docx())
    with pytest.raises(OutputRefusedError, match="--force"):
        deliver_document(store, doc, other)
    deliver_document(store, doc, other, force=True)
    with pytest.raises(Cancelled):
        deliver_document(store, doc, tmp_path / "never.html", cancelled=lambda: True)
    assert not (tmp_path / "never.html").exists()
    with pytest.raises(BadInputError, match="fallback"):
        deliver_document(store, doc, tmp_path / "x.html", fallback="target")


class FakeBilingual:
    """A bilingual format as the XLIFF/PO readers will be: presegmented units with targets."""

    name = "fakebi"
    extensions = (".fakebi",)
    # Not saved back as XLIFF/PO are (tests/cli/test_documents_cli.py): delivered
    # like a monolingual document, so the fallback path runs over imported targets.
    bilingual = False

    def read(self, data: bytes, *, path: str | None = None) -> ExtractedDocument:
        blocks = []
        for n, line in enumerate(data.decode("utf-8").splitlines()):
            source, target, status = line.split("|")
            blocks.append(Block(f"u{n}", source, target=target or None, status=status or None,
                                presegmented=True))
        return ExtractedDocument("fakebi", blocks, language="en", target_language="de")

    def write(self, original, translations, *, target_language=None, statuses=None) -> bytes:
        lines = original.decode("utf-8").splitlines()
        return "\n".join(f"{line.split('|')[0]}|{translations.get(f'u{n}', '')}|{statuses.get(f'u{n}')}"
                         for n, line in enumerate(lines)).encode("utf-8") + b"\n"


@pytest.fixture
def fake_bilingual(monkeypatch):
    monkeypatch.setitem(registry._FORMATS, "fakebi",
                        (f"{__name__}:FakeBilingual", FakeBilingual.extensions))
    registry.get_format.cache_clear()
    yield
    registry.get_format.cache_clear()


def test_presegmented_blocks_with_targets_and_statuses(store, tmp_path, fake_bilingual):
    path = tmp_path / "job.fakebi"
    path.write_text("Two sentences. Kept as one.|Zwei Sätze. Als einer.|approved\n"
                    "<b0>Bold</b0> start.|<b0>Fett</b0> am Anfang.|edited\n"
                    "Untranslated unit.||\n", encoding="utf-8")
    (result,) = import_paths(store, [path])
    assert result.format == "fakebi" and store.document(result.document_id).target_language == "de"
    units = list(store.units(result.document_id))
    assert [(u.source, u.target, str(u.status)) for u in units] == [
        ("Two sentences. Kept as one.", "Zwei Sätze. Als einer.", "approved"),
        ("<b0>Bold</b0> start.", "<b0>Fett</b0> am Anfang.", "edited"),
        ("Untranslated unit.", "", "new")]
    out = tmp_path / "job.de.fakebi"
    report = deliver_document(store, result.document_id, out)
    assert out.read_text(encoding="utf-8") == (
        "Two sentences. Kept as one.|Zwei Sätze. Als einer.|approved\n"
        "<b0>Bold</b0> start.|<b0>Bold</b0> start.|edited\nUntranslated unit.|Untranslated unit.|new\n")
    assert len(report.fallbacks) == 2


@pytest.mark.parametrize("bad_name, bad_bytes, message", [
    ("locked.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "password-protected"),
    ("corrupt.docx", b"PK\x03\x04 truncated", "damaged"),
    ("empty.html", (DATA / "no_article.html").read_bytes(), "no article text"),
    ("empty.odt", b"", "is empty"),
])
def test_bad_input_imports_nothing(store, tmp_path, bad_name, bad_bytes, message):
    good = tmp_path / "good.docx"
    good.write_bytes(make_docx())
    bad = tmp_path / bad_name
    bad.write_bytes(bad_bytes)
    before = dump(store.path)
    with pytest.raises(BadInputError, match=message) as caught:
        import_paths(store, [good, bad])
    assert bad_name in str(caught.value) and "\n" not in str(caught.value)
    assert dump(store.path) == before


def test_a_saved_page_imports_without_its_folder(store, tmp_path):
    folder = tmp_path / "saved"
    (folder / "news_files").mkdir(parents=True)
    (folder / "news.html").write_bytes((DATA / "news_en.html").read_bytes())
    (folder / "news_files" / "ad-frame.html").write_text("<html><body><p>Buy now!</p></body></html>")
    (folder / "news_files" / "style.css").write_text("body{}")
    results = import_paths(store, [folder])
    assert [r.path.rsplit("/", 1)[-1] for r in results] == ["news.html"]
    results = import_paths(store, [folder / "news.html", folder / "news_files"])
    assert len(results) == 1 and not results[0].created


def test_machine_translation_sees_no_tags(store, tmp_path, packages_dir, monkeypatch):
    from workbench.core.mt import engine
    from workbench.core.translating import translate_document

    path = tmp_path / "report.docx"
    path.write_bytes(make_docx())
    doc = import_paths(store, [path])[0].document_id
    store.set_target_language(doc, "ru")
    sent: list[str] = []
    original = engine.translate_chain
    monkeypatch.setattr(engine, "translate_chain",
                        lambda chain, texts, **kw: sent.extend(texts) or original(chain, texts, **kw))
    translate_document(store, doc, packages_dir=packages_dir)
    assert "The city council approved the budget on Tuesday." in sent
    assert not [text for text in sent if "<" in text]
    tagged = next(u for u in store.units(doc) if u.source.startswith("The city council <b0>"))
    assert tagged.mt and "<b0>" not in tagged.mt and str(tagged.status) == "machine"
