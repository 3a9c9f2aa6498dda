"""Every command of the window as a QAction: one table, so menus, toolbar,
editor buttons and the keyboard-shortcuts dialog all come from the same place.

The table is data (name, text, menu, keys, tip, icon); what an action does is
the window's business: it passes ``build_actions`` a slot for every name.
"""
from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenuBar, QStyle, QToolBar, QWidget

SP = QStyle.StandardPixmap
KEY = QKeySequence.StandardKey


@dataclass(frozen=True)
class ActionSpec:
    name: str                       # the key of its slot, and of its QAction in build_actions' dict
    text: str
    menu: str
    shortcuts: tuple = ()
    tip: str = ""
    icon: SP | None = None
    checkable: bool = False         # its slot gets the checked state


SPECS: tuple[ActionSpec, ...] = (
    ActionSpec("import_files", "&Import files…", "&File", (KEY.Open,),
               "Import articles (.txt), documents (.html, .docx, .odt, .xlf, .po) or corpora (.tmx, .csv, .tsv);"
               " or drop files on the window",
               SP.SP_DialogOpenButton),
    ActionSpec("import_pair", "Import document &pair…", "&File", ("Ctrl+Shift+O",),
               "Import an article and its human translation (two files) and align their sentences"),
    ActionSpec("import_translation", "Import &translation of this document…", "&File", (),
               "Give the selected document its human translation and align their sentences"),
    ActionSpec("deliver", "&Deliver translated document…", "&File", ("Ctrl+Shift+D",),
               "Write the selected document's translation in its original format (DOCX, ODT, web page,"
               " XLIFF, PO or text): approved targets, the source or MT for the rest"),
    ActionSpec("export", "&Export…", "&File", ("Ctrl+Shift+E",),
               "Export units as TMX, CSV, TSV, Moses or XLIFF", SP.SP_DialogSaveButton),
    ActionSpec("open_database", "&Open database…", "&File", (),
               "Open another workbench database (or create one)"),
    ActionSpec("quit", "&Quit", "&File", (KEY.Quit,), "Close the window"),
    ActionSpec("undo", "&Undo", "&Edit", (KEY.Undo,), "Undo the last edit", SP.SP_ArrowBack),
    ActionSpec("redo", "&Redo", "&Edit", ("Ctrl+Shift+Z", "Ctrl+Y"), "Redo", SP.SP_ArrowForward),
    ActionSpec("find", "&Find and replace…", "&Edit", ("Ctrl+F",),
               "Find in sources or targets (regular expressions too); replace in targets"),
    ActionSpec("approve_next", "&Approve and next", "&Edit",
               ("Ctrl+Return", "Ctrl+Enter"), "Approve the unit and go to the next unapproved one",
               SP.SP_DialogApplyButton),
    ActionSpec("use_mt", "Use &MT", "&Edit", ("Ctrl+M",),
               "Replace the target with the machine translation", SP.SP_ArrowDown),
    ActionSpec("edit_target", "&Edit target", "&Edit", ("F2",),
               "Put the cursor in the target editor (Enter in the table does the same)"),
    ActionSpec("split", "&Split at cursor", "&Edit", ("Ctrl+Shift+S",),
               "Split the source segment at the source cursor (and the target at the target cursor)"),
    ActionSpec("merge", "Merge with &next", "&Edit", ("Ctrl+Shift+M",),
               "Merge the unit's segment with the next one"),
    ActionSpec("exclude", "E&xclude / include", "&Edit", ("Ctrl+E",),
               "Exclude the selected units from translation and export, or include them again"),
    ActionSpec("insert_term", "Insert selected &term", "&Edit", ("Ctrl+Alt+T",),
               "Insert the translation selected in the Terms pane at the target cursor"),
    ActionSpec("add_term", "Add term from selection…", "&Edit", ("Ctrl+Alt+G",),
               "Add the text selected in the source and target editors to the glossary"),
    ActionSpec("insert_next_tag", "Insert next missing ta&g", "&Edit", ("Ctrl+Alt+I",),
               "Insert the next inline tag of the source (<b0>, </b0>, <x1/>) the target lacks at the cursor"
               " (with a selection: wrap it in the missing pair)"),
    ActionSpec("insert_all_tags", "Insert all missing tags", "&Edit", ("Ctrl+Alt+C",),
               "Insert every inline tag of the source the target lacks at the cursor, in source order"),
    ActionSpec("check_document", "&Check document (QA)", "&Edit", ("F7",),
               "Run the quality checks over this document; the QA pane lists the findings"),
    ActionSpec("hide_skipped", "&Hide skipped rows", "&View",
               ("Ctrl+H",), "Hide excluded, meta (dates, bylines) and boilerplate rows: show only the work to do",
               checkable=True),
    ActionSpec("preview", "&Preview", "&View", ("Ctrl+Alt+P",),
               "Read the article and its translation side by side as flowing text (or go back to the table)",
               checkable=True),
    ActionSpec("dark_palette", "&Dark palette", "&View", (),
               "Switch between light and dark colours", checkable=True),
    ActionSpec("alignment_view", "&Alignment view", "&View", ("Ctrl+Shift+A",),
               "Show the sentence links of a document and its human translation (or the post-editing table)",
               checkable=True),
    ActionSpec("reset_columns", "&Reset column widths", "&View"),
    ActionSpec("next_unit", "&Next unit", "&Go", ("Alt+Down",)),
    ActionSpec("previous_unit", "&Previous unit", "&Go", ("Alt+Up",)),
    ActionSpec("next_untranslated", "Next &untranslated", "&Go", ("Ctrl+U",),
               "Next unit with an empty target"),
    ActionSpec("next_unapproved", "Next un&approved", "&Go", ("Ctrl+Shift+U",),
               "Next unit not yet approved"),
    ActionSpec("focus_table", "Back to the &table", "&Go", ("Ctrl+L",),
               "Move the keyboard focus to the segment table (Esc in the target does the same)"),
    # The alignment view's edits reuse the post-editing keys for the same ideas
    # (merge, split, confirm = approve): only one of the two sets is enabled at a time.
    ActionSpec("align_confirm_next", "&Confirm and next", "&Align",
               ("Ctrl+Return", "Ctrl+Enter"),
               "Confirm the selected links (an approved pair each) and go to the next unconfirmed link"),
    ActionSpec("align_unconfirm", "&Unconfirm", "&Align", ("Ctrl+Shift+Return",),
               "Take the confirmation back from the selected links"),
    ActionSpec("align_merge", "&Merge with next link", "&Align", ("Ctrl+Shift+M",),
               "Merge the link with the next one (several selected links: into one)"),
    ActionSpec("align_split", "&Split link", "&Align", ("Ctrl+Shift+S",),
               "Split off the first source and target sentence as a link of their own"),
    ActionSpec("align_insert_empty", "Insert &empty counterpart", "&Align", ("Ctrl+Shift+I",),
               "Unlink: the source and the target sentences become an n:0 and a 0:m link"),
    ActionSpec("align_source_up", "Move first source sentence &up", "&Align",
               ("Alt+Shift+Up",), "Move the first source sentence into the previous link"),
    ActionSpec("align_source_down", "Move last source sentence &down", "&Align",
               ("Alt+Shift+Down",), "Move the last source sentence into the next link"),
    ActionSpec("align_target_up", "Move first &target sentence up", "&Align",
               ("Ctrl+Shift+Up",), "Move the first target sentence into the previous link"),
    ActionSpec("align_target_down", "Move last ta&rget sentence down", "&Align",
               ("Ctrl+Shift+Down",), "Move the last target sentence into the next link"),
    ActionSpec("align_realign", "Re-&align selected links", "&Align",
               ("Ctrl+Shift+R",), "Run the aligner again over the selected links (one link: with its neighbours)"),
    ActionSpec("align_next_suspicious", "Next sus&picious link", "&Align", ("F8",),
               "Next unconfirmed link that is not 1:1 or has a low confidence"),
    ActionSpec("align_next_unconfirmed", "Next u&nconfirmed link", "&Align",
               ("Shift+F8",), "Next link not yet confirmed"),
    ActionSpec("align_edit_sentence", "&Edit sentence", "&Align", ("F2",),
               "Correct the sentences of the current cell in place (double-click does the same): "
               "Enter saves, Esc cancels"),
    ActionSpec("align_find", "&Find in links", "&Align", ("Ctrl+F",),
               "Find text in the source and target sentences (Enter: next, Shift+Enter: previous)"),
    ActionSpec("align_filter", "Fi&lter links", "&Align", ("Ctrl+Alt+F",),
               "Show only some link types (1-1, 1-0, 0-1, 2-1, 1-2, other) or links of low confidence"),
    ActionSpec("align_map", "Alignment &map", "&Align", ("Ctrl+Alt+M",),
               "Show or hide the map of sentence similarity with the links over it", checkable=True),
    ActionSpec("translate_document", "&Translate document", "&Translate",
               ("Ctrl+T",), "Machine-translate the units of this document that have no MT yet",
               SP.SP_MediaPlay),
    ActionSpec("translate_all", "Translate &all documents", "&Translate",
               ("Ctrl+Shift+T",), "Machine-translate every document"),
    ActionSpec("cluster", "Run on a &cluster…", "&Translate", (),
               "Where \"Translate all documents\" runs: a Dask cluster's address, or empty for this computer"),
    ActionSpec("cancel_job", "&Cancel job", "&Translate", ("Ctrl+.",),
               "Stop the running job (finished batches are kept)", SP.SP_BrowserStop),
    ActionSpec("models", "&Models…", "&Translate", (),
               "List, install and remove Argos translation models"),
    ActionSpec("pretranslate", "&Pre-translate from memory", "&Translate", (),
               "Fill the targets no one has written with 100% matches from the translation memory"),
    ActionSpec("fill_repetitions", "Fill &repetitions on approve", "&Translate", (),
               "Approving a unit gives its target to the other units of the document with the same source",
               checkable=True),
    ActionSpec("match_analysis", "Match &analysis…", "&Translate", (),
               "Segments, words and characters of this document per memory match band"),
    ActionSpec("concordance", "&Concordance…", "&Edit", ("Ctrl+K",),
               "Find words in the translation memory (searches as you type)"),
    ActionSpec("replace_with_match", "&Replace with best match", "&Edit",
               ("Ctrl+R",), "Replace the target with the best memory match"),
    *(ActionSpec(f"insert_match_{n}", f"Insert match &{n}", "&Edit", (f"Ctrl+{n}",),
                 f"Insert the target of memory match {n} at the cursor") for n in range(1, 6)),
    ActionSpec("shortcuts", "&Keyboard shortcuts", "&Help", ("F1",)),
    ActionSpec("about", "&About", "&Help"),
)

