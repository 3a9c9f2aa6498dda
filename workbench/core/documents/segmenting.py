"""Blocks of a document -> the segments of the store.

A body block is split into sentences by the article segmenter, which sees
the text without its inline tags: a tag is never cut, and it stays with the
word it touches.  A tag pair around a sentence boundary is shared, as OmegaT
does: ``<b0>One. Two.</b0>`` gives ``<b0>One.`` and ``Two.</b0>``; the
deliverable joins the sentences of a block again, so the pair closes there.

Between two sentences, closing tags go with the sentence before, and so do
standalone tags touching it (a footnote mark after the full stop); opening
tags, and standalone tags after the space, go with the sentence after.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from workbench.core.documents.model import Block
from workbench.core.model import SegmentKind
from workbench.core.text.article import classify_paragraphs
from workbench.core.text.inline_tags import find_tags
from workbench.core.text.segmenter import split_sentences


@dataclass(frozen=True)
class BlockSegment:
    """One segment of a block, as the importer stores it."""
    paragraph: int                # the block's index
    kind: str
    text: str                     # with its share of the block's tags
    target: str | None = None     # presegmented blocks of bilingual files
    status: str | None = None


def split_tagged(text: str, lang: str) -> list[str]:
    """Split a block's tagged text into sentences that carry their tags.

    :param text: the block's text with inline tags.
    :param lang: its language (for the segmenter).
    Returns stripped pieces of ``text`` in order; joined with the whitespace
    between them they give ``text`` back.
    """
    tags = find_tags(text)
    if not tags:
        return split_sentences(text, lang)
    # The plain text as runs between tags: where each run starts in the plain
    # text and in ``text`` (a character's index in ``text`` is found by bisection).
    runs: list[str] = []
    plain_starts: list[int] = []
    text_starts: list[int] = []
    last = length = 0
    for tag in tags + [None]:
        stop = tag.start if tag is not None else len(text)
        if stop > last:
            runs.append(text[last:stop])
            plain_starts.append(length)
            text_starts.append(last)
            length += stop - last
        if tag is not None:
            last = tag.end
    plain = "".join(runs)

    def where(index: int) -> int:
        """The index in ``text`` of the plain text's character ``index``."""
        run = bisect_right(plain_starts, index) - 1
        return text_starts[run] + index - plain_starts[run]

    sentences = split_sentences(plain, lang)
    if len(sentences) <= 1:
        return [text.strip()] if text.strip() else []
    spans: list[tuple[int, int]] = []  # plain [start, end) of each sentence
    cursor = 0
    for sentence in sentences:
        start = plain.find(sentence, cursor)
        if start < 0:  # never happens (the segmenter returns substrings); be safe
            return [text.strip()]
        spans.append((start, start + len(sentence)))
        cursor = start + len(sentence)
    # Cut points in ``text`` between consecutive sentences.
    cuts: list[tuple[int, int]] = []  # (end of the sentence before, start of the one after)
    tag_starts = [tag.start for tag in tags]
    for (_, end), (start, _) in zip(spans, spans[1:]):
        region_start = where(end - 1) + 1   # just after the sentence's last character
        region_end = where(start)           # the next sentence's first character
        # Closing tags go with the sentence before, and so do standalone
        # tags touching its last character ("report.<x1/>": a footnote mark);
        # the rest goes with the sentence after.
        before_end = region_start
        spaced = False
        for index in range(bisect_left(tag_starts, region_start), len(tags)):
            tag = tags[index]
            if tag.end > region_end:
                break
            spaced = spaced or bool(text[before_end:tag.start].strip() == "" and tag.start > before_end)
            if tag.kind == "close" or (tag.kind == "empty" and not spaced):
                before_end = tag.end
            else:
                break
        cuts.append((before_end, region_end))
    pieces = []
    previous = 0
    for before_end, after_start in cuts:
        pieces.append(text[previous:before_end])
        previous = after_start
    pieces.append(text[previous:])
    # Opening/standalone tags at the start of the region go with the next
    # sentence: move them over from the whitespace cut out between.
    out = []
    for n, piece in enumerate(pieces):
        if n > 0:
            gap_start, gap_end = cuts[n - 1][0], cuts[n - 1][1]
            gap = text[gap_start:gap_end]
            moved = "".join(tag.text for tag in find_tags(gap))
            piece = moved + piece
        out.append(piece.strip())
    return [piece for piece in out if piece]


def block_segments(blocks: list[Block], lang: str) -> list[BlockSegment]:
    """The segments of a document's blocks, in order.

    :param blocks: as the format's reader extracted them.
    :param lang: the document's language.
    Body blocks are split into sentences unless presegmented; title, meta
    and boilerplate blocks stay whole, as in a plain-text article.
    """
    segments: list[BlockSegment] = []
    for index, block in enumerate(blocks):
        if block.presegmented:
            segments.append(BlockSegment(index, block.kind, block.text, block.target, block.status))
        elif block.kind == SegmentKind.BODY.value:
            segments.extend(BlockSegment(index, block.kind, sentence)
                            for sentence in split_tagged(block.text, lang))
        elif block.text.strip():
            segments.append(BlockSegment(index, block.kind, block.text.strip()))
    return segments


# A headline the block is classified after: ``classify_paragraphs`` then judges
# the block by its own patterns (dates and counters are meta, "Share", "Read
# more" and credits boilerplate) and not by its position (a short heading
# near the end of a page is not a trailer, a one-word heading not a logo).
_HEADLINE = "Title of the page"


def classify_blocks(texts: list[str], *, title_index: int | None = None) -> list[str]:
    """The kind of each block of a web page, by the plain-text article's
    patterns (``article.classify_paragraphs``), one block at a time: dates and
    view counters are meta, share buttons and credits boilerplate, the rest
    body.  Only ``title_index`` (the block the format knows is the title) is
    a title.

    :param texts: the blocks' text without tags.
    :param title_index: the title block, if the format found one.
    """
    kinds = []
    for index, text in enumerate(texts):
        if index == title_index:
            kinds.append(SegmentKind.TITLE.value)
            continue
        kind = classify_paragraphs([_HEADLINE, text])[1]
        kinds.append(SegmentKind.BODY.value if kind is SegmentKind.TITLE else str(kind))
    return kinds
