"""Session-wide random-weight Argos packages (built once, ~2 s each)."""
from __future__ import annotations

import pytest

from workbench.core.mt.packages import install_file
from workbench.testing.models import build_test_package


@pytest.fixture(scope="session")
def model_archives(tmp_path_factory):
    """Zipped .argosmodel files: en→ru, ru→en and en→de (for pivoting)."""
    root = tmp_path_factory.mktemp("argos-build")
    archives = {}
    for seed, (src, tgt) in enumerate([("en", "ru"), ("ru", "en"), ("en", "de")]):
        archive = root / f"{src}_{tgt}.argosmodel"
        build_test_package(root, src, tgt, seed=seed, zip_to=archive)
        archives[(src, tgt)] = archive
    return archives


@pytest.fixture(scope="session")
def packages_dir(tmp_path_factory, model_archives):
    """An Argos packages dir with all three test models installed."""
    target = tmp_path_factory.mktemp("argos-packages")
    for archive in model_archives.values():
        install_file(archive, target)
    return target


@pytest.fixture
def argos_env(monkeypatch, packages_dir):
    """Point the workbench (and Argos) at the test packages."""
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(packages_dir))
    return packages_dir


@pytest.fixture(scope="session")
def other_weights(tmp_path_factory):
    """en→ru packages with other weights than ``model_archives``: an upgrade
    (``"2.0"``), the same version 1.9 rebuilt (``"1.9"``), and en→de 1.9
    rebuilt (``"en_de"``, for pivot chains)."""
    root = tmp_path_factory.mktemp("argos-other")
    archives = {}
    for name, (src, tgt, version, seed) in {"2.0": ("en", "ru", "2.0", 7), "1.9": ("en", "ru", "1.9", 8),
                                             "en_de": ("en", "de", "1.9", 9)}.items():
        archives[name] = root / f"{name}.argosmodel"
        build_test_package(root / name, src, tgt, seed=seed, package_version=version, zip_to=archives[name])
    return archives
