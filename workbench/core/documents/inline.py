"""Tagged segment text as a tree, and back: what every document writer shares.

A reader turns a block's inline formatting into compact tags
(``workbench.core.text.inline_tags``) and remembers, per tag name, what the
tag stands for (a run's properties, a link, an image...).  A writer parses
the translated text with ``parse`` into nodes (text, paired spans, standalone
tags) and renders them with what the reader remembered.

The translated text is a person's work, so ``parse`` forgives: a closing tag
without its opening one is dropped, an opening tag never closed runs to the
end of the text, and tags the original did not have (``known`` leaves them
out) are dropped too.  QA reports such tags; delivery never fails on them.
"""
from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass, field

from workbench.core.text.inline_tags import find_tags

__all__ = ["Span", "Empty", "Node", "parse", "flatten", "TagNamer", "escape_lookalikes"]


@dataclass
class Span:
    """A paired tag and what it wraps."""
    name: str                                   # "b0"
    children: list["Node"] = field(default_factory=list)


@dataclass
class Empty:
    """A standalone tag (``<x1/>``)."""
    name: str


Node = "str | Span | Empty"


def parse(text: str, known: Container[str] | None = None) -> list:
    """The nodes of a tagged text: strings, ``Span`` and ``Empty``.

    :param text: segment or block text with inline tags.
    :param known: the tag names the original has; other tags are dropped
        (None keeps every tag).
    """
    root: list = []
    stack: list[tuple[str, list]] = [("", root)]
    last = 0
    for tag in find_tags(text):
        if tag.start > last:
            stack[-1][1].append(text[last:tag.start])
        last = tag.end
        if known is not None and tag.name not in known:
            continue
        if tag.kind == "empty":
            stack[-1][1].append(Empty(tag.name))
        elif tag.kind == "open":
            span = Span(tag.name)
            stack[-1][1].append(span)
            stack.append((tag.name, span.children))
        else:
            names = [name for name, _ in stack]
            if tag.name in names[1:]:
                # Close it, and any span opened inside it and left open.
                while stack[-1][0] != tag.name:
                    stack.pop()
                stack.pop()
    if last < len(text):
        stack[-1][1].append(text[last:])
    return root


def flatten(nodes: list, active: tuple[str, ...] = ()) -> list[tuple[str | Empty, tuple[str, ...]]]:
    """The nodes as a flat list of ``(text or Empty, names of the spans around it)``,
    outermost first: what run-based formats (DOCX) render from.

    :param nodes: as ``parse`` returns them.
    :param active: the spans around ``nodes``.
    """
    out: list[tuple[str | Empty, tuple[str, ...]]] = []
    for node in nodes:
        if isinstance(node, str):
            if node:
                out.append((node, active))
        elif isinstance(node, Empty):
            out.append((node, active))
        else:
            out.extend(flatten(node.children, active + (node.name,)))
    return out


class TagNamer:
    """Numbers a block's tags as a reader meets them: ``<b0>``, ``<a1>``, ``<x2/>``."""

    def __init__(self) -> None:
        self.count = 0

    def paired(self, letters: str) -> tuple[str, str, str]:
        """A new paired tag: ``(name, opening text, closing text)``.

        :param letters: what it is (``b`` bold, ``i`` italic, ``u`` underline,
            ``a`` link, ``s`` another span)."""
        name = f"{letters}{self.count}"
        self.count += 1
        return name, f"<{name}>", f"</{name}>"

    def empty(self, letters: str = "x") -> tuple[str, str]:
        """A new standalone tag: ``(name, text)``.

        :param letters: what it is (``x`` by default)."""
        name = f"{letters}{self.count}"
        self.count += 1
        return name, f"<{name}/>"


def escape_lookalikes(text: str) -> str:
    """Plain text from a document never holds something that reads as a tag:
    ``<b0>`` typed in a document would be taken for formatting, so its ``<``
    becomes the look-alike ``‹`` (U+2039).  Rare in real text.

    :param text: a piece of a document's text."""
    if "<" not in text or not find_tags(text):
        return text
    out, last = [], 0
    for tag in find_tags(text):
        out.append(text[last:tag.start])
        out.append("\u2039" + tag.text[1:])
        last = tag.end
    out.append(text[last:])
    return "".join(out)
