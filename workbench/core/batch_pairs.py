"""Many document pairs at once: match two folders, align every pair, store them.

The work is split in two so that it can be spread over processes (and, later,
machines) while the database keeps one writer:

1. ``align_pair_files(job)`` is the per-pair job: pure and store-free.  It
   takes a picklable ``PairJob`` (two paths and the options), reads and
   decodes both files, segments them and aligns them, and returns an
   ``AlignedPair``: the prepared documents and the links, or one line saying
   why a file cannot be used (binary, empty, wrong encoding, unreadable...).
   It can run in any process: a ``Runner`` decides where.
2. ``import_pairs`` (the client) matches the files, skips pairs already in
   the store, hands the rest to a runner, and writes each result as it
   arrives through ``pairing.store_pair``: one short transaction per pair,
   so a killed run leaves every pair whole or absent.  A run after a Ctrl+C,
   a kill or a crash skips the pairs already imported (the store knows each
   file by its bytes' checksum) and does the rest.

Runners: ``run_inline`` (this process) and ``process_runner(n)`` (``n``
spawned processes, results in the order they finish).  A runner is any
``runner(work, jobs)`` that yields ``work(job)`` for every job, in any order;
a Dask client's ``submit`` and ``as_completed`` fit the same shape.  When
the caller stops iterating (cancel, error), the runner's ``finally`` drops
the jobs not yet started.

MT as an alignment signal is translated in the job, without the store's MT
cache (the job has no store).
"""
from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from workbench.core.errors import BadInputError, DatabaseError, ModelError, WorkbenchError
from workbench.core.progress import Cancelled, CancelledFn, ProgressFn, never_cancelled, no_progress
from workbench.core.paths import display_path

log = logging.getLogger(__name__)

MATCH_MODES = ("name", "list")

# Outcome statuses of a pair.
IMPORTED, ALREADY, FAILED = "imported", "already", "failed"

# A trailing language code on a file's stem: "report.en", "report_ru", "report-de".
_LANGUAGE_SUFFIX = re.compile(r"[._-][A-Za-z]{2}(?:[-_][A-Za-z]{2})?$")


# --- matching -------------------------------------------------------------------

@dataclass(frozen=True)
class Unmatched:
    """A file of one folder that has no counterpart, or a pair named in a list that cannot be used."""
    path: str           # as the user would name it
    reason: str


@dataclass(frozen=True)
class Matching:
    """The pairs found in two folders, in a stable order, and what was left over."""
    pairs: tuple[tuple[Path, Path], ...]
    unmatched: tuple[Unmatched, ...] = ()


def _files(folder: Path) -> list[Path]:
    """Regular, visible files under ``folder`` (recursively), the database and its side files left out."""
    from workbench.core.store.files import is_database_file

    return sorted(p for p in folder.rglob("*")
                  if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
                  and not is_database_file(p))


def _keys(relative: Path) -> tuple[str, str, str]:
    """How a file may be matched, strictest first: its relative path, the
    path without its extension, and that without a trailing language code."""
    stem = relative.with_suffix("").as_posix() if relative.suffix else relative.as_posix()
    return relative.as_posix(), stem, _LANGUAGE_SUFFIX.sub("", stem)


def _folder(path: str | Path, role: str) -> Path:
    folder = Path(path).expanduser()
    if not folder.is_dir():
        raise BadInputError(f"{role} folder {display_path(folder)} is not a directory")
    return folder


def match_by_name(source_dir: str | Path, target_dir: str | Path) -> Matching:
    """Pair the files of two folders by name: the same relative path, else
    the same path without the extension (``a.txt`` with ``a.md``), else
    without a trailing language code too (``a.en.txt`` with ``a.ru.txt``,
    ``a_en.txt`` with ``a_ru.txt``).  A name two files share on one side
    pairs neither; every file left over is reported.

    :param source_dir: the folder of articles.
    :param target_dir: the folder of their translations."""
    src_root, tgt_root = _folder(source_dir, "source"), _folder(target_dir, "target")
    left = {p.relative_to(src_root): p for p in _files(src_root)}
    right = {p.relative_to(tgt_root): p for p in _files(tgt_root)}
    pairs: list[tuple[Path, Path]] = []
    for level in range(3):
        by_key: list[dict[str, list[Path]]] = []
        for side in (left, right):
            keyed: dict[str, list[Path]] = {}
            for relative in side:
                keyed.setdefault(_keys(relative)[level], []).append(relative)
            by_key.append(keyed)
        for key, sources in by_key[0].items():
            targets = by_key[1].get(key, [])
            if len(sources) == 1 and len(targets) == 1:
                pairs.append((left.pop(sources[0]), right.pop(targets[0])))
    unmatched = [Unmatched(display_path(p), f"no file of that name in {display_path(tgt_root)}")
                 for p in left.values()]
    unmatched += [Unmatched(display_path(p), f"no file of that name in {display_path(src_root)}")
                  for p in right.values()]
    return Matching(tuple(sorted(pairs)), tuple(unmatched))


