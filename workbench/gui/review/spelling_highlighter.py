"""Marks in an editor: inline tags as chips (every editor of the pane),
misspelt words in the target (red wave) and glossary term hits in the
source (blue underline).

A QTextDocument takes one highlighter, so one class paints all three.  The
spans come from a background check (``qa_controller``); the highlighter
only paints them, so typing never waits for a dictionary.  Tags are found
as the block is painted (a regex over one segment).
"""
from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QColor, QPalette, QSyntaxHighlighter, QTextCharFormat, QTextDocument
from PySide6.QtWidgets import QApplication

from workbench.core.text.inline_tags import find_tags
from workbench.gui.review.tag_editing import tag_format


def _utf16(text: str, index: int) -> int:
    return len(text[:index].encode("utf-16-le")) // 2


class SpanHighlighter(QSyntaxHighlighter):
    """Paints inline tags as chips, and ``(start, end)`` spans (Python
    indices into the whole text) in one underline style."""

    def __init__(self, document: QTextDocument, *, color: str = "#000000", wave: bool = False,
                 editor: QObject | None = None):
        super().__init__(document)
        # Repainting formats makes QPlainTextEdit emit textChanged: the editor's
        # signals are blocked meanwhile, or the pane would take it for typing
        # (restarting its autosave timer, and the re-check, forever).
        self.editor = editor
        self.spans: list[tuple[int, int]] = []
        self._text = ""
        self.format = QTextCharFormat()
        self.format.setUnderlineColor(QColor(color))
        self.format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SpellCheckUnderline if wave
                                      else QTextCharFormat.UnderlineStyle.SingleUnderline)

    def set_spans(self, text: str, spans: list[tuple[int, int]]) -> None:
        """Show these spans of ``text`` (ignored when the editor now holds another text).

        Parameters:
            text: the text the spans were computed on.
            spans: ``(start, end)`` Python string indices."""
        spans = list(spans)
        if text == self._text and spans == self.spans:
            return
        self._text = text
        self.spans = spans
        blocked = self.editor.blockSignals(True) if self.editor is not None else False
        try:
            self.rehighlight()
        finally:
            if self.editor is not None:
                self.editor.blockSignals(blocked)

    def _palette(self) -> QPalette:
        editor = self.editor
        return editor.palette() if editor is not None and hasattr(editor, "palette") else QApplication.palette()

    def highlightBlock(self, block_text: str) -> None:  # noqa: N802 - Qt's name
        if "<" in block_text:
            tags = find_tags(block_text)
            if tags:
                chip = tag_format(self._palette())
                for tag in tags:
                    self.setFormat(_utf16(block_text, tag.start), _utf16(block_text, tag.end)
                                   - _utf16(block_text, tag.start), chip)
        document = self.document()
        if document is None or not self.spans or document.toPlainText() != self._text:
            return
        start = self.currentBlock().position()
        length = len(block_text.encode("utf-16-le")) // 2
        for s, e in self.spans:
            qs, qe = _utf16(self._text, s) - start, _utf16(self._text, e) - start
            if qe <= 0 or qs >= length:
                continue
            self.setFormat(max(0, qs), min(length, qe) - max(0, qs), self.format)


def spelling_highlighter(editor) -> SpanHighlighter:
    """The target editor's misspelling underline (red wave).

    Parameters:
        editor: the QPlainTextEdit."""
    return SpanHighlighter(editor.document(), color="#d32f2f", wave=True, editor=editor)


def term_highlighter(editor) -> SpanHighlighter:
    """The source editor's glossary-term underline (blue).

    Parameters:
        editor: the QPlainTextEdit."""
    return SpanHighlighter(editor.document(), color="#1565c0", wave=False, editor=editor)


def tag_highlighter(editor) -> SpanHighlighter:
    """Tags as chips, and nothing else (the MT view, the table's in-place editor).

    Parameters:
        editor: the QPlainTextEdit."""
    return SpanHighlighter(editor.document(), editor=editor)
