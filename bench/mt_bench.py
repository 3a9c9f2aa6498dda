"""Machine-translation benchmark: Argos per sentence vs the workbench vs raw CTranslate2.

Builds a random-weight package of realistic size (transformer-base: 6+6
layers, d_model 512, 8 heads, FFN 2048; the real 32k en+ru SentencePiece
vocabulary from ../shared/models/vocab.enru.spm when present), installs it in
a temporary Argos packages dir, and translates the same English news-like
sentences three ways, in one run:

  (a) argostranslate.translate.translate() called per sentence, the way most
      scripts use Argos;
  (b) the workbench pipeline (workbench.core.mt.engine: tokenise, sort,
      batch by tokens, translate, detokenise, restore order);
  (c) raw ctranslate2.Translator.translate_batch on pre-tokenised input with
      the same settings and the same batches: the practical limit.

Random weights never emit end-of-sentence, so every path decodes to the same
cap (min(256, 2 x input tokens + 10), the workbench's own rule) and does the
same work.  Argos' sentence splitter would download a model, so for (a) it is
replaced by "the input is one sentence" (which it is).

Run: .venv/bin/python bench/mt_bench.py [--sentences 500] [--argos-sentences N]
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
REAL_VOCAB = REPO.parent / "shared" / "models" / "vocab.enru.spm"

SUBJECTS = ["The ministry", "The council", "Officials", "The delegation", "The president", "Experts",
            "The committee", "Representatives of the organisation", "The government", "Analysts"]
VERBS = ["said", "announced", "stressed", "reported", "noted", "confirmed", "warned", "agreed"]
OBJECTS = ["that cooperation on migration would expand next year",
           "the new strategy for labour migration until 2030",
           "an agreement on the protection of migrants' rights",
           "that talks in Tashkent had been constructive",
           "the results of the joint programme against illegal migration",
           "a plan to exchange experience in detecting forged documents",
           "support for regional initiatives on climate-driven migration",
           "that 1.5 million people had been registered in 2024"]
TAILS = ["", " during the meeting in Geneva", " on Tuesday", ", according to the press service",
         " at the 27th session of the council", " in a statement published on its website",
         ", adding that further consultations are planned for the autumn"]


def news_sentences(n: int, seed: int = 3) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        s = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}{rng.choice(TAILS)}."
        if rng.random() < 0.3:
            s += f" {rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}."
        out.append(s)
    return out


def cap(tokens: int) -> int:
    from workbench.core.mt.engine import MAX_DECODING_LENGTH, MAX_LENGTH_RATIO, MAX_LENGTH_SLACK

    return min(MAX_DECODING_LENGTH, int(tokens * MAX_LENGTH_RATIO) + MAX_LENGTH_SLACK)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sentences", type=int, default=500)
    parser.add_argument("--argos-sentences", type=int, default=None,
                        help="translate only this many with (a) and extrapolate (default: all)")
    parser.add_argument("--small", action="store_true", help="a tiny model (smoke test of the script)")
    parser.add_argument("--beam", type=int, default=None,
                        help="beam for (b) and (c) (default: the workbench's, 2); (a) keeps Argos' own (4)")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="mt_bench_"))
    os.environ["ARGOS_PACKAGES_DIR"] = str(tmp / "packages")  # before argostranslate is imported
    from workbench.core.mt import engine
    from workbench.core.mt.packages import find_pair, install_file
    from workbench.testing.models import build_test_package

    vocab = REAL_VOCAB if REAL_VOCAB.exists() and not args.small else None
    shape = dict(layers=(2, 2), d_model=64, heads=2, ffn=128) if args.small else \
        dict(layers=(6, 6), d_model=512, heads=8, ffn=2048)
    started = time.perf_counter()
    build_test_package(tmp / "build", "en", "ru", spm_model=vocab, zip_to=tmp / "en_ru.argosmodel", **shape)
    package = install_file(tmp / "en_ru.argosmodel")
    print(f"model: random weights, layers {shape['layers']}, d_model {shape['d_model']}, heads {shape['heads']},"
          f" ffn {shape['ffn']}, vocabulary {'real 32k en+ru (vocab.enru.spm)' if vocab else 'trained on local text'}"
          f", {package.size_bytes / 1e6:.0f} MB, built in {time.perf_counter() - started:.0f} s")

    sentences = news_sentences(args.sentences)
    threads = engine.default_threads()
    beam = args.beam or engine.DEFAULT_BEAM
    print(f"settings: {len(sentences)} sentences, beam {beam} for (b) and (c), Argos' own (4) for (a), length_penalty {engine.LENGTH_PENALTY},"
          f" compute_type auto, intra_threads {threads}, inter_threads 1,"
          f" max_decoding_length min(256, 2 x input tokens + 10)")

    # (b) the workbench pipeline (model load measured apart, as (a) and (c) load theirs apart too)
    translator = engine.get_translator(find_pair("en", "ru")[0])
    translator.translate(sentences[:4])  # warm-up
    started = time.perf_counter()
    ours = translator.translate(sentences, beam_size=beam)
    b_seconds = time.perf_counter() - started
    assert len(ours) == len(sentences) and all(ours)

    # (c) raw CTranslate2, same batches and caps, tokenisation done beforehand (not timed)
    import ctranslate2

    raw = ctranslate2.Translator(str(package.path / "model"), compute_type="auto", inter_threads=1,
                                 intra_threads=threads)
    tokens = translator.encode(sentences)
    order = sorted(range(len(tokens)), key=lambda k: -len(tokens[k]))
    batches = [[tokens[k] for k in order[i:i + engine.SENTENCES_PER_CALL]]
               for i in range(0, len(order), engine.SENTENCES_PER_CALL)]
    raw.translate_batch(batches[-1][:4], beam_size=beam, max_decoding_length=cap(8))  # warm-up
    started = time.perf_counter()
    for batch in batches:
        raw.translate_batch(batch, beam_size=beam, num_hypotheses=1, length_penalty=engine.LENGTH_PENALTY,
                            replace_unknowns=True, max_batch_size=engine.MAX_BATCH_TOKENS, batch_type="tokens",
                            max_decoding_length=cap(max(len(t) for t in batch)))
    c_seconds = time.perf_counter() - started

    # (a) argostranslate.translate.translate per sentence
    import argostranslate.sbd
    import argostranslate.translate as argos

    argostranslate.sbd.MiniSBDSentencizer.split_sentences = lambda self, text: [text]
    real_translator = argos.ctranslate2.Translator

    class CappedTranslator:
        """Argos' translator with the same decoding cap as (b) and (c)."""

        def __init__(self, *a, **kw):
            self._inner = real_translator(*a, **kw)

        def translate_batch(self, batch, **kw):
            kw.setdefault("max_decoding_length", cap(max(len(t) for t in batch)))
            return self._inner.translate_batch(batch, **kw)

    argos.ctranslate2.Translator = CappedTranslator
    subset = sentences[:args.argos_sentences] if args.argos_sentences else sentences
    argos.translate(subset[0], "en", "ru")  # loads the model (not timed)
    started = time.perf_counter()
    argos_out = [argos.translate(s, "en", "ru") for s in subset]
    a_seconds = (time.perf_counter() - started) * len(sentences) / len(subset)
    assert all(argos_out)

    n = len(sentences)
    print(f"(a) argostranslate.translate per sentence: {n / a_seconds:8.1f} sentences/s"
          f"  ({a_seconds:.1f} s{' extrapolated from %d' % len(subset) if len(subset) < n else ''})")
    print(f"(b) workbench engine:                      {n / b_seconds:8.1f} sentences/s  ({b_seconds:.1f} s)")
    print(f"(c) raw CTranslate2 translate_batch:       {n / c_seconds:8.1f} sentences/s  ({c_seconds:.1f} s)")
    print(f"b/a = {a_seconds / b_seconds:.2f}x   (target >= 3)")
    print(f"b/c = {c_seconds / b_seconds:.2f}x   (target >= 0.9)")


if __name__ == "__main__":
    main()
