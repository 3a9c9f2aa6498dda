"""Hostile model packages: every bad .argosmodel is refused by the real CLI with
one line and exit 1, and the models directory is exactly as before: the same
installed set, the same files (no leftovers), and the previous model of the
same pair still translates exactly as it did.

Each case starts from a valid en→ru 2.0 package (which would replace the
installed 1.9) and breaks one thing."""
from __future__ import annotations

import io
import json
import shutil
import stat
import struct
import zipfile
from pathlib import Path

import pytest

from workbench.core.mt import engine
from workbench.core.mt.packages import install_file, list_installed

from tests.reliability.helpers import assert_refused, cli

TOP = "translate-en_ru-2_0"
SENTENCES = ["The minister said the meeting would discuss a new strategy.", "Officials praised it."]


@pytest.fixture(scope="session")
def base_members(model_archives) -> dict[str, bytes]:
    """A valid en→ru 2.0 package's files (the 1.9 test model renamed)."""
    members = {}
    with zipfile.ZipFile(model_archives[("en", "ru")]) as archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            rest = info.filename.split("/", 1)[1]
            members[rest] = archive.read(info)
    metadata = json.loads(members["metadata.json"])
    metadata["package_version"] = "2.0"
    members["metadata.json"] = json.dumps(metadata).encode()
    return members


@pytest.fixture(scope="session")
def pristine(tmp_path_factory, model_archives):
    """A models directory holding en→ru 1.9 and ru→en 1.9, and what each translates to."""
    root = tmp_path_factory.mktemp("pristine-models")
    for pair in (("en", "ru"), ("ru", "en")):
        install_file(model_archives[pair], root)
    return root, _translations(root)


def _translations(root: Path) -> dict[str, tuple[str, list[str]]]:
    """Each installed package's version and output, from a freshly loaded model (never
    a translator cached in this process: the files on disk are what is checked)."""
    return {p.code: (p.package_version, engine.Translator(p, threads=1).translate(SENTENCES))
            for p in list_installed(root)}


def _listing(root: Path) -> list[tuple[str, int]]:
    """Every file and folder under the models directory (hidden ones too), with sizes."""
    return sorted((str(p.relative_to(root)), p.stat().st_size if p.is_file() else -1)
                  for p in root.rglob("*"))


