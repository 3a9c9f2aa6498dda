"""What every format must do, as a base class each format's tests inherit.

A subclass sets ``exporter``/``suffix`` and implements ``read_pairs`` (how to
read an export back into (source, target) pairs: the importer, or plain file
reading for formats without one) and ``check_valid``.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from workbench.core.errors import BadInputError
from workbench.core.progress import Cancelled
from workbench.core.formats.base import REPORT_EVERY, ExportOptions, ExportUnit

SAMPLES: list[tuple[str, str]] = [
    ("Hello, world.", "Привет, мир."),
    ('She said "yes" & left <quickly>; \'twas > 5.', "Она сказала «да» & ушла <быстро> > 5."),
    ("Emoji 🎉 and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 outside the BMP.", "Эмодзи 🎉 и 👩‍👩‍👧 семья."),
    ("Hebrew שלום עולם and Arabic مرحبا بالعالم", "Справа налево: \u200fשלום\u200f"),
    ("Tab\tinside and  double  spaces ", " leading\u00a0nbsp and ]]> end"),
    ("=SUM(A1:A3) is not a formula", "- Это реплика диалога"),
    ("+1 555 0100, @handle", "'Апостроф' в начале"),
    ("", "empty source"),
    ("empty target", ""),
    ("Backslash \\n and \\t literally, C:\\new", "Обратная косая \\ черта"),
]

LINE_BREAKS: list[tuple[str, str]] = [
    ("First line\nsecond line", "Первая строка\r\nвторая"),
    ("Carriage\rreturn", "Line\u2028separator and\u0085NEL"),
]


def make_units(pairs: list[tuple[str, str]], *, source_lang: str = "en",
               target_lang: str = "ru", status: str = "approved",
               start: int = 1) -> list[ExportUnit]:
    return [
        ExportUnit(unit_id=start + index, source_segments=(source,),
                   target_segments=(target,), source_lang=source_lang,
                   target_lang=target_lang, document_id=1 + index // 4,
                   document=f"Doc {1 + index // 4}", status=status,
                   mt=f"MT {target}", mt_engine="argos", mt_model="translate-en_ru",
                   mt_version="1.9", chrf=50.0 + index,
                   created_at="2025-04-24T14:26:00Z", changed_at="2025-04-25T08:00:05Z")
        for index, (source, target) in enumerate(pairs)
    ]


class FormatContract:
    exporter = None
    suffix = ""
    keeps_line_breaks = True   # Moses flattens them, by design

    # --- hooks ----------------------------------------------------------------
    def out_path(self, tmp_path: Path) -> Path:
        return tmp_path / f"corpus{self.suffix}"

    def outputs(self, out: Path, source_lang: str = "en", target_lang: str = "ru") -> list[Path]:
        """The files an export to ``out`` writes."""
        return [out]

    def read_pairs(self, out: Path) -> list[tuple[str, str]]:
        raise NotImplementedError

    def check_valid(self, out: Path) -> None:
        """Format-specific validity (DTD, parser...)."""

    def export(self, units, out: Path, **options) -> int:
        return self.exporter.export(units, out, options=ExportOptions(**options))

    # --- the contract -----------------------------------------------------------
    def test_round_trip_keeps_text_exactly(self, tmp_path):
        out = self.out_path(tmp_path)
        units = make_units(SAMPLES)
        assert self.export(iter(units), out) == len(units)
        self.check_valid(out)
        assert self.read_pairs(out) == [(u.source, u.target) for u in units]

    def test_line_breaks_inside_segments(self, tmp_path):
        out = self.out_path(tmp_path)
        self.export(make_units(LINE_BREAKS), out)
        self.check_valid(out)
        pairs = self.read_pairs(out)
        if self.keeps_line_breaks:
            assert pairs == LINE_BREAKS
        else:
            assert pairs == [("First line second line", "Первая строка вторая"),
                             ("Carriage return", "Line separator and NEL")]

    def test_empty_corpus_is_a_valid_file(self, tmp_path):
        out = self.out_path(tmp_path)
        assert self.export(iter(()), out, source_lang="en", target_lang="ru") == 0
        for path in self.outputs(out):
            assert path.exists()
        self.check_valid(out)
        assert self.read_pairs(out) == []

    def test_n_to_m_units_join_segments_with_a_space(self, tmp_path):
        shapes = [(("One.", "Two."), ("Раз и два.",)), (("Three.",), ("Три.", "Четыре.")),
                  ((), ("Только перевод.",)), (("Only source.",), ())]
        units = [ExportUnit(unit_id=i, source_segments=s, target_segments=t,
                            source_lang="en", target_lang="ru", document_id=1,
                            document="Doc", status="edited")
                 for i, (s, t) in enumerate(shapes, 1)]
        out = self.out_path(tmp_path)
        self.export(units, out)
        self.check_valid(out)
        assert self.read_pairs(out) == [("One. Two.", "Раз и два."), ("Three.", "Три. Четыре."),
                                        ("", "Только перевод."), ("Only source.", "")]

    def test_streams_a_generator_and_reports_progress(self, tmp_path):
        count = REPORT_EVERY * 2 + 7
        generated = (unit for unit in make_units([("Source %d" % i, "Цель %d" % i)
                                                  for i in range(count)]))
        reports: list[tuple[float, str]] = []
        out = self.out_path(tmp_path)
        written = self.exporter.export(generated, out, options=ExportOptions(), total=count,
                                       progress=lambda f, m: reports.append((f, m)))
        assert written == count
        fractions = [fraction for fraction, _ in reports]
        assert fractions == sorted(fractions) and fractions[-1] == 1.0
        assert 0 < fractions[0] < 1
        pairs = self.read_pairs(out)
        assert len(pairs) == count and pairs[-1] == (f"Source {count - 1}", f"Цель {count - 1}")

    def test_cancel_leaves_no_partial_file_and_keeps_the_old_one(self, tmp_path):
        out = self.out_path(tmp_path)
        for path in self.outputs(out):
            path.write_text("previous export")
        units = make_units([("a", "б")] * (REPORT_EVERY + 10))
        with pytest.raises(Cancelled):
            self.exporter.export(units, out, options=ExportOptions(), cancelled=lambda: True)
        for path in self.outputs(out):
            assert path.read_text() == "previous export"
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
            p.name for p in self.outputs(out))

    def test_output_in_a_missing_directory_is_created(self, tmp_path):
        out = self.out_path(tmp_path / "new" / "dir")
        self.export(make_units(SAMPLES[:1]), out)
        assert self.read_pairs(out) == SAMPLES[:1]

    def test_unwritable_output_is_a_bad_input_error(self, tmp_path):
        blocker = tmp_path / "file"
        blocker.write_text("x")
        with pytest.raises(BadInputError, match="Cannot write"):
            self.export(make_units(SAMPLES[:1]), self.out_path(blocker))
