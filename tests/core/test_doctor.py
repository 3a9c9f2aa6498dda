"""``workbench doctor``'s checks on faked machines: missing Qt libraries (a fake
``ldd``), no display, an unwritable database path, no model, low disk space."""
from __future__ import annotations

import builtins
import io
import os
import subprocess
import sys
from collections import namedtuple
from pathlib import Path

import pytest

from workbench.core import doctor
from workbench.core.doctor import ERROR, OK, WARNING

DEBIAN = {"ID": "debian", "VERSION_ID": "12"}
UBUNTU_24 = {"ID": "ubuntu", "ID_LIKE": "debian", "VERSION_ID": "24.04"}
FEDORA = {"ID": "fedora", "VERSION_ID": "41"}

# What ldd printed for PySide6 6.11's libqxcb.so on a Debian 12 image without
# libxcb-icccm4 and libxcb-keysyms1 (shortened).
LDD_MISSING = """\
\tlinux-vdso.so.1 (0x00007ffd5a5f2000)
\tlibQt6XcbQpa.so.6 => /venv/PySide6/Qt/plugins/platforms/../../lib/libQt6XcbQpa.so.6 (0x00007f1c1f000000)
\tlibxkbcommon-x11.so.0 => /lib/x86_64-linux-gnu/libxkbcommon-x11.so.0 (0x00007f1c1ef00000)
\tlibxcb-cursor.so.0 => /lib/x86_64-linux-gnu/libxcb-cursor.so.0 (0x00007f1c1ee00000)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-util.so.1 => /lib/x86_64-linux-gnu/libxcb-util.so.1 (0x00007f1c1ed00000)
\tlibxcb-keysyms.so.1 => not found
\tlibxcb-icccm.so.4 => not found
\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f1c1ea00000)
"""
LDD_ALL_FOUND = "\n".join(line for line in LDD_MISSING.splitlines() if "not found" not in line)


@pytest.fixture
def plugin(tmp_path):
    path = tmp_path / "PySide6" / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\x7fELF")
    return path


def qt_check(plugin, output, environ=None, os_release=DEBIAN):
    return doctor.check_qt_libraries(plugin_files=[plugin], ldd=lambda path: output, environ=environ or {},
                                     platform="linux", os_release=os_release)


def test_ldd_not_found_lines_are_parsed_once_each():
    assert doctor.missing_libraries(LDD_MISSING) == ["libxcb-icccm.so.4", "libxcb-keysyms.so.1"]
    assert doctor.missing_libraries(LDD_ALL_FOUND) == []
    assert doctor.missing_libraries("\tnot a dynamic executable\n") == []


def test_missing_xcb_libraries_are_an_error_with_the_debian_packages(plugin):
    result = qt_check(plugin, LDD_MISSING)
    assert result.status == ERROR and result.check == "qt-libraries"
    assert "libxcb-icccm.so.4, libxcb-keysyms.so.1" in result.finding
    assert result.fix == "sudo apt-get install libxcb-icccm4 libxcb-keysyms1"
    assert "\n" not in result.line() and "fix: sudo apt-get install" in result.line()


def test_fedora_and_unknown_systems_get_their_package_names(plugin):
    assert qt_check(plugin, LDD_MISSING, os_release=FEDORA).fix == "sudo dnf install xcb-util-wm xcb-util-keysyms"
    both = qt_check(plugin, LDD_MISSING, os_release={}).fix
    assert "apt-get install libxcb-icccm4 libxcb-keysyms1" in both and "dnf install xcb-util-wm xcb-util-keysyms" in both


def test_package_names_follow_the_release():
    output = "\tlibglib-2.0.so.0 => not found\n\tlibEGL.so.1 => not found\n"
    result = doctor.check_qt_libraries(plugin_files=[Path("/x/libqxcb.so")], ldd=lambda p: output, environ={},
                                       platform="linux", os_release=UBUNTU_24)
    assert result.fix == "sudo apt-get install libglib2.0-0t64 libegl1"
    assert doctor.install_command(["libglib2.0-0"], ["glib2"], DEBIAN) == "sudo apt-get install libglib2.0-0"


def test_an_unknown_library_is_named_with_how_to_find_its_package(plugin):
    result = qt_check(plugin, "\tlibxcb-cursor.so.0 => not found\n\tlibfoo-x11.so.3 => not found\n")
    assert result.status == ERROR
    assert result.fix.startswith("sudo apt-get install libxcb-cursor0; ")
    assert "libfoo-x11.so.3 (apt-file search NAME" in result.fix


def test_a_missing_qt_library_means_reinstalling_pyside(plugin):
    result = qt_check(plugin, "\tlibQt6Gui.so.6 => not found\n")
    assert result.status == ERROR and "reinstall" in result.fix and "PySide6" in result.fix


def test_all_libraries_found_is_ok(plugin):
    result = qt_check(plugin, LDD_ALL_FOUND)
    assert result.status == OK and result.fix == ""


