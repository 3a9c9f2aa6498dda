"""Build the aligner's development set from real human translations installed offline.

    .venv/bin/python bench/align_devset.py [--out /tmp/align-devset] [--packages /tmp/align-packages]

Nothing of the third-party texts is committed: this script downloads the
Debian packages with ``apt-get download`` (no root needed), unpacks them with
``dpkg -x`` and writes gold files in the format of ``tests/data/align``
(``source<TAB>target``, `` ‖ `` between sentences of a link, a blank line
between paragraphs; read by ``workbench.testing.align_scores.read_gold``).

Sources (all real translations made by people):

- ``debian-reference-{en,de,fr,it,es,pt}``: the Debian Reference, translated
  paragraph by paragraph with po4a, so paragraph i of the English HTML is
  paragraph i of each translation.  Technical prose with commands.  Untranslated
  paragraphs (the same text as the English) are left out on both sides.
- ``sword-text-web``, ``sword-text-kjv`` and ``sword-text-sparv`` (read with
  ``pysword``): the World English Bible (2015, modern English), the King James
  Version (1611/1769) and the Spanish Reina-Valera (1909), independent
  translations whose verse numbers correspond.  Narrative literary prose,
  translated freely with respect to each other (the hardest): the modern
  English splits what the Spanish joins with ``;`` and ``:``.
- ``tests/data/align/*.tsv``: the hand-made en-ru texts of the test suite.

From paragraph (or verse) correspondences to sentence gold: both sides of a
unit are split into sentences with the workbench's segmenter.  Same number of
sentences: 1-1 links; otherwise (2 vs 3, 1 vs 2...) the unit is ONE gold link
with all its sentences on each side (a 2-3 link): this is how human gold
looks where the translator regrouped sentences, and these links are the hard
part of real alignment.  Same number of sentences but a pairing whose
lengths disagree wildly (ratio beyond 3: the translator regrouped them
differently) is one n-n link too.  Only units of more than ``MAX_BEAD``
sentences on a side that cannot be paired 1-1 are left out (on both sides,
so what remains is still a real translation of itself): no aligner's links
are that large, and a human annotator would have split them by reading.

Every document is then written twice: ``NAME.orig.tsv`` as it is, and
``NAME.edit.tsv`` with translator-like edits of the target side
(``workbench.testing.alignments.translator_edits``: neighbouring sentences
swapped, a sentence split in three, two merged, headings dropped, a
paragraph summarised, translator's notes added), about one edit per 12 links.
"""
from __future__ import annotations

import argparse
import html
import random
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workbench.core.text.segmenter import split_sentences  # noqa: E402
from workbench.testing.align_scores import GoldLink, read_gold  # noqa: E402
from workbench.testing.alignments import swap_sides, translator_edits, write_gold  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
LANGS = ("de", "fr", "it", "es", "pt")
# (source, target, chapter, first unit, sentences wanted): different chapters and
# sizes per pair; de-fr and es-it are two translations of the English, aligned
# with each other (neither is the original, as with many real corpora)
REFERENCE_DOCS = [
    ("en", "de", "ch01", 0, 120), ("en", "de", "ch02", 0, 280),
    ("en", "fr", "ch03", 0, 90), ("en", "fr", "ch01", 40, 300),
    ("en", "it", "ch04", 0, 200), ("en", "it", "ch02", 30, 60),
    ("en", "es", "ch05", 0, 160), ("en", "es", "ch01", 0, 240),
    ("en", "pt", "ch06", 0, 100), ("en", "pt", "ch09", 0, 220),
    ("de", "fr", "ch02", 60, 150), ("de", "fr", "ch04", 0, 250),
    ("es", "it", "ch03", 0, 200), ("pt", "de", "ch05", 0, 80),
    # German-French, two translations of the English (as the Alpine Club yearbooks)
    ("de", "fr", "ch01", 0, 200), ("de", "fr", "ch06", 0, 160), ("fr", "de", "ch03", 40, 220),
    ("de", "fr", "ch09", 60, 180),
]
MAX_BEAD = 5
# (English version, book, chapters): narrative books
BIBLE_DOCS = [("web", "ruth", None), ("web", "jonah", None), ("web", "esther", None), ("web", "mark", [5, 6]),
              ("web", "genesis", [37, 39, 40]), ("web", "acts", [27, 28]), ("web", "luke", [15, 16]),
              ("kjv", "genesis", [41, 42]), ("kjv", "john", [9, 11]), ("kjv", "daniel", [1, 2, 3])]
