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
