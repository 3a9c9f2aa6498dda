"""QA findings as a CSV file for a reviewer."""
from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from workbench.core.outputs import atomic_writer
from workbench.core.qa.checks import Finding

_FORMULA = ("=", "+", "-", "@")


def _cell(text: str) -> str:
    # A spreadsheet must not run a cell as a formula.
    return "'" + text if text.startswith(_FORMULA) else text


def write_findings_csv(store, findings: Sequence[Finding], out: Path) -> int:
    """Write findings with their unit's source and target, one row each.

    Parameters:
        store: the open Store (for the units' texts).
        findings: the findings.
        out: the CSV file (written atomically).

    Returns the number of rows written."""
    units = {u.id: u for u in store.units_by_ids(sorted({f.unit_id for f in findings}))}
    with atomic_writer(out, encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "document", "unit", "severity", "check", "message", "source", "target",
                         "source_spans", "target_spans"])
        for f in findings:
            unit = units.get(f.unit_id)
            spans = lambda ss: " ".join(f"{a}-{b}" for a, b in ss)  # noqa: E731
            writer.writerow([f.key, f.document_id, f.unit_id, f.severity, f.check, _cell(f.message),
                             _cell(unit.source if unit else ""), _cell(unit.target if unit else ""),
                             spans(f.source_spans), spans(f.target_spans)])
    return len(findings)
