"""Inline formatting tags inside segment text, written compactly as OmegaT does.

A segment imported from a formatted document (DOCX, ODT, HTML, XLIFF) keeps
its inline formatting as short placeholder tags in the text itself, so that
the translator can move them with the words they wrap and the deliverable
can restore the formatting:

- ``<b0>`` ... ``</b0>``: a paired tag (bold, italic, link, span...); the
  letters say what it is (``b`` bold, ``i`` italic, ``u`` underline, ``a``
  link, ``s`` other span, ``g`` generic group), the number identifies it
  within the segment;
- ``<x1/>``: a standalone tag (line break, image, footnote reference...).

What each tag stands for is kept by the document format that made it (the
store's copy of the original), not in the text.  This module only finds
tags, strips them and compares the tags of two texts.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

__all__ = ["TAG_RE", "Tag", "find_tags", "strip_tags", "tag_names", "tag_differences", "has_tags"]

# Lowercase letters, a number, optional slash forms: <b0> </b0> <x3/>.
TAG_RE = re.compile(r"<(/?)([a-z]{1,3})(\d{1,4})(/?)>")


@dataclass(frozen=True)
class Tag:
    start: int
    end: int
    text: str        # as written, e.g. "</b0>"
    kind: str        # "open", "close" or "empty"
    name: str        # letters + number, e.g. "b0"


def find_tags(text: str) -> list[Tag]:
    """Every inline tag in ``text``, in order.

    :param text: a segment's text.
    """
    tags = []
    for m in TAG_RE.finditer(text):
        closing, letters, number, empty = m.groups()
        if closing and empty:
            continue   # "</b0/>" is not a tag
        kind = "close" if closing else "empty" if empty else "open"
        tags.append(Tag(m.start(), m.end(), m.group(0), kind, letters + number))
    return tags


def has_tags(text: str) -> bool:
    """Whether ``text`` holds at least one inline tag."""
    return bool(find_tags(text))


def strip_tags(text: str) -> str:
    """``text`` without its inline tags (what machine translation and word counts see).

    :param text: a segment's text.
    """
    tags = find_tags(text)
    if not tags:
        return text
    out, last = [], 0
    for tag in tags:
        out.append(text[last:tag.start])
        last = tag.end
    out.append(text[last:])
    return "".join(out)


def tag_names(text: str) -> list[str]:
    """The tags of ``text`` as written (``["<b0>", "</b0>"]``), in order."""
    return [tag.text for tag in find_tags(text)]


def tag_differences(source: str, target: str) -> tuple[list[str], list[str]]:
    """Tags of ``source`` missing from ``target``, and tags in ``target`` not in ``source``.

    Order is not compared (a translation may move a tag pair), only which
    tags and how many times.

    :param source: the source segment.
    :param target: its translation.
    :returns: ``(missing, extra)``, each a list of tags as written.
    """
    want = Counter(tag_names(source))
    have = Counter(tag_names(target))
    missing = sorted((want - have).elements())
    extra = sorted((have - want).elements())
    return missing, extra
