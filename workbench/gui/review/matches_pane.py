"""The Matches pane: the best memory matches of the current unit, beside the editor.

Each match shows its score, origin and the match's source with the
differences from the unit's source marked, as OmegaT's Fuzzy Matches pane
does: words only the match has are struck through in red, words only the
unit's source has are underlined in blue (shown where they would go).
Ctrl+1..Ctrl+5 insert a match's target at the cursor of the target editor;
Ctrl+R replaces the target with the best match (status ``tm``, with its
origin and score).  Lookups run in the thread pool (a worker opens its own
``Store`` from the database path); a result for a unit no longer shown is
dropped.
"""
from __future__ import annotations

import difflib
import html
import re
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QTextBrowser, QVBoxLayout, QWidget

from workbench.gui.jobs.tasks import MATCHES_SHOWN, lookup_matches
from workbench.gui.jobs.workers import CallWorker

if TYPE_CHECKING:
    from workbench.core.memory.search import Match
    from workbench.core.model import Unit
    from workbench.gui.context import GuiContext
    from workbench.gui.review.controller import ReviewController

SHOWN = MATCHES_SHOWN
_TOKEN = re.compile(r"\w+|[^\w\s]+|\s+")



def diff_html(new_source: str, match_source: str) -> str:
    """The match's source as HTML with its differences from ``new_source`` marked.

    Parameters:
        new_source: the unit's source; match_source: the match's source."""
    a, b = _TOKEN.findall(match_source), _TOKEN.findall(new_source)
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, [t.casefold() for t in a],
                                                      [t.casefold() for t in b], autojunk=False).get_opcodes():
        if op == "equal":
            out.append(html.escape("".join(a[i1:i2])))
            continue
        if i2 > i1 and "".join(a[i1:i2]).strip():
            out.append('<span style="color:#c0392b; text-decoration:line-through; background:#fde2e0">'
                       f'{html.escape("".join(a[i1:i2]))}</span>')
        elif i2 > i1:
            out.append(html.escape("".join(a[i1:i2])))
        if j2 > j1 and "".join(b[j1:j2]).strip():
            out.append('<span style="color:#1f5fbf; text-decoration:underline; background:#e1ecfb">'
                       f'{html.escape("".join(b[j1:j2]))}</span>')
    return "".join(out)


