"""The sentence aligner on the development set, side by side with its baselines.

    .venv/bin/python bench/align_devset.py             # builds /tmp/align-devset once
    .venv/bin/python bench/align_eval.py [--devset /tmp/align-devset] [--paragraphs] [--docs]

For every gold file of the dev set (see bench/align_devset.py: real human
translations, as they are (``.orig``) and with translator-like edits
(``.edit``)), four aligners:

- ``length``:   ``features="length"``, plain Gale-Church (length and link priors)
- ``anchors``:  ``features="anchors"``, the aligner before the learned lexicon
                (length, anchors: numbers, names, cognate skeletons, punctuation)
- ``full``:     ``features="full"``, the default: the above plus the lexicon
                learned from the document and the signals weighed per document
- ``full+MT``:  ``full`` with a simulated MT (``workbench.testing.alignments.simulated_mt``:
                the gold translation damaged; NOT a model, it stands for one)
- ``before``:   with ``--before COMMIT``, the aligner of that commit (its
                ``workbench/core/align`` is copied into a temporary package
                and run with its default features), e.g. the one that shipped
                before issue 14: ``--before 8726613``

Scores are Vecalign's ``score.py`` (``workbench.testing.align_scores.vecalign_counts``):
strict and lax F1, micro-averaged over documents, and per document.  The
sentences are aligned without paragraph information unless ``--paragraphs``
(held-out evaluations give one sentence per line).
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workbench.core.align import align  # noqa: E402
from workbench.testing.align_scores import Counts, flatten, read_gold, vecalign_counts  # noqa: E402
from workbench.testing.alignments import simulated_mt  # noqa: E402

CONFIGS = ("length", "anchors", "full", "full+MT")
_BEFORE = []


def load_before(commit: str):
    """Import the aligner of ``commit`` as the package ``aligner_before``;
    returns its ``align``."""
    import importlib
    import subprocess
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="aligner-before-"))
    package = folder / "aligner_before"
    package.mkdir()
    repo = Path(__file__).resolve().parents[1]
    names = subprocess.run(["git", "ls-tree", "--name-only", commit, "workbench/core/align/"], cwd=repo,
                           check=True, capture_output=True, text=True).stdout.split()
    for name in names:
        code = subprocess.run(["git", "show", f"{commit}:{name}"], cwd=repo, check=True,
                              capture_output=True, text=True).stdout
        (package / Path(name).name).write_text(code.replace("workbench.core.align", "aligner_before"))
    sys.path.insert(0, str(folder))
    _BEFORE.append(importlib.import_module("aligner_before").align)
    return _BEFORE[-1]


def run(config: str, src, tgt, sp, tp, mt, paragraphs: bool):
    kwargs = {"src_paragraphs": sp, "tgt_paragraphs": tp} if paragraphs else {}
    if config == "before":
        return _BEFORE[0](src, tgt, "xx", "yy", **kwargs)
    if config == "full+MT":
        kwargs["mt"] = mt
    features = "full" if config == "full+MT" else config
    return align(src, tgt, "xx", "yy", features=features, **kwargs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--devset", type=Path, default=Path("/tmp/align-devset"))
    parser.add_argument("--paragraphs", action="store_true", help="give the aligner the paragraphs")
    parser.add_argument("--docs", action="store_true", help="strict F1 of every document")
    parser.add_argument("--only", default="", help="substring of the documents to run")
    parser.add_argument("--configs", default=",".join(CONFIGS))
    parser.add_argument("--before", default="", help="also run the aligner of this git commit")
    args = parser.parse_args()
    configs = args.configs.split(",")
    if args.before:
        load_before(args.before)
        configs.insert(1, "before")
    files = sorted(p for p in args.devset.glob("*.tsv") if args.only in p.name)
    if not files:
        sys.exit(f"no gold files in {args.devset}: run bench/align_devset.py first")
    totals = {c: {"orig": Counts(), "edit": Counts()} for c in configs}
    seconds = dict.fromkeys(configs, 0.0)
    below = dict.fromkeys(configs, 0)
    if args.docs:
        print(f"{'document (strict F1)':<36} {'n':>4} " + " ".join(f"{c:>8}" for c in configs))
    for path in files:
        links = read_gold(path)
        kind = path.name.split(".")[-2]
        src, tgt, sp, tp, gold = flatten(links)
        # the MT is of the source sentences: made from the unedited translation
        orig = read_gold(path.with_name(path.name.replace(".edit.", ".orig.")))
        mt = simulated_mt(orig, random.Random(7))
        f1 = {}
        for config in configs:
            start = time.perf_counter()
            found = run(config, src, tgt, sp, tp, mt, args.paragraphs)
            seconds[config] += time.perf_counter() - start
            counts = vecalign_counts(gold, [(ln.src, ln.tgt) for ln in found])
            totals[config][kind] += counts
            f1[config] = counts.strict.f1
        for config in configs:
            below[config] += f1[config] < f1.get("length", 0) - 1e-9
        if args.docs:
            print(f"{path.name[:-4]:<36} {len(src):>4} " + " ".join(f"{f1[c]:>8.3f}" for c in configs))
    print(f"\n{len(files)} documents ({args.devset}), paragraphs {'given' if args.paragraphs else 'not given'}")
    print(f"{'':<26}" + " ".join(f"{c:>8}" for c in configs))
    for kind in ("orig", "edit"):
        for measure in ("strict", "lax"):
            print(f"{kind + ' ' + measure + ' F1':<26}" + " ".join(
                f"{getattr(totals[c][kind], measure).f1:>8.3f}" for c in configs))
    for measure in ("strict", "lax"):
        print(f"{'all ' + measure + ' F1':<26}" + " ".join(
            f"{getattr(totals[c]['orig'] + totals[c]['edit'], measure).f1:>8.3f}" for c in configs))
    print(f"{'documents below length':<26}" + " ".join(f"{below[c]:>8}" for c in configs))
    print(f"{'seconds':<26}" + " ".join(f"{seconds[c]:>8.2f}" for c in configs))


if __name__ == "__main__":
    main()
