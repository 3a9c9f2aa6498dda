"""Scoring alignments against gold, as public evaluation scripts do.

Strict F1: a link counts only if both its sides match a gold link exactly
(links empty on both sides are ignored; 1-0 and 0-1 links count).
Also reads the gold format of the test data: one link per line,
``source ‖ source<TAB>target``, a blank line between paragraphs.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

LinkPair = tuple[tuple[int, ...], tuple[int, ...]]
SEPARATOR = " ‖ "
_LINK = re.compile(r"^\s*\[([\d,\s]*)\]\s*:\s*\[([\d,\s]*)\]\s*$")


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float


def _as_set(links: Iterable) -> set[LinkPair]:
    out = set()
    for link in links:
        src, tgt = (link.src, link.tgt) if hasattr(link, "src") else link
        if src or tgt:
            out.add((tuple(src), tuple(tgt)))
    return out


def strict_scores(gold: Iterable, test: Iterable) -> Scores:
    g, t = _as_set(gold), _as_set(test)
    hits = len(g & t)
    precision = hits / len(t) if t else 0.0
    recall = hits / len(g) if g else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(precision, recall, f1)


def parse_link(line: str) -> LinkPair:
    """``[0, 1]:[2]`` -> ((0, 1), (2,))."""
    m = _LINK.match(line)
    if not m:
        raise ValueError(f"not an alignment link: {line!r}")
    return tuple(tuple(int(x) for x in side.split(",") if x.strip()) for side in m.groups())  # type: ignore


@dataclass(frozen=True)
class GoldLink:
    src: tuple[str, ...]
    tgt: tuple[str, ...]
    paragraph: int


def read_gold(path: str | Path) -> list[GoldLink]:
    links, paragraph, blank = [], 0, False
    for raw in Path(path).read_text(encoding="utf-8").split("\n"):
        if raw.startswith("#"):
            continue
        if not raw.strip():
            blank = True
            continue
        if blank and links:
            paragraph += 1
        blank = False
        left, right = raw.split("\t")
        links.append(GoldLink(tuple(s for s in left.split(SEPARATOR) if s.strip()),
                              tuple(s for s in right.split(SEPARATOR) if s.strip()), paragraph))
    return links


def flatten(links: list[GoldLink], *, swap: bool = False):
    """(source sentences, target sentences, source paragraphs, target
    paragraphs, gold index links); ``swap`` makes the second column the source."""
    src, tgt, spar, tpar, gold = [], [], [], [], []
    for link in links:
        a, b = (link.tgt, link.src) if swap else (link.src, link.tgt)
        gold.append((tuple(range(len(src), len(src) + len(a))), tuple(range(len(tgt), len(tgt) + len(b)))))
        src += a
        tgt += b
        spar += [link.paragraph] * len(a)
        tpar += [link.paragraph] * len(b)
    return src, tgt, spar, tpar, gold


@dataclass(frozen=True)
class Counts:
    """Counts of Vecalign's ``score.py`` (also used by Bertalign's evaluation),
    additive over documents (their F1 over several documents is micro-averaged).

    Precision is over every test link, 1-0 and 0-1 included; recall is over
    the gold links that have both sides (gold deletions and insertions are
    not counted).  Strict: a link is right if it is exactly a gold link.  Lax:
    a test link not in the gold is still right if one of its source sentences
    is linked in the gold to one of its target sentences (and, for recall,
    the same with gold and test exchanged)."""

    p_strict: int = 0    # test links that are gold links
    p_total: int = 0     # test links
    p_lax: int = 0       # test links that are gold links or overlap one
    r_strict: int = 0    # gold links with both sides found exactly
    r_total: int = 0     # gold links with both sides
    r_lax: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(*(a + b for a, b in zip(self.astuple(), other.astuple())))

    def astuple(self) -> tuple[int, ...]:
        return (self.p_strict, self.p_total, self.p_lax, self.r_strict, self.r_total, self.r_lax)

    @staticmethod
    def _f1(p: float, r: float) -> float:
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def strict(self) -> Scores:
        p = self.p_strict / self.p_total if self.p_total else 0.0
        r = self.r_strict / self.r_total if self.r_total else 0.0
        return Scores(p, r, self._f1(p, r))

    @property
    def lax(self) -> Scores:
        p = self.p_lax / self.p_total if self.p_total else 0.0
        r = self.r_lax / self.r_total if self.r_total else 0.0
        return Scores(p, r, self._f1(p, r))


def _precision_counts(gold: set[LinkPair], test: set[LinkPair]) -> tuple[int, int, int]:
    linked: dict[int, set[int]] = {}
    for g_src, g_tgt in gold:
        for i in g_src:
            linked.setdefault(i, set()).update(g_tgt)
    strict = lax = 0
    for t_src, t_tgt in test:
        if (t_src, t_tgt) in gold:
            strict += 1
            lax += 1
        elif any(j in linked.get(i, ()) for i in t_src for j in t_tgt):
            lax += 1
    return strict, len(test), lax


def vecalign_counts(gold: Iterable, test: Iterable) -> Counts:
    """Strict and lax counts of ``test`` links against ``gold`` links of one
    document, as Vecalign's ``score.py`` computes them (see ``Counts``)."""
    g, t = _as_set(gold), _as_set(test)
    ps, pt, pl = _precision_counts(g, t)
    g_both = {(a, b) for a, b in g if a and b}
    t_both = {(a, b) for a, b in t if a and b}
    rs, rt, rl = _precision_counts(t_both, g_both)
    return Counts(ps, pt, pl, rs, rt, rl)