def test_missing_libraries_only_warn_when_the_window_runs_offscreen(plugin):
    result = qt_check(plugin, LDD_MISSING, environ={"QT_QPA_PLATFORM": "offscreen"})
    assert result.status == WARNING and "QT_QPA_PLATFORM=offscreen" in result.finding
    assert result.fix == "sudo apt-get install libxcb-icccm4 libxcb-keysyms1"


def test_no_plugin_or_a_failing_ldd(plugin):
    assert doctor.check_qt_libraries(plugin_files=[], platform="linux", environ={}).status == ERROR

    def broken(path):
        raise OSError("ldd: no such file")
    assert doctor.check_qt_libraries(plugin_files=[plugin], ldd=broken, platform="linux", environ={}).status == WARNING
    assert doctor.check_qt_libraries(platform="darwin").status == OK


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the xcb plugin is Linux only")
def test_the_installed_pyside_plugin_is_found_and_checked_with_the_real_ldd():
    files = doctor.qt_plugin_files()
    assert [f.name for f in files] == ["libqxcb.so", "libQt6XcbQpa.so.6"]
    # This machine may or may not have the libraries: the check runs and says which.
    result = doctor.check_qt_libraries(environ={})
    assert result.status in (OK, ERROR) and "not found" not in result.finding


# -- display ---------------------------------------------------------------------

@pytest.mark.parametrize("environ, status", [
    ({}, WARNING),
    ({"DISPLAY": ":0"}, OK),
    ({"WAYLAND_DISPLAY": "wayland-0"}, OK),
    ({"QT_QPA_PLATFORM": "offscreen"}, OK),
    ({"QT_QPA_PLATFORM": "xcb"}, WARNING),
    ({"QT_QPA_PLATFORM": "xcb", "DISPLAY": ":1"}, OK),
    ({"QT_QPA_PLATFORM": "wayland", "DISPLAY": ":1"}, WARNING),
])
def test_display(environ, status):
    result = doctor.check_display(environ=environ, platform="linux")
    assert result.status == status
    if status != OK:
        assert result.fix


def test_the_window_blockers(plugin):
    fake = {"plugin_files": [plugin], "ldd": lambda path: LDD_MISSING, "os_release": DEBIAN}
    no_screen = doctor.window_blockers(environ={}, platform="linux", **fake)
    assert [b.check for b in no_screen] == ["display", "qt-libraries"]
    assert [b.check for b in doctor.window_blockers(environ={"DISPLAY": ":0"}, platform="linux", **fake)] == [
        "qt-libraries"]
    # Offscreen or another platform plugin: the xcb libraries do not matter.
    assert doctor.window_blockers(environ={"QT_QPA_PLATFORM": "offscreen"}, platform="linux", **fake) == []
    # On Wayland Qt takes its Wayland plugin when QT_QPA_PLATFORM is not set.
    assert doctor.window_blockers(environ={"WAYLAND_DISPLAY": "wayland-0"}, platform="linux", **fake) == []
    assert doctor.window_blockers(environ={}, platform="win32", **fake) == []
    fine = {**fake, "ldd": lambda path: LDD_ALL_FOUND}
    assert doctor.window_blockers(environ={"DISPLAY": ":0"}, platform="linux", **fine) == []


def test_the_window_start_says_what_is_missing_and_how_to_fix_it(plugin):
    from workbench.gui.first_start import preflight

    out = io.StringIO()
    assert not preflight(stream=out, environ={"DISPLAY": ":0"}, platform="linux", plugin_files=[plugin],
                         ldd=lambda path: LDD_MISSING, os_release=DEBIAN)
    text = out.getvalue()
    assert "libxcb-icccm.so.4, libxcb-keysyms.so.1" in text
    assert "fix: sudo apt-get install libxcb-icccm4 libxcb-keysyms1" in text
    assert "xcb-cursor0" not in text  # not Qt's misleading guess
    out = io.StringIO()
    assert preflight(stream=out, environ={"QT_QPA_PLATFORM": "offscreen"}, platform="linux")
    assert out.getvalue() == ""


