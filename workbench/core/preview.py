"""A document and its translation as a reader sees them: paragraphs of text.

The review table shows a document as rows; the window's Preview shows it as
the article it was (title, date, paragraphs) beside the article the
translation makes.  This module builds both as plain data, Qt-free, from
the units in reading order:

- units are grouped into paragraphs by their paragraph number (a unit's is
  that of its first source segment), each paragraph keeps its kind (title,
  meta, body, boilerplate) and says whether it is skipped (boilerplate, or
  every unit excluded);
- the translated side takes each unit's target; where a person has not
  written one yet it shows the machine translation (``state`` ``"mt"``: the
  window marks it) and where there is neither, an empty placeholder
  (``"empty"``), so every unit has a place on both sides;
- inline tags become the formatting they stand for where it is obvious
  (``b`` bold, ``i`` italic, ``u`` underline, ``a`` link) and are otherwise
  left out.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from workbench.core.model import SegmentKind, Status, Unit
from workbench.core.store.database import Store
from workbench.core.store.preview_queries import PreviewRow, preview_rows
from workbench.core.text.inline_tags import find_tags

__all__ = ["Piece", "PreviewUnit", "PreviewParagraph", "Preview", "styled_pieces", "preview_unit",
           "paragraphs", "document_preview", "preview_rows", "PreviewRow"]

# What the letters of a paired tag stand for, where a reader would see it.
TAG_STYLES = {"b": "bold", "i": "italic", "u": "underline", "a": "link"}


@dataclass(frozen=True)
class Piece:
    """A stretch of text in one formatting (``styles``: bold, italic, underline, link)."""
    text: str
    styles: frozenset[str] = frozenset()


@dataclass(frozen=True)
class PreviewUnit:
    """One unit on one side: its text as formatted pieces, and where the
    text comes from: ``source``, ``target`` (a person's or the memory's),
    ``mt`` (machine translation no one has reviewed) or ``empty``."""
    unit_id: int
    pieces: tuple[Piece, ...]
    state: str
    excluded: bool = False
    kind: SegmentKind = SegmentKind.BODY   # the unit's own (its paragraph may be of another)

    @property
    def text(self) -> str:
        """The unit's text without tags."""
        return "".join(p.text for p in self.pieces)


@dataclass(frozen=True)
class PreviewParagraph:
    """Consecutive units of one paragraph of the article."""
    number: int
    kind: SegmentKind
    units: tuple[PreviewUnit, ...]

    @property
    def skipped(self) -> bool:
        """Boilerplate, or every unit excluded: the window dims it."""
        return self.kind is SegmentKind.BOILERPLATE or all(u.excluded for u in self.units)


@dataclass(frozen=True)
class Preview:
    """Both sides of a document, paragraph for paragraph (the two lists
    have the same paragraphs and units, in the same order)."""
    document_id: int
    source: tuple[PreviewParagraph, ...]
    target: tuple[PreviewParagraph, ...]

    @property
    def unit_ids(self) -> list[int]:
        """Every unit, in reading order."""
        return [u.unit_id for p in self.source for u in p.units]


def styled_pieces(text: str) -> tuple[Piece, ...]:
    """``text`` cut at its inline tags into formatted pieces, the tags left out.

    A paired tag ``<b0>``…``</b0>`` makes its text bold (``i`` italic, ``u``
    underline, ``a`` a link); other tags and standalone ``<x1/>`` only
    disappear.  A closing tag without its opening one (a pair cut by the
    segmentation) ends nothing; an opening one never closed lasts to the end.

    Parameters:
        text: a segment's text, with or without tags."""
    if "<" not in text:
        return (Piece(text),) if text else ()
    tags = find_tags(text)
    if not tags:
        return (Piece(text),)
    pieces: list[Piece] = []
    open_styles: list[tuple[str, str]] = []  # (tag name, style)
    last = 0

    def emit(upto: int) -> None:
        if upto > last:
            styles = frozenset(style for _name, style in open_styles)
            if pieces and pieces[-1].styles == styles:
                pieces[-1] = Piece(pieces[-1].text + text[last:upto], styles)
            else:
                pieces.append(Piece(text[last:upto], styles))

    for tag in tags:
        emit(tag.start)
        last = tag.end
        style = TAG_STYLES.get(tag.name.rstrip("0123456789"))
        if tag.kind == "open" and style:
            open_styles.append((tag.name, style))
        elif tag.kind == "close":
            for n in range(len(open_styles) - 1, -1, -1):
                if open_styles[n][0] == tag.name:
                    del open_styles[n]
                    break
    emit(len(text))
    return tuple(pieces)


def preview_unit(unit: Unit | PreviewRow) -> tuple[PreviewUnit, PreviewUnit]:
    """A unit's source and translated sides.

    Parameters:
        unit: a ``Unit`` or a ``PreviewRow`` (its target, MT and status
            decide the translated side)."""
    kind, excluded = unit.kind, unit.excluded
    source = PreviewUnit(unit.id, styled_pieces(unit.source), "source", excluded, kind)
    if unit.target.strip() and unit.status is not Status.MACHINE:
        target = PreviewUnit(unit.id, styled_pieces(unit.target), "target", excluded, kind)
    elif (unit.mt or "").strip() or unit.target.strip():
        # Unreviewed machine translation (the target is still its copy).
        text = unit.target if unit.target.strip() else unit.mt or ""
        target = PreviewUnit(unit.id, styled_pieces(text), "mt", excluded, kind)
    else:
        target = PreviewUnit(unit.id, (), "empty", excluded, kind)
    return source, target


def paragraphs(units: Iterable[Unit | PreviewRow]) -> tuple[tuple[PreviewParagraph, ...],
                                                              tuple[PreviewParagraph, ...]]:
    """The source and translated paragraphs of units in reading order.

    Parameters:
        units: a document's units, in reading order."""
    source: list[PreviewParagraph] = []
    target: list[PreviewParagraph] = []
    current: int | None = None
    kind = SegmentKind.BODY
    left: list[PreviewUnit] = []
    right: list[PreviewUnit] = []

    def close() -> None:
        if left:
            source.append(PreviewParagraph(current or 0, kind, tuple(left)))
            target.append(PreviewParagraph(current or 0, kind, tuple(right)))

    for unit in units:
        if unit.paragraph != current or not left:
            close()
            current, kind, left, right = unit.paragraph, unit.kind, [], []
        s, t = preview_unit(unit)
        left.append(s)
        right.append(t)
    close()
    return tuple(source), tuple(target)


def document_preview(store: Store, document_id: int) -> Preview:
    """Both sides of a whole document, read from ``store``.

    Parameters:
        store: an open ``Store``.
        document_id: the document."""
    source, target = paragraphs(preview_rows(store, store.unit_ids(document_id)))
    return Preview(document_id, source, target)
