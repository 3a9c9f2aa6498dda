"""Inline tags in the window: drawn as chips, and kept whole in the target.

Segments of formatted documents carry their formatting as compact tags
(``<b0>``…``</b0>``, ``<x1/>``; see ``workbench.core.text.inline_tags``).
This module paints them distinctly (``tag_format``, ``tag_html``) and guards
them in an editor as OmegaT does (``TagGuard``): the cursor steps over a tag
as one character, Backspace/Delete next to a tag removes the whole tag, and
an edit of a selection that cuts a tag takes the whole tag.  It also says
which tags of the source the target still lacks (``missing_tags``), for
"Insert next missing tag".
"""
from __future__ import annotations

import html
from collections import Counter

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QKeyEvent, QKeySequence, QPalette, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit

from workbench.core.text.inline_tags import find_tags

TAG_HUE = QColor(124, 77, 204)  # the chips' violet: no status, QA or spelling colour uses it


def _mix(a: QColor, b: QColor, amount: float) -> QColor:
    return QColor.fromRgbF(a.redF() + (b.redF() - a.redF()) * amount,
                           a.greenF() + (b.greenF() - a.greenF()) * amount,
                           a.blueF() + (b.blueF() - a.blueF()) * amount)


def tag_colors(palette: QPalette) -> tuple[QColor, QColor]:
    """The chips' background and text colours, derived from ``palette`` (light or dark)."""
    base = palette.color(QPalette.ColorRole.Base)
    text = palette.color(QPalette.ColorRole.Text)
    return _mix(base, TAG_HUE, 0.22), _mix(text, TAG_HUE, 0.55)


def tag_format(palette: QPalette) -> QTextCharFormat:
    """The character format of a tag in an editor: a tinted chip."""
    background, foreground = tag_colors(palette)
    fmt = QTextCharFormat()
    fmt.setBackground(background)
    fmt.setForeground(foreground)
    fmt.setFontWeight(600)
    return fmt


def tag_html(text: str, palette: QPalette) -> str:
    """``text`` as HTML with its tags as chips (the table's cells).

    Parameters:
        text: a segment with tags.
        palette: gives the chips' colours."""
    background, foreground = tag_colors(palette)
    style = f"background-color:{background.name()}; color:{foreground.name()}; font-weight:600"
    out, last = [], 0
    for tag in find_tags(text):
        out.append(html.escape(text[last:tag.start]))
        # Word joiners between the characters: a chip never breaks across lines ("</" | "b0>").
        chip = "\u2060".join(html.escape(c) for c in tag.text)
        out.append(f'<span style="{style}">{chip}</span>')
        last = tag.end
    out.append(html.escape(text[last:]))
    return "".join(out).replace("\n", "<br>")


def missing_tags(source: str, target: str) -> list[str]:
    """The tags of ``source`` that ``target`` lacks, in the source's order
    (a tag written twice in the source is missing once when the target has it once).

    Parameters:
        source: the source segment.
        target: its translation so far."""
    have = Counter(tag.text for tag in find_tags(target))
    out = []
    for tag in find_tags(source):
        if have[tag.text] > 0:
            have[tag.text] -= 1
        else:
            out.append(tag.text)
    return out


def _utf16(text: str, index: int) -> int:
    return len(text[:index].encode("utf-16-le")) // 2


