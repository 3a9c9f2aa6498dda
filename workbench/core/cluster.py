"""Batch work on a Dask cluster: the same jobs, more machines, one writer.

A cluster is named by an address: ``local`` or ``local:N`` starts a Dask
``LocalCluster`` of N worker processes on this machine (N: one per core when
omitted); ``tcp://host:8786`` (or ``host:8786``) connects to a running Dask
scheduler (``dask scheduler`` on one machine, ``dask worker tcp://host:8786``
on each of the others).  Without a cluster every job runs in this process,
as it always has; nothing here is imported then, and Dask is needed only
when a cluster is asked for (``pip install 'workbench[cluster]'``).

What goes to the workers is store-free and picklable; what comes back is
written by the caller alone, in this process, through the ``Store``: the
database keeps its single writer whatever the number of workers.

* Pairs (``Cluster.pair_runner``): shards of ``batch_pairs.PairJob``.  The
  files' bytes travel with the job (a worker needs no shared file system);
  the worker writes them to a private temporary folder under the same names,
  runs ``align_pair_files`` and hands back the result with the client's
  paths.
* Machine translation (``Cluster.mt_runner``): shards of distinct source
  texts (the batches ``translating.translate_documents`` plans).  A model is
  named by a ``PackageRef``: code, version and content hash
  (``packages.fingerprint``).  A worker uses a package with that hash that
  it has already (the client's path when the file system is shared, or one
  installed in the worker's own Argos packages folder), else the package the
  client sent: zipped once per run, scattered to every worker once, unpacked
  into the worker's temporary folder once.  The loaded model stays in the
  worker process (the engine's registry), so it is loaded once per worker.

Shards are submitted a few per worker at a time (``as_completed``), so a
cancel drops little work and results stream back as they finish.  A worker
that dies (killed, out of memory) loses its shard to the scheduler, which
runs it again on another worker (Dask's ``allowed-failures``); a task that
raises is retried once.  Closing the stream (the caller stops: cancel,
Ctrl+C, an error) cancels every shard not yet finished.
"""
from __future__ import annotations

import hashlib
import io
import logging
import os
import re
import shutil
import socket
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from workbench.core.errors import BadInputError, ModelError, WorkbenchError

log = logging.getLogger(__name__)

# Seconds to wait for a scheduler (and for its first worker) before saying it cannot be reached.
CONNECT_TIMEOUT = float(os.environ.get("WORKBENCH_CLUSTER_TIMEOUT", "4"))
# Shards queued per worker thread: enough to keep every worker busy while a
# result travels back, few enough that a cancel drops little.
SHARDS_PER_WORKER = 2
# Pairs per shard (a pair takes ~0.05-0.5 s to align: a few per task amortise the round trip).
PAIRS_PER_SHARD = 4
# A task that raises (not a dead worker: the scheduler handles those) runs once more.
RETRIES = 1

_ADDRESS = re.compile(r"^(?:(tcp|tls|ws|wss|inproc|ucx)://)?(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5})$")


@dataclass(frozen=True)
class ClusterSpec:
    """Where batch work runs: a local cluster of ``workers`` processes, or the scheduler at ``address``."""
    address: str | None = None      # "tcp://host:8786"; None: a LocalCluster on this machine
    workers: int | None = None      # processes of a LocalCluster (None: one per core)

    @property
    def local(self) -> bool:
        """A LocalCluster started (and stopped) by this process."""
        return self.address is None


def parse_cluster(text: str) -> ClusterSpec:
    """Read a cluster address: ``local``, ``local:N`` or ``[tcp://]host:port``.

    :param text: the address as the user wrote it.
    Raises ``BadInputError`` with the accepted forms for anything else."""
    value = (text or "").strip()
    if value == "local":
        return ClusterSpec(None, None)
    if value.startswith("local:"):
        count = value[len("local:"):]
        if not count.isdigit() or not 1 <= int(count) <= 512:
            raise BadInputError(f"cluster {text!r}: local:N takes a number of worker processes from 1 to 512")
        return ClusterSpec(None, int(count))
    found = _ADDRESS.match(value)
    if found is None or not 0 < int(found.group(3)) < 65536:
        raise BadInputError(f"cluster {text!r} is not an address: use local, local:N (N worker processes on "
                            "this machine) or tcp://HOST:PORT of a Dask scheduler")
    return ClusterSpec(value if found.group(1) else f"tcp://{value}", None)


