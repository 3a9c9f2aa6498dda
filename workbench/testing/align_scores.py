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
