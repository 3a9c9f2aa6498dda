"""Moses plain text: two line-aligned files, one segment per line.

``--out PATH`` is a prefix: the files are ``PATH.<srclang>`` and
``PATH.<tgtlang>`` (``corpus`` -> ``corpus.en`` + ``corpus.ru``), the layout
Moses, OPUS and most NMT toolkits expect.  Line N of one file translates line
N of the other, so both always have the same number of lines: every line
break a segment may contain -- LF, CR, CRLF, VT, FF, the FS/GS/RS separators,
NEL (U+0085), LINE and PARAGRAPH SEPARATOR (U+2028/2029), i.e. everything
``str.splitlines`` splits on -- becomes one space.  An empty segment is an
empty line (cleaning is the corpus tools' job).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import ClassVar, Iterable

from workbench.core.errors import BadInputError
from workbench.core.progress import CancelledFn, ProgressFn, never_cancelled, no_progress

from workbench.core.formats.base import (REPORT_EVERY, ExportOptions, ExportUnit, Ticker, atomic_writer, check_pair,
                   corpus_languages, peek)

_LINE_BREAK = re.compile("\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def one_line(text: str) -> str:
    """The text with each line break (CRLF counts as one) replaced by a space."""
    if text.isprintable():  # a C loop; false for every line break
        return text
    return _LINE_BREAK.sub(" ", text)


def moses_paths(out: Path, source_lang: str, target_lang: str) -> tuple[Path, Path]:
    out = Path(out)
    return (out.with_name(f"{out.name}.{source_lang}"),
            out.with_name(f"{out.name}.{target_lang}"))


class MosesExporter:
    name: ClassVar[str] = "moses"
    extensions: ClassVar[tuple[str, ...]] = ()

    def export(self, units: Iterable[ExportUnit], out: Path, *,
               options: ExportOptions = ExportOptions(), total: int | None = None,
               progress: ProgressFn = no_progress,
               cancelled: CancelledFn = never_cancelled) -> int:
        first, stream = peek(units)
        source, target = corpus_languages(first, options)
        if source == target:
            raise BadInputError(
                f"Moses files are named after two different languages, not {source} and "
                f"{target}: give the source and target languages")
        source_path, target_path = moses_paths(out, source, target)
        ticker = Ticker(total, progress, cancelled, "Moses export")
        count = 0
        # Nested: the target file is renamed into place first; if that fails,
        # the source file is discarded too.
        with atomic_writer(source_path) as source_file, \
                atomic_writer(target_path) as target_file:
            source_lines: list[str] = []
            target_lines: list[str] = []
            for unit in stream:
                if unit.source_lang != source or unit.target_lang != target:
                    check_pair(unit, source, target, "Moses")
                source_lines.append(one_line(" ".join(unit.source_segments)))
                target_lines.append(one_line(" ".join(unit.target_segments)))
                count += 1
                if count % REPORT_EVERY == 0:
                    _flush(source_file, source_lines)
                    _flush(target_file, target_lines)
                    ticker.tick(count)
            _flush(source_file, source_lines)
            _flush(target_file, target_lines)
        progress(1.0, f"Wrote {count:,} lines to {source_path.name} and {target_path.name}")
        return count


def _flush(handle, lines: list[str]) -> None:
    if lines:
        handle.write("\n".join(lines))
        handle.write("\n")
        lines.clear()
