"""Translate → Run on a cluster…: where "Translate all documents" runs.

The address is kept in the window's settings (``cluster/address``): empty
runs the work in this process, as always; ``local``/``local:N`` starts a Dask
cluster of N processes on this computer; ``tcp://host:8786`` uses a running
Dask scheduler.  While a job runs there, ``ClusterLink`` in the status bar
shows where, with the Dask dashboard's link (click to open, or select to copy).
"""
from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget)

from workbench.core.errors import WorkbenchError

SETTINGS_KEY = "cluster/address"


def cluster_address(settings: QSettings) -> str | None:
    """The cluster address saved in ``settings``; None: run in this process."""
    value = str(settings.value(SETTINGS_KEY, "") or "").strip()
    return value or None


def check_address(text: str) -> str | None:
    """The address as it will be used (None when empty), or ``WorkbenchError`` with the accepted forms.

    :param text: what the user typed."""
    from workbench.core.cluster import parse_cluster

    value = text.strip()
    if not value:
        return None
    parse_cluster(value)
    return value


class ClusterDialog(QDialog):
    """One field: the cluster address; OK checks its form (not whether it answers: the job says that)."""

    def __init__(self, address: str | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Run on a cluster")
        self.field = QLineEdit(address or "")
        self.field.setPlaceholderText("empty: this computer; local:4; tcp://scheduler:8786")
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020")
        self.error.setWordWrap(True)
        help_text = QLabel('"Translate all documents" sends its batches to this Dask cluster and writes the '
                           "results here. Leave it empty to translate in this process. local:N starts N worker "
                           "processes on this computer; tcp://HOST:PORT uses a running 'dask scheduler' "
                           "(needs: pip install 'workbench[cluster]').")
        help_text.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(help_text)
        layout.addWidget(self.field)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.address: str | None = address

    def accept(self) -> None:
        try:
            self.address = check_address(self.field.text())
        except WorkbenchError as exc:
            self.error.setText(str(exc))
            return
        super().accept()

    @classmethod
    def edit(cls, parent: QWidget | None, settings: QSettings) -> bool:
        """Show the dialog; on OK save the address in ``settings`` (True)."""
        dialog = cls(cluster_address(settings), parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        settings.setValue(SETTINGS_KEY, dialog.address or "")
        return True


class ClusterLink(QLabel):
    """Status-bar label while a job runs on a cluster: where, and the dashboard's link."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setOpenExternalLinks(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.link = ""
        self.hide()

    def show_cluster(self, description: str, link: str) -> None:
        """Show where the job runs and, when there is one, the dashboard's link."""
        self.link = link
        self.setToolTip(description + (f" — dashboard: {link}" if link else ""))
        self.setText(f'<a href="{link}">Dask dashboard</a>' if link else "on a cluster")
        self.show()

    def clear_cluster(self) -> None:
        self.link = ""
        self.setText("")
        self.hide()