def _distributed():
    try:
        import distributed
    except ImportError:
        raise WorkbenchError("running on a cluster needs Dask's distributed package, which is not installed: "
                             "pip install 'workbench[cluster]' (or: pip install 'dask[distributed]')") from None
    return distributed


def _cpu_count() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


# --- models on workers ------------------------------------------------------------

@dataclass(frozen=True)
class PackageRef:
    """A model as a worker finds it: by content hash, not by path."""
    code: str
    version: str
    fingerprint: str
    folder: str             # the package folder's name ("translate-en_ru-1_9")
    path: str               # where the client has it (used when a worker sees the same file system)


def package_ref(package) -> PackageRef:
    """The reference of an installed package (its content hash computed, or read from its memo).

    :param package: a ``packages.ModelPackage``."""
    from workbench.core.mt.packages import fingerprint

    return PackageRef(package.code, str(package.package_version), fingerprint(package), package.path.name,
                      str(package.path))


def package_bytes(package) -> bytes:
    """A package folder zipped in memory, to send to workers that lack it.

    :param package: a ``packages.ModelPackage``."""
    from workbench.core.mt.packages import HASH_FILE

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:  # model weights do not compress
        for path in sorted(package.path.rglob("*")):
            if path.is_file() and path.name != HASH_FILE:
                archive.write(path, path.relative_to(package.path).as_posix())
    return buffer.getvalue()


_resolved: dict[str, Any] = {}   # in a worker: fingerprint -> ModelPackage


def _worker_cache() -> Path:
    return Path(tempfile.gettempdir()) / f"workbench-worker-models-{os.getuid() if hasattr(os, 'getuid') else 0}"


def _matching(path: Path, ref: PackageRef):
    from workbench.core.mt.packages import fingerprint, read_package

    try:
        package = read_package(path)
        return package if fingerprint(package) == ref.fingerprint else None
    except (WorkbenchError, OSError):
        return None


def resolve_package(ref: PackageRef, payload: bytes | None = None):
    """The package ``ref`` names, on this (worker) machine; found once per process.

    Looked for, in order: the client's path (a shared file system), the
    worker's own installed packages with the same code, and ``payload`` (the
    zipped package the client sent), unpacked once into the temporary folder.
    Each candidate must have the same content hash.

    :param ref: the package wanted.
    :param payload: its zipped files, or None when the client sent none.
    Raises ``ModelError`` naming the host when none fits."""
    from workbench.core.mt.packages import list_installed

    found = _resolved.get(ref.fingerprint)
    if found is not None:
        return found
    candidates = [Path(ref.path)] if Path(ref.path).is_dir() else []
    try:
        candidates += [p.path for p in list_installed() if p.code == ref.code]
    except (WorkbenchError, OSError):
        pass
    for path in candidates:
        package = _matching(path, ref)
        if package is not None:
            _resolved[ref.fingerprint] = package
            return package
    if payload is not None:
        home = _worker_cache() / ref.fingerprint[:32]
        final = home / ref.folder
        if not final.is_dir():
            home.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(prefix=".unpack-", dir=home))
            try:
                with zipfile.ZipFile(io.BytesIO(payload)) as archive:
                    for member in archive.namelist():  # our own archive, but never outside the folder
                        if member.startswith("/") or ".." in Path(member).parts:
                            raise ModelError(f"model {ref.code}: a bad member {member!r} in the package sent")
                    archive.extractall(staging / ref.folder)
                try:
                    os.rename(staging / ref.folder, final)
                except OSError:  # another worker process of this machine was first
                    pass
            finally:
                shutil.rmtree(staging, ignore_errors=True)
        package = _matching(final, ref)
        if package is not None:
            _resolved[ref.fingerprint] = package
            return package
    raise ModelError(f"worker {socket.gethostname()}: model {ref.code} {ref.version} (hash {ref.fingerprint[:12]}) "
                     "is not installed there with the same files: install the same package on every worker, "
                     "or let the workbench send it")


