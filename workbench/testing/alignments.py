"""Test material derived from a gold-aligned text: perturbed variants and a
simulated machine translation.

Variants change the target side of a gold alignment and the gold with it:
two 1-1 links merged into a 2-1 (the two target sentences joined), a target
sentence split at a comma (1-2), a target sentence dropped (1-0), a foreign
sentence inserted (0-1).

``simulated_mt`` is NOT a machine translation: for a source sentence it
takes the human translation it is linked to in the gold (the target
language's text) and damages it with word drops, wrong words and swaps, so
that it resembles an MT that is good but not the reference.  It lets the
MT-signal code be tested without a model.
"""
from __future__ import annotations

import random
import re
from collections.abc import Sequence

from workbench.testing.align_scores import GoldLink
from workbench.core.align.translit import to_latin

OPERATIONS = ("merge", "split", "drop", "insert")


def swap_sides(links: Sequence[GoldLink]) -> list[GoldLink]:
    return [GoldLink(link.tgt, link.src, link.paragraph) for link in links]


def _split_sentence(text: str) -> tuple[str, str] | None:
    """Split at the comma nearest the middle into two sentences, or None."""
    commas = [m.start() for m in re.finditer(r", ", text)]
    commas = [c for c in commas if 15 <= c <= len(text) - 15]
    if not commas:
        return None
    at = min(commas, key=lambda c: abs(c - len(text) / 2))
    first, second = text[:at].rstrip() + ".", text[at + 2:].lstrip()
    return first, second[:1].upper() + second[1:]


def perturb(links: Sequence[GoldLink], rng: random.Random, operations: dict[str, int],
            foreign: Sequence[str] = ()) -> list[GoldLink]:
    """Apply ``operations`` (name -> how many times) to random 1-1 links."""
    out = list(links)
    for op, count in operations.items():
        for _ in range(count):
            ones = [k for k, link in enumerate(out) if len(link.src) == 1 and len(link.tgt) == 1]
            if op == "merge":
                ones = [k for k in ones if k + 1 < len(out) and k + 1 in set(ones)
                        and out[k].paragraph == out[k + 1].paragraph]
            elif op == "split":
                ones = [k for k in ones if _split_sentence(out[k].tgt[0])]
            if not ones or (op == "insert" and not foreign):
                continue
            k = rng.choice(ones)
            link = out[k]
            if op == "merge":
                nxt = out[k + 1]
                out[k:k + 2] = [GoldLink(link.src + nxt.src, (link.tgt[0] + " " + nxt.tgt[0],),
                                         link.paragraph)]
            elif op == "split":
                out[k] = GoldLink(link.src, _split_sentence(link.tgt[0]), link.paragraph)  # type: ignore[arg-type]
            elif op == "drop":
                out[k] = GoldLink(link.src, (), link.paragraph)
            elif op == "insert":
                out.insert(k, GoldLink((), (rng.choice(list(foreign)),), link.paragraph))
            else:
                raise ValueError(f"unknown operation {op!r}")
    return out


def _damage(text: str, vocabulary: Sequence[str], rng: random.Random, rate: float) -> str:
    words = text.split()
    out = []
    for w in words:
        roll = rng.random()
        if roll < rate * 0.4:
            continue                                   # dropped word
        if roll < rate and vocabulary:
            out.append(rng.choice(vocabulary))         # wrong word choice
        else:
            out.append(w)
    for _ in range(int(len(out) * rate / 2)):          # local reordering
        if len(out) > 2:
            k = rng.randrange(len(out) - 1)
            out[k], out[k + 1] = out[k + 1], out[k]
    return " ".join(out) if out else text


def _split_words(text: str, weights: Sequence[int]) -> list[str]:
    words = text.split()
    total = max(sum(weights), 1)
    parts, start, acc = [], 0, 0
    for k, w in enumerate(weights):
        acc += w
        end = len(words) if k == len(weights) - 1 else round(len(words) * acc / total)
        parts.append(" ".join(words[start:end]))
        start = end
    return parts


def simulated_mt(links: Sequence[GoldLink], rng: random.Random, rate: float = 0.25) -> list[str]:
    """A damaged copy of the gold target text for every source sentence.

    A link's target text is shared among its source sentences in proportion
    to their lengths; a source sentence with no translation gets its own
    romanised text (an MT would keep its names and numbers)."""
    vocabulary = [w for link in links for t in link.tgt for w in t.split()]
    out = []
    for link in links:
        if not link.src:
            continue
        if not link.tgt:
            out += [to_latin(s) for s in link.src]
            continue
        pieces = _split_words(" ".join(link.tgt), [len(s) for s in link.src])
        out += [_damage(p, vocabulary, rng, rate) if p else to_latin(s) for p, s in zip(pieces, link.src)]
    return out


# -- what translators do -------------------------------------------------------------------
#
# Edits of the target side of a real translation that mimic what human
# translators and editors do, with the gold following:
#   swap       two neighbouring sentences of a paragraph given in the other order:
#              one 2-2 link (strict alignment cannot cross, so the pair is one link)
#   split3     a long sentence rendered as three (1-3), cut at punctuation
#   merge      two sentences of a paragraph rendered as one (2-1)
#   heading    a heading or other short line left untranslated (1-0)
#   summarise  a paragraph of two or three sentences condensed into one (2-1 / 3-1)
#   note       a translator's note or sentence of the translator's own (0-1)

