"""QA checks measured: precision and recall per check on the labelled error
set (tests/data/qa/errorset.jsonl, built by bench/qa_errorset.py), side by
side with translate-toolkit's pofilter on the same units exported as XLIFF
by the workbench; then the time to check a 10,000-unit document and to
re-check one unit.

    PYTHONPATH=. python bench/qa_bench.py [--units 10000] [--json]
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from lxml import etree

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from workbench.core.interchange import ExportFilter, export_corpus  # noqa: E402
from workbench.core.formats.base import ExportOptions  # noqa: E402
from workbench.core.qa.glossary import read_glossary  # noqa: E402
from workbench.core.qa import spelling  # noqa: E402
from workbench.core.qa.run import forget_spellers, run_qa, set_spelling_variant, speller_for  # noqa: E402
from workbench.core.store.database import Store  # noqa: E402

ERRORSET = REPO / "tests" / "data" / "qa" / "errorset.jsonl"
GLOSSARY = REPO / "tests" / "data" / "qa" / "errorset_glossary.csv"
UNIT_CHECKS = ["numbers", "untranslated", "spaces", "end_punctuation", "brackets", "urls", "capitalisation",
               "term_missing", "forbidden_term", "spelling"]
# pofilter test -> the workbench check that covers it.
POFILTER = {"numbers": "numbers", "unchanged": "untranslated", "untranslated": "untranslated",
            "endpunc": "end_punctuation", "brackets": "brackets", "doublequoting": "brackets",
            "doublespacing": "spaces", "startwhitespace": "spaces", "endwhitespace": "spaces",
            "startcaps": "capitalisation", "urls": "urls", "emails": "urls"}


def load_db(rows: list[dict], folder: Path) -> tuple[Store, dict[int, int]]:
    """One document per direction; returns the store and unit id -> row id."""
    store = Store(folder / "qa.db", backups=False)
    store.add_terms(e.row() for e in read_glossary(GLOSSARY, source_lang="en", target_lang="ru"))
    mapping = {}
    for src, tgt in (("en", "ru"), ("ru", "en")):
        part = [r for r in rows if r["src_lang"] == src]
        doc = store.add_document(title=f"errorset {src}-{tgt}", language=src, target_language=tgt,
                                 source_path=None, checksum=f"errorset-{src}", date=None)
        store.add_segments(doc, [(n, "body", r["source"], False) for n, r in enumerate(part)])
        with store.transaction() as conn:
            for unit_id, r in zip(store.unit_ids(doc), part):
                conn.execute("UPDATE units SET target = ?, status = 'approved' WHERE id = ?", (r["target"], unit_id))
                mapping[unit_id] = r["id"]
    return store, mapping


def scores(predicted: dict[int, set[str]], rows: list[dict], checks, direction=None) -> dict[str, dict]:
    out = {}
    for check in checks:
        tp = fp = fn = 0
        for r in rows:
            if direction and r["src_lang"] != direction:
                continue
            gold = check in r["labels"]
            got = check in predicted.get(r["id"], set())
            tp += gold and got
            fp += got and not gold
            fn += gold and not got
        out[check] = {"tp": tp, "fp": fp, "fn": fn,
                      "precision": round(tp / (tp + fp), 3) if tp + fp else None,
                      "recall": round(tp / (tp + fn), 3) if tp + fn else None}
    return out


def run_pofilter(store: Store, folder: Path, mapping: dict[int, int], src: str, tgt: str) -> dict[int, set[str]]:
    exe = shutil.which("pofilter") or str(Path(sys.executable).with_name("pofilter"))
    xlf = folder / f"units-{src}.xlf"
    docs = [d.id for d in store.documents() if d.language == src]
    export_corpus(store, "xliff", xlf, ExportFilter(tuple(docs), ("approved",)),
                  ExportOptions(source_lang=src, target_lang=tgt))
    out = folder / f"pofilter-{src}.xlf"
    args = [exe, f"--language={tgt}"]
    for test in POFILTER:
        args += ["-t", test]
    subprocess.run(args + [str(xlf), str(out)], check=True, capture_output=True)
    found: dict[int, set[str]] = defaultdict(set)
    for unit in etree.parse(str(out)).iter("{*}trans-unit"):
        uid = int(unit.get("id"))
        for note in unit.iter("{*}note"):
            test = (note.text or "").split(":", 1)[0].strip()
            if test in POFILTER:
                found[mapping[uid]].add(POFILTER[test])
    return found


DICTIONARY_LOAD = """
import sys, time
sys.path.insert(0, sys.argv[1])
t = time.perf_counter()
from workbench.core.qa.spelling import Speller, backend_class
Speller("ru")
print(time.perf_counter() - t, backend_class().name)
"""


def dictionary_load(backend: str) -> float | None:
    """Seconds to load the Russian dictionary in a new process with this reader (None: not installed)."""
    env = {**os.environ, "WORKBENCH_SPELLING_BACKEND": backend}
    out = subprocess.run([sys.executable, "-c", DICTIONARY_LOAD, str(REPO)], capture_output=True, text=True, env=env)
    if out.returncode:
        return None
    seconds, used = out.stdout.split()
    return round(float(seconds), 2) if used == backend else None


def timing(n_units: int) -> dict:
    rows = [json.loads(line) for line in ERRORSET.open(encoding="utf-8")]
    en = [r for r in rows if r["src_lang"] == "en"]
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "big.db", backups=False)
        store.add_terms(e.row() for e in read_glossary(GLOSSARY, source_lang="en", target_lang="ru"))
        doc = store.add_document(title="big", language="en", target_language="ru", source_path=None,
                                 checksum="big", date=None)
        picks = [en[i % len(en)] for i in range(n_units)]
        # Vary the texts a little so caches do not see only 184 distinct units.
        store.add_segments(doc, [(i, "body", f"{r['source']} ({i})", False) for i, r in enumerate(picks)])
        with store.transaction() as conn:
            conn.executemany("UPDATE units SET target = ?, status = 'approved' WHERE id = ?",
                             [(f"{r['target']} ({i})", uid) for i, (uid, r) in enumerate(zip(store.unit_ids(doc), picks))])
        loads = {backend: dictionary_load(backend) for backend in ("hunspell", "spylls")}
        forget_spellers()
        spelling._cache.clear()  # loaded by the error-set run: this measures a first load
        t = time.perf_counter()
        speller_for(store, "ru")
        load = time.perf_counter() - t
        t = time.perf_counter()
        report = run_qa(store, [doc])
        whole = time.perf_counter() - t
        t = time.perf_counter()
        run_qa(store, [doc], only={c for c in UNIT_CHECKS + ["inconsistent", "length", "empty_approved"]} - {"spelling"})
        no_spelling = time.perf_counter() - t
        from workbench.core.qa.run import checker_for

        checker = checker_for(store, "en", "ru")
        units = store.qa_units(doc)
        per_unit = []
        for uid, s, tg, st in units[:500]:
            tg = tg + " новоеслово"  # a word never seen: the re-check after a keystroke
            t = time.perf_counter()
            checker.unit_findings(uid, s, tg, st)
            per_unit.append((time.perf_counter() - t) * 1000)
        store.close()
        # What a person waits for: 'workbench qa DOC' from start to end (a new
        # process: imports, the dictionary load, every check).
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "workbench.cli", "--db", str(Path(tmp) / "big.db"), "qa", "run",
                        str(doc), "--json"], check=True, capture_output=True, cwd=REPO,
                       env={**os.environ, "PYTHONPATH": str(REPO)})
        command = time.perf_counter() - t
    return {"units": n_units, "findings": len(report.findings), "dictionary_load_s": round(load, 2),
            "dictionary_load_new_process_s": loads, "workbench_qa_command_s": round(command, 2),
            "all_checks_s": round(whole, 2), "all_but_spelling_s": round(no_spelling, 2),
            "recheck_one_unit_ms_median": round(statistics.median(per_unit), 2),
            "recheck_one_unit_ms_p99": round(sorted(per_unit)[int(len(per_unit) * 0.99)], 2),
            "recheck_one_unit_ms_max": round(max(per_unit), 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--no-timing", action="store_true")
    args = parser.parse_args()
    rows = [json.loads(line) for line in ERRORSET.open(encoding="utf-8")]
    result: dict = {"units": len(rows), "seeded": sum(bool(r["labels"]) for r in rows)}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store, mapping = load_db(rows, folder)
        report = run_qa(store)
        ours: dict[int, set[str]] = defaultdict(set)
        for f in report.findings:
            ours[mapping[f.unit_id]].add(f.check)
        result["notes"] = report.notes
        result["workbench"] = scores(ours, rows, UNIT_CHECKS)
        # The English of the error set is British ("programme", "roubles"): the
        # project's spelling variant en_GB, when that dictionary is installed.
        set_spelling_variant(store, "en_GB")
        if speller_for(store, "en")[0] is not None:
            british: dict[int, set[str]] = defaultdict(set)
            for f in run_qa(store, only={"spelling"}).findings:
                british[mapping[f.unit_id]].add(f.check)
            result["spelling_en_GB"] = scores(british, rows, ["spelling"])["spelling"]
        set_spelling_variant(store, "en")
        theirs: dict[int, set[str]] = defaultdict(set)
        for src, tgt in (("en", "ru"), ("ru", "en")):
            for k, v in run_pofilter(store, folder, mapping, src, tgt).items():
                theirs[k] |= v
        shared = sorted(set(POFILTER.values()))
        result["pofilter"] = scores(theirs, rows, shared)
        result["false_alarms_on_russian_targets"] = {
            c: {"workbench": scores(ours, rows, [c], "en")[c]["fp"], "pofilter": scores(theirs, rows, [c], "en")[c]["fp"]}
            for c in shared}
        result["pofilter_found_workbench_missed"] = {
            c: [r["id"] for r in rows if c in r["labels"] and c in theirs.get(r["id"], ()) and c not in ours.get(r["id"], ())]
            for c in shared}
        store.close()
    if not args.no_timing:
        result["timing"] = timing(args.units)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return
    print(f"error set: {result['units']} units, {result['seeded']} with a seeded error")
    print(f"{'check':16} {'wb P':>6} {'wb R':>6} {'wb FP':>6} | {'pof P':>6} {'pof R':>6} {'pof FP':>6} | FP on ru (wb/pof)")
    fmt = lambda v: "-" if v is None else f"{v:.2f}"  # noqa: E731
    for c in UNIT_CHECKS:
        w = result["workbench"][c]
        p = result["pofilter"].get(c)
        ru = result["false_alarms_on_russian_targets"].get(c)
        pofilter_cols = f"{fmt(p['precision']):>6} {fmt(p['recall']):>6} {p['fp']:>6}" if p else f"{'':>6} {'':>6} {'':>6}"
        print(f"{c:16} {fmt(w['precision']):>6} {fmt(w['recall']):>6} {w['fp']:>6} | {pofilter_cols} | "
              + (f"{ru['workbench']}/{ru['pofilter']}" if ru else ""))
    if "spelling_en_GB" in result:
        g = result["spelling_en_GB"]
        print(f"{'spelling, en_GB':16} {fmt(g['precision']):>6} {fmt(g['recall']):>6} {g['fp']:>6} |"
              f"   (the project's English spelling variant set to en_GB: 'qa settings --spelling-variant en_GB')")
    missed = {c: v for c, v in result["pofilter_found_workbench_missed"].items() if v}
    print("seeded errors pofilter found and the workbench missed:", missed or "none")
    for note in result["notes"]:
        print("note:", note)
    if "timing" in result:
        print("timing:", json.dumps(result["timing"]))


if __name__ == "__main__":
    main()
