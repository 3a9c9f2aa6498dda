"""Argos Translate packages: list, validate, install, remove.

Reads Argos 1.9+ package directories (``metadata.json``, ``model/`` for
CTranslate2, ``sentencepiece.model`` or ``bpe.model``, optional ``stanza/`` or
``minisbd/``) itself, so listing models never imports argostranslate's heavy
translation stack.  An archive is checked completely before anything is
written, then extracted into a staging folder next to the packages, load-tested
there (in a child process: a hostile model must not take the caller down),
synced to disk and only then moved into place: a bad file, a model that does
not load or a kill at any moment leaves a complete package for the pair.

Each installed package carries a content hash of the files that decide its
output (``fingerprint``), which keys the MT cache: an upgrade, or the same
version with other weights, never reuses the old model's translations.
"""
from __future__ import annotations

import hashlib
import json
import math
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from workbench.core.errors import BadInputError, ModelError, NoModelError
from workbench.core.progress import Cancelled, CancelledFn, ProgressFn, never_cancelled, no_progress

MAX_ARCHIVE_MEMBERS = 10_000
MAX_UNCOMPRESSED_BYTES = 2 * 1024**3     # the largest real Argos models are ~500 MB
MAX_COMPRESSION_RATIO = 200              # zip bombs compress far better than models
MAX_METADATA_BYTES = 1024**2             # real metadata.json files are a few kB
_LANG = re.compile(r"^[a-z]{2,3}([_-][A-Za-z]{2,4})?$")
# A package folder name: what Argos writes ("translate-en_ru-1_9", "en_ru").  No
# leading dot (hidden, and the installer's own staging folders start with one),
# no dash first, no spaces or control characters.
_FOLDER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$")
_VERSION = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._+-]{0,31}$")
_TEXT_FIELDS = {"from_name": 100, "to_name": 100, "argos_version": 32}
# Compression methods zipfile reads: stored, deflate, bzip2, lzma.
_READABLE_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}


@dataclass(frozen=True)
class ModelPackage:
    code: str               # "translate-en_ru": the provenance name stored with each MT
    from_code: str
    to_code: str
    from_name: str
    to_name: str
    package_version: str
    argos_version: str
    path: Path
    size_bytes: int
    target_prefix: str      # token forced at the start of the output (multilingual models)
    tokenizer: str          # "sentencepiece" | "bpe"
    sbd: str | None         # "stanza" | "minisbd" | None: Argos' own splitter, unused here

    @property
    def pair(self) -> str:
        return f"{self.from_code}→{self.to_code}"


def packages_dir() -> Path:
    """Where Argos keeps packages: ``ARGOS_PACKAGES_DIR``, else Argos' default."""
    env = os.environ.get("ARGOS_PACKAGES_DIR")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "argos-translate" / "packages"


def _dir(packages: str | Path | None) -> Path:
    return Path(packages) if packages is not None else packages_dir()