class MatchesPane(QWidget):
    """Shows the matches of one unit; ``matches`` holds them, best first."""

    looked_up = Signal(int)  # unit id whose matches are now shown

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("matchesPane")
        self.db_path: str | None = None
        self.unit: Unit | None = None
        self.languages: tuple[str, str] | None = None
        self.matches: list[Match] = []
        self._workers: list[CallWorker] = []
        self._pending = QTimer(self)  # a burst of Alt+Down looks up only the unit it stops on
        self._pending.setSingleShot(True)
        self._pending.setInterval(120)
        self._pending.timeout.connect(self._look_up)
        caption = QLabel("<b>Matches</b>")
        self.view = QTextBrowser()
        self.view.setObjectName("matchesView")
        self.view.setOpenLinks(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 6, 4)
        layout.addWidget(caption)
        layout.addWidget(self.view, 1)
        self._show_text("No unit selected")

    def set_database(self, db_path: str | None) -> None:
        """Look up in another database (None: none open)."""
        self.db_path = db_path
        self.show_unit(None, None)

    def show_unit(self, unit: Unit | None, languages: tuple[str, str] | None) -> None:
        """Look up the matches of a unit (in the background).

        Parameters:
            unit: the unit shown in the editor (None: nothing).
            languages: (source, target) language of its document."""
        self.unit, self.languages, self.matches = unit, languages, []
        if unit is None or not self.db_path or not languages or not languages[1]:
            self._pending.stop()
            self._show_text("No unit selected" if unit is None else "")
            return
        self._show_text("Looking up…")
        self._pending.start()

    def refresh(self) -> None:
        """Look the current unit up again (the memory may have changed)."""
        if self.unit is not None:
            self._pending.start()

    def _look_up(self) -> None:
        unit, languages = self.unit, self.languages
        if unit is None or languages is None or not self.db_path:
            return
        worker = CallWorker("memory lookup", lookup_matches, self.db_path, unit.id, unit.source, languages[0],
                            languages[1], pass_callbacks=False)
        worker.signals.finished.connect(self._found)
        worker.signals.failed.connect(lambda message: self._show_text(html.escape(message)))
        self._workers.append(worker)
        worker.signals.finished.connect(lambda _r, w=worker: self._drop(w))
        worker.signals.failed.connect(lambda _m, w=worker: self._drop(w))
        worker.start()

    def _drop(self, worker: CallWorker) -> None:
        if worker in self._workers:
            self._workers.remove(worker)

    def _found(self, result: tuple[int, list]) -> None:
        unit_id, matches = result
        if self.unit is None or unit_id != self.unit.id:
            return  # the user moved on
        self.matches = list(matches)
        self._render()
        self.looked_up.emit(unit_id)

    def _show_text(self, text: str) -> None:
        self.view.setHtml(f'<p style="color:gray">{text}</p>')

    def _render(self) -> None:
        if not self.matches:
            self._show_text("No match of 50% or more in the memory")
            return
        parts = []
        for n, match in enumerate(self.matches, 1):
            colour = "#1e7d32" if match.score >= 95 else "#b26a00" if match.score >= 75 else "#777"
            parts.append(
                f'<p style="margin-bottom:2px"><b>{n}.</b> <b style="color:{colour}">{match.score}%</b>'
                f' <span style="color:gray">Ctrl+{n} · {html.escape(match.origin)}</span></p>'
                f'<p style="margin:0 0 0 14px">{diff_html(self.unit.source if self.unit else "", match.source)}</p>'
                f'<p style="margin:0 0 8px 14px"><b>{html.escape(match.target)}</b></p>')
        self.view.setHtml("".join(parts))

    def wait(self, msecs: int = 10000) -> None:
        """Block until running lookups returned (tests, closing the window)."""
        for worker in list(self._workers):
            worker.done.wait(msecs / 1000)


class MatchActions(QObject):
    """The window's match actions (Ctrl+1..5, Ctrl+R), over the pane and the review controller."""

    def __init__(self, context: GuiContext, controller: ReviewController, pane: MatchesPane):
        super().__init__(context)
        self.context = context
        self.controller = controller
        self.pane = pane

    def _match(self, n: int):
        if n > len(self.pane.matches) or self.controller.current_unit() is None:
            self.context.show_message(f"no match {n} for this unit", 4000)
            return None
        unit = self.controller.current_unit()
        if self.pane.unit is None or unit.id != self.pane.unit.id:
            return None
        return self.pane.matches[n - 1]

    def insert(self, n: int) -> None:
        """Insert the target of match ``n`` (1-based) at the target editor's cursor."""
        match = self._match(n)
        if match is None:
            return
        editor = self.controller.pane.target
        editor.textCursor().insertText(match.target)
        editor.setFocus()

    def insert_1(self) -> None:
        self.insert(1)

    def insert_2(self) -> None:
        self.insert(2)

    def insert_3(self) -> None:
        self.insert(3)

    def insert_4(self) -> None:
        self.insert(4)

    def insert_5(self) -> None:
        self.insert(5)

    def replace_with_best(self) -> None:
        """Replace the target with the best match: status tm, with its origin and score (one undo step)."""
        from workbench.core.memory.filling import FillFromMemory

        match = self._match(1)
        if match is None:
            return
        controller = self.controller
        controller.flush()
        unit = controller.current_unit()
        if controller.session is None or controller.document_id is None or unit is None:
            return
        controller.session.apply(controller.document_id,
                                 FillFromMemory(unit.id, match.target, "tm", match.origin, match.score, False))
