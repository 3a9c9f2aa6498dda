"""The similarity of two source texts, 0-100, and number carry-over.

Character-level, as MateCat: the Levenshtein distance between the two texts
after case folding and whitespace collapsing, normalised by the longer text:

    score = floor(100 * (1 - distance / max(len(a), len(b))))

capped at 97 for any real difference, above which three exact classes sit:

    100  the same text, character for character
     99  the same after ignoring case, whitespace and punctuation
     98  the same after also treating every number as equal (numbers are then
         carried over from the new source into the match's target)

Why characters and not tokens (OmegaT): Russian inflects, and a changed case
ending ("мигранты" -> "мигрантов") costs 1-2 characters but a whole token;
the test pairs in tests/core/memory/test_similarity.py show token-level scores
of short sentences jump in steps of 10-20 points where character-level ones
move by 2-4.  rapidfuzz computes it in C++ (the bench's brute-force reference
uses exactly this scorer).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

EXACT, NEAR_EXACT, NUMBERS_ONLY, FUZZY_CAP = 100, 99, 98, 97

_SPACE = re.compile(r"\s+")
_PUNCT = re.compile(r"[^\w\s]+|_")
NUMBER = re.compile(r"\d+(?:[.,:]\d+)*")


def fold(text: str) -> str:
    """Case-folded, whitespace collapsed and stripped: the form fuzzy scores compare.

    Parameters:
        text: any text."""
    return " ".join(text.casefold().split())  # split(): runs of any whitespace, as \s+


def _no_punct(text: str) -> str:
    return _SPACE.sub(" ", _PUNCT.sub(" ", fold(text))).strip()


def _no_numbers(text: str) -> str:
    return NUMBER.sub("#", _no_punct(text))


def fuzzy(a: str, b: str) -> int:
    """The plain character-level score of two already folded texts (0-100).

    Parameters:
        a, b: texts as ``fold`` returns them."""
    if not a and not b:
        return 100
    return int(Levenshtein.normalized_similarity(a, b) * 100 + 1e-9)


@dataclass(frozen=True)
class Similarity:
    score: int     # 0-100, see the module docstring
    kind: str      # exact | case-punctuation | numbers | fuzzy


def similarity(new: str, old: str) -> Similarity:
    """How similar a stored source ``old`` is to a new source ``new``.

    Parameters:
        new: the text being translated.
        old: a source text of the memory.
    Returns a ``Similarity`` (score 0-100 and which class it fell in)."""
    if new == old:
        return Similarity(EXACT, "exact")
    if _no_punct(new) == _no_punct(old):
        return Similarity(NEAR_EXACT, "case-punctuation")
    if _no_numbers(new) == _no_numbers(old):
        return Similarity(NUMBERS_ONLY, "numbers")
    return Similarity(min(FUZZY_CAP, fuzzy(fold(new), fold(old))), "fuzzy")


class Scorer:
    """``similarity`` of one new text against many stored ones, faster: the new
    text's forms are computed once, and a stored text whose character score is
    below 50 is scored fuzzy without the (regex) checks for the exact classes
    (a text that differs only in case, punctuation or numbers is that close
    unless it is mostly punctuation or digits).

    Parameters:
        new: the text being translated."""

    def __init__(self, new: str):
        self.new = new
        self.folded = fold(new)
        self.no_punct = _no_punct(new)
        self.no_numbers = NUMBER.sub("#", self.no_punct)

    def score(self, old: str) -> Similarity:
        """The ``Similarity`` of a stored source.

        Parameters:
            old: a source text of the memory."""
        if old == self.new:
            return Similarity(EXACT, "exact")
        plain = fuzzy(self.folded, fold(old))
        if plain >= 50:
            no_punct = _no_punct(old)
            if no_punct == self.no_punct:
                return Similarity(NEAR_EXACT, "case-punctuation")
            if NUMBER.sub("#", no_punct) == self.no_numbers:
                return Similarity(NUMBERS_ONLY, "numbers")
        return Similarity(min(FUZZY_CAP, plain), "fuzzy")


def score(new: str, old: str) -> int:
    """``similarity(new, old).score``.

    Parameters:
        new: the text being translated.
        old: a source text of the memory."""
    return similarity(new, old).score


def carry_numbers(new_source: str, old_source: str, old_target: str) -> str:
    """The match's target with the new source's numbers where the two sources differ only there.

    Numbers are paired by position: when both sources hold the same count of
    numbers, every number of the old source that changed and that the target
    holds exactly once (as a whole number) is replaced by the new one.  Anything
    else returns ``old_target`` unchanged (a translator's target is never guessed at).

    Parameters:
        new_source: the text being translated.
        old_source: the match's source.
        old_target: the match's target."""
    new_numbers = NUMBER.findall(new_source)
    old_numbers = NUMBER.findall(old_source)
    if len(new_numbers) != len(old_numbers) or new_numbers == old_numbers:
        return old_target
    spans: list[tuple[int, int, str]] = []
    for old, new in zip(old_numbers, new_numbers):
        if old == new:
            continue
        pattern = re.compile(rf"(?<![\d.,]){re.escape(old)}(?![\d]|[.,]\d)")
        found = list(pattern.finditer(old_target))
        if len(found) != 1:
            return old_target
        spans.append((found[0].start(), found[0].end(), new))
    spans.sort()
    if len({start for start, _end, _new in spans}) != len(spans):
        return old_target  # two changed numbers point at the same place
    result, last = [], 0
    for start, end, new in spans:
        result += [old_target[last:start], new]
        last = end
    return "".join(result) + old_target[last:]
