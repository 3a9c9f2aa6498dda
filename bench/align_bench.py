"""Sentence aligner: time, peak memory and strict F1 on generated document pairs.

    .venv/bin/python bench/align_bench.py [--sizes 1000,5000,10000,20000] [--mt] [--baseline]
                                          [--before COMMIT] [--repeat N]

The pairs are generated (seeded) so that any size can be made:
- source sentences of realistic length (log-normal word counts, median about
  18 words, a long tail of 60+), Zipf-distributed words, names, numbers,
  dates, quotes and questions, in paragraphs of 1-6 sentences;
- the target is a pseudo-translation into a Cyrillic pseudo-language: every
  word maps to a fixed random Cyrillic word (so no word is a cognate of its
  source), ~10% of words are dropped or added, neighbours are swapped,
  names are transliterated and sometimes inflected, numbers are rewritten
  in Russian style (1 000, 2,5), months become Russian month names;
- then target sentences are merged (2-1, 4%), split (1-2, 3%), dropped
  (1-0, 1%) and foreign ones inserted (0-1, 1%), and the gold follows.

With ``--mt`` each size is also aligned with a simulated MT (the
pseudo-translation of each source sentence made again with different
noise; NOT a real MT model).  Peak memory is the resident set size above
the baseline before the call, sampled every 5 ms (psutil).
"""
from __future__ import annotations

import argparse
import math
import os
import random
import sys
import threading
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workbench.core.align import align  # noqa: E402
from workbench.testing.align_scores import strict_scores  # noqa: E402

_LATIN_SYLLABLES = "ba be bi bo bu da de di do ka ke ki ko la le li lo ma me mi mo na ne ni no pa pe po " \
                   "ra re ri ro sa se si so ta te ti to va ve vi za zo sha sho kha khe cha ya yu".split()
_CYR = {"a": "а", "b": "б", "d": "д", "e": "е", "i": "и", "k": "к", "l": "л", "m": "м", "n": "н",
        "o": "о", "p": "п", "r": "р", "s": "с", "t": "т", "u": "у", "v": "в", "z": "з", "y": "й"}
_CYR_DIGRAPHS = {"sh": "ш", "kh": "х", "ch": "ч", "ya": "я", "yu": "ю"}
_CYR_LETTERS = "абвгдежзиклмнопрстуфхцчшыэюя"
_EN_MONTHS = "January February March April May June July August September October November December".split()
_RU_MONTHS = "января февраля марта апреля мая июня июля августа сентября октября ноября декабря".split()


def cyrillic(name: str) -> str:
    out, k = [], 0
    low = name.lower()
    while k < len(low):
        if low[k:k + 2] in _CYR_DIGRAPHS:
            out.append(_CYR_DIGRAPHS[low[k:k + 2]])
            k += 2
        else:
            out.append(_CYR.get(low[k], low[k]))
            k += 1
    text = "".join(out)
    return text[:1].upper() + text[1:]


