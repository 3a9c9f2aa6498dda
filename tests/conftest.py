"""Shared fixtures.  Qt runs offscreen; nothing here touches the network."""
from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
SHARED = REPO.parent / "shared"

# Random-weight Argos packages, built once per session (see tests/mt_fixtures.py).
pytest_plugins = ["tests.mt_fixtures"]


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "workbench.db"


@pytest.fixture
def store(db_path):
    from workbench.core.store.database import Store

    with Store(db_path) as s:
        yield s


@pytest.fixture
def small_doc(store):
    """A document with a title and three body sentences, 1:0 units."""
    doc = store.add_document(title="Test", language="en", target_language="ru", source_path=None,
                             checksum="small", date=None)
    ids = store.add_segments(doc, [(0, "title", "A headline", False),
                                   (1, "body", "First sentence. Second sentence.", False),
                                   (1, "body", "Third sentence.", False),
                                   (2, "boilerplate", "Subscribe to our channel", False)])
    return doc, ids


@pytest.fixture
def seeded_store(db_path):
    """A database file with one document of four 1:0 units, no open
    connection: ``(path, document id, unit ids)``."""
    from workbench.core.store.database import Store

    with Store(db_path) as s:
        doc = s.add_document(title="Shared", language="en", target_language="ru", source_path=None,
                             checksum="shared", date=None)
        s.add_segments(doc, [(0, "body", f"Sentence number {n}.", False) for n in range(4)])
        unit_ids = s.unit_ids(doc)
    return db_path, doc, unit_ids


# News-like words for the cluster tests' generated documents.
CLUSTER_WORDS = ("the council ministry migration workers approved budget bank rate inflation talks neighbours "
                 "company profit quarter rescuers evacuated residents river border strategy meeting").split()


@pytest.fixture(scope="module")
def local_cluster():
    """One Dask LocalCluster of two worker processes per test module that asks for it."""
    from workbench.core.cluster import Cluster, ClusterSpec

    with Cluster(ClusterSpec(None, 2)) as running:
        yield running
