"""Import benchmark: decode + parse + segment + store >= 10 MB of article text.

Prints MB/s and peak memory (max RSS).  Target: >= 2 MB/s on a 2-core machine.
Run: .venv/bin/python bench/import_bench.py [--mb 10]
"""
from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from workbench.core.importing import import_paths  # noqa: E402
from workbench.core.store.database import Store  # noqa: E402

EN_WORDS = ("the ministry council cooperation migration country government minister said "
            "report program meeting agreement capital development security economic people "
            "officials regional international trade year percent million week").split()
RU_WORDS = ("министерство совет сотрудничество миграция страна правительство министр заявил "
            "доклад программа встреча соглашение столица развитие безопасность экономический "
            "люди регион международный торговля год процент миллион неделя").split()
NAMES_EN = ["Rakhmonov", "Tashkent", "Mr. Smith", "Dr. Ivanova", "the U.S.", "J. R. Tolkien"]
NAMES_RU = ["Рахмонов", "Ташкент", "г. Москва", "А. С. Пушкин", "т. е.", "ООН"]


def sentence(rng: random.Random, words: list[str], names: list[str]) -> str:
    n = rng.randint(8, 30)
    parts = [rng.choice(words) for _ in range(n)]
    parts.insert(rng.randint(0, n), rng.choice(names))
    if rng.random() < 0.3:
        parts.insert(rng.randint(0, n), f"{rng.randint(1, 2025)}")
    text = " ".join(parts)
    text = text[0].upper() + text[1:]
    if rng.random() < 0.15:
        return f'"{text}," {rng.choice(words)} said.'
    return text + rng.choice([".", ".", ".", "?", "!"])


def article(rng: random.Random, lang: str, n: int) -> str:
    words, names = (EN_WORDS, NAMES_EN) if lang == "en" else (RU_WORDS, NAMES_RU)
    title = sentence(rng, words, names).rstrip(".?!")
    date = "28 September 2023" if lang == "en" else "Апрель 24, 2025. 14:26"
    paragraphs = [" ".join(sentence(rng, words, names) for _ in range(rng.randint(2, 6)))
                  for _ in range(n)]
    return "\n\n".join([title, date, *paragraphs, "Photo: Creative Commons 2.0" if lang == "en"
                        else "Подпишись на наш Telegram-канал"]) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=float, default=10.0, help="megabytes of text to import")
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "articles"
        folder.mkdir()
        total = 0
        n = 0
        while total < args.mb * 1024 * 1024:
            data = article(rng, "en" if n % 2 == 0 else "ru", rng.randint(10, 40)).encode("utf-8")
            (folder / f"article_{n:05d}.txt").write_bytes(data)
            total += len(data)
            n += 1
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        with Store(Path(tmp) / "bench.db") as store:
            started = time.perf_counter()
            results = import_paths(store, [folder])
            seconds = time.perf_counter() - started
            segments = store.conn.execute("SELECT count(*) FROM segments").fetchone()[0]
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    mb = total / 1024 / 1024
    print(f"imported {len(results)} articles, {mb:.1f} MB, {segments} segments in {seconds:.2f} s")
    print(f"throughput: {mb / seconds:.2f} MB/s (target >= 2 MB/s)")
    print(f"peak memory (max RSS): {peak:.0f} MB (before import: {rss_before:.0f} MB)")


if __name__ == "__main__":
    main()