class Generator:
    def __init__(self, seed: int) -> None:
        self.rng = rng = random.Random(seed)
        self.words = sorted({"".join(rng.choice("abcdefghiklmnoprstuvwy") for _ in range(rng.choice(
            [1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 7, 8, 9, 10, 11]))) for _ in range(6000)})
        self.zipf = [1 / (k + 1) for k in range(len(self.words))]
        self.lexicon = {w: "".join(rng.choice(_CYR_LETTERS) for _ in range(max(1, round(
            len(w) * rng.uniform(0.9, 1.4))))) for w in self.words}
        self.names = ["".join(rng.choice(_LATIN_SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()
                      for _ in range(400)]

    def number(self) -> tuple[str, str]:
        rng = self.rng
        kind = rng.random()
        if kind < 0.3:
            v = str(rng.randint(1990, 2030))
            return v, v
        if kind < 0.6:
            v = rng.randint(1000, 999999)
            return f"{v:,}", f"{v:,}".replace(",", "\u00a0")
        if kind < 0.8:
            v = f"{rng.randint(0, 99)}.{rng.randint(1, 9)}"
            return v, v.replace(".", ",")
        v = str(rng.randint(2, 999))
        return v, v

    def sentence(self) -> tuple[str, str]:
        rng = self.rng
        count = max(3, min(90, round(math.exp(rng.gauss(math.log(18), 0.5)))))
        en = rng.choices(self.words, weights=self.zipf, k=count)
        ru = [self.lexicon[w] for w in en]
        ru = [w for w in ru if rng.random() > 0.1]
        for _ in range(int(len(ru) * 0.1)):
            ru.insert(rng.randrange(len(ru) + 1), rng.choice(list(self.lexicon.values())[:50]))
        for _ in range(len(ru) // 8):
            k = rng.randrange(max(1, len(ru) - 1))
            ru[k:k + 2] = ru[k:k + 2][::-1]
        en, ru = list(en), ru or ["и"]
        if rng.random() < 0.35:
            name = rng.choice(self.names)
            ru_name = cyrillic(name) + rng.choice(["", "", "а", "у", "ом", "е"])
            en.insert(rng.randrange(1, len(en) + 1), name)
            ru.insert(rng.randrange(1, len(ru) + 1), ru_name)
        if rng.random() < 0.3:
            a, b = self.number()
            en.insert(rng.randrange(len(en) + 1), a)
            ru.insert(rng.randrange(len(ru) + 1), b)
        if rng.random() < 0.08:
            m, d, y = rng.randrange(12), rng.randint(1, 28), rng.randint(2000, 2030)
            en += ["on", f"{d}", _EN_MONTHS[m], f"{y}"]
            ru += ["с", f"{d}", _RU_MONTHS[m], f"{y}", "года"]
        end = rng.choices([".", "?", "!"], weights=[90, 7, 3])[0]
        en_text, ru_text = " ".join(en).capitalize() + end, " ".join(ru).capitalize() + end
        if rng.random() < 0.1:
            en_text, ru_text = f'"{en_text}"', f"«{ru_text}»"
        return en_text, ru_text

    def document(self, count: int) -> tuple[list[str], list[str], list[int], list[int], list, list[str]]:
        """Source, target, their paragraph numbers, gold links, simulated MT."""
        rng = self.rng
        pairs = [self.sentence() for _ in range(count)]
        paragraphs, p, left = [], 0, 0
        for _ in range(count):
            if left == 0:
                p, left = p + 1, rng.randint(1, 6)
            paragraphs.append(p)
            left -= 1
        src = [en for en, _ in pairs]
        mt = [self.sentence_like(ru) for _, ru in pairs]
        src_out, tgt_out, sp, tp, gold = [], [], [], [], []
        k = 0
        while k < count:
            roll = rng.random()
            en, ru = pairs[k]
            si = len(src_out)
            if roll < 0.04 and k + 1 < count and paragraphs[k + 1] == paragraphs[k]:
                src_out += [en, pairs[k + 1][0]]
                sp += [paragraphs[k]] * 2
                tgt_out.append(ru + " " + pairs[k + 1][1])
                tp.append(paragraphs[k])
                gold.append(((si, si + 1), (len(tgt_out) - 1,)))
                k += 2
                continue
            src_out.append(en)
            sp.append(paragraphs[k])
            words = ru.split()
            if roll < 0.07 and len(words) >= 8:
                cut = rng.randint(3, len(words) - 3)
                tgt_out += [" ".join(words[:cut]) + ".", " ".join(words[cut:]).capitalize()]
                tp += [paragraphs[k]] * 2
                gold.append(((si,), (len(tgt_out) - 2, len(tgt_out) - 1)))
            elif roll < 0.08:
                gold.append(((si,), ()))
            elif roll < 0.09:
                tgt_out += [self.sentence()[1], ru]
                tp += [paragraphs[k]] * 2
                gold += [((), (len(tgt_out) - 2,)), ((si,), (len(tgt_out) - 1,))]
            else:
                tgt_out.append(ru)
                tp.append(paragraphs[k])
                gold.append(((si,), (len(tgt_out) - 1,)))
            k += 1
        assert src_out == src
        return src_out, tgt_out, sp, tp, gold, mt

    def sentence_like(self, ru: str) -> str:
        """The reference with other noise: a stand-in for an MT of the source."""
        rng = self.rng
        words = [w for w in ru.split() if rng.random() > 0.15]
        for _ in range(len(words) // 6):
            k = rng.randrange(max(1, len(words) - 1))
            words[k:k + 2] = words[k:k + 2][::-1]
        return " ".join(words) or ru


class PeakMemory:
    """Peak resident set size above the starting one, sampled in a thread."""

    def __init__(self) -> None:
        self.process = psutil.Process(os.getpid())
        self.base = self.peak = self.process.memory_info().rss
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.process.memory_info().rss)
            time.sleep(0.005)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.process.memory_info().rss)

    @property
    def megabytes(self) -> float:
        return (self.peak - self.base) / 1e6


def measure(src, tgt, sp, tp, gold, aligner=align, **kwargs) -> tuple[float, float, float, float]:
    """Wall seconds, CPU seconds of this process, peak MB and strict F1 of one call."""
    with PeakMemory() as mem:
        start, cpu = time.perf_counter(), time.process_time()
        links = aligner(src, tgt, "en", "ru", src_paragraphs=sp, tgt_paragraphs=tp, **kwargs)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    return seconds, cpu, mem.megabytes, strict_scores(gold, links).f1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,5000,10000,20000")
    parser.add_argument("--mt", action="store_true", help="also align with a simulated MT")
    parser.add_argument("--baseline", action="store_true", help="also run plain Gale-Church")
    parser.add_argument("--before", default="", help="also run the aligner of this git commit (full and, "
                                                     "with --baseline, length)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each; the fastest (CPU) is shown")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    before = None
    if args.before:
        from align_eval import load_before
        before = load_before(args.before)
    print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}; CPU = time.process_time() of the call "
          "(this process only: much less affected by other jobs than wall time)")
    print(f"{'sentences':>9} {'target':>7} {'features':>14} {'wall s':>7} {'CPU s':>7} {'peak MB':>8} "
          f"{'strict F1':>9}")
    for size in (int(s) for s in args.sizes.split(",")):
        src, tgt, sp, tp, gold, mt = Generator(args.seed).document(size)
        runs = [("full", align, {})]
        if args.mt:
            runs.append(("full+MT", align, {"mt": mt}))
        if args.baseline:
            runs.append(("length", align, {"features": "length"}))
        if before is not None:
            runs.append((f"full {args.before[:7]}", before, {}))
            if args.baseline:
                runs.append((f"length {args.before[:7]}", before, {"features": "length"}))
        results: dict[str, tuple] = {}
        for _ in range(args.repeat):     # interleaved, so that load changes hit all alike
            for label, aligner, kwargs in runs:
                got = measure(src, tgt, sp, tp, gold, aligner, **kwargs)
                if label not in results or got[1] < results[label][1]:
                    results[label] = got
        for label, _, _ in runs:
            seconds, cpu, mb, f1 = results[label]
            print(f"{len(src):>9} {len(tgt):>7} {label:>14} {seconds:>7.2f} {cpu:>7.2f} {mb:>8.0f} {f1:>9.3f}",
                  flush=True)
        if args.baseline:
            full, length = results["full"][1], results["length"][1]
            print(f"{'':>9} {'':>7} {'CPU full/length':>14} {full / length:>7.2f}", flush=True)


if __name__ == "__main__":
    main()
