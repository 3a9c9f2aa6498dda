"""What the review actions do: core commands for the current unit, and moves.

The controller sits between the views (table, editor pane) and the session.
It decides *which* command an action means (Approve, SetTarget, SplitSegment,
...) and where the cursor goes next; the store does the work.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from workbench.core.edits.commands import (
    Batch,
    MergeSegments,
    SetExcluded,
    SetTarget,
    SplitSegment,
)
from workbench.core.memory.filling import approval
from workbench.core.model import Status, Unit
from workbench.core.store import review_queries as queries
from workbench.gui.context import GuiContext
from workbench.gui.review.editor_pane import EditorPane
from workbench.gui.session import ReviewSession, follow_session
from workbench.gui.review.unit_table import UnitTableView

UNAPPROVED = tuple(sorted(str(s) for s in Status.UNREVIEWED))  # tm too: filled, not yet reviewed
UNTRANSLATED = (str(Status.NEW),)


class ReviewController(QObject):
    message = Signal(str)  # a short note for the status bar

    def __init__(self, table: UnitTableView, pane: EditorPane, context: GuiContext):
        super().__init__(context)
        self.table = table
        self.pane = pane
        self.session: ReviewSession | None = None
        self._follow_changes = False
        table.current_unit_changed.connect(self._current_unit_changed)
        pane.target_edited.connect(self.commit_target)
        self.message.connect(context.show_message)
        context.session_changed.connect(self.set_session)

    def set_session(self, session: ReviewSession | None) -> None:
        """Connect after the table model did (the window gives the table model
        the session before the context): the rows are fresh when we look."""
        old, self.session = self.session, session
        follow_session(old, session, self._connections)

    def _connections(self, session: ReviewSession):
        return [(session.units_changed, self._units_changed),
                (session.structure_changed, self._structure_changed),
                (session.saved, self.pane.mark_saved),
                (session.failed, self._failed)]

    @property
    def document_id(self) -> int | None:
        return self.table.unit_model().document_id

    def current_unit(self) -> Unit | None:
        return self.table.current_unit()

    # -- keeping the pane in step ----------------------------------------------------
    def flush(self) -> None:
        """Commit typing in the pane (and an open in-place editor) now."""
        self.table.commit_open_editor()
        self.pane.flush()

    def _current_unit_changed(self, unit: Unit | None) -> None:
        self.pane.flush()
        if self.session is not None:
            self.session.end_burst()
        if unit is None or self.pane.unit is None or unit.id != self.pane.unit.id:
            self.pane.show_unit(unit)
        else:
            self.pane.refresh_unit(unit)

    def commit_target(self, unit_id: int, text: str) -> None:
        if self.session is None or self.document_id is None:
            return
        if not self.session.edit_target(self.document_id, unit_id, text):
            self.pane.mark_unsaved("the database refused the write; it is retried on the next change")

    def _units_changed(self, document_id: int, unit_ids: list) -> None:
        if document_id != self.document_id:
            return
        current = self.pane.unit
        if current is not None and current.id in unit_ids:
            fresh = self.table.unit_model().unit(current.id)
            if fresh is not None:
                self.pane.refresh_unit(fresh)
        self._follow(unit_ids)

    def _structure_changed(self, document_id: int, unit_ids: list) -> None:
        if document_id == self.document_id:
            self._follow(unit_ids)

    def _follow(self, unit_ids: list) -> None:
        """After undo/redo, show the unit that changed."""
        if self._follow_changes:
            self._follow_changes = False
            current = self.pane.unit
            if unit_ids and (current is None or current.id not in unit_ids):
                for uid in unit_ids:
                    if self.table.go_to_unit(uid):
                        break

    def _failed(self, message: str) -> None:
        self.message.emit(message)

    # -- undo ------------------------------------------------------------------------
    def undo(self) -> None:
        self._step(True)

    def redo(self) -> None:
        self._step(False)

    def _step(self, undo: bool) -> None:
        if self.session is None:
            return
        self.flush()
        if self.document_id is None:
            return
        self._follow_changes = True
        try:
            self.session.undo(self.document_id) if undo else self.session.redo(self.document_id)
        finally:
            self._follow_changes = False

    # -- edits -----------------------------------------------------------------------
    def _ready(self) -> tuple[ReviewSession, int, Unit] | None:
        self.flush()
        unit = self.current_unit()
        if self.session is None or self.document_id is None or unit is None:
            self.message.emit("select a unit first")
            return None
        return self.session, self.document_id, unit

    def approve_and_next(self) -> None:
        ready = self._ready()
        if ready is None:
            return
        session, doc, unit = ready
        ids = self.table.selected_unit_ids()
        if unit.id not in ids:
            ids = [unit.id]
        todo = tuple(uid for uid in ids if (u := self.table.unit_model().unit(uid)) and u.status is not Status.APPROVED)
        if todo and not session.apply(doc, approval(session.store, todo)):
            return
        last = max((r for r in (self.table.unit_model().row_of(u) for u in ids) if r is not None), default=None)
        self._go_to_next(UNAPPROVED, "every unit is approved", start_row=last)

    def use_mt(self) -> None:
        ready = self._ready()
        if ready is None:
            return
        session, doc, unit = ready
        if not unit.mt:
            self.message.emit("this unit has no machine translation yet (Translate → Translate document)")
            return
        if unit.target != unit.mt:
            session.apply(doc, SetTarget(unit.id, unit.mt))

    def insert_next_tag(self) -> None:
        """Insert the next source tag the target lacks at the target cursor."""
        if self.pane.unit is None:
            self.message.emit("select a unit first")
            return
        inserted = self.pane.insert_next_missing_tag()
        self.message.emit(f"inserted {inserted}" if inserted else "no tag of the source is missing from the target")

    def insert_all_tags(self) -> None:
        """Insert every source tag the target lacks at the target cursor."""
        if self.pane.unit is None:
            self.message.emit("select a unit first")
            return
        inserted = self.pane.insert_missing_tags()
        self.message.emit(f"inserted {inserted}" if inserted else "no tag of the source is missing from the target")

    def split_at_cursor(self) -> None:
        ready = self._ready()
        if ready is None:
            return
        session, doc, unit = ready
        if not unit.source_segment_ids:
            self.message.emit("this unit has no source segment to split")
            return
        texts = queries.segment_texts(session.store, unit.source_segment_ids)
        index, offset = queries.locate_offset(texts, self.pane.source_cursor())
        target_offset = self.pane.target_cursor() if unit.target.strip() else None
        command = SplitSegment(unit.source_segment_ids[index], offset, target_offset=target_offset)
        if session.apply(doc, command):
            self.table.go_to_unit(unit.id)

    def merge_with_next(self) -> None:
        ready = self._ready()
        if ready is None:
            return
        session, doc, unit = ready
        if not unit.source_segment_ids:
            return
        following = queries.next_segment_id(session.store, unit.source_segment_ids[-1])
        if following is None:
            self.message.emit("this is the last segment of the document")
            return
        if session.apply(doc, MergeSegments(unit.source_segment_ids[-1], following)):
            self.table.go_to_unit(unit.id)

    def toggle_excluded(self) -> None:
        ready = self._ready()
        if ready is None:
            return
        session, doc, _unit = ready
        units = [u for u in (self.table.unit_model().unit(uid) for uid in self.table.selected_unit_ids()) if u]
        segment_ids = [sid for u in units for sid in u.source_segment_ids]
        if not segment_ids:
            return
        exclude = not all(u.excluded for u in units)
        session.apply(doc, SetExcluded.all(segment_ids, exclude))

    def replace_all(self, query: queries.SearchQuery, replacement: str) -> int:
        """Replace in every target of the document as one undo step."""
        self.flush()
        if self.session is None or self.document_id is None:
            return 0
        changes = queries.replace_in_targets(self.session.store, self.document_id, query, replacement)
        if changes:
            command = Batch(tuple(SetTarget(uid, text) for uid, text in changes), "replace all")
            if not self.session.apply(self.document_id, command):
                return 0
        return len(changes)

    def replace_current(self, query: queries.SearchQuery, replacement: str) -> bool:
        ready = self._ready()
        if ready is None:
            return False
        session, doc, unit = ready
        pattern = query.compiled()
        new = pattern.sub(replacement if query.regex else replacement.replace("\\", "\\\\"), unit.target, count=1)
        if new == unit.target:
            return False
        return session.apply(doc, SetTarget(unit.id, new))

    # -- moving ------------------------------------------------------------------------
    def next_unit(self) -> None:
        self._move(+1)

    def previous_unit(self) -> None:
        self._move(-1)

    def _move(self, step: int) -> None:
        model = self.table.unit_model()
        if not model.rowCount():
            return
        row = self.table.currentIndex().row()
        self.table.go_to_row(max(0, min(model.rowCount() - 1, (row if row >= 0 else -step) + step)))

    def next_untranslated(self) -> None:
        self.flush()
        self._go_to_next(UNTRANSLATED, "no untranslated unit left")

    def next_unapproved(self) -> None:
        self.flush()
        self._go_to_next(UNAPPROVED, "every unit is approved")

    def _go_to_next(self, statuses: tuple[str, ...], none_left: str, start_row: int | None = None) -> bool:
        """The first unit after ``start_row`` (default: the current row) with one of
        ``statuses``, wrapping around; meta, boilerplate and excluded units are
        not work to do and are passed over."""
        if self.session is None or self.document_id is None:
            return False
        model = self.table.unit_model()
        ids = model.unit_ids
        start = self.table.currentIndex().row() if start_row is None else start_row
        after = ids[start] if 0 <= start < len(ids) else None
        for begin in (after, None):  # from here to the end, then from the top
            while True:
                found = queries.next_todo_unit_ids(self.session.store, self.document_id, begin, statuses)
                for uid in found:
                    row = model.row_of(uid)
                    if row is not None:  # not hidden by the view
                        return self.table.go_to_row(row)
                if len(found) < 64:
                    break
                begin = found[-1]
        self.message.emit(none_left)
        return False

    def find(self, query: queries.SearchQuery, backwards: bool = False) -> int:
        """Go to the next (previous) match; the number of matching units."""
        self.flush()
        if self.session is None or self.document_id is None:
            return 0
        matches = set(queries.search_units(self.session.store, self.document_id, query))
        model = self.table.unit_model()
        ids = model.unit_ids
        visible = [n for n, uid in enumerate(ids) if uid in matches]
        if not visible:
            self.message.emit(f"not found: {query.pattern}")
            return 0
        row = self.table.currentIndex().row()
        if backwards:
            target = next((r for r in reversed(visible) if r < row), visible[-1])
        else:
            target = next((r for r in visible if r > row), visible[0])
        self.table.go_to_row(target)
        self.pane.highlight(query)
        return len(visible)
