"""Interop: OmegaT (a real CAT tool) uses our TMX as a translation memory.

A minimal OmegaT project gets the source sentences as a plain-text file and
the exported TMX of approved units in ``tm/auto/`` (whose exact matches
OmegaT inserts by itself); ``console-translate`` then writes the translated
file.  Skipped when ``omegat`` is not installed (``apt-get install omegat``).
"""
from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from workbench.core.formats.tmx import TmxExporter

from tests.core.formats.contract import make_units

OMEGAT = shutil.which("omegat")
pytestmark = pytest.mark.skipif(OMEGAT is None, reason="omegat is not on PATH")

PROJECT = """<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<omegat>
  <project version="1.0">
    <source_dir>__DEFAULT__</source_dir>
    <target_dir>__DEFAULT__</target_dir>
    <tm_dir>__DEFAULT__</tm_dir>
    <glossary_dir>__DEFAULT__</glossary_dir>
    <glossary_file>__DEFAULT__</glossary_file>
    <dictionary_dir>__DEFAULT__</dictionary_dir>
    <source_lang>EN</source_lang>
    <target_lang>RU</target_lang>
    <source_tok>org.omegat.tokenizer.LuceneEnglishTokenizer</source_tok>
    <target_tok>org.omegat.tokenizer.LuceneRussianTokenizer</target_tok>
    <sentence_seg>true</sentence_seg>
    <support_default_translations>true</support_default_translations>
    <remove_tags>false</remove_tags>
  </project>
</omegat>
"""

APPROVED = [
    ("The committee approved the new budget on Tuesday.",
     "Комитет утвердил новый бюджет во вторник."),
    ('Prices rose by 3% & the minister said "enough".',
     "Цены выросли на 3%, и министр сказал «хватит»."),
    ("Fuel costs <more> than ever 🚗.", "Топливо стоит <дороже>, чем когда-либо 🚗."),
]
NOT_IN_MEMORY = "This sentence has no approved translation."


def test_omegat_fills_the_target_from_our_tmx(tmp_path):
    project = tmp_path / "project"
    for sub in ("source", "target", "tm/auto", "omegat", "glossary", "dictionary"):
        (project / sub).mkdir(parents=True)
    (project / "omegat.project").write_text(PROJECT, encoding="utf-8")
    sentences = [source for source, _ in APPROVED] + [NOT_IN_MEMORY]
    (project / "source" / "article.txt").write_text("\n\n".join(sentences) + "\n",
                                                    encoding="utf-8")
    units = make_units(APPROVED, status="approved")
    # A machine-translated unit for the last sentence is *not* exported: the
    # caller filters, and OmegaT must then leave that sentence untranslated.
    unapproved = make_units([(NOT_IN_MEMORY, "Машинный перевод.")])[0]._replace(unit_id=99,
                         status="machine")
    approved_only = [unit for unit in units + [unapproved] if unit.status == "approved"]
    TmxExporter().export(approved_only, project / "tm" / "auto" / "approved.tmx")

    home = tmp_path / "home"  # OmegaT keeps its settings under user.home
    home.mkdir()
    env = dict(os.environ, _JAVA_OPTIONS=f"-Djava.awt.headless=true -Duser.home={home}")
    result = subprocess.run([OMEGAT, "--mode=console-translate", str(project)], env=env,
                            capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    translated = (project / "target" / "article.txt").read_text(encoding="utf-8")
    paragraphs = [p.strip() for p in translated.split("\n\n") if p.strip()]
    assert paragraphs == [target for _, target in APPROVED] + [NOT_IN_MEMORY]
