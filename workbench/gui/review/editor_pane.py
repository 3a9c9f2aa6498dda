"""The editor pane: the current unit's source, MT and target, full size.

The pane holds no business logic: it shows a Unit and says, through
``target_edited``, what the reviewer typed.  It commits when the reviewer
pauses (``IDLE_COMMIT_MS`` after the last keystroke), at the latest
``MAX_UNSAVED_MS`` into a stretch of typing without pauses, when the target
editor loses focus and whenever the window asks (``flush()``, e.g. before
moving to another unit), so nothing typed waits long for the disk.  Commits
of one burst merge into one undo step, so committing often costs nothing.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QFont, QKeyEvent, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSizePolicy,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from workbench.core.model import Status, Unit
from workbench.core.store.review_queries import describe_unit
from workbench.core.text.inline_tags import TAG_RE
from workbench.gui.review.spelling_highlighter import spelling_highlighter, tag_highlighter, term_highlighter
from workbench.gui.review.tag_editing import guard_tags, missing_tags
from workbench.gui.review.unit_table import STATUS_HUES, mix

IDLE_COMMIT_MS = 800
MAX_UNSAVED_MS = 4000  # typing without a pause still reaches the disk this often


def py_offset(text: str, qt_position: int) -> int:
    """A QTextCursor position (UTF-16 code units) as a Python string index."""
    return len(text.encode("utf-16-le")[:2 * qt_position].decode("utf-16-le", errors="ignore"))


def qt_position(text: str, py_index: int) -> int:
    return len(text[:py_index].encode("utf-16-le")) // 2


def _editor(read_only: bool, name: str) -> QPlainTextEdit:
    editor = QPlainTextEdit()
    editor.setObjectName(name)
    editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
    editor.setTabChangesFocus(True)
    font = QFont(editor.font())
    font.setPointSizeF(font.pointSizeF() * 1.15)
    editor.setFont(font)
    if read_only:
        editor.setReadOnly(True)
        # Read-only but with a visible, keyboard-driven cursor: "split here".
        editor.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard
                                       | Qt.TextInteractionFlag.TextSelectableByMouse)
    return editor


def _caption(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


class EditorPane(QWidget):
    target_edited = Signal(int, str)  # unit id, the target as typed (commit it)
    escaped = Signal()                # Esc in the target editor: back to the table

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.unit: Unit | None = None
        self._loaded_target = ""
        self._loading = False
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.setInterval(IDLE_COMMIT_MS)
        self._idle.timeout.connect(self.flush)
        self._deadline = QTimer(self)
        self._deadline.setSingleShot(True)
        self._deadline.setInterval(MAX_UNSAVED_MS)
        self._deadline.timeout.connect(self.flush)

        self.info = QLabel("No unit selected")
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status = QLabel()
        self.status.setObjectName("statusChip")
        self.saved_label = QLabel()
        self.saved_label.setObjectName("savedIndicator")

        self.source = _editor(True, "sourceEditor")
        self.mt = _editor(True, "mtView")
        self.target = _editor(False, "targetEditor")
        self.target.setPlaceholderText("Type the translation here")
        self.target.textChanged.connect(self._target_changed)
        self.target.installEventFilter(self)
        self.source.installEventFilter(self)
        # Inline tags as chips in all three; the target's are kept whole.
        # (One highlighter per document: these also paint the QA underlines.)
        self.source_marks = term_highlighter(self.source)
        self.mt_marks = tag_highlighter(self.mt)
        self.target_marks = spelling_highlighter(self.target)
        self.tag_guard = guard_tags(self.target)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 4, 0)
        left_layout.addWidget(_caption("Source"))
        left_layout.addWidget(self.source, 3)
        mt_row = QHBoxLayout()
        mt_row.addWidget(_caption("Machine translation"))
        mt_row.addStretch(1)
        self.mt_buttons = QHBoxLayout()
        mt_row.addLayout(self.mt_buttons)
        left_layout.addLayout(mt_row)
        left_layout.addWidget(self.mt, 2)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(4, 0, 0, 0)
        target_row = QHBoxLayout()
        target_row.addWidget(_caption("Target"))
        target_row.addWidget(self.status)
        target_row.addStretch(1)
        target_row.addWidget(self.saved_label)
        right_layout.addLayout(target_row)
        right_layout.addWidget(self.target, 1)
        self.buttons = QHBoxLayout()
        right_layout.addLayout(self.buttons)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("editorSplitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.info)
        layout.addWidget(self.splitter, 1)
        self.show_unit(None)

    # -- buttons bound to the window's actions ------------------------------------
    def add_actions(self, actions: list[QAction], *, near_mt: bool = False) -> None:
        row = self.mt_buttons if near_mt else self.buttons
        for action in actions:
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
            row.addWidget(button)
        if not near_mt:
            row.addStretch(1)

    # -- showing a unit ----------------------------------------------------------
    @property
    def dirty(self) -> bool:
        return self.unit is not None and self.target.toPlainText() != self._loaded_target

    def show_unit(self, unit: Unit | None) -> None:
        """Show another unit (the caller flushed the previous one)."""
        self._stop_timers()
        self.unit = unit
        enabled = unit is not None
        for editor in (self.source, self.mt, self.target):
            editor.setEnabled(enabled)
        self._loading = True
        try:
            self.source.setPlainText(unit.source if unit else "")
            self.mt.setPlainText((unit.mt or "") if unit else "")
            self.target.setPlainText(unit.target if unit else "")
        finally:
            self._loading = False
        self._loaded_target = unit.target if unit else ""
        self._show_meta(unit)
        self.saved_label.setText("")

    def refresh_unit(self, unit: Unit) -> None:
        """The store changed this unit: show it, without losing unsaved typing."""
        if self.unit is None or unit.id != self.unit.id:
            return
        typed = self.target.toPlainText()
        self.unit = unit
        if self.mt.toPlainText() != (unit.mt or ""):
            self.mt.setPlainText(unit.mt or "")
        if typed == unit.target:
            if self._loaded_target != unit.target:
                # Our commit came back.  From here Ctrl+Z belongs to the undo
                # stack, whose one step holds the whole burst.
                self.target.document().clearUndoRedoStacks()
            self._loaded_target = unit.target
        elif typed == self._loaded_target:
            # Not typed over: take the stored text (undo, use MT, MT filled in).
            position = self.target.textCursor().position()
            self._loading = True
            try:
                self.target.setPlainText(unit.target)
            finally:
                self._loading = False
            cursor = self.target.textCursor()
            cursor.setPosition(min(position, len(unit.target)))
            self.target.setTextCursor(cursor)
            self._loaded_target = unit.target
        self._show_meta(unit)

    def _show_meta(self, unit: Unit | None) -> None:
        if unit is None:
            self.info.setText("No unit selected")
            self.status.setText("")
            return
        extra = " · excluded" if unit.excluded else ""
        scores = ""
        if unit.pe_chrf is not None and unit.pe_ter is not None:
            scores = f" · chrF {unit.pe_chrf:.1f} · TER {unit.pe_ter:.1f}"
        self.info.setText(describe_unit(unit) + extra + scores)
        self.status.setText(f" {unit.status} ")
        hue = STATUS_HUES.get(unit.status)
        base = self.palette().color(QPalette.ColorRole.Base)
        text = self.palette().color(QPalette.ColorRole.Text)
        background = mix(base, hue, 0.45) if hue else mix(base, text, 0.12)
        self.status.setStyleSheet(f"background: {background.name()}; color: {text.name()}; border-radius: 3px;")
        self.status.setToolTip({Status.NEW: "nothing translated yet",
                                Status.MACHINE: "the unedited machine translation",
                                Status.EDITED: "changed by you, not yet approved",
                                Status.APPROVED: "signed off",
                                Status.TM: "filled from the translation memory, not yet reviewed"}[unit.status])

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._show_meta(self.unit)  # the status colours derive from the palette
            for marks in (self.source_marks, self.mt_marks, self.target_marks):  # so do the tag chips
                blocked = marks.editor.blockSignals(True)
                try:
                    marks.rehighlight()
                finally:
                    marks.editor.blockSignals(blocked)

    def set_mt_placeholder(self, text: str) -> None:
        self.mt.setPlaceholderText(text)

    # -- committing ----------------------------------------------------------------
    def _target_changed(self) -> None:
        if self._loading or self.unit is None:
            return
        if self.dirty:
            self.saved_label.setText("editing…")
            self._idle.start()  # restarts with every keystroke
            if not self._deadline.isActive():
                self._deadline.start()  # does not

    def _stop_timers(self) -> None:
        self._idle.stop()
        self._deadline.stop()

    def flush(self) -> None:
        """Commit what was typed, if anything (the window writes it)."""
        self._stop_timers()
        if self.dirty and self.unit is not None:
            self.target_edited.emit(self.unit.id, self.target.toPlainText())

    def mark_saved(self, when: str) -> None:
        """Called once the write committed; until then no 'saved' is shown."""
        self.saved_label.setText(f"saved {when}" if not self.dirty else "editing…")

    def mark_unsaved(self, reason: str) -> None:
        self.saved_label.setText("NOT saved")
        self.saved_label.setToolTip(reason)

    def source_cursor(self) -> int:
        """The source cursor as an index into ``Unit.source``."""
        return py_offset(self.source.toPlainText(), self.source.textCursor().position())

    def target_cursor(self) -> int:
        return py_offset(self.target.toPlainText(), self.target.textCursor().position())

    def highlight(self, query) -> None:
        """Select the first match of a find in the target, else in the source."""
        try:
            pattern = query.compiled()
        except Exception:  # noqa: BLE001 - a bad regex was reported by the finder already
            return
        for editor, wanted in ((self.target, query.in_target), (self.source, query.in_source)):
            match = pattern.search(editor.toPlainText()) if wanted else None
            if match:
                cursor = editor.textCursor()
                text = editor.toPlainText()
                cursor.setPosition(qt_position(text, match.start()))
                cursor.setPosition(qt_position(text, match.end()), cursor.MoveMode.KeepAnchor)
                editor.setTextCursor(cursor)
                editor.ensureCursorVisible()
                return

    # -- inline tags --------------------------------------------------------------
    def missing_tags(self) -> list[str]:
        """The source's tags the target (as typed) still lacks, in source order."""
        if self.unit is None:
            return []
        return missing_tags(self.unit.source, self.target.toPlainText())

    def insert_next_missing_tag(self) -> str | None:
        """Insert the first source tag the target lacks at the target cursor
        (an opening tag whose closing tag is missing too wraps the selection
        in the pair); returns what was inserted, None when no tag is missing."""
        missing = self.missing_tags()
        if not missing:
            return None
        tag = missing[0]
        cursor = self.target.textCursor()
        closing = self._closing_of(tag)
        if cursor.hasSelection() and closing in missing:
            start, end = cursor.selectionStart(), cursor.selectionEnd()
            cursor.beginEditBlock()
            cursor.setPosition(end)
            cursor.insertText(closing)
            cursor.setPosition(start)
            cursor.insertText(tag)
            cursor.endEditBlock()
            cursor.setPosition(end + len(tag) + len(closing))  # tags are ASCII
            self.target.setTextCursor(cursor)
            inserted = tag + "…" + closing
        else:
            cursor.insertText(tag)
            self.target.setTextCursor(cursor)
            inserted = tag
        self.focus_target()
        return inserted

    def insert_missing_tags(self) -> str | None:
        """Insert every source tag the target lacks at the target cursor, in
        source order; returns them, None when none is missing."""
        missing = self.missing_tags()
        if not missing:
            return None
        self.target.textCursor().insertText("".join(missing))
        self.focus_target()
        return " ".join(missing)

    @staticmethod
    def _closing_of(tag: str) -> str | None:
        match = TAG_RE.fullmatch(tag)
        if match is None or match.group(1) or match.group(4):
            return None  # a closing or standalone tag
        return f"</{match.group(2)}{match.group(3)}>"

    def focus_target(self) -> None:
        self.target.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- keys --------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.target:
            if event.type() == QEvent.Type.FocusOut:
                self.flush()
            elif event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
                # The editor takes Ctrl+Z for its own per-keystroke undo; once
                # that is empty, let the window's undo stack have it.
                local = ((event.matches(QKeySequence.StandardKey.Undo) and self.target.document().isUndoAvailable())
                         or (event.matches(QKeySequence.StandardKey.Redo) and self.target.document().isRedoAvailable()))
                if (event.matches(QKeySequence.StandardKey.Undo) or event.matches(QKeySequence.StandardKey.Redo)) \
                        and not local:
                    event.ignore()
                    return True
            elif event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                    and event.key() == Qt.Key.Key_Escape:
                self.flush()
                self.escaped.emit()
                return True
        return super().eventFilter(watched, event)