def test_the_window_entry_point_without_a_display_exits_with_the_fix(tmp_path):
    """The real entry point in a process with no DISPLAY: one clear message, exit 1, no Qt abort."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["WORKBENCH_DB"] = str(tmp_path / "w.db")
    result = subprocess.run([sys.executable, "-m", "workbench.gui"], env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 1, result.stderr
    assert "workbench-gui: error: no display" in result.stderr and "fix: " in result.stderr
    assert "Aborted" not in result.stderr and "needed to load the Qt xcb platform plugin" not in result.stderr
    assert not (tmp_path / "w.db").exists()


# -- database ---------------------------------------------------------------------

def test_a_database_that_can_be_written(tmp_path, seeded_store):
    db_path = seeded_store[0]
    assert doctor.check_database(db_path).status == OK
    fresh = doctor.check_database(tmp_path / "new" / "deeper" / "w.db")
    assert fresh.status == OK and "will be created" in fresh.finding


def test_unwritable_database_file_or_folder(tmp_path, seeded_store):
    db_path = seeded_store[0]
    # The tests may run as root, for whom os.access allows everything: fake it.
    file_locked = doctor.check_database(db_path, access=lambda p, mode: p != str(db_path))
    assert file_locked.status == ERROR and "cannot be written" in file_locked.finding
    assert f"chmod u+w '{db_path}'" in file_locked.fix and "--db PATH" in file_locked.fix
    folder_locked = doctor.check_database(db_path, access=lambda p, mode: p != str(db_path.parent))
    assert folder_locked.status == ERROR and "folder" in folder_locked.finding
    new = doctor.check_database(tmp_path / "sub" / "w.db", access=lambda p, mode: p != str(tmp_path))
    assert new.status == ERROR and "cannot be created" in new.finding


def test_a_database_path_under_a_file_or_on_a_folder(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    assert doctor.check_database(blocker / "w.db").status == ERROR
    assert doctor.check_database(tmp_path).status == ERROR


def test_the_database_check_never_opens_the_file(seeded_store, monkeypatch):
    db_path = seeded_store[0]
    opened = []
    real_open, real_os_open = builtins.open, os.open
    monkeypatch.setattr(builtins, "open", lambda f, *a, **k: opened.append(f) or real_open(f, *a, **k))
    monkeypatch.setattr(os, "open", lambda f, *a, **k: opened.append(f) or real_os_open(f, *a, **k))
    monkeypatch.setattr(io, "open", builtins.open)
    assert doctor.check_database(db_path).status == OK
    assert not [f for f in opened if str(f).startswith(str(db_path))]


# -- models -----------------------------------------------------------------------------

def test_no_model_installed(tmp_path):
    result = doctor.check_models(packages_dir=tmp_path / "none")
    assert result.status == WARNING and "no translation model" in result.finding
    assert "workbench models install" in result.fix


def test_models_listed_and_a_pair_without_model(packages_dir):
    assert doctor.check_models(packages_dir=packages_dir).status == OK
    assert "en→ru" in doctor.check_models(packages_dir=packages_dir).finding
    # ru→de pivots through English (ru→en, en→de): covered.
    assert doctor.check_models(packages_dir=packages_dir, pairs=[("ru", "de", 1)]).status == OK
    lacking = doctor.check_models(packages_dir=packages_dir, pairs=[("en", "ru", 3), ("fr", "uk", 2)])
    assert lacking.status == WARNING and "fr→uk (2 documents)" in lacking.finding and "en→ru" not in lacking.finding
    assert lacking.fix.startswith("workbench models install fr uk")


def test_the_pairs_come_from_the_documents(seeded_store, tmp_path):
    assert doctor.document_pairs(seeded_store[0]) == [("en", "ru", 1)]
    assert doctor.document_pairs(tmp_path / "missing.db") == []
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database" * 100)
    assert doctor.document_pairs(junk) == []


# -- disk, peers ----------------------------------------------------------------------------

Usage = namedtuple("Usage", "total used free")


@pytest.mark.parametrize("free, status", [(50 * 1024**3, OK), (500 * 1024**2, WARNING), (20 * 1024**2, ERROR)])
def test_disk_space(tmp_path, free, status):
    result = doctor.check_disk_space([tmp_path / "not-yet" / "db"], disk_usage=lambda p: Usage(0, 0, free))
    assert result.status == status and str(tmp_path) in result.finding


def test_omegat_and_spelling_are_optional(tmp_path):
    assert doctor.check_omegat(which=lambda name: "/usr/bin/omegat").status == OK
    missing = doctor.check_omegat(which=lambda name: None, os_release=DEBIAN)
    assert missing.status == WARNING and missing.fix == "sudo apt-get install omegat"
    (tmp_path / "en_US.dic").write_text("1\nword\n")
    spelling = doctor.check_spelling(dirs=[tmp_path], platform="linux", os_release=DEBIAN)
    assert spelling.status == WARNING and "ru_RU" in spelling.finding and "en_US" not in spelling.finding
    assert spelling.fix == "sudo apt-get install hunspell-ru"
    assert doctor.check_spelling(dirs=[tmp_path], platform="linux", os_release=FEDORA,
                                 dictionaries={"en_US": ("hunspell-en-us", "hunspell-en-US")}).status == OK


def test_run_checks_gives_one_result_per_check(tmp_path, monkeypatch):
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    results = doctor.run_checks(tmp_path / "w.db", packages_dir=tmp_path / "packages")
    assert [r.check for r in results] == ["qt-libraries", "display", "database", "models", "disk-space",
                                          "omegat", "spelling"]
    assert all(r.status in (OK, WARNING, ERROR) and "\n" not in r.line() for r in results)
    assert doctor.worst(results) in (OK, WARNING)
    assert not (tmp_path / "w.db").exists()