def match_by_list(source_dir: str | Path, target_dir: str | Path, list_file: str | Path) -> Matching:
    """Pairs named in a TSV file, one ``source<TAB>target`` per line, paths
    relative to the two folders (blank lines and ``#`` comments skipped).
    A line without exactly one tab refuses the whole list; a named file that
    does not exist is reported and its pair left out.

    :param source_dir: the folder the source paths are relative to.
    :param target_dir: the folder the target paths are relative to.
    :param list_file: the TSV file."""
    from workbench.core.text.decoding import read_text_file

    src_root, tgt_root = _folder(source_dir, "source"), _folder(target_dir, "target")
    text, _ = read_text_file(Path(list_file))
    pairs: list[tuple[Path, Path]] = []
    unmatched: list[Unmatched] = []
    seen: set[tuple[Path, Path]] = set()
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) != 2 or not cells[0].strip() or not cells[1].strip():
            raise BadInputError(f"{display_path(Path(list_file))}: line {number}: expected "
                                "source<TAB>target, two relative paths")
        source, target = src_root / cells[0].strip(), tgt_root / cells[1].strip()
        missing = [p for p in (source, target) if not p.is_file()]
        if missing:
            unmatched += [Unmatched(display_path(p), f"named on line {number} of the list, "
                                                     "but there is no such file") for p in missing]
            continue
        if (source, target) not in seen:
            seen.add((source, target))
            pairs.append((source, target))
    return Matching(tuple(pairs), tuple(unmatched))


# --- the per-pair job (store-free, runs in any process) ------------------------------

@dataclass(frozen=True)
class PairJob:
    """What a worker needs to align one pair: paths and options, nothing else (picklable)."""
    source: Path
    target: Path
    source_lang: str | None = None
    target_lang: str | None = None
    presegmented: bool = False
    use_mt: bool = True
    packages_dir: Path | None = None


@dataclass(frozen=True)
class AlignedPair:
    """A job's result: both documents prepared and their links (sentence
    indices), or ``error``, one line naming the file that cannot be used."""
    job: PairJob
    source: object = None           # importing.PreparedArticle
    target: object = None
    links: tuple = ()               # align.Link
    used_mt: bool = False
    error: str | None = None
    seconds: float = 0.0            # time the job took in its worker


def _machine_translation(job: PairJob, sentences: list[str], src_lang: str, tgt_lang: str) -> list[str] | None:
    from workbench.core.translating import translate_texts_cached

    try:
        return translate_texts_cached(None, sentences, src_lang, tgt_lang, packages_dir=job.packages_dir)
    except ModelError:
        return None  # no usable model for the pair: the aligner works without MT


def align_pair_files(job: PairJob) -> AlignedPair:
    """Read, decode, segment and align one pair of files; the store is never touched.

    :param job: the two files and the options.
    Returns an ``AlignedPair``; a file that cannot be used gives one with
    ``error`` set (never an exception), so one bad file never stops a batch."""
    from workbench.core.align import Link, align
    from workbench.core.pairing import prepare_text

    started = time.perf_counter()
    try:
        src = prepare_text(job.source, job.source_lang, presegmented=job.presegmented)
        tgt = prepare_text(job.target, job.target_lang, presegmented=job.presegmented)
        if src.checksum == tgt.checksum:
            raise BadInputError(f"{display_path(job.source)} and {display_path(job.target)} are the same text")
        src_texts = [s.text for s in src.article.segments]
        tgt_texts = [s.text for s in tgt.article.segments]
        mt = (_machine_translation(job, src_texts, src.article.language, tgt.article.language)
              if job.use_mt else None)
        links = align(src_texts, tgt_texts, src.article.language, tgt.article.language,
                      src_paragraphs=[s.paragraph for s in src.article.segments],
                      tgt_paragraphs=[s.paragraph for s in tgt.article.segments], mt=mt)
    except WorkbenchError as error:
        return AlignedPair(job, error=str(error), seconds=time.perf_counter() - started)
    except Exception as error:  # noqa: BLE001 - one odd file must not stop a batch of hundreds
        log.exception("aligning %s with %s failed", job.source, job.target)
        return AlignedPair(job, error=f"{display_path(job.source)}: unexpected error: "
                                      f"{type(error).__name__}: {error}",
                           seconds=time.perf_counter() - started)
    links = tuple(Link(tuple(link.src), tuple(link.tgt), float(link.confidence)) for link in links)
    return AlignedPair(job, src, tgt, links, mt is not None, seconds=time.perf_counter() - started)


