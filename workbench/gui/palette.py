"""Light and dark palettes (Fusion style): every colour the views use is
derived from the palette, so both stay readable."""
from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

Role = QPalette.ColorRole
Group = QPalette.ColorGroup


def dark_palette() -> QPalette:
    p = QPalette()
    window, base, text = QColor(45, 47, 51), QColor(30, 31, 34), QColor(222, 224, 228)
    colours = {Role.Window: window, Role.WindowText: text, Role.Base: base,
               Role.AlternateBase: QColor(38, 40, 44), Role.ToolTipBase: QColor(60, 62, 66),
               Role.ToolTipText: text, Role.PlaceholderText: QColor(140, 143, 150), Role.Text: text,
               Role.Button: QColor(55, 57, 62), Role.ButtonText: text, Role.BrightText: QColor(255, 90, 90),
               Role.Light: QColor(75, 77, 82), Role.Midlight: QColor(62, 64, 69), Role.Mid: QColor(40, 42, 46),
               Role.Dark: QColor(25, 26, 29), Role.Shadow: QColor(10, 10, 12),
               Role.Highlight: QColor(58, 120, 200), Role.HighlightedText: QColor(255, 255, 255),
               Role.Link: QColor(110, 170, 255), Role.LinkVisited: QColor(170, 140, 255)}
    for role, colour in colours.items():
        p.setColor(role, colour)
    disabled = QColor(125, 128, 134)
    for role in (Role.WindowText, Role.Text, Role.ButtonText):
        p.setColor(Group.Disabled, role, disabled)
    p.setColor(Group.Disabled, Role.Highlight, QColor(70, 72, 78))
    return p


def apply(dark: bool) -> None:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    app.setStyle("Fusion")
    app.setPalette(dark_palette() if dark else app.style().standardPalette())
