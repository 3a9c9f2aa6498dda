"""Export throughput and memory: 1,000,000 generated en->ru units to TMX and CSV.

    .venv/bin/python bench/export_bench.py [--units N] [--formats tmx,csv,...]

The corpus is generated lazily (a generator of ``ExportUnit``: realistic
news sentences filled from templates, varied statuses, n:m units, MT, chrF,
dates), so it never sits in memory.  Building the frozen dataclasses costs a
few microseconds a unit; that is timed on its own first and reported both
ways: "end to end" includes generating, "export" subtracts it.

Peak memory is the process's resident set size sampled every 10 ms while
each phase runs (psutil); the baseline (interpreter + lxml + imports) is
included.  Then the 1M-unit TMX is imported back (two passes: check, stream)
to show the importer's memory is bounded too, and translate-toolkit's TMX
writer (``tmxfile.addtranslation`` + serialise, an in-memory tree) is timed
on the first 100,000 units next to ours, as a reference.  Targets: >= 50,000
units/s, peak < 300 MB.
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Callable, Iterator

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workbench.core.formats import ExportOptions, ExportUnit, get_exporter  # noqa: E402
from workbench.core.formats.tmx import TmxImporter  # noqa: E402

# --- a realistic corpus, generated cheaply --------------------------------------------

# (English, Russian) templates with parallel slots; the Russian slot values are
# already in the case the sentence needs.
TEMPLATES = [
    ("The government of {country_en} approved a budget of {n} billion dollars on {day_en}.",
     "Правительство {country_gen} в {day_ru} утвердило бюджет в размере {n} млрд долларов."),
    ("Prices for fuel rose by {n}% in {month_en}, the statistics office said.",
     "Цены на топливо в {month_ru} выросли на {n}%, сообщило статистическое ведомство."),
    ('"We will not back down," the minister told reporters in {city_en}.',
     "«Мы не отступим», — заявил министр журналистам в {city_pre}."),
    ("More than {n} people took part in the protest in {city_en} on {day_en}.",
     "Более {n} человек приняли участие в акции протеста в {city_pre} в {day_ru}."),
    ("The central bank kept its key rate at {n}% & warned of <higher> inflation.",
     "Центральный банк сохранил ключевую ставку на уровне {n}% и предупредил о <росте> инфляции."),
    ("Talks between {country_en} and its neighbours will resume in {month_en}.",
     "Переговоры между {country_ins} и соседями возобновятся в {month_ru}."),
    ("The company reported a net profit of {n} million roubles for the quarter.",
     "Компания сообщила о чистой прибыли в размере {n} млн рублей за квартал."),
    ("Rescuers evacuated {n} residents after the river burst its banks near {city_en}.",
     "Спасатели эвакуировали {n} жителей после того, как река вышла из берегов под {city_ins}."),
    ("Subscribe to our Telegram channel to follow the news from {city_en}.",
     "Подписывайтесь на наш Telegram-канал, чтобы следить за новостями из {city_gen}."),
    ("According to the forecast, temperatures in {city_en} will drop to minus {n} degrees.",
     "По прогнозу, температура в {city_pre} опустится до минус {n} градусов."),
]
COUNTRIES = [("Germany", "Германии", "Германией"), ("Kazakhstan", "Казахстана", "Казахстаном"),
             ("Japan", "Японии", "Японией"), ("Brazil", "Бразилии", "Бразилией"),
             ("Turkey", "Турции", "Турцией"), ("Canada", "Канады", "Канадой")]
CITIES = [("Moscow", "Москве", "Москвы", "Москвой"), ("Kazan", "Казани", "Казани", "Казанью"),
          ("Novosibirsk", "Новосибирске", "Новосибирска", "Новосибирском"),
          ("Berlin", "Берлине", "Берлина", "Берлином"), ("Tokyo", "Токио", "Токио", "Токио")]
DAYS = [("Monday", "понедельник"), ("Tuesday", "вторник"), ("Wednesday", "среду"),
        ("Thursday", "четверг"), ("Friday", "пятницу")]
MONTHS = [("January", "январе"), ("March", "марте"), ("May", "мае"), ("September", "сентябре"),
          ("November", "ноябре")]
TITLES = ["Budget talks", "Fuel prices", "Weather", "Floods", "Central bank", "Protests",
          "Quarterly results", "Diplomacy"]
STATUSES = ["approved"] * 4 + ["edited"] * 3 + ["machine"] * 2 + ["new"]


def sentence_pool(size: int = 4096) -> list[tuple[str, str, str]]:
    """(English, Russian, MT-like Russian variant) triples."""
    rng = random.Random(42)
    pool = []
    for _ in range(size):
        en, ru = rng.choice(TEMPLATES)
        country, city = rng.choice(COUNTRIES), rng.choice(CITIES)
        day, month = rng.choice(DAYS), rng.choice(MONTHS)
        slots = dict(country_en=country[0], country_gen=country[1], country_ins=country[2],
                     city_en=city[0], city_pre=city[1], city_gen=city[2], city_ins=city[3],
                     day_en=day[0], day_ru=day[1], month_en=month[0], month_ru=month[1],
                     n=rng.randint(2, 9000))
        target = ru.format(**slots)
        mt = target.replace("заявил", "сказал").replace("сообщило", "сообщил")
        pool.append((en.format(**slots), target, mt))
    return pool


def generate(count: int, pool: list[tuple[str, str, str]]) -> Iterator[ExportUnit]:
    """``count`` units, one at a time."""
    size = len(pool)
    dates = [f"2025-{1 + m:02d}-{1 + d:02d}T{h:02d}:{(7 * d) % 60:02d}:00Z"
             for m in range(12) for d in range(28) for h in (8, 14)]
    for i in range(count):
        en, ru, mt = pool[(i * 2654435761) % size]
        kind = i % 23
        if kind == 0:      # 2:1 unit
            en2, ru2, _ = pool[(i + 1) % size]
            source, target = (en, en2), (ru + " " + ru2,)
        elif kind == 11:   # 1:2 unit
            source, target = (en,), tuple(ru.split(", ", 1))
        else:
            source, target = (en,), (ru,)
        status = STATUSES[i % 10]
        document_id = i // 50
        date = dates[i % len(dates)]
        yield ExportUnit(
            unit_id=i + 1, source_segments=source, target_segments=target,
            source_lang="en", target_lang="ru", document_id=document_id,
            document=f"{TITLES[document_id % len(TITLES)]} #{document_id}", status=status,
            mt=mt if status != "new" else None, mt_engine="argos", mt_model="translate-en_ru",
            mt_version="1.9", chrf=(i % 1000) / 10.0, created_at=date, changed_at=date)


# --- measuring ----------------------------------------------------------------------

class PeakRss:
    """Samples this process's RSS in a thread; ``peak`` in bytes."""

    def __init__(self, interval: float = 0.01) -> None:
        self.process = psutil.Process(os.getpid())
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.process.memory_info().rss)
            time.sleep(self.interval)

    def __enter__(self) -> "PeakRss":
        self.peak = self.process.memory_info().rss
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.process.memory_info().rss)