MENUS = ("&File", "&Edit", "&View", "&Go", "&Align", "&Translate", "&Help")
TOOLBAR = ("import_files", "export", None, "undo", "redo", None, "translate_document", "cancel_job", None,
           "approve_next", "use_mt", None, "hide_skipped")  # None: a separator
SEPARATOR_BEFORE = {"quit", "find", "approve_next", "dark_palette", "focus_table", "cancel_job", "about",
                    "export", "open_database", "align_merge", "align_source_up",
                    "align_realign", "align_next_suspicious", "align_edit_sentence", "pretranslate",
                    "concordance"}
# Enabled only while the alignment view shows a document pair.
ALIGNMENT_ACTIONS = tuple(spec.name for spec in SPECS if spec.menu == "&Align")


@functools.cache  # needs a QGuiApplication: QKeySequence parses through it
def shared_key_actions() -> frozenset[str]:
    """Actions whose keys another action also uses (the alignment view's
    confirm/merge/split on the post-editing keys for the same ideas)."""
    owners: dict[str, list[str]] = {}
    for spec in SPECS:
        for key in spec.shortcuts:
            text = QKeySequence(key).toString(QKeySequence.SequenceFormat.PortableText)
            owners.setdefault(text, []).append(spec.name)
    return frozenset(name for names in owners.values() if len(names) > 1 for name in names)


