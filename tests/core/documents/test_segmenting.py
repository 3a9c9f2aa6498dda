"""Blocks with inline tags become sentences: tags are never cut, stay with their
word, and a pair around a sentence boundary is shared between the sentences."""
from __future__ import annotations

import re

import pytest

from workbench.core.documents.inline import Empty, Span, parse
from workbench.core.documents.model import Block
from workbench.core.documents.segmenting import block_segments, classify_blocks, split_tagged
from workbench.core.text.inline_tags import find_tags, strip_tags


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize("text, expected", [
    ("The council <b0>approved</b0> the budget. It includes <i1>new funds</i1> for schools.",
     ["The council <b0>approved</b0> the budget.", "It includes <i1>new funds</i1> for schools."]),
    # closing tag after the full stop stays with its sentence, the opening one goes with the next
    ("He said <b0>yes.</b0> <i1>Then</i1> he left.", ["He said <b0>yes.</b0>", "<i1>Then</i1> he left."]),
    # a pair around the boundary: each sentence carries its share
    ("<b0>One sentence here. Another one there.</b0> A third.",
     ["<b0>One sentence here.", "Another one there.</b0>", "A third."]),
    # a standalone tag touching a word stays with it
    ("See the report<x0/>. Details follow soon.", ["See the report<x0/>.", "Details follow soon."]),
    ("Plain text. No tags at all.", ["Plain text.", "No tags at all."]),
])
def test_sentences_keep_their_tags(text, expected):
    assert split_tagged(text, "en") == expected


def test_the_sentences_are_the_block_again_and_every_tag_is_kept():
    text = ("ТАШКЕНТ, 24 апреля. /ИА «Дунё»/. В столице открылся <b0>новый музей</b0>. "
            "По словам директора, <a1>часть <i2>коллекции</i2></a1> покажут за рубежом.<x3/> Вход свободный.")
    pieces = split_tagged(text, "ru")
    assert len(pieces) == 3
    assert _squash(" ".join(pieces)) == _squash(text)
    assert [t.text for p in pieces for t in find_tags(p)] == [t.text for t in find_tags(text)]
    assert strip_tags(pieces[0]).startswith("ТАШКЕНТ, 24 апреля.")  # the dateline stays whole


def test_only_body_blocks_are_split_and_presegmented_blocks_never():
    blocks = [Block("t", "A title. With a full stop.", "title"),
              Block("b", "First sentence. Second sentence.", "body"),
              Block("m", "5 March 2024, 09:30", "meta"),
              Block("u", "One unit. Kept whole.", "body", target="Одна единица. Целиком.",
                    status="approved", presegmented=True)]
    segments = block_segments(blocks, "en")
    assert [(s.paragraph, s.kind, s.text) for s in segments] == [
        (0, "title", "A title. With a full stop."), (1, "body", "First sentence."),
        (1, "body", "Second sentence."), (2, "meta", "5 March 2024, 09:30"),
        (3, "body", "One unit. Kept whole.")]
    assert (segments[-1].target, segments[-1].status) == ("Одна единица. Целиком.", "approved")


def test_page_blocks_are_classified_by_their_own_patterns():
    kinds = classify_blocks(["Council approves budget", "Views: 1234", "Share",
                             "Reactions", "The mayor spoke.", "© 2024 Daily News"], title_index=0)
    assert kinds == ["title", "meta", "boilerplate", "body", "body", "boilerplate"]


def test_a_translation_parses_forgivingly():
    assert parse("a <b0>b <i1>c</i1></b0> d<x2/>") == [
        "a ", Span("b0", ["b ", Span("i1", ["c"])]), " d", Empty("x2")]
    # a closing tag without its opening one is dropped, an unclosed one runs to the end
    assert parse("x</b0> y <i1>z") == ["x", " y ", Span("i1", ["z"])]
    # tags the original did not have are dropped
    assert parse("a <b7>b</b7>", known={"b0"}) == ["a ", "b"]
