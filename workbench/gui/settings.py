"""Where the window keeps its state (geometry, splitters, columns, toggles).

An INI file in the user's config dir; tests point ``QSettings.setPath`` at a
temporary directory so they never read or write the real one.
"""
from __future__ import annotations

from PySide6.QtCore import QSettings

ORGANIZATION = "workbench"
APPLICATION = "gui"


def open_settings() -> QSettings:
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION)


def read_bool(settings: QSettings, key: str, default: bool = False) -> bool:
    # INI files hand booleans back as the strings "true"/"false".
    value = settings.value(key, default)
    if isinstance(value, str):
        return value.lower() in ("1", "true", "yes")
    return bool(value)
