"""Interop: OmegaT (a real CAT tool) reads a DOCX the workbench delivered.

The delivered Russian DOCX is the source of a minimal RU->EN OmegaT project
whose memory (``tm/auto``) holds one of its sentences; ``console-translate``
must parse the file, find the sentence and write a target DOCX that
python-docx opens.  Skipped when ``omegat`` is not installed.
"""
from __future__ import annotations

import os
import shutil
import subprocess

import docx
import pytest

from workbench.core.documents.deliver import deliver_document
from workbench.core.edits import history
from workbench.core.edits.commands import Approve, SetTarget
from workbench.core.importing import import_paths

from tests.core.documents.builders import make_docx
from tests.core.formats.test_omegat import PROJECT

OMEGAT = shutil.which("omegat")
pytestmark = pytest.mark.skipif(OMEGAT is None, reason="omegat is not on PATH")

TMX = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="test" creationtoolversion="1" segtype="sentence" o-tmf="none"
 adminlang="en" srclang="RU" datatype="plaintext"/><body>
<tu><tuv xml:lang="RU"><seg>Дорогам больше денег.</seg></tuv><tuv xml:lang="EN"><seg>More money for roads.</seg></tuv></tu>
</body></tmx>
"""


def test_omegat_translates_a_delivered_docx(store, tmp_path):
    source = tmp_path / "report.docx"
    source.write_bytes(make_docx())
    doc = import_paths(store, [source])[0].document_id
    units = {u.source: u.id for u in store.units(doc)}
    for text, translated in [("Roads get more money.", "Дорогам больше денег."),
                             ("The city council <b0>approved</b0> the budget on Tuesday.",
                              "Городской совет <b0>одобрил</b0> бюджет во вторник.")]:
        history.apply(store, SetTarget(units[text], translated))
        history.apply(store, Approve((units[text],)))
    project = tmp_path / "project"
    for sub in ("source", "target", "tm/auto", "omegat", "glossary", "dictionary"):
        (project / sub).mkdir(parents=True)
    project_file = PROJECT.replace("<source_lang>EN</source_lang>", "<source_lang>RU</source_lang>") \
        .replace("<target_lang>RU</target_lang>", "<target_lang>EN</target_lang>") \
        .replace("LuceneEnglishTokenizer", "LuceneX").replace("LuceneRussianTokenizer", "LuceneEnglishTokenizer") \
        .replace("LuceneX", "LuceneRussianTokenizer")
    (project / "omegat.project").write_text(project_file, encoding="utf-8")
    deliver_document(store, doc, project / "source" / "report.ru.docx")
    (project / "tm" / "auto" / "memory.tmx").write_text(TMX, encoding="utf-8")
    home = tmp_path / "home"
    home.mkdir()
    env = dict(os.environ, _JAVA_OPTIONS=f"-Djava.awt.headless=true -Duser.home={home}")
    result = subprocess.run([OMEGAT, "--mode=console-translate", str(project)], env=env,
                            capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    translated = docx.Document(str(project / "target" / "report.ru.docx"))
    texts = [p.text for p in translated.paragraphs]
    assert "More money for roads." in texts
    body = next(p for p in translated.paragraphs if p.text.startswith("Городской совет"))
    assert ("одобрил", True) in [(r.text, r.bold) for r in body.runs]
