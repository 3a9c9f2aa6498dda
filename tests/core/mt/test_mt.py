"""Real package install/load/translate code on random-weight Argos packages."""
import json
import socket
import stat
import time
import zipfile

import pytest

from workbench.core.errors import BadInputError, ModelError
from workbench.core.progress import Cancelled
from workbench.core.mt import engine, packages
from workbench.core.mt.packages import find_pair, install_file, install_from_index, list_installed, remove



def installed(directory):
    return sorted(p.code for p in list_installed(directory))


def test_install_list_and_remove(tmp_path, model_archives):
    pkg = install_file(model_archives[("en", "ru")], tmp_path)
    assert (pkg.code, pkg.from_code, pkg.to_code, pkg.package_version) == ("translate-en_ru", "en", "ru", "1.9")
    assert pkg.size_bytes > 10_000 and pkg.tokenizer == "sentencepiece"
    again = install_file(model_archives[("en", "ru")], tmp_path)  # reinstall replaces, never duplicates
    assert installed(tmp_path) == ["translate-en_ru"] and again.path == pkg.path
    remove("en_ru", tmp_path)
    assert installed(tmp_path) == []
    with pytest.raises(BadInputError, match="no installed model"):
        remove("en_ru", tmp_path)


def test_argos_itself_reads_the_synthetic_package(packages_dir):
    from argostranslate.package import Package

    pkg = Package(find_pair("en", "ru", packages_dir)[0].path)
    assert (pkg.from_code, pkg.to_code) == ("en", "ru")


GOOD_META = json.dumps({"from_code": "en", "to_code": "ru", "package_version": "1.0", "type": "translate"})
BASE = {"p/metadata.json": GOOD_META, "p/model/model.bin": b"x", "p/sentencepiece.model": b"x"}


@pytest.mark.parametrize("members, symlink, message", [
    ({k: v for k, v in BASE.items() if "metadata" not in k}, None, "no metadata.json"),
    ({**BASE, "p/metadata.json": "{not json"}, None, "not valid JSON"),
    ({**BASE, "p/metadata.json": json.dumps({"from_code": "english"})}, None, "from_code"),
    ({**BASE, "p/../../evil.txt": b"x"}, None, "leaves the package"),
    ({**BASE, "/etc/evil": b"x"}, None, "absolute"),
    (BASE, "p/link", "symbolic link"),
    ({**BASE, "q/other": b"x"}, None, "one top-level folder"),
    ({**BASE, "p/bomb.bin": b"\0" * 5_000_000}, None, "zip bomb"),
])
def test_bad_archives_are_refused_and_change_nothing(tmp_path, packages_dir, members, symlink, message):
    before = installed(packages_dir)
    listing = sorted(p.name for p in packages_dir.iterdir())
    archive = tmp_path / "bad.argosmodel"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
        if symlink:
            info = zipfile.ZipInfo(symlink)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            zf.writestr(info, "/etc/passwd")
    with pytest.raises(BadInputError, match=message):
        install_file(archive, packages_dir)
    assert installed(packages_dir) == before
    assert sorted(p.name for p in packages_dir.iterdir()) == listing


def test_not_a_zip_and_oversize(tmp_path, packages_dir, monkeypatch, model_archives):
    text = tmp_path / "model.argosmodel"
    text.write_text("hello")
    with pytest.raises(BadInputError, match="not a zip"):
        install_file(text, packages_dir)
    monkeypatch.setattr(packages, "MAX_UNCOMPRESSED_BYTES", 1000)
    with pytest.raises(BadInputError, match="over the"):
        install_file(model_archives[("en", "ru")], packages_dir)


def test_offline_index_install_fails_fast(tmp_path):
    with socket.socket() as sock:  # a local port with nobody listening: refused at once
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    started = time.monotonic()
    with pytest.raises(ModelError, match="cannot reach the Argos package index"):
        install_from_index("en", "ru", tmp_path, url=f"http://127.0.0.1:{port}/index.json", timeout=2)
    assert time.monotonic() - started < 5
    assert installed(tmp_path) == []


def test_missing_pair_says_how_to_install(tmp_path):
    with pytest.raises(ModelError, match=r"no en→fr model installed; install one with: workbench models install"):
        find_pair("en", "fr", tmp_path)


def test_translate_both_directions_deterministic_and_ordered(packages_dir):
    en = ["Short.", "", "A much longer English sentence about migration and cooperation in Tashkent.",
          "Mid length sentence here.", "   "]
    first, chain = engine.translate_texts(en, "en", "ru", packages_dir=packages_dir)
    second, _ = engine.translate_texts(en, "en", "ru", packages_dir=packages_dir)
    assert first == second and [p.code for p in chain] == ["translate-en_ru"]
    assert first[1] == "" and first[4] == "" and all(first[i] for i in (0, 2, 3))
    alone = engine.translate_texts([en[2]], "en", "ru", packages_dir=packages_dir)[0][0]
    assert alone == first[2]  # batching and sorting never mix sentences up
    ru, chain = engine.translate_texts(["Министр заявил.", "Совет обсудит стратегию."], "ru", "en",
                                       packages_dir=packages_dir)
    assert all(ru) and chain[0].code == "translate-ru_en"