class TagGuard(QObject):
    """Keeps the tags of a QPlainTextEdit whole.

    - the cursor never rests inside a tag: moving into one (arrows, a click,
      a word jump) carries it across, in the direction it was going;
    - Backspace right after a tag, or Delete right before one, removes the
      whole tag in one step (undoable with the editor's Ctrl+Z);
    - typing, deleting, cutting or pasting over a selection that cuts a tag
      widens the selection to the whole tag first.
    """

    def __init__(self, editor: QPlainTextEdit):
        super().__init__(editor)
        self.editor = editor
        self._text: str | None = None
        self._spans: list[tuple[int, int]] = []  # tags as Qt positions
        self._last = editor.textCursor().position()
        self._snapping = False
        editor.installEventFilter(self)
        editor.cursorPositionChanged.connect(self._snap)

    def tag_spans(self) -> list[tuple[int, int]]:
        """The editor's tags as ``(start, end)`` cursor positions."""
        text = self.editor.toPlainText()
        if text != self._text:
            self._text = text
            self._spans = [(_utf16(text, t.start), _utf16(text, t.end)) for t in find_tags(text)] \
                if "<" in text else []
        return self._spans

    def _inside(self, position: int) -> tuple[int, int] | None:
        return next(((s, e) for s, e in self.tag_spans() if s < position < e), None)

    def _snap(self) -> None:
        if self._snapping:
            return
        cursor = self.editor.textCursor()
        position, anchor = cursor.position(), cursor.anchor()
        tag = self._inside(position)
        if tag is not None:
            start, end = tag
            if self._last <= start:
                position = end
            elif self._last >= end:
                position = start
            else:
                position = start if position - start <= end - position else end
            if not cursor.hasSelection():
                anchor = position
            self._set(anchor, position)
        elif cursor.hasSelection() and (tag := self._inside(anchor)) is not None:
            # A selection starting inside a tag takes the whole tag.
            self._set(tag[0] if position >= tag[1] else tag[1], position)
        self._last = self.editor.textCursor().position()

    def _set(self, anchor: int, position: int) -> None:
        cursor = self.editor.textCursor()
        cursor.setPosition(anchor)
        cursor.setPosition(position, QTextCursor.MoveMode.KeepAnchor)
        self._snapping = True
        try:
            self.editor.setTextCursor(cursor)
        finally:
            self._snapping = False

    def _widen_selection(self) -> None:
        """Make a selection that cuts a tag take the whole tag."""
        cursor = self.editor.textCursor()
        if not cursor.hasSelection():
            return
        start, end = cursor.selectionStart(), cursor.selectionEnd()
        for s, e in self.tag_spans():
            if s < start < e:
                start = s
            if s < end < e:
                end = e
        if (start, end) != (cursor.selectionStart(), cursor.selectionEnd()):
            forward = cursor.position() >= cursor.anchor()
            self._set(start if forward else end, end if forward else start)

    def _remove(self, span: tuple[int, int]) -> None:
        cursor = self.editor.textCursor()
        cursor.setPosition(span[0])
        cursor.setPosition(span[1], QTextCursor.MoveMode.KeepAnchor)
        cursor.removeSelectedText()
        self._snapping = True
        try:
            self.editor.setTextCursor(cursor)
        finally:
            self._snapping = False
        self._last = cursor.position()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.editor and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                and not self.editor.isReadOnly() and self.tag_spans():
            return self._key(event)
        return super().eventFilter(watched, event)

    def _key(self, event: QKeyEvent) -> bool:
        key = event.key()
        cursor = self.editor.textCursor()
        editing = (key in (Qt.Key.Key_Backspace, Qt.Key.Key_Delete) or bool(event.text() and event.text().isprintable())
                   or event.matches(QKeySequence.StandardKey.Cut) or event.matches(QKeySequence.StandardKey.Paste))
        if not editing:
            return False
        if cursor.hasSelection():
            self._widen_selection()
            return False  # the editor deletes or replaces the (widened) selection
        position = cursor.position()
        if key == Qt.Key.Key_Backspace:
            tag = next(((s, e) for s, e in self.tag_spans() if e == position), None)
        elif key == Qt.Key.Key_Delete:
            tag = next(((s, e) for s, e in self.tag_spans() if s == position), None)
        else:
            return False
        if tag is None:
            return False
        self._remove(tag)
        return True


def guard_tags(editor: QPlainTextEdit) -> TagGuard:
    """Protect the tags of ``editor`` (kept alive by the editor).

    Parameters:
        editor: a QPlainTextEdit the reviewer types in."""
    guard = TagGuard(editor)
    editor.setProperty("tagGuard", True)
    return guard

