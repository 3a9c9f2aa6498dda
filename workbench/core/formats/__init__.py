"""Parallel-corpus interchange formats: TMX, CSV/TSV, Moses, XLIFF 1.2.

Store-free: exporters take ``ExportUnit`` iterables, importers give
``ImportedCorpus`` streams; see ``base`` for the contract.
"""
from workbench.core.formats.base import (CSV_COLUMNS, ExportOptions, Exporter, ExportUnit, ImportedCorpus,
                   ImportedUnit, Importer)
from workbench.core.formats.registry import (EXPORTERS, IMPORTERS, REGISTRY, exporter_for, get_exporter,
                       get_importer, get_importer_for)

__all__ = [
    "CSV_COLUMNS", "EXPORTERS", "IMPORTERS", "REGISTRY", "ExportOptions", "ExportUnit",
    "Exporter", "ImportedCorpus", "ImportedUnit", "Importer", "exporter_for",
    "get_exporter", "get_importer", "get_importer_for",
]