def measure(work: Callable[[], int]) -> tuple[int, float, float]:
    """(result, seconds, peak MB)."""
    with PeakRss() as rss:
        started = time.perf_counter()
        result = work()
        seconds = time.perf_counter() - started
    return result, seconds, rss.peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--units", type=int, default=1_000_000)
    parser.add_argument("--formats", default="tmx,csv",
                        help="comma-separated, from tmx,csv,tsv,moses,xliff")
    parser.add_argument("--ttk-units", type=int, default=100_000,
                        help="units for the translate-toolkit reference (0: skip)")
    parser.add_argument("--no-import", action="store_true", help="skip the TMX import pass")
    parser.add_argument("--store-units", type=int, default=None,
                        help="units for the from-the-store export (default: --units; 0: skip)")
    parser.add_argument("--out-dir", type=Path, default=None,
                        help="keep the files here (default: a temporary directory)")
    args = parser.parse_args()
    out_dir = args.out_dir or Path(tempfile.mkdtemp(prefix="export_bench_"))
    out_dir.mkdir(parents=True, exist_ok=True)
    n = args.units

    pool = sentence_pool()
    baseline = psutil.Process().memory_info().rss / 2**20
    count, gen_seconds, gen_peak = measure(lambda: sum(1 for _ in generate(n, pool)))
    print(f"{n:,} units; baseline RSS {baseline:.0f} MB")
    print(f"{'generation only':<22} {gen_seconds:7.2f} s  {n / gen_seconds:>9,.0f} units/s"
          f"  peak {gen_peak:5.0f} MB")

    options = ExportOptions(source_lang="en", target_lang="ru",
                            columns=("tuid", "status", "document", "chrf"))
    for name in [f.strip() for f in args.formats.split(",") if f.strip()]:
        exporter = get_exporter(name)
        (out_dir / name).mkdir(exist_ok=True)
        out = out_dir / name / (f"corpus.{name}" if name != "moses" else "corpus")
        written, seconds, peak = measure(
            lambda: exporter.export(generate(n, pool), out, options=options, total=n))
        assert written == n
        size = sum(p.stat().st_size for p in (out_dir / name).iterdir()) / 2**20
        print(f"{name.upper() + ' export':<22} {seconds:7.2f} s  end to end "
              f"{n / seconds:>9,.0f} units/s, export {n / (seconds - gen_seconds):>9,.0f} "
              f"units/s  peak {peak:5.0f} MB  ({size:,.0f} MB written)")

    tmx = out_dir / "tmx" / "corpus.tmx"
    if not args.no_import and tmx.exists():
        def read_back() -> int:
            corpus = TmxImporter().read(tmx)
            return sum(1 for _ in corpus.units())
        read, seconds, peak = measure(read_back)
        assert read == n, read
        print(f"{'TMX import (2 passes)':<22} {seconds:7.2f} s  {n / seconds:>9,.0f} units/s"
              f"{'':>30}peak {peak:5.0f} MB")

    if args.ttk_units:
        from translate.storage.tmx import tmxfile
        m = min(args.ttk_units, n)
        ours_out = out_dir / "ours_small.tmx"
        _, ours_seconds, _ = measure(lambda: get_exporter("tmx").export(
            generate(m, pool), ours_out, options=options))
        _, gen_small, _ = measure(lambda: sum(1 for _ in generate(m, pool)))

        def with_translate_toolkit() -> int:
            store = tmxfile(sourcelanguage="en", targetlanguage="ru")
            for unit in generate(m, pool):
                store.addtranslation(unit.source, "en", unit.target, "ru")
            with open(out_dir / "ttk.tmx", "wb") as handle:
                store.serialize(handle)
            return len(store.units)

        units, seconds, peak = measure(with_translate_toolkit)
        print(f"{'translate-toolkit TMX':<22} {seconds:7.2f} s  end to end "
              f"{m / seconds:>9,.0f} units/s, export {m / (seconds - gen_small):>9,.0f} "
              f"units/s  peak {peak:5.0f} MB  ({units:,} units, text + langs only)")
        print(f"{'ours, same units':<22} {ours_seconds:7.2f} s  end to end "
              f"{m / ours_seconds:>9,.0f} units/s, export "
              f"{m / (ours_seconds - gen_small):>9,.0f} units/s  (with all props)")

    store_units = n if args.store_units is None else args.store_units
    if store_units:
        from_store(store_units, pool, out_dir)

    print(f"process max RSS (getrusage): {_maxrss_mb():.0f} MB")
    if args.out_dir is None:
        shutil.rmtree(out_dir)


