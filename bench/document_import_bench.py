"""Document import and delivery benchmark: a web page, DOCX and ODT with ~5 MB of text each.

Each document is built here (the test builders: python-docx, odfpy, the news
page of tests/data/documents with more paragraphs), imported through the one
dispatcher into a new database (read, extract, segment, store), then
delivered back in its format with every unit falling back to its source.
The size is the text's: the generated DOCX/ODT repeat one paragraph, so
their ZIP is far smaller than a real file with as much text would be (MB/s
is of text).  Prints the file size, the text size, segments, seconds (wall
clock and CPU: on a busy machine the wall clock also counts the wait for a
core) and MB/s side by side.

``--mb 1 2 5`` measures several sizes (time should grow with the size, not
faster).  ``--compare`` adds, for web pages, a row with trafilatura parsing
the page text itself: its paragraph-text XPath is then answered by libxml2,
whose node-set merging is quadratic (see html.py, ``_PARAGRAPH_TEXT``).
Run: .venv/bin/python bench/document_import_bench.py [--mb 5] [--formats html docx odt] [--compare]
"""
from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from workbench.core.documents import html  # noqa: E402
from workbench.core.documents.deliver import deliver_document  # noqa: E402
from workbench.core.importing import import_paths  # noqa: E402
from workbench.core.store.database import Store  # noqa: E402
from tests.core.documents.builders import make_docx, make_odt, news_page  # noqa: E402

# Bytes of text one added paragraph of the builders holds (about).
PARAGRAPH_TEXT = 190
BUILDERS = {"html": (news_page, ".html"), "docx": (make_docx, ".docx"), "odt": (make_odt, ".odt")}


@contextmanager
def page_text_to_trafilatura():
    """trafilatura parses the page itself (its own elements: the quadratic XPath)."""
    saved = html._extraction_tree
    html._extraction_tree = lambda page: None
    try:
        yield
    finally:
        html._extraction_tree = saved


def measure(name: str, mb: float, tmp: Path, label: str, *, show: bool = True) -> None:
    build, suffix = BUILDERS[name]
    paragraphs = max(1, int(mb * 1024 * 1024 / PARAGRAPH_TEXT))
    data = build(paragraphs=paragraphs)
    path = Path(tmp) / f"doc-{label}-{mb}{suffix}"
    path.write_bytes(data)
    with Store(Path(tmp) / f"{label}-{mb}.db") as store:
        wall, cpu = time.perf_counter(), time.process_time()
        (result,) = import_paths(store, [path])
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        out_wall, out_cpu = time.perf_counter(), time.process_time()
        deliver_document(store, result.document_id, Path(tmp) / f"out-{label}-{mb}{suffix}")
        out_wall, out_cpu = time.perf_counter() - out_wall, time.process_time() - out_cpu
    text_mb = paragraphs * PARAGRAPH_TEXT / 1048576
    if show:
        print(f"{label:12} {len(data) / 1048576:8.2f} {text_mb:8.2f} {result.segments:9,} {wall:9.2f} {cpu:8.2f}"
              f" {text_mb / cpu:7.2f} {out_wall:10.2f} {out_cpu:8.2f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, nargs="+", default=[5.0], help="text in each document (MB)")
    parser.add_argument("--formats", nargs="+", default=list(BUILDERS), choices=list(BUILDERS))
    parser.add_argument("--compare", action="store_true",
                        help="web pages also with trafilatura parsing the text itself (slow: quadratic)")
    args = parser.parse_args()
    print(f"{'format':12} {'file MB':>8} {'text MB':>8} {'segments':>9} {'import s':>9} {'CPU s':>8}"
          f" {'MB/CPU s':>7} {'deliver s':>10} {'CPU s':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.formats:
            measure(name, 0.01, Path(tmp), f"warm-up {name}", show=False)  # imports the libraries
            for mb in args.mb:
                measure(name, mb, Path(tmp), name)
                if name == "html" and args.compare:
                    with page_text_to_trafilatura():
                        measure(name, mb, Path(tmp), "html (text)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (max RSS): {peak:.0f} MB")


if __name__ == "__main__":
    main()
