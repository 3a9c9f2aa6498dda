"""Folders of document pairs for batch-alignment tests and benchmarks.

Each pair is made from one of the hand-aligned gold texts (``tests/data/align``):
a window of its paragraphs, the target side perturbed (merges, splits, drops:
see ``alignments.perturb``) and a numbered headline on both sides, so that no
two generated files have the same bytes.  Sources are English, targets Russian.
"""
from __future__ import annotations

import random
from pathlib import Path

from workbench.testing.align_scores import GoldLink, read_gold
from workbench.testing.alignments import perturb

GOLD_DIR = Path(__file__).resolve().parents[2] / "tests" / "data" / "align"


def _paragraphs(links: list[GoldLink], side: str) -> list[str]:
    paragraphs: dict[int, list[str]] = {}
    for link in links:
        paragraphs.setdefault(link.paragraph, []).extend(getattr(link, side))
    return [" ".join(sentences) for sentences in paragraphs.values() if sentences]


def pair_texts(number: int, *, seed: int = 0, gold_dir: Path = GOLD_DIR) -> tuple[str, str]:
    """The English and Russian text of generated pair ``number`` (deterministic).

    :param number: which pair (its headline carries it).
    :param seed: varies every pair's window and perturbations."""
    golds = sorted(Path(gold_dir).glob("*.tsv"))
    rng = random.Random(seed * 1_000_003 + number)
    links = read_gold(golds[number % len(golds)])
    last = max(link.paragraph for link in links)
    first = rng.randint(0, max(0, last - 3))
    window = [link for link in links if first <= link.paragraph <= first + rng.randint(2, 6)]
    window = perturb(window, rng, {"merge": rng.randint(0, 2), "split": rng.randint(0, 1),
                                   "drop": rng.randint(0, 1)})
    en = [f"Bulletin {number}: selected reports"] + _paragraphs(window, "src")
    ru = [f"Бюллетень {number}: избранные материалы"] + _paragraphs(window, "tgt")
    return "\n\n".join(en) + "\n", "\n\n".join(ru) + "\n"


def write_pair_folders(source_dir: str | Path, target_dir: str | Path, count: int, *,
                       seed: int = 0) -> list[tuple[Path, Path]]:
    """Write ``count`` pairs as ``pair-NNN.en.txt`` in ``source_dir`` and
    ``pair-NNN.ru.txt`` in ``target_dir`` (created); the pairs' paths.

    :param source_dir: the folder of English articles.
    :param target_dir: the folder of Russian translations.
    :param count: how many pairs.
    :param seed: varies the texts."""
    source_dir, target_dir = Path(source_dir), Path(target_dir)
    source_dir.mkdir(parents=True, exist_ok=True)
    target_dir.mkdir(parents=True, exist_ok=True)
    pairs = []
    for number in range(count):
        en, ru = pair_texts(number, seed=seed)
        src, tgt = source_dir / f"pair-{number:03d}.en.txt", target_dir / f"pair-{number:03d}.ru.txt"
        src.write_text(en, encoding="utf-8")
        tgt.write_text(ru, encoding="utf-8")
        pairs.append((src, tgt))
    return pairs