BIBLES = {"web": "engWEB2015eb", "kjv": "engKJV2006eb"}
EDITS_PER_LINK = 1 / 12


def fetch(packages: list[str], folder: Path) -> Path:
    """Download and unpack Debian packages into ``folder/root`` (once)."""
    root = folder / "root"
    folder.mkdir(parents=True, exist_ok=True)
    missing = [p for p in packages if not list(folder.glob(f"{p}_*.deb"))]
    if missing:
        subprocess.run(["apt-get", "download", *missing], cwd=folder, check=True,
                       stdout=subprocess.DEVNULL)
    for deb in folder.glob("*.deb"):
        stamp = folder / (deb.name + ".unpacked")
        if not stamp.exists():
            subprocess.run(["dpkg", "-x", str(deb), str(root)], check=True)
            stamp.touch()
    return root


_BLOCK = re.compile(r"<(h[1-4]|p)\b[^>]*>(.*?)</\1>", re.S)
_TAG = re.compile(r"<[^>]+>")


def html_units(path: Path) -> list[str]:
    """Headings and paragraphs of a po4a-translated HTML page, in order."""
    text = path.read_text(encoding="utf-8")
    out = []
    for _, body in _BLOCK.findall(text):
        clean = re.sub(r"\s+", " ", html.unescape(_TAG.sub("", body))).strip()
        out.append(clean)
    return out


def sentence_gold(units: list[tuple[str, str]], src_lang: str, tgt_lang: str) -> list[GoldLink]:
    """Sentence links of corresponding units (see the module docstring)."""
    links: list[GoldLink] = []
    total_s = sum(len(a) for a, _ in units) or 1
    total_t = sum(len(b) for _, b in units) or 1
    ratio = total_t / total_s
    for paragraph, (a, b) in enumerate(units):
        if not a or not b or a == b:
            continue
        ss, ts = split_sentences(a, src_lang), split_sentences(b, tgt_lang)
        if not ss or not ts:
            continue
        if len(ss) == len(ts) and all(1 / 3 <= len(t) / (ratio * len(s)) <= 3 for s, t in zip(ss, ts)):
            links += [GoldLink((s,), (t,), paragraph) for s, t in zip(ss, ts)]
        elif max(len(ss), len(ts)) <= MAX_BEAD:
            links.append(GoldLink(tuple(ss), tuple(ts), paragraph))
    return links


def take(links: list[GoldLink], first_unit: int, sentences: int) -> list[GoldLink]:
    """Whole paragraphs from ``first_unit`` on, until about ``sentences`` source sentences."""
    out, count = [], 0
    for link in links:
        if link.paragraph < first_unit:
            continue
        if count >= sentences and link.paragraph != out[-1].paragraph:
            break
        out.append(link)
        count += len(link.src)
    base = out[0].paragraph if out else 0
    return [GoldLink(link.src, link.tgt, link.paragraph - base) for link in out]


def reference_docs(root: Path) -> dict[str, tuple[str, str, list[GoldLink]]]:
    share = root / "usr/share/debian-reference"
    docs = {}
    for a, b, chapter, first, size in REFERENCE_DOCS:
        en = html_units(share / f"{chapter}.en.html")
        left, right = (html_units(share / f"{chapter}.{x}.html") for x in (a, b))
        if not len(en) == len(left) == len(right):
            print(f"skipped {chapter} {a}-{b}: {len(left)} vs {len(right)} paragraphs", file=sys.stderr)
            continue
        # a paragraph left in English on either side is not a translation
        units = [(x, y) if (a == "en" or x != e) and y != e else ("", "") for e, x, y in zip(en, left, right)]
        links = take(sentence_gold(units, a, b), first, size)
        docs[f"debref_{chapter}_{a}-{b}"] = (a, b, links)
    return docs


