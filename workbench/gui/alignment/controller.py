"""What the alignment actions do: the core's link commands on the selected
links, through the session's undo stack (written to SQLite at once), and
where the cursor goes next."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication

from workbench.core.edits.links import (
    ConfirmLinks,
    MergeLinks,
    MoveSegment,
    RealignRange,
    SplitLink,
)
from workbench.core.edits.commands import Batch, Command, EditSegmentText
from workbench.core.store import link_queries
from workbench.gui.alignment.model import LinkColumn
from workbench.gui.alignment.view import AlignmentView
from workbench.core.store.link_queries import LinkRow
from workbench.gui.context import GuiContext
from workbench.gui.session import ReviewSession, follow_session


class AlignmentController(QObject):
    message = Signal(str)  # a short note for the status bar

    def __init__(self, view: AlignmentView, context: GuiContext):
        super().__init__(context)
        self.view = view
        self.session: ReviewSession | None = None
        self._applying = False
        self.message.connect(context.show_message)
        context.session_changed.connect(self.set_session)
        view.model.sentences_edited.connect(self.save_sentences)

    def action_slots(self) -> dict[str, Callable]:
        """What the window's alignment actions (``actions.SPECS``, menu &Align) do, by name."""
        return {
            "align_confirm_next": self.confirm_and_next,
            "align_unconfirm": self.unconfirm,
            "align_merge": self.merge_with_next,
            "align_split": self.split_link,
            "align_insert_empty": self.insert_empty_counterpart,
            "align_source_up": self.move_source_up,
            "align_source_down": self.move_source_down,
            "align_target_up": self.move_target_up,
            "align_target_down": self.move_target_down,
            "align_realign": self.realign_selection,
            "align_next_suspicious": self.next_suspicious,
            "align_next_unconfirmed": self.next_unconfirmed,
            "align_edit_sentence": self.edit_sentence,
            "align_find": self.find,
            "align_filter": self.focus_filter,
            "align_map": self.show_map,
        }

    @property
    def table(self):
        return self.view.table

    @property
    def model(self):
        return self.view.model

    def set_session(self, session: ReviewSession | None) -> None:
        old, self.session = self.session, session
        self.view.set_session(session)  # the view follows first
        follow_session(old, session, lambda s: [(s.history_changed, self._history_moved)])

    def _history_moved(self) -> None:
        """After Undo/Redo (not our own edits), show a link the step changed."""
        if self._applying or not self.view.isVisible() or self.model.document_id is None:
            return
        current = self.table.current_link()
        changed = [uid for uid in self.model.last_changed if self.model.row_of(uid) is not None]
        if changed and (current is None or current.unit_id not in changed):
            self.table.go_to_link(changed[0])

    # -- helpers -----------------------------------------------------------------------
    def _ready(self) -> tuple[ReviewSession, int, LinkRow, int] | None:
        link = self.table.current_link()
        doc = self.model.document_id
        if self.session is None or doc is None or link is None:
            self.message.emit("select a link first (the alignment view shows document pairs)")
            return None
        return self.session, doc, link, self.table.currentIndex().row()

    def _apply(self, session: ReviewSession, doc: int, command: Command) -> bool:
        self._applying = True
        try:
            return session.apply(doc, command)
        finally:
            self._applying = False

    def _selected_range(self) -> list[int]:
        """Links from the first to the last selected, in reading order (a
        contiguous range of the document: with links the filter hides)."""
        ids = self.table.selected_link_ids()
        if not ids:
            return []
        rows = [self.model.row_of(uid) for uid in ids]
        first, last = min(r for r in rows if r is not None), max(r for r in rows if r is not None)
        return self.model.document_range(self.model.link_ids[first], self.model.link_ids[last])

    # -- sentences, find, filter, map -------------------------------------------------------
    def edit_sentence(self) -> None:
        """Correct the sentences of the current cell in place (the source
        side unless the target cell is current)."""
        ready = self._ready()
        if ready is None:
            return
        _session, _doc, link, row = ready
        column = self.table.currentIndex().column()
        if column not in (LinkColumn.SOURCE, LinkColumn.TARGET):
            column = LinkColumn.SOURCE if link.sources else LinkColumn.TARGET
        if not (link.sources if column == LinkColumn.SOURCE else link.targets):
            self.message.emit(f"this {link.shape} link has no sentence on that side to edit")
            return
        index = self.model.index(row, column)
        self.table.setCurrentIndex(index)
        self.table.edit(index)

    def save_sentences(self, unit_id: int, changed: list) -> None:
        """Save sentences corrected in a cell: one edit (one undo step)."""
        doc = self.model.document_id
        if self.session is None or doc is None or not changed:
            return
        commands = tuple(EditSegmentText(sid, text) for sid, text in changed)
        command: Command = commands[0] if len(commands) == 1 else Batch(commands, "edit sentences")
        if self._apply(self.session, doc, command):
            self.message.emit("sentence corrected" if len(commands) == 1 else f"{len(commands)} sentences corrected")
            self.table.go_to_link(unit_id)

    def find(self) -> None:
        self.view.bar.focus_find()

    def focus_filter(self) -> None:
        self.view.bar.focus_filter()

    def show_map(self, visible: bool) -> None:
        self.view.set_map_visible(visible)

    # -- link edits ---------------------------------------------------------------------
    def merge_with_next(self) -> None:
        """Merge the link with the next one; a selection of links merges into one."""
        ready = self._ready()
        if ready is None:
            return
        session, doc, link, row = ready
        span = self._selected_range()
        if len(span) > 1:
            first = span[0]
            command: Command = Batch(tuple(MergeLinks(first) for _ in span[1:]), "merge links")
        else:
            if row + 1 >= self.model.rowCount():
                self.message.emit("this is the last link: nothing to merge with")
                return
            first, command = link.unit_id, MergeLinks(link.unit_id)
        if self._apply(session, doc, command):
            self.table.go_to_link(first)

    def split_link(self) -> None:
        """Split off the first sentence pair: the first source and first target
        sentence stay, the rest becomes a new link after it (repeat to go on)."""
        ready = self._ready()
        if ready is None:
            return
        session, doc, link, _row = ready
        n, m = len(link.sources), len(link.targets)
        source_at, target_at = min(n, 1), min(m, 1)
        if n - source_at + m - target_at == 0:
            self.message.emit(f"a {link.shape} link has nothing to split off"
                              + (" (Insert empty counterpart unlinks a 1:1 link)" if link.one_to_one else ""))
            return
        if self._apply(session, doc, SplitLink(link.unit_id, source_at, target_at)):
            self.table.go_to_link(link.unit_id)

    def insert_empty_counterpart(self) -> None:
        """Unlink: the source sentences and the target sentences become two
        links with an empty side each (n:0 and 0:m)."""
        ready = self._ready()
        if ready is None:
            return
        session, doc, link, _row = ready
        if not link.sources or not link.targets:
            self.message.emit(f"this {link.shape} link already has an empty side")
            return
        command = SplitLink(link.unit_id, len(link.sources), 0)
        if self._apply(session, doc, command):
            self.table.go_to_link(link.unit_id)

    def move_source_up(self) -> None:
        self._move("source", -1)

    def move_source_down(self) -> None:
        self._move("source", +1)

    def move_target_up(self) -> None:
        self._move("target", -1)

    def move_target_down(self) -> None:
        self._move("target", +1)

    def _move(self, side: str, direction: int) -> None:
        ready = self._ready()
        if ready is None:
            return
        session, doc, link, row = ready
        if not (link.sources if side == "source" else link.targets):
            self.message.emit(f"this link has no {side} sentence to move")
            return
        neighbour_row = row + direction
        if not 0 <= neighbour_row < self.model.rowCount():
            self.message.emit(f"this is the {'first' if direction < 0 else 'last'} link")
            return
        neighbour = self.model.link_ids[neighbour_row]
        moved = self._apply(session, doc, MoveSegment(link.unit_id, side, direction))
        # A link left with no sentence is gone: follow the sentence.
        if moved and not self.table.go_to_link(link.unit_id):
            self.table.go_to_link(neighbour)

    def realign_selection(self) -> None:
        """Re-run the aligner over the selected links (one link: with its neighbours)."""
        ready = self._ready()
        if ready is None:
            return
        session, doc, _link, row = ready
        span = self._selected_range()
        if len(span) < 2:
            ids = self.model.link_ids
            span = list(ids[max(0, row - 1):row + 2])
        if len(span) < 2:
            self.message.emit("nothing to re-align: the document has one link")
            return
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            done = self._apply(session, doc, RealignRange(span[0], span[-1]))
        finally:
            QApplication.restoreOverrideCursor()
        if done:
            self.table.go_to_link(span[0])
            self.message.emit(f"re-aligned {len(span)} links")

    def confirm_and_next(self) -> None:
        """Confirm the selected links (an approved pair each) and go to the next
        unconfirmed link."""
        ready = self._ready()
        if ready is None:
            return
        session, doc, _link, _row = ready
        ids = self.table.selected_link_ids()
        todo = tuple(uid for uid in ids if (row := self.model.link(uid)) is not None and not row.confirmed)
        if todo and not self._apply(session, doc, ConfirmLinks(todo)):
            return
        self._go_to_next("unconfirmed", self._all_confirmed, after=ids[-1] if ids else None)

    def unconfirm(self) -> None:
        ready = self._ready()
        if ready is None:
            return
        session, doc, _link, _row = ready
        todo = tuple(uid for uid in self.table.selected_link_ids()
                     if (row := self.model.link(uid)) is not None and row.confirmed)
        if not todo:
            self.message.emit("no confirmed link selected")
            return
        self._apply(session, doc, ConfirmLinks(todo, confirmed=False))

    # -- moving ------------------------------------------------------------------------
    def next_suspicious(self) -> None:
        self._go_to_next("suspicious", "no unconfirmed link is suspicious (every one is 1:1 "
                         f"with confidence of at least {link_queries.LOW_CONFIDENCE:.0%})")

    def next_unconfirmed(self) -> None:
        self._go_to_next("unconfirmed", self._all_confirmed)

    def _all_confirmed(self) -> str:
        """What to say when every link is confirmed: with the approved units
        it comes to (a confirmed 1:0 link has no target to approve, so the
        document list's count of approved units stays below the links)."""
        doc = self.model.document_id
        if self.session is None or doc is None:
            return "every link is confirmed"
        return link_queries.link_summary(self.session.store, doc, self.model.not_one_to_one).all_confirmed()

    def _go_to_next(self, wanted: str, none_left: str | Callable[[], str], after: int | None = None) -> bool:
        """The first ``wanted`` link after ``after`` (default: the current link), wrapping around;
        ``none_left`` (or what it returns, asked only then) when there is none."""
        doc = self.model.document_id
        if self.session is None or doc is None:
            return False
        store = self.session.store
        candidates = (link_queries.unconfirmed_link_ids(store, doc) if wanted == "unconfirmed" else
                      link_queries.suspicious_link_ids(store, doc, self.model.not_one_to_one))
        start = self.model.row_of(after) if after is not None else None
        if start is None:
            start = self.table.currentIndex().row()
        row = link_queries.first_row_after(
            (r for r in (self.model.row_of(uid) for uid in candidates) if r is not None), start)
        if row is None:
            self.message.emit(none_left() if callable(none_left) else none_left)
            return False
        return self.table.go_to_row(row)