def test_pivot_through_english(packages_dir):
    outputs, chain = engine.translate_texts(["Министр заявил."], "ru", "de", packages_dir=packages_dir)
    assert [p.code for p in chain] == ["translate-ru_en", "translate-en_de"] and outputs[0]
    via_en = engine.translate_texts(engine.translate_texts(["Министр заявил."], "ru", "en",
                                                           packages_dir=packages_dir)[0], "en", "de",
                                    packages_dir=packages_dir)[0]
    assert outputs == via_en


def test_progress_cancel_and_models_load_once(packages_dir, monkeypatch):
    monkeypatch.setattr(engine, "SENTENCES_PER_CALL", 2)
    pkg = find_pair("en", "ru", packages_dir)[0]
    translator = engine.get_translator(pkg)
    assert engine.get_translator(pkg) is translator
    seen = []
    translator.translate([f"Sentence {i}." for i in range(5)], progress=lambda f, m: seen.append(f))
    assert seen == sorted(seen) and seen[-1] == 1.0 and len(seen) == 3
    calls = []
    with pytest.raises(Cancelled):
        translator.translate([f"Sentence {i}." for i in range(5)],
                             cancelled=lambda: calls.append(1) or len(calls) > 1)


def test_removing_or_replacing_a_package_drops_its_loaded_model(tmp_path, model_archives):
    pkg = install_file(model_archives[("en", "ru")], tmp_path)
    engine.get_translator(pkg)
    loaded = lambda: [k for k in engine._registry if k[0] == str(pkg.path)]  # noqa: E731
    assert loaded()
    install_file(model_archives[("en", "ru")], tmp_path)  # the same folder, replaced
    assert not loaded()
    engine.get_translator(find_pair("en", "ru", tmp_path)[0])
    remove("en_ru", tmp_path)
    assert not loaded()


def _finished_process_tag():
    """The owner tag of a process that has exited (its leftovers belong to nobody)."""
    import subprocess

    proc = subprocess.Popen(["sleep", "30"])
    tag = packages.owner_tag(proc.pid)
    proc.kill()
    proc.wait()
    return tag


def test_install_cleans_leftovers_of_dead_installs_only(tmp_path, model_archives):
    import subprocess

    root = tmp_path / "models"
    install_file(model_archives[("en", "ru")], root)
    dead = _finished_process_tag()
    live_proc = subprocess.Popen(["sleep", "30"])
    try:
        live = packages.owner_tag(live_proc.pid)
        assert dead and live and dead != live
        staging_dead = root / f".installing-{dead}-x1" / "translate-en_ru-2_0"
        staging_live = root / f".installing-{live}-x2" / "translate-en_ru-2_0"
        retired_dead = root / f".deleting-{dead}-x3" / "translate-xx_yy-1_0"
        for folder in (staging_dead, staging_live, retired_dead):
            (folder / "model").mkdir(parents=True)
            (folder / "model" / "model.bin").write_bytes(b"partial")
        install_file(model_archives[("ru", "en")], root)
        left = sorted(p.name for p in root.iterdir())
        assert left == sorted([f".installing-{live}-x2", "translate-en_ru-1_9", "translate-ru_en-1_9"])
    finally:
        live_proc.kill()
        live_proc.wait()


def test_a_package_moved_aside_by_a_killed_install_comes_back(tmp_path, model_archives):
    """Where folders cannot be swapped in one step, the old package is moved
    aside before the new one moves in; an install killed between the two
    leaves it aside, and the next install puts it back."""
    root = tmp_path / "models"
    install_file(model_archives[("en", "ru")], root)
    aside = root / f".previous-{_finished_process_tag()}-x1"
    aside.mkdir()
    (root / "translate-en_ru-1_9").rename(aside / "translate-en_ru-1_9")
    assert installed(root) == []
    install_file(model_archives[("ru", "en")], root)
    assert installed(root) == ["translate-en_ru", "translate-ru_en"]
    assert sorted(p.name for p in root.iterdir()) == ["translate-en_ru-1_9", "translate-ru_en-1_9"]


def test_files_and_folders_reach_the_disk_before_the_package_moves_in(tmp_path, model_archives, monkeypatch):
    import os

    events = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd):
        events.append(("fsync", os.readlink(f"/proc/self/fd/{fd}")))
        return real_fsync(fd)

    def replace(src, dst, **kw):
        events.append(("move", str(dst)))
        return real_replace(src, dst, **kw)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    root = tmp_path / "models"
    install_file(model_archives[("en", "ru")], root)
    final = str(root / "translate-en_ru-1_9")
    moved = events.index(("move", final))
    synced = {path for kind, path in events[:moved] if kind == "fsync"}
    staged = [p for p in synced if p.endswith("/translate-en_ru-1_9/model/model.bin")]
    assert staged and any(p.endswith("/translate-en_ru-1_9/model") for p in synced)
    assert any(p.endswith("/translate-en_ru-1_9") for p in synced)
    assert ("fsync", str(root)) in events[moved:]


def test_staging_folders_of_older_versions_are_removed_once_old(tmp_path, model_archives):
    import os

    root = tmp_path / "models"
    root.mkdir()
    stale, recent = root / ".installing-k2j4x8q1", root / ".installing-p9w3z0a7"
    for folder in (stale, recent):
        (folder / "pkg").mkdir(parents=True)
    os.utime(stale, (1_000_000_000, 1_000_000_000))  # 2001: no install takes that long
    install_file(model_archives[("en", "ru")], root)
    assert sorted(p.name for p in root.iterdir()) == [".installing-p9w3z0a7", "translate-en_ru-1_9"]