TRANSLATOR_OPS = ("swap", "split3", "merge", "heading", "summarise", "note")
_CUTS = re.compile(r"[,;:] ")


def _split_three(text: str) -> tuple[str, str, str] | None:
    """Cut at the punctuation nearest a third and two thirds of the text."""
    cuts = [m.start() for m in _CUTS.finditer(text) if 12 <= m.start() <= len(text) - 12]
    if len(cuts) < 2:
        return None
    a = min(cuts, key=lambda c: abs(c - len(text) / 3))
    later = [c for c in cuts if c >= a + 12]
    if not later:
        return None
    b = min(later, key=lambda c: abs(c - 2 * len(text) / 3))
    parts = [text[:a].rstrip() + ".", text[a + 2:b].strip() + ".", text[b + 2:].strip()]
    parts = [p[:1].upper() + p[1:] for p in parts]
    return parts[0], parts[1], parts[2]


def _summary(sentences: Sequence[str]) -> str:
    """The longest sentence cut to two thirds of its words: a condensed paragraph."""
    words = max(sentences, key=len).split()
    keep = words[:max(3, (2 * len(words)) // 3)]
    return " ".join(keep).rstrip(",;:") + "."


def _paragraph_of_ones(links: Sequence[GoldLink], k: int) -> bool:
    """A paragraph starts at ``k`` and is two or three 1-1 links."""
    if k and links[k - 1].paragraph == links[k].paragraph:
        return False
    end = k
    while end < len(links) and links[end].paragraph == links[k].paragraph:
        end += 1
    return 2 <= end - k <= 3 and all(len(g.src) == 1 and len(g.tgt) == 1 for g in links[k:end])


def translator_edits(links: Sequence[GoldLink], rng: random.Random, operations: dict[str, int],
                     notes: Sequence[str] = ()) -> list[GoldLink]:
    """Apply ``operations`` (name in ``TRANSLATOR_OPS`` -> how many times) to
    the target side of ``links`` (each at a random place where it fits)."""
    out = list(links)

    def one(k: int) -> bool:
        return len(out[k].src) == 1 and len(out[k].tgt) == 1

    def same_paragraph(k: int) -> bool:
        return k + 1 < len(out) and out[k].paragraph == out[k + 1].paragraph

    for op, count in operations.items():
        if op not in TRANSLATOR_OPS:
            raise ValueError(f"unknown operation {op!r}")
        for _ in range(count):
            if op in ("swap", "merge"):
                places = [k for k in range(len(out)) if one(k) and same_paragraph(k) and one(k + 1)]
            elif op == "split3":
                places = [k for k in range(len(out)) if one(k) and _split_three(out[k].tgt[0])]
            elif op == "heading":
                alone = [k for k in range(len(out)) if one(k)
                         and (k == 0 or out[k - 1].paragraph != out[k].paragraph)
                         and (k + 1 == len(out) or out[k + 1].paragraph != out[k].paragraph)]
                places = [k for k in alone if len(out[k].src[0]) < 80] or alone
            elif op == "summarise":
                places = [k for k in range(len(out)) if _paragraph_of_ones(out, k)]
            else:
                places = list(range(len(out))) if notes else []
            if not places:
                continue
            k = rng.choice(places)
            link = out[k]
            if op == "swap":
                nxt = out[k + 1]
                out[k:k + 2] = [GoldLink(link.src + nxt.src, nxt.tgt + link.tgt, link.paragraph)]
            elif op == "merge":
                nxt = out[k + 1]
                joined = link.tgt[0].rstrip(".") + "; " + nxt.tgt[0][:1].lower() + nxt.tgt[0][1:]
                out[k:k + 2] = [GoldLink(link.src + nxt.src, (joined,), link.paragraph)]
            elif op == "split3":
                out[k] = GoldLink(link.src, _split_three(link.tgt[0]), link.paragraph)  # type: ignore[arg-type]
            elif op == "heading":
                out[k] = GoldLink(link.src, (), link.paragraph)
            elif op == "summarise":
                end = k + 1
                while end < len(out) and out[end].paragraph == link.paragraph:
                    end += 1
                group = out[k:end]
                out[k:end] = [GoldLink(tuple(s for g in group for s in g.src),
                                       (_summary([t for g in group for t in g.tgt]),), link.paragraph)]
            else:
                out.insert(k, GoldLink((), (rng.choice(list(notes)),), link.paragraph))
    return out


def write_gold(links: Sequence[GoldLink], path, comment: str = "") -> None:
    """Write ``links`` in the format ``read_gold`` reads (a blank line between paragraphs)."""
    from pathlib import Path

    from workbench.testing.align_scores import SEPARATOR

    lines = [f"# {line}" for line in comment.splitlines()]
    previous = None
    for link in links:
        if previous is not None and link.paragraph != previous:
            lines.append("")
        previous = link.paragraph
        clean = [[s.replace("\t", " ").replace("\n", " ") for s in side] for side in (link.src, link.tgt)]
        lines.append(SEPARATOR.join(clean[0]) + "\t" + SEPARATOR.join(clean[1]))
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")
