from __future__ import annotations

import pytest

from workbench.core.errors import BadInputError
from workbench.core.formats import ExportOptions, get_exporter
from workbench.core.formats.moses import MosesExporter, moses_paths, one_line

from tests.core.formats.contract import FormatContract, make_units


class TestMosesContract(FormatContract):
    exporter = MosesExporter()
    suffix = ""
    keeps_line_breaks = False

    def outputs(self, out, source_lang="en", target_lang="ru"):
        return list(moses_paths(out, source_lang, target_lang))

    def read_pairs(self, out):
        source_path, target_path = self.outputs(out)
        # newline="\n": read exactly as Moses tools do, one record per LF
        with open(source_path, encoding="utf-8", newline="\n") as s, \
                open(target_path, encoding="utf-8", newline="\n") as t:
            sources, targets = s.read().split("\n"), t.read().split("\n")
        assert sources[-1] == targets[-1] == ""  # every line ends with LF
        return list(zip(sources[:-1], targets[:-1], strict=True))

    def check_valid(self, out):
        source_path, target_path = self.outputs(out)
        source_text = source_path.read_text(encoding="utf-8")
        target_text = target_path.read_text(encoding="utf-8")
        # The same number of records, whatever splitter a tool uses.
        assert source_text.count("\n") == target_text.count("\n")
        assert len(source_text.splitlines()) == len(target_text.splitlines())


def test_files_are_named_after_the_languages(tmp_path):
    written = get_exporter("moses").export(make_units([("Hi", "Привет")]), tmp_path / "corpus")
    assert written == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus.en", "corpus.ru"]
    assert (tmp_path / "corpus.ru").read_text(encoding="utf-8") == "Привет\n"


def test_embedded_line_breaks_keep_line_counts_equal(tmp_path):
    breaks = ["a\nb", "c\r\nd", "e\rf", "g\u2028h", "i\u2029j", "k\x85l", "m\x0bn", "o\x0cp",
              "q\x1cr", "\n\nlead", "trail\n"]
    units = make_units([(text, "одна строка") for text in breaks])
    out = tmp_path / "c"
    MosesExporter().export(units, out)
    source = (tmp_path / "c.en").read_text(encoding="utf-8")
    target = (tmp_path / "c.ru").read_text(encoding="utf-8")
    assert len(source.splitlines()) == len(target.splitlines()) == len(breaks)
    assert source.splitlines() == ["a b", "c d", "e f", "g h", "i j", "k l", "m n", "o p",
                                   "q r", "  lead", "trail "]


@pytest.mark.parametrize("text, flat", [("plain", "plain"), ("tab\tstays", "tab\tstays"),
                                        ("nbsp\u00a0stays", "nbsp\u00a0stays"),
                                        ("crlf\r\n", "crlf ")])
def test_one_line(text, flat):
    assert one_line(text) == flat


def test_one_language_pair_per_file(tmp_path):
    units = make_units([("Hello", "Привет")]) + make_units(
        [("Hallo", "Привет")], source_lang="de", start=2)
    with pytest.raises(BadInputError, match="one language pair per file"):
        MosesExporter().export(units, tmp_path / "c")
    assert list(tmp_path.iterdir()) == []


def test_the_two_files_need_two_languages(tmp_path):
    # An empty corpus cannot name its languages: the caller must.
    with pytest.raises(BadInputError, match="two different languages"):
        MosesExporter().export([], tmp_path / "c", options=ExportOptions())
    assert list(tmp_path.iterdir()) == []
