"""``workbench doctor [--json]``: one line per check, exit 1 when a check is an error."""
import json
import subprocess
import sys

import pytest

from workbench.cli import main
from workbench.core import doctor

CHECKS = ["qt-libraries", "display", "database", "models", "disk-space", "omegat", "spelling"]


@pytest.fixture(autouse=True)
def offscreen(monkeypatch, tmp_path):
    """A known machine: offscreen Qt and an empty models folder."""
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "packages"))


def test_json_lines_and_exit_0_without_errors(db_path, capsys):
    assert main(["--db", str(db_path), "doctor", "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["check"] for r in rows] == CHECKS
    assert all(set(r) == {"check", "status", "finding", "fix"} for r in rows)
    assert all(r["status"] in ("ok", "warning") for r in rows)
    models = rows[CHECKS.index("models")]
    assert models["status"] == "warning" and models["fix"].startswith("workbench models install")
    assert not db_path.exists()  # doctor never creates the database


def test_text_is_one_line_per_check(db_path, capsys):
    assert main(["--db", str(db_path), "doctor"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == len(CHECKS)
    assert [line.split()[:2] for line in out] == [[line.split()[0], name] for line, name in zip(out, CHECKS)]
    assert any(line.startswith("warning models") and "— fix: workbench models install" in line for line in out)


def test_an_error_exits_1(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    assert main(["--db", str(blocker / "w.db"), "doctor", "--json"]) == 1
    rows = {r["check"]: r for r in map(json.loads, capsys.readouterr().out.splitlines())}
    assert rows["database"]["status"] == "error" and rows["database"]["fix"]
    assert len(rows) == len(CHECKS)  # every check still ran


def test_missing_qt_libraries_through_the_command(db_path, capsys, monkeypatch):
    real = doctor.check_qt_libraries
    monkeypatch.delenv("QT_QPA_PLATFORM")
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setattr(doctor, "check_qt_libraries", lambda environ=None: real(
        plugin_files=[db_path.parent], ldd=lambda p: "\tlibxcb-keysyms.so.1 => not found\n", environ=environ,
        platform="linux", os_release={"ID": "debian"}))
    assert main(["--db", str(db_path), "doctor"]) == 1
    line = capsys.readouterr().out.splitlines()[0]
    assert line.startswith("error   qt-libraries") and line.endswith("fix: sudo apt-get install libxcb-keysyms1")


def test_doctor_as_a_process(tmp_path):
    env_db = str(tmp_path / "w.db")
    result = subprocess.run([sys.executable, "-m", "workbench.cli", "--db", env_db, "doctor", "--json"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode in (0, 1), result.stderr
    assert [json.loads(line)["check"] for line in result.stdout.splitlines()] == CHECKS