def bible_docs(root: Path) -> dict[str, tuple[str, str, list[GoldLink]]]:
    from pysword.modules import SwordModules

    modules = SwordModules(str(root / "usr/share/sword"))
    modules.parse_modules()
    rv = modules.get_bible_from_module("spaRV1909eb")
    docs = {}
    for version, book, chapters in BIBLE_DOCS:
        web = modules.get_bible_from_module(BIBLES[version])
        units = []
        books = web.get_structure().get_books()
        for structure in books["ot"] + books["nt"]:
            if structure.osis_name.lower() == book or structure.name.lower() == book:
                for chapter in chapters or range(1, structure.num_chapters + 1):
                    for verse in range(1, structure.chapter_lengths[chapter - 1] + 1):
                        a = web.get(books=[book], chapters=[chapter], verses=[verse], clean=True).strip()
                        b = rv.get(books=[book], chapters=[chapter], verses=[verse], clean=True).strip()
                        units.append((re.sub(r"\s+", " ", a), re.sub(r"\s+", " ", b)))
        # verses are not paragraphs: number the links by chapter-sized groups of 6 verses
        links = sentence_gold(units, "en", "es")
        links = [GoldLink(link.src, link.tgt, link.paragraph // 6) for link in links]
        name = book if version == "web" else f"{book}-{version}"
        docs[f"bible_{name}_en-es"] = ("en", "es", links)
    return docs


def test_docs() -> dict[str, tuple[str, str, list[GoldLink]]]:
    docs = {}
    for path in sorted((REPO / "tests/data/align").glob("*.tsv")):
        links = read_gold(path)
        if path.stem == "baikal":    # Russian original
            docs[f"test_{path.stem}_ru-en"] = ("ru", "en", swap_sides(links))
        else:
            docs[f"test_{path.stem}_en-ru"] = ("en", "ru", links)
    return docs


def edited(links: list[GoldLink], rng: random.Random, notes: list[str]) -> list[GoldLink]:
    budget = max(3, round(len(links) * EDITS_PER_LINK))
    counts = dict.fromkeys(("swap", "split3", "merge", "heading", "summarise", "note"), 0)
    for _ in range(budget):
        counts[rng.choice(list(counts))] += 1
    return translator_edits(links, rng, counts, notes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path("/tmp/align-devset"))
    parser.add_argument("--packages", type=Path, default=Path("/tmp/align-packages"))
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()
    root = fetch([f"debian-reference-{x}" for x in ("en", *LANGS)]
                 + ["sword-text-web", "sword-text-kjv", "sword-text-sparv"],
                 args.packages)
    docs = {**reference_docs(root), **bible_docs(root), **test_docs()}
    args.out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    by_lang: dict[str, list[str]] = {}
    for _, tgt_lang, links in docs.values():
        by_lang.setdefault(tgt_lang, []).extend(t for link in links for t in link.tgt)
    print(f"{'document':<28} {'pair':>6} {'src':>5} {'tgt':>5} {'links':>6} {'non-1-1':>8} {'edited':>7}")
    kinds: dict[str, Counter] = {"orig": Counter(), "edit": Counter()}
    for name, (src_lang, tgt_lang, links) in docs.items():
        own = {t for link in links for t in link.tgt}
        notes = [t for t in by_lang[tgt_lang] if t not in own and 20 < len(t) < 160][:400]
        comment = f"{name}: {src_lang} -> {tgt_lang}, built by bench/align_devset.py"
        write_gold(links, args.out / f"{name}.orig.tsv", comment)
        changed = edited(links, rng, notes)
        write_gold(changed, args.out / f"{name}.edit.tsv", comment + " (translator-like edits)")
        odd = sum(1 for link in links if (len(link.src), len(link.tgt)) != (1, 1))
        kinds["orig"].update(f"{len(x.src)}-{len(x.tgt)}" for x in links)
        kinds["edit"].update(f"{len(x.src)}-{len(x.tgt)}" for x in changed)
        print(f"{name:<28} {src_lang + '-' + tgt_lang:>6} {sum(len(x.src) for x in links):>5} "
              f"{sum(len(x.tgt) for x in links):>5} {len(links):>6} {odd:>8} {len(changed):>7}")

    print(f"\n{len(docs)} documents x 2 = {2 * len(docs)} files in {args.out}")
    for kind, counts in kinds.items():
        total = sum(counts.values())
        print(f"{kind}: {total} links, non-1-1 {1 - counts['1-1'] / total:.1%}: " + ", ".join(
            f"{k} {v / total:.1%}" for k, v in counts.most_common(12)))


if __name__ == "__main__":
    main()