def write_zip(path: Path, members: dict[str, bytes], *, top: str = TOP,
              compression: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(f"{top}/{name}" if top else name, data)
    return path


def _with_metadata(members, **changes):
    metadata = json.loads(members["metadata.json"])
    metadata.update(changes)
    return {**members, "metadata.json": json.dumps(metadata).encode()}


def _without(members, name):
    return {k: v for k, v in members.items() if k != name}


# -- builders: (members, tmp_path) -> archive path ------------------------------------

def not_a_zip(m, tmp):
    path = tmp / "x.argosmodel"
    path.write_text("this is not an archive")
    return path


def truncated(m, tmp):
    data = write_zip(tmp / "full.zip", m).read_bytes()
    path = tmp / "x.argosmodel"
    path.write_bytes(data[:len(data) // 2])
    return path


def bad_crc(m, tmp):
    """Stored (uncompressed) so one flipped byte inside model.bin only breaks its CRC."""
    path = write_zip(tmp / "x.argosmodel", m, compression=zipfile.ZIP_STORED)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(f"{TOP}/model/model.bin")
    name_len, extra_len = struct.unpack("<HH", data[info.header_offset + 26:info.header_offset + 30])
    start = info.header_offset + 30 + name_len + extra_len
    data[start + info.compress_size // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    return path


def zip_bomb(m, tmp):
    return write_zip(tmp / "x.argosmodel", {**m, "padding.bin": b"\0" * 20_000_000})


def raw_members(names: dict[str, bytes], symlink: str | None = None):
    def build(m, tmp):
        path = tmp / "x.argosmodel"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in {**{f"{TOP}/{k}": v for k, v in m.items()}, **names}.items():
                archive.writestr(name, data)
            if symlink:
                info = zipfile.ZipInfo(symlink)
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
                archive.writestr(info, "/etc/passwd")
        return path
    return build


def absolute_path(m, tmp):
    return raw_members({f"{tmp}/escaped.txt": b"x"})(m, tmp)


def top_named(top):
    return lambda m, tmp: write_zip(tmp / "x.argosmodel", m, top=top)


def empty_archive(m, tmp):
    path = tmp / "x.argosmodel"
    with zipfile.ZipFile(path, "w"):
        pass
    return path


def metadata(**changes):
    # Stored: deflated, absurdly repetitive values would be refused as a zip bomb first.
    return lambda m, tmp: write_zip(tmp / "x.argosmodel", _with_metadata(m, **changes),
                                    compression=zipfile.ZIP_STORED)


def metadata_text(text: str, compression: int = zipfile.ZIP_DEFLATED):
    return lambda m, tmp: write_zip(tmp / "x.argosmodel", {**m, "metadata.json": text.encode()},
                                    compression=compression)


def without(name):
    return lambda m, tmp: write_zip(tmp / "x.argosmodel", _without(m, name))


def replaced(name, data: bytes):
    return lambda m, tmp: write_zip(tmp / "x.argosmodel", {**m, name: data})


def huge_metadata(m, tmp):
    # Incompressible text, so it is not a zip bomb: just far more than any metadata.
    import base64
    import random

    blob = base64.b64encode(random.Random(0).randbytes(3_000_000)).decode()
    return write_zip(tmp / "x.argosmodel", _with_metadata(m, description=blob))


def _patch_headers(path: Path, member: str, patch) -> None:
    """Rewrite a member's local and central headers (flag bits, method) in place."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(member)
    patch(data, info.header_offset, local=True)
    central = data.find(b"PK\x01\x02")
    while central != -1:
        name_len = struct.unpack("<H", data[central + 28:central + 30])[0]
        if data[central + 46:central + 46 + name_len].decode() == member:
            patch(data, central, local=False)
            break
        central = data.find(b"PK\x01\x02", central + 4)
    path.write_bytes(bytes(data))


def encrypted(m, tmp):
    path = write_zip(tmp / "x.argosmodel", m)

    def flag(data, at, local):
        offset = at + (6 if local else 8)
        data[offset] |= 0x01
    _patch_headers(path, f"{TOP}/model/model.bin", flag)
    return path


def unknown_method(m, tmp):
    path = write_zip(tmp / "x.argosmodel", m)

    def method(data, at, local):
        offset = at + (8 if local else 10)
        data[offset:offset + 2] = struct.pack("<H", 99)  # 99: AES, which nobody here reads
    _patch_headers(path, f"{TOP}/model/model.bin", method)
    return path


CASES = [
    ("not a zip", not_a_zip, "not a zip"),
    ("truncated zip", truncated, "zip"),
    ("bad CRC", bad_crc, "damaged"),
    ("zip bomb", zip_bomb, "zip bomb"),
    ("zip-slip ../", raw_members({f"{TOP}/../../evil.txt": b"x"}), "leaves the package"),
    ("absolute path", absolute_path, "absolute"),
    ("symlink", raw_members({}, symlink=f"{TOP}/link"), "symbolic link"),
    ("two top dirs", raw_members({"other/readme.txt": b"x"}), "one top-level folder"),
    ("empty archive", empty_archive, "empty"),
    ("encrypted member", encrypted, "encrypted"),
    ("unknown compression", unknown_method, "compression"),
    ("hidden top dir", top_named(".translate-en_ru-2_0"), "folder"),
    ("staging-like top dir", top_named(".installing-1"), "folder"),
    ("top dir with a space", top_named("translate en_ru 2_0"), "folder"),
    ("top dir with a newline", top_named("translate-en_ru\n2_0"), "folder"),
    ("top dir starting with -", top_named("-rf"), "folder"),
    ("top dir of dots", top_named("..."), "folder"),
    ("same language both sides", metadata(to_code="en"), "same language"),
    ("path in a language code", metadata(to_code="../ru"), "to_code"),
    ("no metadata", without("metadata.json"), "metadata.json"),
    ("bad JSON", metadata_text("{not json"), "not valid JSON"),
    # Stored: deflated, this text would be refused as a zip bomb before it is parsed.
    ("deeply nested JSON", metadata_text("[" * 100_000 + "]" * 100_000, zipfile.ZIP_STORED), "nested"),
    ("metadata not an object", metadata_text("[1, 2]"), "not a JSON object"),
    ("not a translation package", metadata(type="sbd"), "not a translation model"),
    ("missing model.bin", without("model/model.bin"), "model.bin"),
    ("garbage model.bin", replaced("model/model.bin", b"garbage" * 1000), "load"),
    ("empty model.bin", replaced("model/model.bin", b""), "load"),
    ("garbage sentencepiece.model", replaced("sentencepiece.model", b"garbage" * 1000), "load"),
    ("folder of another pair", top_named("translate-ru_en-1_9"), "ru"),
    ("huge metadata", huge_metadata, "metadata.json"),
    ("absurd version: 100000 digits", metadata(package_version="9" * 100_000), "package_version"),
    ("absurd version: control characters", metadata(package_version="2.0\n\x1b[31m"), "package_version"),
    ("absurd version: infinite", metadata_text('{"from_code": "en", "to_code": "ru", '
                                               '"package_version": 1e999}'), "package_version"),
    ("absurd target_prefix", metadata(target_prefix={"a": [1, 2]}), "target_prefix"),
    ("absurd from_name", metadata(from_name="E" * 100_000), "from_name"),
]


@pytest.mark.parametrize("build, contains", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_hostile_package_is_refused_and_changes_nothing(tmp_path, base_members, pristine, build, contains):
    source, translations = pristine
    root = tmp_path / "models"
    shutil.copytree(source, root, symlinks=True)
    before = _listing(root)
    archive = build(base_members, tmp_path)
    outcome = cli(tmp_path / "w.db", "models", "install", archive, env={"ARGOS_PACKAGES_DIR": str(root)})
    assert_refused(outcome, contains=contains)
    assert _listing(root) == before
    assert _translations(root) == translations  # same set, same versions, same output
    assert not (tmp_path / "evil.txt").exists() and not (tmp_path / "escaped.txt").exists()


def test_the_base_package_itself_installs(tmp_path, base_members, pristine):
    """Control: unbroken, the package every case starts from installs and replaces 1.9."""
    source, _ = pristine
    root = tmp_path / "models"
    shutil.copytree(source, root, symlinks=True)
    outcome = cli(tmp_path / "w.db", "models", "install", write_zip(tmp_path / "ok.argosmodel", base_members),
                  env={"ARGOS_PACKAGES_DIR": str(root)})
    assert outcome.code == 0, outcome.err
    assert sorted((p.code, p.package_version) for p in list_installed(root)) == [
        ("translate-en_ru", "2.0"), ("translate-ru_en", "1.9")]
    assert not [p for p in root.iterdir() if p.name.startswith(".installing")]