def _shown(value: object, limit: int = 40) -> str:
    """A value for a one-line message: repr (escapes newlines), cut short."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text)} characters)"


def _printable(text: str) -> bool:
    return text.isprintable()


def _check_metadata(metadata: object, where: str) -> dict:
    if not isinstance(metadata, dict):
        raise BadInputError(f"{where}: metadata.json is not a JSON object")
    for key in ("from_code", "to_code"):
        value = metadata.get(key)
        if not isinstance(value, str) or not _LANG.match(value):
            raise BadInputError(f"{where}: metadata.json has no valid {key!r} (got {_shown(value)})")
    if metadata["from_code"] == metadata["to_code"]:
        raise BadInputError(f"{where}: metadata.json translates {metadata['from_code']!r} into the same language")
    kind = metadata.get("type", "translate")
    if kind != "translate":
        raise BadInputError(f"{where}: a {_shown(kind)} package, not a translation model")
    version = metadata.get("package_version")
    if version is None or (isinstance(version, str) and not version.strip()):
        raise BadInputError(f"{where}: metadata.json has no package_version")
    # The version names the package in provenance and orders upgrades: a short
    # dotted label, never a bool, an infinity or a 100 000-digit number.
    if (isinstance(version, bool) or not isinstance(version, (str, int, float))
            or (isinstance(version, float) and not math.isfinite(version))
            or not _VERSION.match(str(version)) or re.search(r"\d{10}", str(version))):
        raise BadInputError(f"{where}: metadata.json has an unusable package_version {_shown(version)}")
    prefix = metadata.get("target_prefix")
    if prefix not in (None, "") and not (isinstance(prefix, str) and len(prefix) <= 64
                                         and _printable(prefix) and not prefix.isspace()):
        raise BadInputError(f"{where}: metadata.json has an unusable target_prefix {_shown(prefix)}")
    for key, limit in _TEXT_FIELDS.items():
        value = metadata.get(key)
        if value is not None and not (isinstance(value, (str, int, float)) and not isinstance(value, bool)
                                      and len(str(value)) <= limit and _printable(str(value))):
            raise BadInputError(f"{where}: metadata.json has an unusable {key} {_shown(value)}")
    return metadata


def read_package(path: str | Path) -> ModelPackage:
    path = Path(path)
    try:
        metadata = json.loads((path / "metadata.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError(f"{path} is not an Argos package (no metadata.json)") from None
    except (OSError, ValueError) as exc:
        raise ModelError(f"{path}: unreadable metadata.json ({exc})") from None
    try:
        metadata = _check_metadata(metadata, str(path))
    except BadInputError as exc:
        raise ModelError(str(exc)) from None
    if not (path / "model" / "model.bin").is_file():
        raise ModelError(f"{path}: no CTranslate2 model (model/model.bin)")
    tokenizer = "bpe" if (path / "bpe.model").is_file() else "sentencepiece"
    if tokenizer == "sentencepiece" and not (path / "sentencepiece.model").is_file():
        raise ModelError(f"{path}: no sentencepiece.model or bpe.model")
    sbd = next((name for name in ("minisbd", "stanza") if (path / name).exists()), None)
    size = sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
    from_code, to_code = metadata["from_code"], metadata["to_code"]
    return ModelPackage(
        code=f"translate-{from_code}_{to_code}", from_code=from_code, to_code=to_code,
        from_name=str(metadata.get("from_name", from_code)), to_name=str(metadata.get("to_name", to_code)),
        package_version=str(metadata["package_version"]),
        argos_version=str(metadata.get("argos_version", "")), path=path, size_bytes=size,
        target_prefix=str(metadata.get("target_prefix", "") or ""), tokenizer=tokenizer, sbd=sbd)


def list_installed(packages_dir: str | Path | None = None) -> list[ModelPackage]:
    """Installed translation packages (broken directories are skipped)."""
    root = _dir(packages_dir)
    if not root.is_dir():
        return []
    found = []
    for child in sorted(root.iterdir()):
        if child.is_dir() and not child.name.startswith("."):
            try:
                found.append(read_package(child))
            except ModelError:
                continue
    return found


def how_to_install(from_code: str, to_code: str) -> str:
    return (f"no {from_code}→{to_code} model installed; install one with: workbench models install "
            f"FILE.argosmodel  (or, when online: workbench models install {from_code} {to_code})")


def find_pair(from_code: str, to_code: str, packages_dir: str | Path | None = None) -> list[ModelPackage]:
    """The model chain for a pair: direct, else through English (as Argos pivots).

    :param from_code: the source language.
    :param to_code: the target language.
    :param packages_dir: the packages directory (Argos' default when None).
    Raises NoModelError when neither is installed."""
    if from_code == to_code:
        raise BadInputError(f"source and target language are both {from_code!r}")
    installed = list_installed(packages_dir)

    def best(a: str, b: str) -> ModelPackage | None:
        matches = [p for p in installed if p.from_code == a and p.to_code == b]
        return max(matches, key=lambda p: _version_key(p.package_version)) if matches else None

    direct = best(from_code, to_code)
    if direct:
        return [direct]
    if "en" not in (from_code, to_code):
        first, second = best(from_code, "en"), best("en", to_code)
        if first and second:
            return [first, second]
    raise NoModelError(how_to_install(from_code, to_code))


def _version_key(version: str) -> tuple:
    return tuple(int(p) if p.isdigit() else 0 for p in re.split(r"[._-]", version))


# -- content hash ------------------------------------------------------------------

# Written into each package folder at install (or on first use of a package
# installed by Argos itself): the hash, and the size and mtime of every hashed
# file, so the hash is recomputed only when one of them changed.
HASH_FILE = ".workbench-hash.json"
_fingerprints: dict[str, tuple[list, str]] = {}  # in-process memo: folder -> (signature, hash)


def _hashed_files(path: Path) -> list[Path]:
    """The files that decide a package's output: the CTranslate2 model folder and the tokenizer."""
    files = sorted(p for p in (path / "model").rglob("*") if p.is_file())
    return files + [path / name for name in ("sentencepiece.model", "bpe.model") if (path / name).is_file()]


def _signature(path: Path, files: list[Path], target_prefix: str) -> list:
    signature: list = [["target_prefix", target_prefix]]
    for file in files:
        info = file.stat()
        signature.append([file.relative_to(path).as_posix(), info.st_size, info.st_mtime_ns])
    return signature


def _hash_model_files(path: Path, files: list[Path], target_prefix: str) -> str:
    digest = hashlib.sha256(f"target_prefix={target_prefix}\n".encode())
    for file in files:
        digest.update(f"{file.relative_to(path).as_posix()}\n".encode())
        with file.open("rb") as fh:
            while block := fh.read(1 << 20):
                digest.update(block)
    return digest.hexdigest()


def fingerprint(package: ModelPackage) -> str:
    """SHA-256 of the files that decide a package's output (``model/``, the
    tokenizer) and its target prefix: the MT cache's notion of "the same model".

    Hashing a real model reads ~100-500 MB, so the result is memoised in this
    process and in ``HASH_FILE`` inside the package, both keyed by each file's
    size and mtime: at translate time only a few ``stat`` calls are made.

    :param package: an installed (or staged) package."""
    try:
        files = _hashed_files(package.path)
        signature = _signature(package.path, files, package.target_prefix)
    except OSError as exc:  # removed or replaced under us
        raise ModelError(f"cannot read model {package.code} ({package.path.name}): "
                         f"{exc.strerror or exc}") from None
    memo = _fingerprints.get(str(package.path))
    if memo and memo[0] == signature:
        return memo[1]
    digest = None
    try:
        stored = json.loads((package.path / HASH_FILE).read_text(encoding="utf-8"))
        if (isinstance(stored, dict) and stored.get("signature") == signature
                and re.fullmatch(r"[0-9a-f]{64}", str(stored.get("sha256")))):
            digest = stored["sha256"]
    except (OSError, ValueError, RecursionError):
        pass
    if digest is None:
        try:
            digest = _hash_model_files(package.path, files, package.target_prefix)
        except OSError as exc:
            raise ModelError(f"cannot read model {package.code} ({package.path.name}): "
                             f"{exc.strerror or exc}") from None
        try:  # best effort: a read-only system-wide package is hashed once per process
            _write_atomically(package.path / HASH_FILE,
                              json.dumps({"sha256": digest, "signature": signature}).encode())
        except OSError:
            pass
    _fingerprints[str(package.path)] = (signature, digest)
    return digest


def _write_atomically(target: Path, data: bytes) -> None:
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


# -- removal hooks -----------------------------------------------------------------

# Called with the folder of every package removed or replaced in this process,
# so whoever loaded models from it can drop them (the engine registers its
# ``forget``).  A hook, not an import: the engine depends on the packages, and
# the packages know nothing of the engine.
_removal_hooks: list[Callable[[Path], None]] = []


def on_removed(hook: Callable[[Path], None]) -> None:
    """Call ``hook(folder)`` whenever a package folder is removed or replaced
    by this process (install over it, ``remove``).

    :param hook: takes the package's folder; registered once per process."""
    if hook not in _removal_hooks:
        _removal_hooks.append(hook)


def _removed(path: Path) -> None:
    for hook in list(_removal_hooks):
        hook(path)


# -- install ---------------------------------------------------------------------

# Work folders inside the packages directory, all hidden (never listed as
# packages) and named after the owning process, so a later install can tell
# the leftovers of a killed one from the work of a live one:
#   .installing-TAG-x  staging: extraction and load test (deleted when the owner is gone)
#   .previous-TAG-x    an old package moved aside to make room (put back if the
#                      owner died before its replacement moved in)
#   .deleting-TAG-x    an old package being deleted
_LEFTOVER = re.compile(r"^\.(installing|previous|deleting)-(\d+\.\d+)-")
_LEGACY_STAGING_AGE = 3600  # staging folders of older versions carry no owner: old ones are dead
LOAD_TEST_SENTENCE = "This is a test."
LOAD_TEST_TIMEOUT = 600


def owner_tag(pid: int | None = None) -> str | None:
    """``PID.START`` for a running process (START: its start time since boot,
    so a reused pid is not mistaken for a dead owner); None when the process
    does not exist.

    :param pid: a process id; this process when omitted."""
    pid = os.getpid() if pid is None else pid
    try:
        stat_line = Path(f"/proc/{pid}/stat").read_text()
        return f"{pid}.{stat_line.rsplit(')', 1)[1].split()[19]}"
    except FileNotFoundError:
        if Path("/proc/self/stat").exists():
            return None  # /proc works here: the process is gone
    except (OSError, IndexError):
        pass
    try:  # no /proc (macOS): the pid alone
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass
    return f"{pid}.0"


def _owner_alive(tag: str) -> bool:
    pid = int(tag.split(".", 1)[0])
    if pid == os.getpid():
        return True
    return owner_tag(pid) == tag


def _work_folder(root: Path, kind: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=f".{kind}-{owner_tag()}-", dir=root))


