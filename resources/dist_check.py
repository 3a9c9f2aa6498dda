"""Smoke-test the standalone bundle as a user would run it (``make dist-check``).

    python resources/dist_check.py dist/workbench

The bundle's executables run with a bare environment (no virtualenv, no
PYTHONPATH, a temporary HOME): ``workbench --help``, ``import`` of a seed
article, ``models install`` of a random-weight test package (built here with
this Python's workbench.testing, the one thing that needs the build venv),
``translate``, ``export --format tmx``, ``doctor``, a small web page and a
DOCX (made here with python-docx) imported as documents, one unit of each
approved and both delivered in their format (trafilatura, htmldate,
python-docx and lxml with their data files), and the window under
QT_QPA_PLATFORM=offscreen for 10 s.  Prints the bundle's size and start-up
times; exits 1 on the first failure.
"""
from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
from startup_bench import end, time_first_paint  # noqa: E402 - the bench's window timer

UNWANTED = ("torch", "stanza", "spacy", "onnxruntime", "nvidia", "transformers", "dask", "distributed", "pyarrow")


def fail(message: str) -> None:
    print(f"dist-check: FAILED: {message}")
    raise SystemExit(1)


def bare_env(root: Path) -> dict[str, str]:
    """What a user's desktop session has: no Python variables, no virtualenv."""
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(root / "home"), "LANG": "C.UTF-8",
           "XDG_CONFIG_HOME": str(root / "config"), "XDG_DATA_HOME": str(root / "data"),
           "XDG_CACHE_HOME": str(root / "cache"), "TMPDIR": str(root / "tmp"),
           "WORKBENCH_DB": str(root / "workbench.db"), "ARGOS_PACKAGES_DIR": str(root / "packages")}
    for folder in ("home", "tmp"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    return env


def run(exe: Path, *args: str, env: dict[str, str], expect: int = 0, timeout: float = 600) -> subprocess.CompletedProcess:
    start = time.perf_counter()
    result = subprocess.run([str(exe), *args], env=env, capture_output=True, text=True, timeout=timeout)
    seconds = time.perf_counter() - start
    shown = " ".join([exe.name, *args])
    if result.returncode != expect:
        fail(f"{shown}: exit {result.returncode} (expected {expect})\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    print(f"  ok  {shown}  ({seconds:.2f} s)")
    return result


def timed(exe: Path, args: list[str], env: dict[str, str], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([str(exe), *args], env=env, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def size_mb(folder: Path) -> float:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file() and not f.is_symlink()) / 1e6


PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Harbour reopens after repairs | Coast News</title>
<meta property="article:published_time" content="2024-05-02T08:00:00+00:00"></head>
<body><nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li></ul></nav>
<article><h1>Harbour reopens after repairs</h1>
<p>The old harbour <b>reopened</b> on Thursday after two years of repairs to its stone walls.</p>
<p>Fishing boats returned in the morning, and the ferry to the islands runs again from Monday.
The town paid for half of the work; the <a href="/region">region</a> paid the rest.</p>
<p>Residents gathered on the quay to watch the first boats come in. Many had waited for this day.</p>
</article><footer><p>Copyright Coast News</p></footer></body></html>
"""


def make_docx(path: Path) -> None:
    """A small report with a heading, a bold run and a table (the build venv's python-docx)."""
    import docx

    document = docx.Document()
    document.add_heading("Harbour report", level=1)
    paragraph = document.add_paragraph("The harbour ")
    paragraph.add_run("reopened").bold = True
    paragraph.add_run(" on Thursday. Boats returned in the morning.")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Cost"
    table.cell(0, 1).text = "Two million"
    document.save(str(path))


def check_documents(cli: Path, root: Path, env: dict[str, str]) -> None:
    """A web page and a DOCX in, one unit of each approved, both delivered in their format."""
    page, report = root / "harbour.html", root / "harbour.docx"
    page.write_text(PAGE, encoding="utf-8")
    make_docx(report)
    imported = [json.loads(line) for line in
                run(cli, "import", str(page), str(report), "--json", env=env).stdout.splitlines()]
    formats = {doc["format"]: doc for doc in imported}
    if set(formats) != {"html", "docx"}:
        fail(f"the documents were imported as {sorted(formats)}, not html and docx")
    for fmt, doc in formats.items():
        print(f"      {fmt}: document {doc['id']}, {doc['segments']} segments, language {doc['language']}")
    listed = {d["id"]: d for d in (json.loads(line) for line in
                                   run(cli, "docs", "--json", env=env).stdout.splitlines())}
    if listed[formats["html"]["id"]]["date"] != "2024-05-02":
        fail(f"the page's date was not found (htmldate): {listed[formats['html']['id']]['date']}")
    wanted = {"html": ("The old harbour <b0>reopened</b0>", "Старая гавань <b0>открылась</b0> в четверг."),
              "docx": ("The harbour <b0>reopened</b0>", "Гавань <b0>открылась</b0> в четверг.")}
    delivered = {}
    for fmt, (start, translation) in wanted.items():
        doc = formats[fmt]
        segments = [json.loads(line) for line in
                    run(cli, "segments", str(doc["id"]), "--json", env=env).stdout.splitlines()]
        segment = next((s for s in segments if s["text"].startswith(start)), None)
        if segment is None:
            fail(f"no {fmt} segment starts with {start!r}: {[s['text'] for s in segments]}")
        run(cli, "set-target", str(segment["id"]), translation, env=env)
        run(cli, "approve", str(segment["unit"]), env=env)
        out = root / f"harbour.ru.{fmt}"
        run(cli, "deliver", str(doc["id"]), "--out", str(out), env=env)
        delivered[fmt] = out
    html = delivered["html"].read_text(encoding="utf-8")
    if "<b>открылась</b>" not in html or 'lang="ru"' not in html or "Fishing boats returned" not in html:
        fail("the delivered page lacks the translation, its markup or the untranslated rest")
    import docx

    paragraphs = [p.text for p in docx.Document(str(delivered["docx"])).paragraphs]
    if not any(p.startswith("Гавань открылась в четверг.") for p in paragraphs):
        fail(f"the delivered DOCX lacks the translation: {paragraphs}")
    bold = [run.text for p in docx.Document(str(delivered["docx"])).paragraphs for run in p.runs if run.bold]
    if "открылась" not in bold:
        fail(f"the delivered DOCX lost the bold run: {bold}")
    print("      both delivered with the approved translation and its formatting")


def main(argv: list[str]) -> int:
    bundle = Path(argv[0] if argv else "dist/workbench").resolve()
    cli, gui = bundle / "workbench", bundle / "workbench-gui"
    for exe in (cli, gui):
        if not os.access(exe, os.X_OK):
            fail(f"{exe} is missing (run make dist)")
    shipped = [p.name for p in (bundle / "_internal").iterdir()]
    unwanted = [name for name in shipped if name.lower().startswith(UNWANTED)]
    if unwanted:
        fail(f"the bundle carries {', '.join(unwanted)}")
    for needed in ("_internal/share/applications/workbench.desktop", "_internal/share/icons/workbench.png",
                   "_internal/share/icons/workbench.svg", "install-desktop-entry.sh"):
        if not (bundle / needed).is_file():
            fail(f"{needed} is not in the bundle")

    with tempfile.TemporaryDirectory(prefix="dist-check-") as tmp:
        root = Path(tmp)
        env = bare_env(root)
        print(f"bundle {bundle}: {size_mb(bundle):.0f} MB")
        help_text = run(cli, "--help", env=env).stdout
        if "doctor" not in help_text or "translate" not in help_text:
            fail("--help does not list the commands")
        run(cli, "--version", env=env)
        imported = run(cli, "import", str(REPO / "seeds" / next(p.name for p in sorted((REPO / "seeds").iterdir())
                                                                    if p.suffix == ".txt")), "--json", env=env)
        doc = json.loads(imported.stdout.splitlines()[0])
        print(f"      imported document {doc['id']}")
        docs = [json.loads(line) for line in run(cli, "docs", "--json", env=env).stdout.splitlines()]
        language = docs[0]["language"]
        target = docs[0]["target_language"]

        from workbench.testing.models import build_test_package  # the build venv's workbench

        archive = root / f"{language}_{target}.argosmodel"
        build_test_package(root / "build", language, target, zip_to=archive)
        run(cli, "models", "install", str(archive), env=env)  # its load test runs the bundle again
        run(cli, "models", "list", env=env)
        run(cli, "translate", str(doc["id"]), env=env)
        segments = [json.loads(line) for line in
                    run(cli, "segments", str(doc["id"]), "--json", env=env).stdout.splitlines()]
        translated = [s for s in segments if s.get("mt")]
        if not translated:
            fail("translate filled no machine translation")
        print(f"      {len(translated)} of {len(segments)} segments machine-translated")
        tmx = root / "out.tmx"
        run(cli, "export", "--format", "tmx", "--status", "any", "--out", str(tmx), env=env)
        units = tmx.read_text(encoding="utf-8").count("<tu ")
        if units == 0:
            fail("the TMX export has no <tu>")
        print(f"      {tmx.name}: {units} translation units")
        check_documents(cli, root, env)
        doctor = [json.loads(line) for line in
                  run(cli, "doctor", "--json", env={**env, "QT_QPA_PLATFORM": "offscreen"}).stdout.splitlines()]
        for row in doctor:
            print(f"      doctor: {row['status']:<8}{row['check']:<13}{row['finding']}")
        qt = next(r for r in doctor if r["check"] == "qt-libraries")
        if "was not found" in qt["finding"]:
            fail("doctor does not find Qt's platform plugin inside the bundle")

        # No display and no QT_QPA_PLATFORM: a clear message and exit 1, not Qt's abort.
        refused = run(gui, env=env, expect=1, timeout=60)
        if "no display" not in refused.stderr:
            fail(f"workbench-gui without a display said: {refused.stderr.strip()}")

        # The window, offscreen, for 10 s.
        window_env = {**env, "QT_QPA_PLATFORM": "offscreen"}
        paints = []
        for attempt in range(3):
            seconds, proc, lines = time_first_paint([str(gui)], window_env, stay=10.0 if attempt == 0 else 0.0)
            paints.append(seconds)
            if attempt == 0:
                if proc.poll() is not None:
                    fail(f"the window exited after its first paint: {' | '.join(lines[-5:])}")
                print(f"  ok  workbench-gui up for 10 s after its first paint ({seconds:.2f} s)")
            end(proc)
            trouble = [line for line in lines if "Traceback" in line or "Error" in line]
            if trouble:
                fail("the window printed: " + " | ".join(trouble))

        cli_help = timed(cli, ["--help"], env)
        cli_docs = timed(cli, ["docs"], env)
        print(f"start-up (median): workbench --help {cli_help * 1000:.0f} ms, workbench docs {cli_docs * 1000:.0f} ms,"
              f" window first paint {statistics.median(paints) * 1000:.0f} ms")
        # The application menu entry, and the commands through their ~/.local/bin links.
        installed = subprocess.run(["sh", str(bundle / "install-desktop-entry.sh")], env=env, capture_output=True,
                                   text=True)
        desktop = Path(env["XDG_DATA_HOME"]) / "applications" / "workbench.desktop"
        if installed.returncode != 0 or not desktop.is_file():
            fail(f"install-desktop-entry.sh: {installed.stdout} {installed.stderr}")
        if f"Exec={gui}" not in desktop.read_text(encoding="utf-8"):
            fail("the installed .desktop file does not run this bundle's workbench-gui")
        run(Path(env["HOME"]) / ".local" / "bin" / "workbench", "--version", env=env)
    print(f"dist-check: ok ({bundle}, {size_mb(bundle):.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
