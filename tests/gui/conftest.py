"""GUI fixtures: isolated settings, no modal dialogs, small seeded databases."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from tests.conftest import SEEDS


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path_factory, monkeypatch):
    """QSettings in a fresh directory per test (never the user's file)."""
    path = tmp_path_factory.mktemp("settings")
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(path))
    return path


@pytest.fixture(autouse=True)
def no_modal_dialogs(monkeypatch):
    """Record every dialog instead of blocking on it; tests assert on them."""
    from workbench.gui import dialogs

    shown: list[tuple[str, str, str]] = []
    monkeypatch.setattr(dialogs, "show_error", lambda parent, title, message: shown.append(("error", title, message)))
    monkeypatch.setattr(dialogs, "show_info", lambda parent, title, message: shown.append(("info", title, message)))
    monkeypatch.setattr(dialogs, "ask_yes_no", lambda parent, title, question: shown.append(("ask", title, question)) or True)
    # A question with several answers: recorded as asked, the first (default) answer taken.
    monkeypatch.setattr(dialogs, "ask_choice",
                        lambda parent, title, question, choices: shown.append(("ask", title, question)) or choices[0][0])
    monkeypatch.setattr(dialogs, "choose_open_files", lambda *a: pytest.fail("file dialog opened in a test"))
    monkeypatch.setattr(dialogs, "choose_open_file", lambda *a: pytest.fail("file dialog opened in a test"))
    monkeypatch.setattr(dialogs, "choose_save_file", lambda *a: pytest.fail("file dialog opened in a test"))
    return shown


@pytest.fixture
def no_models(tmp_path, monkeypatch):
    """An empty Argos packages dir: the window must work without any model."""
    empty = tmp_path / "no-packages"
    empty.mkdir()
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(empty))
    return empty


@pytest.fixture
def seeded_db(db_path):
    """A database with the two seed articles imported; {language: document id}."""
    from workbench.core.importing import import_paths
    from workbench.core.store.database import Store

    with Store(db_path) as store:
        results = import_paths(store, [SEEDS])
        docs = {store.document(r.document_id).language: r.document_id for r in results}
    return db_path, docs


@pytest.fixture
def doc_with_mt(db_path):
    """A small document with machine translations filled in (no model needed)."""
    from workbench.core.store.database import Store

    with Store(db_path) as store:
        doc = store.add_document(title="Small", language="en", target_language="ru", source_path=None,
                                 checksum="small-mt", date=None)
        store.add_segments(doc, [
            (0, "title", "Migrants and the ministry", False),
            (1, "body", "The ministry counted migrants. They left in spring.", False),
            (1, "body", "Most went to Russia.", False),
            (2, "meta", "Photo: archive", False),
            (3, "body", "Remittances grew by a third.", False),
            (3, "boilerplate", "Subscribe to our channel", False),
        ])
        ids = store.unit_ids(doc)
        store.set_machine_translations(
            (uid, f"Перевод {n}.", "argos", "translate-en_ru", "1.9") for n, uid in enumerate(ids))
    return db_path, doc