# --- runners: where the jobs run -----------------------------------------------------

Work = Callable[[PairJob], AlignedPair]
Runner = Callable[[Work, Sequence[PairJob]], Iterator[AlignedPair]]


def run_inline(work: Work, jobs: Sequence[PairJob]) -> Iterator[AlignedPair]:
    """Run the jobs one after the other in this process.

    :param work: the job function (``align_pair_files``).
    :param jobs: the jobs."""
    for job in jobs:
        yield work(job)


def _start_worker() -> None:
    """Workers leave Ctrl+C to the client, which stops them and reports; and
    they end when the client does, even when it is killed (-9) and cannot
    tell them: a thread waits on the parent's sentinel, which every platform
    signals when the parent process is gone."""
    import multiprocessing
    import os
    import signal
    import threading
    from multiprocessing.connection import wait

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = multiprocessing.parent_process()
    if parent is not None:
        def watch() -> None:
            wait([parent.sentinel])
            os._exit(1)

        threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def process_runner(processes: int) -> Runner:
    """A runner over ``processes`` worker processes (spawned, so they share
    nothing with the client: no database connection, no threads).  At most
    two jobs per process are queued at a time, so results stream back as
    they finish and a cancel drops the rest at once.

    :param processes: how many worker processes."""
    def run(work: Work, jobs: Sequence[PairJob]) -> Iterator[AlignedPair]:
        import multiprocessing
        from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
        from concurrent.futures.process import BrokenProcessPool

        pending_jobs = iter(jobs)
        in_flight = set()
        executor = ProcessPoolExecutor(max_workers=processes, mp_context=multiprocessing.get_context("spawn"),
                                       initializer=_start_worker)
        try:
            for job in pending_jobs:
                in_flight.add(executor.submit(work, job))
                if len(in_flight) >= 2 * processes:
                    break
            while in_flight:
                done, in_flight = wait(in_flight, return_when=FIRST_COMPLETED)
                for future in done:
                    try:
                        result = future.result()
                    except BrokenProcessPool:
                        raise WorkbenchError("a worker process died (out of memory?); the pairs stored so "
                                             "far are kept: run the command again to go on") from None
                    yield result
                    next_job = next(pending_jobs, None)
                    if next_job is not None:
                        in_flight.add(executor.submit(work, next_job))
        finally:
            executor.shutdown(wait=True, cancel_futures=True)
    return run


# --- the client: match, skip, dispatch, write ---------------------------------------

@dataclass(frozen=True)
class PairOutcome:
    """What became of one pair: imported now, imported before, or failed (with why)."""
    source: str
    target: str
    status: str                         # IMPORTED, ALREADY or FAILED
    source_document_id: int | None = None
    target_document_id: int | None = None
    links: int = 0
    used_mt: bool = False
    error: str | None = None


@dataclass(frozen=True)
class BatchResult:
    """A batch import: one outcome per matched pair (in the order they were
    written) and the files left unmatched."""
    outcomes: tuple[PairOutcome, ...]
    unmatched: tuple[Unmatched, ...] = ()
    seconds: float = 0.0
    pairs_aligned: int = field(default=0)   # pairs that went through a job (not skipped as imported)

    def count(self, status: str) -> int:
        """How many pairs ended with ``status`` (IMPORTED, ALREADY, FAILED).

        :param status: the status."""
        return sum(o.status == status for o in self.outcomes)


def _already_imported(store, source: Path, target: Path):
    """The stored pair for these two files, when both are stored and aligned
    with each other (None otherwise, or when a file cannot be read: the job says why)."""
    from workbench.core.pairing import existing_document

    src = existing_document(store, source)
    if src is None:
        return None
    tgt = existing_document(store, target)
    if tgt is None or tgt.translation_of != src.id or not store.is_aligned_with(src.id, tgt.id):
        return None
    return src, tgt


