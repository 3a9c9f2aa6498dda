"""Every modal dialog the window opens goes through these functions.

Tests monkeypatch them (``monkeypatch.setattr(dialogs, "show_error", ...)``),
so nothing ever blocks on a modal box offscreen.  Callers must use
``dialogs.show_error(...)``, not ``from .dialogs import show_error``, or the
patch would not reach them.
"""
from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget


def show_error(parent: QWidget | None, title: str, message: str) -> None:
    QMessageBox.critical(parent, title, message)


def show_info(parent: QWidget | None, title: str, message: str) -> None:
    QMessageBox.information(parent, title, message)


def ask_yes_no(parent: QWidget | None, title: str, question: str) -> bool:
    answer = QMessageBox.question(parent, title, question,
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


def ask_choice(parent: QWidget | None, title: str, question: str,
               choices: list[tuple[str, str]]) -> str | None:
    """A question with several answers (``(key, button text)``, the first
    the default) and Cancel; the key chosen, None for Cancel."""
    box = QMessageBox(QMessageBox.Icon.Question, title, question, QMessageBox.StandardButton.Cancel, parent)
    buttons = {}
    for key, text in choices:
        buttons[key] = box.addButton(text, QMessageBox.ButtonRole.AcceptRole)
    if choices:
        box.setDefaultButton(buttons[choices[0][0]])
    box.exec()
    clicked = box.clickedButton()
    return next((key for key, button in buttons.items() if button is clicked), None)


def choose_open_files(parent: QWidget | None, caption: str, file_filter: str) -> list[str]:
    paths, _ = QFileDialog.getOpenFileNames(parent, caption, "", file_filter)
    return paths


def choose_open_file(parent: QWidget | None, caption: str, file_filter: str) -> str | None:
    path, _ = QFileDialog.getOpenFileName(parent, caption, "", file_filter)
    return path or None


def choose_save_file(parent: QWidget | None, caption: str, file_filter: str, suggested: str = "") -> str | None:
    path, _ = QFileDialog.getSaveFileName(parent, caption, suggested, file_filter)
    return path or None
