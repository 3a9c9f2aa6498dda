"""`workbench models install` killed with SIGKILL at random moments: whatever the
moment, the pair has a complete model that translates (the previous one or
the new one, never a half of either), and the next install succeeds and
leaves no leftovers."""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import pytest

from workbench.core.mt import engine
from workbench.core.mt.packages import HASH_FILE, install_file, list_installed

from tests.reliability.helpers import REPO

SENTENCES = ["The minister said the meeting would discuss a new strategy."]


def outputs(root):
    """(version, output) of every installed package, from freshly loaded files."""
    return sorted((p.package_version, tuple(engine.Translator(p, threads=1).translate(SENTENCES)))
                  for p in list_installed(root))


def start_install(root, archive):
    return subprocess.Popen([sys.executable, "-m", "workbench.cli", "models", "install", str(archive)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin",
                                 "ARGOS_PACKAGES_DIR": str(root), "HOME": str(root.parent)})


def _staged_and_hashed(root) -> bool:
    """Whether an install's staging folder holds a hashed package; a staging
    folder renamed or removed during the glob (the install went on) is none."""
    try:
        return bool(list(root.glob(f".installing-*/*/{HASH_FILE}")))
    except FileNotFoundError:
        return False


@pytest.mark.slow
def test_install_killed_at_random_moments(tmp_path, model_archives, other_weights):
    archives = [model_archives[("en", "ru")], other_weights["1.9"], other_weights["2.0"]]
    known = set()  # every complete en→ru package's (version, output)
    for n, archive in enumerate(archives):
        alone = tmp_path / f"alone{n}"
        install_file(archive, alone)
        found = outputs(alone)
        assert len(found) == 1
        known.update(found)
    root = tmp_path / "models"
    install_file(archives[0], root)

    started = time.monotonic()
    proc = start_install(root, archives[1])
    assert proc.wait(timeout=120) == 0, proc.stderr.read()
    duration = time.monotonic() - started

    rng = random.Random(int(os.environ.get("KILL_SEED", "10")))
    killed = 0
    for attempt in range(16):
        proc = start_install(root, rng.choice(archives))
        if attempt % 2:
            time.sleep(rng.uniform(0.05, duration))
        else:  # late: once the staged package is load-tested and hashed, around the swap
            deadline = time.monotonic() + 3 * duration
            while not _staged_and_hashed(root) and time.monotonic() < deadline:
                time.sleep(0.001)
            time.sleep(rng.uniform(0, 0.03))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            killed += 1
        proc.wait(timeout=120)
        visible = sorted(p.name for p in root.iterdir() if not p.name.startswith("."))
        installed = outputs(root)
        assert installed and len(installed) == len(visible), (attempt, visible, installed)
        assert set(installed) <= known, attempt  # only complete, known packages are visible
    assert killed >= 8

    final = start_install(root, archives[2])
    out, err = final.communicate(timeout=120)
    assert final.returncode == 0, err
    assert sorted(p.name for p in root.iterdir()) == ["translate-en_ru-2_0"]  # no leftovers
    assert outputs(root) == [v for v in known if v[0] == "2.0"]