def import_pairs(store, source_dir: str | Path, target_dir: str | Path, *, match: str = "name",
                 list_file: str | Path | None = None, source_lang: str | None = None,
                 target_lang: str | None = None, presegmented: bool = False, use_mt: bool = True,
                 keep_targets: bool | None = None, jobs: int = 1, runner: Runner | None = None,
                 packages_dir: Path | None = None,
                 on_pair: Callable[[PairOutcome], None] = lambda outcome: None,
                 progress: ProgressFn = no_progress,
                 cancelled: CancelledFn = never_cancelled) -> BatchResult:
    """Import and align every pair of files of two folders; resumable.

    Pairs whose two files are stored and aligned already are skipped without
    being read again (``ALREADY``); every other pair is aligned by a job and
    stored in a transaction of its own, as the results arrive.  A pair with a
    file that cannot be used, or that the store refuses (a file already the
    translation of another document...), is reported (``FAILED``) and the
    run goes on.

    :param store: the store to write (only this process writes).
    :param source_dir: the folder of articles.
    :param target_dir: the folder of their translations.
    :param match: "name" (``match_by_name``) or "list" (``match_by_list``).
    :param list_file: the TSV list of pairs, with ``match="list"``.
    :param source_lang: the articles' language (detected when None).
    :param target_lang: the translations' language (detected when None).
    :param presegmented: one sentence per line in every file, never re-split.
    :param use_mt: use an installed model's MT as a signal (in the jobs, without the MT cache).
    :param keep_targets: an article imported before that a person post-edited:
        True keep the targets, False replace them, None refuse that pair.
    :param jobs: worker processes (1: this process), when ``runner`` is None.
    :param runner: where the jobs run (``run_inline``, ``process_runner``, or a cluster's).
    :param packages_dir: where the models are (default: the Argos directory).
    :param on_pair: called with each pair's outcome as it is known.
    :param progress: ``progress(fraction, message)``.
    :param cancelled: polled between pairs; True stops the run: the pairs
        stored so far stay, and ``Cancelled`` (its ``partial`` the
        ``BatchResult`` so far) says how many.
    """
    from workbench.core.pairing import store_pair

    started = time.perf_counter()
    if match not in MATCH_MODES:
        raise BadInputError(f"unknown match {match!r}: use one of {', '.join(MATCH_MODES)}")
    if match == "list":
        if list_file is None:
            raise BadInputError("matching by list needs the list file (source<TAB>target per line)")
        matching = match_by_list(source_dir, target_dir, list_file)
    else:
        matching = match_by_name(source_dir, target_dir)
    if jobs < 1:
        raise BadInputError(f"{jobs} jobs: at least one is needed")
    runner = runner or (run_inline if jobs == 1 else process_runner(jobs))
    outcomes: list[PairOutcome] = []
    total = len(matching.pairs)

    def record(outcome: PairOutcome) -> None:
        outcomes.append(outcome)
        on_pair(outcome)

    def result(aligned: int) -> BatchResult:
        return BatchResult(tuple(outcomes), matching.unmatched, time.perf_counter() - started, aligned)

    todo: list[PairJob] = []
    for number, (source, target) in enumerate(matching.pairs):
        if cancelled():
            raise Cancelled("import-pairs stopped before any pair was imported", partial=result(0))
        if number % 50 == 0:
            progress(0.0, f"looking for pairs imported before ({number} of {total})")
        stored = _already_imported(store, source, target)
        if stored is not None:
            record(PairOutcome(display_path(source), display_path(target), ALREADY, stored[0].id,
                               stored[1].id, len(store.unit_ids(stored[0].id))))
        else:
            todo.append(PairJob(source, target, source_lang, target_lang, presegmented, use_mt,
                                Path(packages_dir) if packages_dir else None))
    progress(len(outcomes) / max(total, 1), f"{len(outcomes)} of {total} pairs imported before")
    aligned = 0
    results = runner(align_pair_files, todo)
    try:
        for done in results:
            aligned += 1
            source, target = display_path(done.job.source), display_path(done.job.target)
            if done.error is not None:
                record(PairOutcome(source, target, FAILED, error=done.error))
            else:
                try:
                    pair = store_pair(store, done.source, done.target, links=done.links, used_mt=done.used_mt,
                                      use_mt=use_mt, keep_targets=keep_targets, packages_dir=packages_dir,
                                      cancelled=cancelled)
                except DatabaseError as error:
                    # Busy, read-only, full or damaged: every other pair would fail the same way.
                    kept = sum(o.status == IMPORTED for o in outcomes)
                    raise type(error)(f"{error} (the {kept} pair(s) imported before are kept: run "
                                      "import-pairs again to go on)") from error
                except WorkbenchError as error:
                    record(PairOutcome(source, target, FAILED, error=str(error)))
                else:
                    record(PairOutcome(source, target, IMPORTED if pair.created else ALREADY,
                                       pair.source_document_id, pair.target_document_id, pair.links,
                                       pair.used_mt))
            elapsed = time.perf_counter() - started
            progress(len(outcomes) / max(total, 1),
                     f"{len(outcomes)} of {total} pairs ({aligned / elapsed:.1f} pairs/s)")
            if cancelled():
                so_far = result(aligned)
                raise Cancelled(f"import-pairs stopped: {so_far.count(IMPORTED)} pair(s) imported and kept; "
                                "run it again to import the rest", partial=so_far)
    finally:
        close = getattr(results, "close", None)
        if close is not None:
            close()  # a generator runner drops the jobs not started
    return result(aligned)
