"""A document (web page, DOCX, ODT) given to the memory import: one line that
says it is a document and how to import it, and no memory made."""
from __future__ import annotations

import pytest

from tests.cli.helpers import run
from tests.core.documents.builders import DATA, make_docx, make_odt
from workbench.core.errors import BadInputError
from workbench.core.memory.files import import_memory


@pytest.mark.parametrize("name, data, kind", [
    ("page.html", lambda: (DATA / "news_en.html").read_bytes(), "a web page"),
    ("report.docx", make_docx, "a Word document"),
    ("report.odt", make_odt, "an OpenDocument text"),
])
def test_a_document_is_not_a_memory(store, tmp_path, name, data, kind):
    path = tmp_path / name
    path.write_bytes(data())
    with pytest.raises(BadInputError) as raised:
        import_memory(store, path)
    message = str(raised.value)
    assert message == (f"{name} is {kind}, not a memory (TMX, CSV, TSV or XLIFF): import it as a document"
                       f" with 'workbench import'")
    assert "Unknown import format" not in message
    assert not store.tm_memory_exists(path.stem)


def test_tm_import_of_a_web_page_says_so_in_one_line(db_path, tmp_path, capsys):
    page = tmp_path / "page.html"
    page.write_bytes((DATA / "news_en.html").read_bytes())
    assert run(db_path, "tm", "import", page) != 0
    captured = capsys.readouterr()
    said = (captured.err + captured.out).strip()
    assert said.count("\n") == 0
    assert "page.html is a web page, not a memory" in said and "workbench import" in said
    # and the page imports as a document
    assert run(db_path, "import", page) == 0
