"""Sentence segmenters measured on the workbench's gold sets.

Usage: ``.venv/bin/python bench/segmenter_eval.py [--errors]``

For each gold set (tests/data/gold/{en,ru}.txt, and the held-out sets
{en,ru}_heldout.txt written after the rules were fixed) and each segmenter (pysbd,
razdel for Russian, sentencex, and the workbench's own pipeline,
``workbench.core.text.segmenter.split_sentences``) it prints:

- precision / recall / F1 of the sentence boundaries *inside* paragraphs (the
  end of a paragraph is a boundary for every segmenter, so it is not counted);
- exact-sentence accuracy: the share of gold sentences that come out exactly;
- throughput on the gold text repeated (MB/s of UTF-8), since import speed matters;

and then the throughput of the whole import path for article text (decode +
article parsing + segmentation) on the seed articles.

``--errors`` also lists every paragraph a segmenter gets wrong.

The functions ``load_gold`` and ``score`` are imported by tests/test_segmenter.py.
"""
from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

ROOT = Path(__file__).resolve().parent.parent
GOLD_DIR = ROOT / "tests" / "data" / "gold"

Segmenter = Callable[[str], list[str]]


@dataclass(frozen=True)
class GoldParagraph:
    text: str
    sentences: tuple[str, ...]


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    f1: float
    exact: float          # share of gold sentences reproduced exactly
    gold_sentences: int
    errors: tuple[tuple[GoldParagraph, tuple[str, ...]], ...]


def load_gold(lang: str) -> list[GoldParagraph]:
    """Paragraphs are blank-line separated, one sentence per line, '#' comments."""
    paragraphs: list[GoldParagraph] = []
    current: list[str] = []
    lines = (GOLD_DIR / f"{lang}.txt").read_text(encoding="utf-8").split("\n")
    for line in lines + [""]:
        if line.startswith("#"):
            continue
        if line.strip():
            current.append(line.strip())
        elif current:
            paragraphs.append(GoldParagraph(" ".join(current), tuple(current)))
            current = []
    return paragraphs


def _boundaries(paragraph: str, sentences: Iterable[str]) -> set[int]:
    """Offsets where each sentence ends, found by walking the paragraph.

    Segmenters may drop or keep the whitespace around sentences; each output
    sentence is located (stripped) after the previous one.  The final offset
    (end of the paragraph) is excluded.
    """
    ends: set[int] = set()
    cursor = 0
    for sentence in sentences:
        sentence = sentence.strip()
        if not sentence:
            continue
        at = paragraph.find(sentence, cursor)
        if at < 0:  # the segmenter changed the text: count it as a miss
            continue
        cursor = at + len(sentence)
        ends.add(cursor)
    ends.discard(len(paragraph.rstrip()))
    return ends


def score(segment: Segmenter, gold: list[GoldParagraph]) -> Score:
    true_positive = predicted = expected = exact = total = 0
    errors = []
    for paragraph in gold:
        output = [s.strip() for s in segment(paragraph.text) if s.strip()]
        got = _boundaries(paragraph.text, output)
        want = _boundaries(paragraph.text, paragraph.sentences)
        true_positive += len(got & want)
        predicted += len(got)
        expected += len(want)
        output_set = set(output)
        exact += sum(1 for s in paragraph.sentences if s in output_set)
        total += len(paragraph.sentences)
        if tuple(output) != paragraph.sentences:
            errors.append((paragraph, tuple(output)))
    precision = true_positive / predicted if predicted else 1.0
    recall = true_positive / expected if expected else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Score(precision, recall, f1, exact / total, total, tuple(errors))


def segmenters(lang: str) -> dict[str, Segmenter]:
    import pysbd
    import sentencex

    from workbench.core.text.segmenter import split_sentences

    pysbd_segmenter = pysbd.Segmenter(language=lang, clean=False)
    found: dict[str, Segmenter] = {
        "pysbd": pysbd_segmenter.segment,
        "sentencex": lambda text: list(sentencex.segment(lang, text)),
    }
    if lang == "ru":
        import razdel
        found["razdel"] = lambda text: [s.text for s in razdel.sentenize(text)]
    found["workbench"] = lambda text: split_sentences(text, lang)
    return found


def throughput(segment: Segmenter, gold: list[GoldParagraph], min_seconds: float = 0.5) -> float:
    """MB/s of UTF-8 paragraph text (each paragraph segmented separately)."""
    size = sum(len(p.text.encode("utf-8")) for p in gold)
    rounds = 0
    start = time.perf_counter()
    while True:
        for paragraph in gold:
            segment(paragraph.text)
        rounds += 1
        elapsed = time.perf_counter() - start
        if elapsed >= min_seconds:
            return size * rounds / elapsed / 1e6


def pipeline_throughput(min_seconds: float = 2.0) -> list[tuple[str, float]]:
    """MB/s of article bytes through decode_bytes + parse_article (which segments).

    Articles are the seeds, imported one at a time as the CLI does, in UTF-8
    and (the Russian one) in cp1251, plus one long article made of many copies.
    """
    from workbench.core.text.article import parse_article
    from workbench.core.text.decoding import decode_bytes

    seeds = [path.read_bytes() for path in sorted((ROOT / "seeds").glob("*.txt"))]
    russian = [data for data in seeds if max(data) >= 0xD0]
    cases = [
        ("seed articles, UTF-8", seeds),
        ("Russian seed, cp1251", [data.decode("utf-8").encode("cp1251") for data in russian]),
        ("one 100 KB article", [b"\n\n".join(seeds) * max(1, 100_000 // sum(map(len, seeds)))]),
    ]
    parse_article(decode_bytes(seeds[0]))  # load the language model outside the timing
    results = []
    for label, articles in cases:
        size = rounds = 0
        start = time.perf_counter()
        while time.perf_counter() - start < min_seconds:
            for data in articles:
                parse_article(decode_bytes(data))
                size += len(data)
            rounds += 1
        results.append((label, size / (time.perf_counter() - start) / 1e6))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--errors", action="store_true", help="list wrongly segmented paragraphs")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    print(f"{'gold':10} {'segmenter':10} {'P':>6} {'R':>6} {'F1':>6} {'exact':>6} {'MB/s':>7}")
    for lang in ("en", "ru", "en_heldout", "ru_heldout"):
        gold = load_gold(lang)
        for name, segment in segmenters(lang[:2]).items():
            result = score(segment, gold)
            speed = throughput(segment, gold)
            print(f"{lang:10} {name:10} {result.precision:6.3f} {result.recall:6.3f} "
                  f"{result.f1:6.3f} {result.exact:6.3f} {speed:7.2f}")
            if args.errors:
                for paragraph, output in result.errors:
                    print(f"     gold: {list(paragraph.sentences)}")
                    print(f"      got: {list(output)}")
        print(f"{lang:10} ({sum(len(p.sentences) for p in gold)} gold sentences in {len(gold)} paragraphs)")
    print("\ndecode_bytes + parse_article (paragraphs, kinds, language, sentences):")
    for label, speed in pipeline_throughput():
        print(f"  {label:24} {speed:6.2f} MB/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
