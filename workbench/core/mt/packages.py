"""Argos Translate packages: list, validate, install, remove.

Reads Argos 1.9+ package directories (``metadata.json``, ``model/`` for
CTranslate2, ``sentencepiece.model`` or ``bpe.model``, optional ``stanza/`` or
``minisbd/``) itself, so listing models never imports argostranslate's heavy
translation stack.  An archive is checked completely before anything is
written, then extracted next to the packages and renamed into place: a bad
file leaves the installed set exactly as it was.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import stat
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..errors import BadInputError, Cancelled, ModelError
from ..progress import CancelledFn, ProgressFn, never_cancelled, no_progress

MAX_ARCHIVE_MEMBERS = 10_000
MAX_UNCOMPRESSED_BYTES = 2 * 1024**3     # the largest real Argos models are ~500 MB
MAX_COMPRESSION_RATIO = 200              # zip bombs compress far better than models
_LANG = re.compile(r"^[a-z]{2,3}([_-][A-Za-z]{2,4})?$")


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


def _check_metadata(metadata: object, where: str) -> dict:
    if not isinstance(metadata, dict):
        raise BadInputError(f"{where}: metadata.json is not a JSON object")
    for key in ("from_code", "to_code"):
        value = metadata.get(key)
        if not isinstance(value, str) or not _LANG.match(value):
            raise BadInputError(f"{where}: metadata.json has no valid {key!r} (got {value!r})")
    if metadata.get("type", "translate") != "translate":
        raise BadInputError(f"{where}: a {metadata.get('type')!r} package, not a translation model")
    version = metadata.get("package_version")
    if not isinstance(version, (str, int, float)) or not str(version).strip():
        raise BadInputError(f"{where}: metadata.json has no package_version")
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
    """The model chain for a pair: direct, else through English (as Argos pivots)."""
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
    raise ModelError(how_to_install(from_code, to_code))


def _version_key(version: str) -> tuple:
    return tuple(int(p) if p.isdigit() else 0 for p in re.split(r"[._-]", version))


# -- install ---------------------------------------------------------------------

def validate_archive(path: str | Path) -> tuple[str, dict]:
    """Check an .argosmodel before anything is written: (top dir, metadata)."""
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
                    raise BadInputError(f"{path.name}: refuses absolute path {name!r}")
                if ".." in pure.parts:
                    raise BadInputError(f"{path.name}: refuses path {name!r} that leaves the package")
                mode = info.external_attr >> 16
                if stat.S_ISLNK(mode):
                    raise BadInputError(f"{path.name}: refuses symbolic link {name!r}")
                total += info.file_size
                if info.compress_size and info.file_size / info.compress_size > MAX_COMPRESSION_RATIO:
                    raise BadInputError(f"{path.name}: {name!r} expands {info.file_size // info.compress_size}x "
                                        "(a zip bomb?)")
                tops.add(pure.parts[0])
            if total > MAX_UNCOMPRESSED_BYTES:
                raise BadInputError(f"{path.name}: expands to {total / 2**30:.1f} GB, over the "
                                    f"{MAX_UNCOMPRESSED_BYTES / 2**30:.0f} GB limit")
            if len(tops) != 1:
                raise BadInputError(f"{path.name}: an Argos package has one top-level folder, found {len(tops)}")
            top = tops.pop()
            names = {info.filename for info in members}
            if f"{top}/metadata.json" not in names:
                raise BadInputError(f"{path.name}: no metadata.json in {top}/")
            if f"{top}/model/model.bin" not in names:
                raise BadInputError(f"{path.name}: no CTranslate2 model ({top}/model/model.bin)")
            if f"{top}/sentencepiece.model" not in names and f"{top}/bpe.model" not in names:
                raise BadInputError(f"{path.name}: no sentencepiece.model or bpe.model")
            try:
                metadata = json.loads(archive.read(f"{top}/metadata.json").decode("utf-8"))
            except (ValueError, UnicodeDecodeError) as exc:
                raise BadInputError(f"{path.name}: metadata.json is not valid JSON ({exc})") from None
    except zipfile.BadZipFile as exc:
        raise BadInputError(f"{path.name}: damaged zip archive ({exc})") from None
    return top, _check_metadata(metadata, path.name)


def install_file(path: str | Path, packages_dir: str | Path | None = None) -> ModelPackage:
    """Install an .argosmodel file (replacing an installed copy of the same pair
    only once the new one is fully extracted)."""
    path = Path(path)
    top, metadata = validate_archive(path)
    root = _dir(packages_dir)
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".installing-", dir=root))
    try:
        with zipfile.ZipFile(path) as archive:
            archive.extractall(staging)
        new = staging / top
        read_package(new)  # what was extracted must load as a package
        final = root / top
        old = [p for p in list_installed(root)
               if p.from_code == metadata["from_code"] and p.to_code == metadata["to_code"]]
        if final.exists():
            shutil.rmtree(final)
        os.replace(new, final)
        for package in old:
            if package.path != final and package.path.exists():
                shutil.rmtree(package.path)
        return read_package(final)
    except ModelError as exc:
        raise BadInputError(f"{path.name}: {exc}") from None
    except OSError as exc:
        raise BadInputError(f"cannot install {path.name}: {exc.strerror or exc}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def remove(code: str, packages_dir: str | Path | None = None) -> ModelPackage:
    """Remove a package by code ("translate-en_ru", "en_ru") or folder name."""
    for package in list_installed(packages_dir):
        if code in (package.code, package.path.name, f"{package.from_code}_{package.to_code}"):
            shutil.rmtree(package.path)
            from .engine import forget

            forget(package.path)
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
