from __future__ import annotations

from pathlib import Path

import pytest

from workbench.core.errors import BadInputError
from workbench.core.formats import (EXPORTERS, IMPORTERS, exporter_for, get_exporter,
                                    get_importer, get_importer_for)


def test_every_format_is_registered_under_its_name():
    assert sorted(EXPORTERS) == ["csv", "moses", "parquet", "tmx", "tsv", "xliff"]
    assert sorted(IMPORTERS) == ["csv", "tmx", "tsv", "xliff"]
    for name, exporter in EXPORTERS.items():
        assert get_exporter(name.upper()) is exporter and exporter.name == name
    for name, importer in IMPORTERS.items():
        assert get_importer(name) is importer


@pytest.mark.parametrize("file, name", [("a.tmx", "tmx"), ("b.CSV", "csv"), ("c.tsv", "tsv"),
                                        ("d.tab", "tsv"), ("e.xlf", "xliff"),
                                        ("f.xliff", "xliff")])
def test_importer_and_exporter_by_extension(file, name):
    assert get_importer_for(Path(file)).name == name
    assert exporter_for(Path(file)).name == name


def test_unknown_names_and_extensions_are_user_errors():
    with pytest.raises(BadInputError, match="Unknown export format 'docx'.*tmx, csv"):
        get_exporter("docx")
    with pytest.raises(BadInputError, match="cannot tell the format.*\\.pdf"):
        get_importer_for(Path("x.pdf"))
    assert exporter_for(Path("corpus")) is None
