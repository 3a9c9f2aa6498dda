"""Apache Parquet: the corpus as a table for pandas, Polars, DuckDB or Hugging Face ``datasets``.

One row per unit, written in record batches of ``ROWS_PER_BATCH`` (one row
group each), so a corpus of millions of units never sits in memory.  The
columns (``SCHEMA``), every one nullable except the first five:

=============  =========  ===========================================================
unit_id        int64      the unit's id in the database (TMX ``tuid``)
document_id    int64      its document
source         string     the source text (n:m units: the sentences joined by a space)
target         string     the target text
source_lang    string     ISO 639-1 ("en")
target_lang    string
document       string     the document's title
status         string     new, machine, edited, approved or tm
mt             string     the machine translation, if any
mt_model       string     which model made it ("translate-en_ru")
mt_version     string
chrf           float64    post-edit chrF of MT against the target (0-100)
link_type      string     aligned units: "2-1" (source - target sentences)
confidence     float64    aligned units: the aligner's confidence (0-1)
created_at     string     ISO 8601 UTC
changed_at     string
=============  =========  ===========================================================

``pandas.read_parquet(path)`` or ``datasets.load_dataset("parquet",
data_files=[...])`` read it (shards: a list or a glob).  The file is written
under a temporary name and renamed when complete, as every export is.
pyarrow is needed only here: ``pip install 'workbench[parquet]'``.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import ClassVar, Iterable

from workbench.core.errors import WorkbenchError
from workbench.core.formats.base import REPORT_EVERY, ExportOptions, ExportUnit, Ticker
from workbench.core.progress import CancelledFn, ProgressFn, never_cancelled, no_progress

ROWS_PER_BATCH = 50_000

COLUMNS = (("unit_id", "int64"), ("document_id", "int64"), ("source", "string"), ("target", "string"),
           ("source_lang", "string"), ("target_lang", "string"), ("document", "string"), ("status", "string"),
           ("mt", "string"), ("mt_model", "string"), ("mt_version", "string"), ("chrf", "float64"),
           ("link_type", "string"), ("confidence", "float64"), ("created_at", "string"),
           ("changed_at", "string"))
_REQUIRED = {"unit_id", "document_id", "source", "target", "source_lang"}


def _pyarrow():
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise WorkbenchError("Parquet export needs pyarrow, which is not installed: "
                             "pip install 'workbench[parquet]' (or: pip install pyarrow)") from None
    return pyarrow


def schema():
    """The pyarrow schema of the files (``COLUMNS``)."""
    pa = _pyarrow()
    types = {"int64": pa.int64(), "string": pa.string(), "float64": pa.float64()}
    return pa.schema([pa.field(name, types[kind], nullable=name not in _REQUIRED) for name, kind in COLUMNS],
                     metadata={"creator": "workbench"})


def _row(unit: ExportUnit) -> tuple:
    return (unit.unit_id, unit.document_id, unit.source, unit.target, unit.source_lang, unit.target_lang,
            unit.document, unit.status, unit.mt, unit.mt_model, unit.mt_version, unit.chrf, unit.link_type,
            unit.confidence, unit.created_at, unit.changed_at)


class ParquetExporter:
    """Units as Parquet rows (``COLUMNS``), streamed in record batches."""
    name: ClassVar[str] = "parquet"
    extensions: ClassVar[tuple[str, ...]] = (".parquet",)

    def export(self, units: Iterable[ExportUnit], out: Path, *, options: ExportOptions = ExportOptions(),
               total: int | None = None, progress: ProgressFn = no_progress,
               cancelled: CancelledFn = never_cancelled) -> int:
        """Write ``units`` to the Parquet file ``out``; return how many.

        :param units: the units, streamed.
        :param out: the output file (replaced whole when the export completes).
        :param options: unused by this format (languages come with every row).
        :param total: how many units to expect, for progress.
        :param progress: ``progress(fraction, message)``.
        :param cancelled: polled every ``REPORT_EVERY`` units; a cancel leaves no file."""
        from workbench.core.outputs import atomic_part

        pa = _pyarrow()
        out = Path(out)
        table_schema = schema()
        ticker = Ticker(total, progress, cancelled, "Parquet export")
        count = 0
        with atomic_part(out) as part, \
                pa.parquet.ParquetWriter(str(part), table_schema, compression="zstd") as writer:
            rows: list[tuple] = []

            def flush() -> None:
                if rows:
                    columns = list(zip(*rows))
                    writer.write_batch(pa.record_batch(
                        [pa.array(values, type=field.type) for values, field in zip(columns, table_schema)],
                        schema=table_schema))
                    rows.clear()

            for unit in units:
                rows.append(_row(unit))
                count += 1
                if len(rows) >= ROWS_PER_BATCH:
                    flush()
                if count % REPORT_EVERY == 0:
                    ticker.tick(count)
            flush()
        progress(1.0, f"Wrote {count:,} units to {out.name}")
        return count


def read_rows(path: str | os.PathLike) -> list[dict]:
    """The rows of a Parquet file as dicts (for checks and small files).

    :param path: the file."""
    return _pyarrow().parquet.read_table(str(path)).to_pylist()