def sync_shared_shortcuts(actions: dict[str, QAction]) -> None:
    """Give a shared key only to the enabled action that uses it, so no two
    actions of the window ever hold the same key (Qt would call the key
    ambiguous and do nothing)."""
    by_name = {spec.name: spec for spec in SPECS}
    for name in shared_key_actions():
        action = actions[name]
        keys = [QKeySequence(k) for k in by_name[name].shortcuts] if action.isEnabled() else []
        if action.shortcuts() != keys:
            action.setShortcuts(keys)


def build_actions(parent: QWidget, menubar: QMenuBar, toolbar: QToolBar,
                  slots: Mapping[str, Callable]) -> dict[str, QAction]:
    """The window's actions, in its menus and toolbar; ``slots`` says what each
    one does, by name (a checkable action's slot gets the checked state)."""
    names = [spec.name for spec in SPECS]
    missing, unknown = [n for n in names if n not in slots], sorted(set(slots) - set(names))
    if missing or unknown:
        raise ValueError(f"actions without a slot: {missing}; slots of no action: {unknown}")
    actions: dict[str, QAction] = {}
    menus = {title: menubar.addMenu(title) for title in MENUS}
    style = parent.style()
    for spec in SPECS:
        action = QAction(spec.text, parent)
        action.setObjectName(spec.name)
        if spec.shortcuts:
            action.setShortcuts([QKeySequence(k) for k in spec.shortcuts])
        if spec.tip:
            action.setStatusTip(spec.tip)
            shortcut = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{spec.tip} ({shortcut})" if shortcut else spec.tip)
        if spec.icon is not None:
            action.setIcon(style.standardIcon(spec.icon))
        action.setCheckable(spec.checkable)
        slot = slots[spec.name]
        if spec.checkable:
            action.toggled.connect(slot)
        else:
            action.triggered.connect(lambda _checked=False, slot=slot: slot())
        menu = menus[spec.menu]
        if spec.name in SEPARATOR_BEFORE:
            menu.addSeparator()
        menu.addAction(action)
        parent.addAction(action)  # shortcuts work wherever the focus is in the window
        actions[spec.name] = action
    for name in TOOLBAR:
        if name is None:
            toolbar.addSeparator()
        else:
            toolbar.addAction(actions[name])
    return actions


def shortcut_rows(actions: dict[str, QAction]) -> list[tuple[str, str, str]]:
    """(menu, command, keys) for every action with a shortcut, in menu order."""
    rows = []
    for spec in SPECS:
        action = actions[spec.name]
        held = action.shortcuts()
        if not held and spec.name in shared_key_actions():
            # A shared key is held only while its action is enabled: list it anyway.
            held = [QKeySequence(k) for k in spec.shortcuts]
        keys = ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in held)
        if keys:
            rows.append((spec.menu.replace("&", ""), action.text().replace("&", "").rstrip("…"), keys))
    return rows
