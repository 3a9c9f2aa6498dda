"""The QA pane: the findings of the document shown; a click goes to the unit."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from workbench.core.qa.checks import Finding

UNIT_ROLE = Qt.ItemDataRole.UserRole
COLORS = {"error": QColor("#c62828"), "warning": QColor("#ef6c00")}


class QaPane(QWidget):
    unit_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("qaPane")
        self.findings: list[Finding] = []
        self.row_of_unit: dict[int, int] = {}
        self.tree = QTreeWidget()
        self.tree.setObjectName("qaTree")
        self.tree.setHeaderLabels(["Row", "Severity", "Check", "Message"])
        self.tree.setRootIsDecorated(False)
        self.tree.setSortingEnabled(False)
        self.tree.itemClicked.connect(self._clicked)
        self.tree.itemActivated.connect(self._clicked)
        self.summary = QLabel("Not checked yet")
        self.summary.setObjectName("qaSummary")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)

    def _clicked(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        self.unit_clicked.emit(int(item.data(0, UNIT_ROLE)))

    def set_findings(self, findings: list[Finding], row_of_unit: dict[int, int], notes: list[str] = ()) -> None:
        """Show a document's findings (sorted by row).

        Parameters:
            findings: the findings.
            row_of_unit: unit id -> row number shown in the table (1-based).
            notes: messages such as "spelling check off"."""
        self.row_of_unit = dict(row_of_unit)
        self.findings = sorted(findings, key=lambda f: (row_of_unit.get(f.unit_id, 1 << 30), f.check))
        self._fill(notes)

    def replace_unit(self, unit_id: int, findings: list[Finding]) -> None:
        """Swap one unit's unit-scope findings for a fresh check of it.

        Parameters:
            unit_id: the unit re-checked.
            findings: its findings now."""
        from workbench.core.qa.checks import CHECKS

        unit_scope = [f for f in self.findings if f.unit_id == unit_id and CHECKS[f.check].scope == "unit"]
        if sorted(unit_scope, key=repr) == sorted(findings, key=repr):
            return  # nothing changed: keep the list (a 10,000-finding refill is not free)
        kept = [f for f in self.findings if f.unit_id != unit_id or CHECKS[f.check].scope == "document"]
        self.findings = sorted(kept + list(findings),
                               key=lambda f: (self.row_of_unit.get(f.unit_id, 1 << 30), f.check))
        self._fill(())

    def errors_of(self, unit_id: int) -> list[Finding]:
        """The error findings of a unit (as last checked).

        Parameters:
            unit_id: the unit."""
        return [f for f in self.findings if f.unit_id == unit_id and f.severity == "error"]

    def _fill(self, notes) -> None:
        self.tree.clear()
        items = []
        for f in self.findings:
            item = QTreeWidgetItem([str(self.row_of_unit.get(f.unit_id, "?")), f.severity, f.check, f.message])
            item.setData(0, UNIT_ROLE, f.unit_id)
            item.setForeground(1, COLORS[f.severity])
            item.setToolTip(3, f.message)
            items.append(item)
        self.tree.addTopLevelItems(items)
        for column in range(3):
            self.tree.resizeColumnToContents(column)
        errors = sum(f.severity == "error" for f in self.findings)
        text = f"{len(self.findings)} findings, {errors} errors"
        if notes:
            text += " — " + "; ".join(notes)
        self.summary.setText(text)
