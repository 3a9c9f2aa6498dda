"""Which formats exist, by name and by file extension."""
from __future__ import annotations

from pathlib import Path

from workbench.core.errors import BadInputError

from .base import Exporter, Importer
from .csv_tsv import CsvExporter, CsvImporter, TsvExporter, TsvImporter
from .moses import MosesExporter
from .tmx import TmxExporter, TmxImporter
from .xliff import XliffExporter, XliffImporter

EXPORTERS: dict[str, Exporter] = {
    exporter.name: exporter
    for exporter in (TmxExporter(), CsvExporter(), TsvExporter(), MosesExporter(),
                     XliffExporter())
}
IMPORTERS: dict[str, Importer] = {
    importer.name: importer
    for importer in (TmxImporter(), CsvImporter(), TsvImporter(), XliffImporter())
}
REGISTRY = {"export": EXPORTERS, "import": IMPORTERS}


def get_exporter(name: str) -> Exporter:
    try:
        return EXPORTERS[name.lower()]
    except KeyError:
        raise BadInputError(f"Unknown export format {name!r}: choose from "
                            f"{', '.join(EXPORTERS)}") from None


def get_importer(name: str) -> Importer:
    try:
        return IMPORTERS[name.lower()]
    except KeyError:
        raise BadInputError(f"Unknown import format {name!r}: choose from "
                            f"{', '.join(IMPORTERS)}") from None


def get_importer_for(path: Path) -> Importer:
    """The importer for a file, by its extension."""
    suffix = Path(path).suffix.lower()
    for importer in IMPORTERS.values():
        if suffix in importer.extensions:
            return importer
    known = ", ".join(sorted({ext for imp in IMPORTERS.values() for ext in imp.extensions}))
    raise BadInputError(f"{Path(path).name}: cannot tell the format from the extension "
                        f"{suffix or '(none)'}; known: {known}")


def exporter_for(path: Path) -> Exporter | None:
    """The exporter a file name suggests (``out.tmx`` -> TMX), if any."""
    suffix = Path(path).suffix.lower()
    for exporter in EXPORTERS.values():
        if suffix in exporter.extensions:
            return exporter
    return None