def translate_on_worker(texts: Sequence[str], refs: Sequence[PackageRef], beam_size: int | None,
                        threads: int | None, *payloads: bytes | None) -> list[str]:
    """Translate a shard of texts through a chain of packages, on a worker.

    :param texts: the distinct source texts of the shard.
    :param refs: the chain's packages, in order.
    :param beam_size: the beam (None: the engine's default).
    :param threads: CTranslate2 threads per worker (None: every core of the worker's machine).
    :param payloads: the zipped packages, one per ref (None where none was sent)."""
    from workbench.core.mt import engine

    payloads = payloads or (None,) * len(refs)
    chain = [resolve_package(ref, payload) for ref, payload in zip(refs, payloads, strict=True)]
    outputs = list(texts)
    for package in chain:
        outputs = engine.get_translator(package, threads=threads).translate(outputs, beam_size=beam_size)
    return outputs


# --- pairs on workers --------------------------------------------------------------

@dataclass(frozen=True)
class ShippedPair:
    """A pair job with its two files' bytes (a worker needs no shared file system)."""
    job: Any                        # batch_pairs.PairJob, with the client's paths
    source_bytes: bytes
    target_bytes: bytes


def _package_set(refs: Sequence[PackageRef], payloads: Sequence[bytes | None]) -> Path:
    """A packages folder holding exactly these packages (links), for ``find_pair`` on a worker."""
    chain = [resolve_package(ref, payload) for ref, payload in zip(refs, payloads, strict=True)]
    name = hashlib.sha256("+".join(r.fingerprint for r in refs).encode()).hexdigest()[:24]
    folder = _worker_cache() / "sets" / name
    if not folder.is_dir():
        _worker_cache().mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".set-", dir=_worker_cache()))
        for package in chain:
            (staging / package.path.name).symlink_to(package.path, target_is_directory=True)
        folder.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.rename(staging, folder)
        except OSError:
            shutil.rmtree(staging, ignore_errors=True)
    return folder


def align_shipped_pairs(pairs: Sequence[ShippedPair], refs: Sequence[PackageRef], *payloads: bytes | None) -> list:
    """Align a shard of pairs on a worker: each pair's files written to a
    private temporary folder under their own names, ``align_pair_files`` run
    on them, and the result given back with the client's paths.

    :param pairs: the jobs and their files' bytes.
    :param refs: the MT chain sent for the aligner's MT signal (empty: the worker's own models).
    :param payloads: the zipped packages of ``refs`` (None where none was sent)."""
    from workbench.core.batch_pairs import AlignedPair, align_pair_files
    from workbench.core.paths import display_path

    packages = None
    if refs:
        try:
            packages = _package_set(refs, payloads or (None,) * len(refs))
        except ModelError:
            packages = None  # as in this process without a model: the aligner works without MT
    results = []
    for shipped in pairs:
        job = shipped.job
        with tempfile.TemporaryDirectory(prefix="workbench-pair-") as tmp:
            src, tgt = Path(tmp) / "source" / job.source.name, Path(tmp) / "target" / job.target.name
            for path, data in ((src, shipped.source_bytes), (tgt, shipped.target_bytes)):
                path.parent.mkdir()
                path.write_bytes(data)
            where = packages if packages is not None else (
                job.packages_dir if job.packages_dir is not None and Path(job.packages_dir).is_dir() else None)
            done: AlignedPair = align_pair_files(replace(job, source=src, target=tgt, packages_dir=where))
        error = done.error
        if error is not None:
            for temporary, original in ((src, job.source), (tgt, job.target)):
                error = error.replace(display_path(temporary), display_path(original))
        results.append(replace(
            done, job=job, error=error,
            source=replace(done.source, path=job.source) if done.source is not None else None,
            target=replace(done.target, path=job.target) if done.target is not None else None))
    return results


# --- the client -------------------------------------------------------------------------

