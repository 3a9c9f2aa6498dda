"""Document import and delivery benchmark: a web page, DOCX and ODT with ~5 MB of text each.

Each document is built here (the test builders: python-docx, odfpy, the news
page of tests/data/documents with more paragraphs), imported through the one
dispatcher into a new database (read, extract, segment, store), then
delivered back in its format with every unit falling back to its source.
The size is the text's: the generated DOCX/ODT repeat one paragraph, so
their ZIP is far smaller than a real file with as much text would be (MB/s
is of text).  Prints the file size, the text size, segments, seconds and
MB/s side by side.
Run: .venv/bin/python bench/document_import_bench.py [--mb 5]
"""
from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from workbench.core.documents.deliver import deliver_document  # noqa: E402
from workbench.core.importing import import_paths  # noqa: E402
from workbench.core.store.database import Store  # noqa: E402
from tests.core.documents.builders import make_docx, make_odt, news_page  # noqa: E402

# Bytes of text one added paragraph of the builders holds (about).
PARAGRAPH_TEXT = 190


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=5.0, help="text in each document (MB)")
    args = parser.parse_args()
    target = args.mb * 1024 * 1024
    builders = {"html": (news_page, ".html"), "docx": (make_docx, ".docx"), "odt": (make_odt, ".odt")}
    print(f"{'format':6} {'file MB':>8} {'text MB':>8} {'segments':>9} {'import s':>9} {'MB/s':>6}"
          f" {'deliver s':>10}")
    with tempfile.TemporaryDirectory() as tmp:
        for name, (build, suffix) in builders.items():
            paragraphs = max(1, int(target / PARAGRAPH_TEXT))
            data = build(paragraphs=paragraphs)
            path = Path(tmp) / f"doc{suffix}"
            path.write_bytes(data)
            with Store(Path(tmp) / f"{name}.db") as store:
                started = time.perf_counter()
                (result,) = import_paths(store, [path])
                seconds = time.perf_counter() - started
                started = time.perf_counter()
                deliver_document(store, result.document_id, Path(tmp) / f"out{suffix}")
                delivered = time.perf_counter() - started
            text_mb = paragraphs * PARAGRAPH_TEXT / 1048576
            print(f"{name:6} {len(data) / 1048576:8.2f} {text_mb:8.2f} {result.segments:9,} {seconds:9.2f}"
                  f" {text_mb / seconds:6.2f} {delivered:10.2f}", flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (max RSS): {peak:.0f} MB")


if __name__ == "__main__":
    main()