def clean_leftovers(packages_dir: str | Path | None = None) -> list[str]:
    """Remove what killed installs left (staging and half-deleted folders whose
    owner is gone), and put back a package that was moved aside for a
    replacement that never arrived.  Work of live installs is left alone.
    Returns the names of the folders handled.

    :param packages_dir: the packages directory (Argos' default when None)."""
    root = _dir(packages_dir)
    handled = []
    if not root.is_dir():
        return handled
    for entry in sorted(root.iterdir()):
        try:
            match = _LEFTOVER.match(entry.name)
            if match is None:
                legacy = entry.name.startswith(".installing-") and entry.is_dir()
                if not (legacy and time.time() - entry.stat().st_mtime > _LEGACY_STAGING_AGE):
                    continue
            elif _owner_alive(match.group(2)):
                continue
            elif match.group(1) == "previous":
                for child in entry.iterdir():
                    if not (root / child.name).exists():
                        os.replace(child, root / child.name)
                        _fsync_dir(root)
            shutil.rmtree(entry, ignore_errors=True)
            handled.append(entry.name)
        except OSError:
            continue  # whatever cannot be cleaned now is tried again at the next install
    return handled


@contextmanager
def _install_lock(root: Path) -> Iterator[None]:
    """One install or removal at a time per packages directory (an flock on the
    directory itself: released by the kernel when a holder is killed)."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock, the leftover rules still hold
        yield
        return
    fd = os.open(root, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing drops the lock


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some filesystems cannot sync a directory
    finally:
        os.close(fd)


def _fsync_tree(path: Path) -> None:
    """Every file, then every folder bottom-up: the package is on disk before
    the rename that makes it visible."""
    for folder, _dirs, files in os.walk(path, topdown=False):
        for name in files:
            fd = os.open(os.path.join(folder, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        _fsync_dir(Path(folder))


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step (Linux renameat2 RENAME_EXCHANGE), so the
    pair is never without a package; False where the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    errno = ctypes.get_errno()
    if errno in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: not on this filesystem
        return False
    raise OSError(errno, os.strerror(errno), str(b))


def _discard(path: Path, root: Path) -> None:
    """Delete a package folder so that it vanishes at once (a rename), never
    showing half-deleted: a kill mid-delete leaves a hidden leftover."""
    trash = _work_folder(root, "deleting")
    os.replace(path, trash / path.name)
    _fsync_dir(root)
    shutil.rmtree(trash, ignore_errors=True)


def load_test(package_dir: str | Path, *, timeout: float = LOAD_TEST_TIMEOUT) -> None:
    """Load a package's tokenizer and CTranslate2 model and translate one
    sentence, in a child process (a hostile model.bin may crash or exhaust the
    process that parses it).  Raises ModelError naming the cause.

    :param package_dir: the package folder (a staged one, before it is installed).
    :param timeout: seconds before the test counts as failed."""
    env = dict(os.environ)
    # The child imports this very workbench, wherever it was imported from.
    here = str(Path(__file__).resolve().parents[3])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (here, env.get("PYTHONPATH")) if p)
    try:
        result = subprocess.run([sys.executable, "-m", "workbench.core.mt.loadtest", str(package_dir)],
                                capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        raise ModelError(f"the model did not translate a test sentence within {timeout:.0f} s") from None
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    if result.returncode == 0 and lines and lines[-1] == "ok":
        return
    if lines and lines[-1].startswith("error: "):
        raise ModelError(f"the model does not load: {lines[-1][len('error: '):]}")
    cause = (f"killed by signal {-result.returncode}" if result.returncode < 0
             else f"exit status {result.returncode}")
    raise ModelError(f"the model does not load (the test process failed: {cause})")


def validate_archive(path: str | Path) -> tuple[str, dict]:
    """Check an .argosmodel before anything is written: (top dir, metadata).

    :param path: the archive.  Raises BadInputError naming what is wrong."""
    path = Path(path)
    if not path.is_file():
        raise BadInputError(f"no such file: {path}")
    if not zipfile.is_zipfile(path):
        raise BadInputError(f"{path.name} is not an Argos model (not a zip archive)")
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if not members:
                raise BadInputError(f"{path.name}: the archive is empty")
            if len(members) > MAX_ARCHIVE_MEMBERS:
                raise BadInputError(f"{path.name}: {len(members)} files, more than a model has")
            total = 0
            tops = set()
            for info in members:
                name = info.filename
                pure = PurePosixPath(name)
                if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name) or "\\" in name:
                    raise BadInputError(f"{path.name}: refuses absolute path {_shown(name)}")
                if ".." in pure.parts:
                    raise BadInputError(f"{path.name}: refuses path {_shown(name)} that leaves the package")
                mode = info.external_attr >> 16
                if stat.S_ISLNK(mode):
                    raise BadInputError(f"{path.name}: refuses symbolic link {_shown(name)}")
                if info.flag_bits & 0x1:
                    raise BadInputError(f"{path.name}: {_shown(name)} is encrypted")
                if info.compress_type not in _READABLE_METHODS:
                    raise BadInputError(f"{path.name}: {_shown(name)} uses compression method "
                                        f"{info.compress_type}, which cannot be read")
                total += info.file_size
                if info.file_size and (not info.compress_size
                                       or info.file_size / info.compress_size > MAX_COMPRESSION_RATIO):
                    ratio = info.file_size // max(info.compress_size, 1)
                    raise BadInputError(f"{path.name}: {_shown(name)} expands {ratio}x (a zip bomb?)")
                tops.add(pure.parts[0])
            if total > MAX_UNCOMPRESSED_BYTES:
                raise BadInputError(f"{path.name}: expands to {total / 2**30:.1f} GB, over the "
                                    f"{MAX_UNCOMPRESSED_BYTES / 2**30:.0f} GB limit")
            if len(tops) != 1:
                raise BadInputError(f"{path.name}: an Argos package has one top-level folder, found {len(tops)}")
            top = tops.pop()
            if top.startswith("."):
                raise BadInputError(f"{path.name}: refuses hidden package folder {_shown(top)}")
            if not _FOLDER.match(top):
                raise BadInputError(f"{path.name}: refuses package folder name {_shown(top)} (letters, "
                                    "digits and . _ + - only, not starting with - or .)")
            names = {info.filename for info in members}
            if f"{top}/metadata.json" not in names:
                raise BadInputError(f"{path.name}: no metadata.json in {top}/")
            if f"{top}/model/model.bin" not in names:
                raise BadInputError(f"{path.name}: no CTranslate2 model ({top}/model/model.bin)")
            if f"{top}/sentencepiece.model" not in names and f"{top}/bpe.model" not in names:
                raise BadInputError(f"{path.name}: no sentencepiece.model or bpe.model")
            size = archive.getinfo(f"{top}/metadata.json").file_size
            if size > MAX_METADATA_BYTES:
                raise BadInputError(f"{path.name}: metadata.json is {size / 1e6:.1f} MB, "
                                    "far more than a package's metadata")
            try:
                metadata = json.loads(archive.read(f"{top}/metadata.json").decode("utf-8"))
            except RecursionError:
                raise BadInputError(f"{path.name}: metadata.json is nested too deeply") from None
            except (ValueError, UnicodeDecodeError) as exc:
                raise BadInputError(f"{path.name}: metadata.json is not valid JSON ({exc})") from None
    except zipfile.BadZipFile as exc:
        raise BadInputError(f"{path.name}: damaged zip archive ({exc})") from None
    metadata = _check_metadata(metadata, path.name)
    pair = f"{metadata['from_code']}_{metadata['to_code']}"
    if top.startswith("translate-") and not re.match(rf"^translate-{re.escape(pair)}(-|$)", top):
        raise BadInputError(f"{path.name}: the folder {top!r} names another pair than metadata.json "
                            f"({metadata['from_code']}→{metadata['to_code']})")
    return top, metadata


# What a damaged member raises while it is extracted (CRC, deflate data, truncation).
_EXTRACT_ERRORS = (zipfile.BadZipFile, EOFError, RuntimeError, NotImplementedError, ValueError)


def install_file(path: str | Path, packages_dir: str | Path | None = None) -> ModelPackage:
    """Install an .argosmodel file.  The installed set changes only once the new
    package is extracted, load-tested (it translates a sentence), hashed and on
    disk; then it replaces the installed package(s) of its pair.  Leftovers of
    killed installs are cleaned up first.

    :param path: the .argosmodel archive.
    :param packages_dir: the packages directory (Argos' default when None).
    Raises BadInputError (one line) for anything wrong with the file."""
    path = Path(path)
    top, metadata = validate_archive(path)
    root = _dir(packages_dir)
    try:
        root.mkdir(parents=True, exist_ok=True)
        with _install_lock(root):
            return _install_locked(path, top, metadata, root)
    except ModelError as exc:
        raise BadInputError(f"{path.name}: {exc}") from None
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        raise BadInputError(f"cannot install {path.name}: {exc.strerror or exc}{where}") from None


def _install_locked(path: Path, top: str, metadata: dict, root: Path) -> ModelPackage:
    import zlib

    clean_leftovers(root)
    final = root / top
    pair = (metadata["from_code"], metadata["to_code"])
    other = _package_or_none(final)
    if other is not None and (other.from_code, other.to_code) != pair:
        raise BadInputError(f"{path.name}: its folder {top!r} holds the installed {other.pair} model; "
                            "remove that first")
    with zipfile.ZipFile(path) as archive:
        needed = sum(info.file_size for info in archive.infolist())
    free = shutil.disk_usage(root).free
    if free < needed:
        raise BadInputError(f"cannot install {path.name}: {needed / 1e6:.0f} MB needed, {free / 1e6:.0f} MB free")
    staging = _work_folder(root, "installing")
    try:
        try:
            with zipfile.ZipFile(path) as archive:
                archive.extractall(staging)
        except (*_EXTRACT_ERRORS, zlib.error) as exc:
            raise BadInputError(f"{path.name}: damaged zip archive ({' '.join(str(exc).split())})") from None
        new = staging / top
        package = read_package(new)
        load_test(new)
        fingerprint(package)  # hashed once, here, and stored in the package
        _fsync_tree(new)
        old = [p for p in list_installed(root) if (p.from_code, p.to_code) == pair]
        _move_into_place(new, final, root)
        for previous in old:
            if previous.path != final and previous.path.exists():
                _discard(previous.path, root)
        for gone in {final, *(p.path for p in old)}:
            _removed(gone)
        return read_package(final)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _package_or_none(path: Path) -> ModelPackage | None:
    if not path.is_dir():
        return None
    try:
        return read_package(path)
    except ModelError:
        return None


def _move_into_place(new: Path, final: Path, root: Path) -> None:
    """Make the staged package ``new`` the folder ``final``, replacing what is
    there in one step where the system can, else with the old folder moved
    aside first (``clean_leftovers`` puts it back if we die in between)."""
    if not final.exists():
        os.replace(new, final)
    elif not _exchange(new, final):  # after an exchange the old package sits in staging
        aside = _work_folder(root, "previous")
        os.replace(final, aside / final.name)
        _fsync_dir(root)
        os.replace(new, final)
        _fsync_dir(root)
        _discard(aside / final.name, root)
    _fsync_dir(root)


def remove(code: str, packages_dir: str | Path | None = None) -> ModelPackage:
    """Remove a package by code ("translate-en_ru", "en_ru") or folder name.

    :param code: the package code, pair or folder name.
    :param packages_dir: the packages directory (Argos' default when None)."""
    root = _dir(packages_dir)
    for package in list_installed(root):
        if code in (package.code, package.path.name, f"{package.from_code}_{package.to_code}"):
            with _install_lock(root):
                _discard(package.path, root)
            _removed(package.path)
            return package
    raise BadInputError(f"no installed model {code!r} (see: workbench models list)")


def index_url() -> str:
    """The Argos package index, as argostranslate itself is configured."""
    env = os.environ.get("ARGOS_PACKAGE_INDEX")
    if env:
        return env
    from argostranslate import settings  # light module; only asked when the user installs from the index

    return str(settings.remote_package_index)


def install_from_index(from_code: str, to_code: str, packages_dir: str | Path | None = None, *,
                       timeout: float = 5.0, url: str | None = None,
                       progress: ProgressFn = no_progress,
                       cancelled: CancelledFn = never_cancelled) -> ModelPackage:
    """Download the pair's package from the Argos index (only when asked)."""
    import urllib.error
    import urllib.request

    url = url or index_url()
    progress(0.0, "reading the Argos package index")
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            index = json.loads(response.read().decode("utf-8"))
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise ModelError(f"cannot reach the Argos package index (offline?): {reason}") from None
    except ValueError:
        raise ModelError("the Argos package index is not valid JSON") from None
    entries = [e for e in index if isinstance(e, dict) and e.get("from_code") == from_code
               and e.get("to_code") == to_code and e.get("links")]
    if not entries:
        raise ModelError(f"the Argos index has no {from_code}→{to_code} package")
    entry = max(entries, key=lambda e: _version_key(str(e.get("package_version", "0"))))
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "download.argosmodel"
        try:
            with urllib.request.urlopen(entry["links"][0], timeout=timeout) as response, \
                    target.open("wb") as out:
                size = int(response.headers.get("Content-Length") or 0)
                done = 0
                while block := response.read(1 << 20):
                    if cancelled():
                        raise Cancelled("model download cancelled")
                    out.write(block)
                    done += len(block)
                    if done > MAX_UNCOMPRESSED_BYTES:
                        raise ModelError("the download is larger than any Argos model")
                    progress(done / size if size else 0.0, f"downloaded {done / 1e6:.0f} MB")
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise ModelError(f"download failed: {getattr(exc, 'reason', exc)}") from None
        return install_file(target, packages_dir)