def from_store(n: int, pool: list[tuple[str, str, str]], out_dir: Path) -> None:
    """The product's real path: units in a workbench SQLite store, streamed out
    by workbench.core.interchange.export_corpus (query + ExportUnit + writer)."""
    from workbench.core.interchange import ExportFilter, export_corpus
    from workbench.core.store.database import Store

    started = time.perf_counter()
    store = Store(out_dir / "bench.db")
    doc = store.add_document(title="Generated corpus", language="en", target_language="ru",
                             source_path=None, checksum="export-bench", date=None)
    store.add_segments(doc, ((i // 5, "body", pool[i % len(pool)][0], False) for i in range(n)))
    with store.transaction() as conn:
        conn.executemany("UPDATE units SET target = ?, mt = ?, mt_engine = 'argos', mt_model = 'translate-en_ru',"
                         " mt_version = '1.9', status = 'approved', pe_chrf = 61.5, pe_ter = 30.0 WHERE id = ?",
                         ((pool[i % len(pool)][1], pool[i % len(pool)][2], i + 1) for i in range(n)))
    print(f"store with {n:,} units built in {time.perf_counter() - started:.1f} s")
    for name in ("tmx", "csv"):
        out = out_dir / f"from_store.{name}"
        written, seconds, peak = measure(lambda: export_corpus(store, name, out, ExportFilter()))
        assert written == n, written
        print(f"{name.upper() + ' from the store':<22} {seconds:7.2f} s  end to end {n / seconds:>9,.0f} units/s"
              f"  peak {peak:5.0f} MB  ({out.stat().st_size / 2**20:,.0f} MB written)")
    store.close()


def _maxrss_mb() -> float:
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    main()
