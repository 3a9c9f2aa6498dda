"""Models dialog, start-up entry point, and a PySide6 regression guard."""
from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal

from workbench.gui import app as gui_app
from workbench.gui.models_dialog import ModelsDialog


def test_models_dialog_installs_a_file_lists_and_removes_it(qtbot, tmp_path, model_archives):
    packages = tmp_path / "packages"
    dialog = ModelsDialog(packages)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 0 and "No model installed" in dialog.message.text()
    with qtbot.waitSignal(dialog.installed, timeout=20000):
        assert dialog.install_file(str(model_archives[("en", "ru")]))
    assert dialog.table.rowCount() == 1
    assert dialog.table.item(0, 1).text() == "translate-en_ru"
    assert dialog.message.text().startswith("Installed translate-en_ru")
    dialog.table.selectRow(0)
    dialog.remove_selected()  # the yes/no question is answered by the test fixture
    assert dialog.table.rowCount() == 0 and not any(packages.iterdir())


def test_models_dialog_reports_a_bad_file_and_being_offline(qtbot, tmp_path, monkeypatch):
    bogus = tmp_path / "model.argosmodel"
    bogus.write_bytes(b"not a zip at all")
    dialog = ModelsDialog(tmp_path / "packages")
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.install_failed, timeout=10000):
        assert dialog.install_file(str(bogus))
    assert "not an Argos model" in dialog.message.text()
    # Nothing listens on the discard port: as good as offline, and fast.
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", "http://127.0.0.1:9/index.json")
    with qtbot.waitSignal(dialog.install_failed, timeout=20000):
        assert dialog.install_from_index("en", "ru")
    assert "offline" in dialog.message.text() and dialog.install_file_button.isEnabled()


def test_main_parses_the_database_option(monkeypatch):
    opened = []
    monkeypatch.setattr(gui_app, "run", lambda db: opened.append(db) or 0)
    assert gui_app.main(["--db", "/tmp/some.db"]) == 0 and gui_app.main([]) == 0
    assert opened == ["/tmp/some.db", None]


class _Emitter(QObject):
    ticked = Signal(float, str)


def test_many_signal_emits_do_not_free_true(qapp):
    """PySide6 6.12.0 on Python 3.11 loses a reference to True per emit and
    aborts after a few thousand: the dependency pin must keep it out."""
    emitter = _Emitter()
    received = []
    emitter.ticked.connect(lambda f, m: received.append(f))
    before = sys.getrefcount(True)
    for n in range(50_000):
        emitter.ticked.emit(float(n), "tick")
    assert len(received) == 50_000 and sys.getrefcount(True) > 0 and before > 0