class Cluster:
    """A connection to a Dask cluster (started here for ``local``), used as a context manager.

    ``stream`` runs tasks and yields their results as they finish;
    ``pair_runner`` and ``mt_runner`` fit the runners of ``batch_pairs`` and
    ``translating``."""

    def __init__(self, spec: ClusterSpec | str, *, timeout: float | None = None,
                 ship_models: bool | None = None):
        """:param spec: the cluster (a ``ClusterSpec``, or an address for ``parse_cluster``).
        :param timeout: seconds to wait for the scheduler and its first worker (default ``CONNECT_TIMEOUT``).
        :param ship_models: send the models to the workers (False: every worker has them
            installed; None: send them to a remote cluster, not to a local one, which shares
            this machine's files)."""
        self.spec = parse_cluster(spec) if isinstance(spec, str) else spec
        self.timeout = CONNECT_TIMEOUT if timeout is None else timeout
        self.ship_models = (not self.spec.local) if ship_models is None else ship_models
        self.client = None
        self._local = None
        self._scattered: dict[str, Any] = {}   # fingerprint -> future of the zipped package

    # -- connecting ------------------------------------------------------------------
    def __enter__(self) -> Cluster:
        self.connect()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def connect(self) -> None:
        """Start the local cluster, or connect to the scheduler; ``WorkbenchError`` (one line) when it cannot."""
        distributed = _distributed()
        if self.spec.local:
            workers = self.spec.workers or _cpu_count()
            try:
                self._local = distributed.LocalCluster(
                    n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0",
                    silence_logs=logging.ERROR)
                self.client = distributed.Client(self._local, timeout=max(self.timeout, 30))
            except Exception as exc:  # noqa: BLE001 - whatever failed, one line and nothing started
                self.close()
                raise WorkbenchError(f"cannot start a local cluster of {workers} worker processes: "
                                     f"{_one_line(exc)}") from None
            return
        address = self.spec.address
        try:
            self.client = distributed.Client(address, timeout=self.timeout)
        except Exception as exc:  # noqa: BLE001 - refused, timed out, not a scheduler...
            raise WorkbenchError(f"cannot reach the Dask scheduler at {address} within {self.timeout:g} s "
                                 f"({_one_line(exc)}): is 'dask scheduler' running there, and the port "
                                 "open? nothing was changed") from None
        try:
            self.client.wait_for_workers(1, timeout=self.timeout)
        except Exception:  # noqa: BLE001
            self.close()
            raise WorkbenchError(f"the Dask scheduler at {address} has no workers (start some: dask worker "
                                 f"{address}); nothing was changed") from None

    def close(self) -> None:
        """Disconnect; a local cluster is stopped with its worker processes."""
        for closing in (self.client, self._local):
            if closing is not None:
                try:
                    closing.close()
                except Exception:  # noqa: BLE001 - closing after a failure: nothing more to say
                    log.debug("closing %s failed", closing, exc_info=True)
        self.client = self._local = None
        self._scattered.clear()

    # -- what it is ----------------------------------------------------------------------
    @property
    def dashboard_link(self) -> str | None:
        """The Dask dashboard's address, when the scheduler serves one."""
        try:
            return self.client.dashboard_link if self.client is not None else None
        except Exception:  # noqa: BLE001 - no dashboard (bokeh missing on the scheduler)
            return None

    def worker_threads(self) -> int:
        """Task slots of the cluster now (worker threads, summed)."""
        info = self.client.scheduler_info()
        return max(1, sum(w.get("nthreads", 1) for w in info.get("workers", {}).values()))

    def describe(self) -> str:
        """One line: where the work runs."""
        info = self.client.scheduler_info()
        workers = len(info.get("workers", {}))
        where = "a local cluster" if self.spec.local else f"the cluster at {self.spec.address}"
        return f"{where}: {workers} worker(s), {self.worker_threads()} thread(s)"

    def mt_threads(self) -> int | None:
        """CTranslate2 threads per worker: the cores shared by the local workers; None (every core
        of the worker's machine) on a remote cluster, where one worker per machine is the advice."""
        if self.spec.local:
            return max(1, _cpu_count() // max(1, self.spec.workers or _cpu_count()))
        return None

    # -- running -----------------------------------------------------------------------
    def stream(self, tasks: Iterable[tuple[Any, Callable, tuple]], *,
               in_flight: int | None = None) -> Iterator[tuple[Any, Any]]:
        """Run ``(tag, function, args)`` tasks on the cluster, a few per worker at
        a time, and yield ``(tag, result)`` as each finishes (any order).

        :param tasks: pulled lazily, as slots free up.
        :param in_flight: tasks queued at once (default: ``SHARDS_PER_WORKER`` per worker thread).
        Closing the iterator cancels the tasks not finished.  A task that
        killed several workers in turn raises a ``WorkbenchError``."""
        distributed = _distributed()
        limit = in_flight or SHARDS_PER_WORKER * self.worker_threads()
        pending = iter(tasks)
        tags: dict[Any, Any] = {}
        finished = distributed.as_completed()

        def submit_more() -> None:
            while len(tags) < limit:
                task = next(pending, None)
                if task is None:
                    return
                tag, function, args = task
                future = self.client.submit(function, *args, pure=False, retries=RETRIES)
                tags[future] = tag
                finished.add(future)

        try:
            submit_more()
            while tags:
                future = next(finished)
                tag = tags.pop(future)
                try:
                    result = future.result()
                except distributed.KilledWorker:
                    raise WorkbenchError("a shard of work crashed every worker it was given to (out of memory?): "
                                         "what was written so far is kept; run the command again to go on") from None
                except WorkbenchError:
                    raise
                except (OSError, distributed.client.FutureCancelledError) as exc:
                    raise WorkbenchError(f"the work failed on the cluster: {_one_line(exc)}; what was written so "
                                         "far is kept: run the command again to go on") from None
                future.release()
                submit_more()
                yield tag, result
        finally:
            if tags:
                try:
                    self.client.cancel(list(tags))
                except Exception:  # noqa: BLE001 - the cluster may be gone already
                    log.debug("cancelling %d tasks failed", len(tags), exc_info=True)

    def _ship(self, packages: Sequence) -> tuple[list[PackageRef], list]:
        """References of a chain, and what to pass for each: the scattered zip, or None."""
        refs = [package_ref(p) for p in packages]
        payloads: list = []
        for package, ref in zip(packages, refs):
            if not self.ship_models:
                payloads.append(None)
                continue
            if ref.fingerprint not in self._scattered:
                self._scattered[ref.fingerprint] = self.client.scatter(package_bytes(package), broadcast=True,
                                                                       hash=False)
            payloads.append(self._scattered[ref.fingerprint])
        return refs, payloads

    def pair_runner(self, *, pairs_per_shard: int = PAIRS_PER_SHARD):
        """A runner for ``batch_pairs.import_pairs``: shards of pairs, the files' bytes sent along.

        :param pairs_per_shard: pairs per task."""
        def run(work, jobs):
            from workbench.core.batch_pairs import AlignedPair, align_pair_files

            if work is not align_pair_files:
                raise ValueError("the cluster's pair runner runs align_pair_files")
            jobs = list(jobs)
            refs, payloads = self._alignment_models(jobs)

            def tasks():
                for start in range(0, len(jobs), pairs_per_shard):
                    shard = jobs[start:start + pairs_per_shard]
                    shipped, unreadable = [], []
                    for job in shard:
                        try:
                            shipped.append(ShippedPair(job, job.source.read_bytes(), job.target.read_bytes()))
                        except OSError as exc:
                            from workbench.core.paths import display_path

                            path = job.source if not job.source.is_file() else job.target
                            unreadable.append(AlignedPair(job, error=f"{display_path(path)}: cannot read: "
                                                                     f"{exc.strerror or exc}"))
                    if unreadable:
                        yield unreadable, None, ()
                    if shipped:
                        yield None, align_shipped_pairs, (shipped, refs, *payloads)

            local_results = []

            def remote():
                for tag, function, args in tasks():
                    if function is None:
                        local_results.extend(tag)
                        continue
                    yield None, function, args

            for _tag, results in self.stream(remote()):
                while local_results:
                    yield local_results.pop()
                yield from results
            while local_results:
                yield local_results.pop()
        return run

    def _alignment_models(self, jobs: Sequence) -> tuple[list[PackageRef], list]:
        """The MT chain to send for the aligner when every job names both languages (else the workers'
        own models are used)."""
        from workbench.core.mt.packages import find_pair

        wanted = {(j.source_lang, j.target_lang, j.packages_dir) for j in jobs if j.use_mt}
        if len(wanted) != 1:
            return [], []
        source_lang, target_lang, packages_dir = wanted.pop()
        if not (source_lang and target_lang):
            return [], []
        try:
            chain = find_pair(source_lang, target_lang, packages_dir=packages_dir)
        except ModelError:
            return [], []
        return self._ship(chain)

    def mt_runner(self):
        """A runner for ``translating.translate_documents``: each shard (a chain of
        packages and distinct texts) translated on a worker."""
        threads = self.mt_threads()

        def run(shards):
            def tasks():
                for shard in shards:
                    refs, payloads = self._ship(shard.chain)
                    yield shard, translate_on_worker, (list(shard.texts), refs, shard.beam_size, threads, *payloads)

            yield from self.stream(tasks())
        return run


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__
