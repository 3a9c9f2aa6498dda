"""Builds tests/data/qa/errorset.jsonl: hand-written clean en/ru sentence pairs
(used in both directions) and, from each, copies with one seeded error,
labelled with the check that must find it.

Every line: {"id", "src_lang", "tgt_lang", "source", "target", "labels": [check ids], "seed": what was done}.
Clean units have no labels: any finding on them is a false alarm.  Run
``python bench/qa_errorset.py`` to rebuild (deterministic).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "qa" / "errorset.jsonl"

# (English, Russian): real newswire style, with the typography each language uses.
PAIRS = [
    ("The minister said that 1.5 million people live in the region.",
     "Министр заявил, что в регионе живут 1,5 млн человек."),
    ("Inflation slowed to 7.4% in March.", "В марте инфляция замедлилась до 7,4 %."),
    ("The government allocated 12,500 roubles per family.", "Правительство выделило по 12 500 рублей на семью."),
    ("The report was published on 05.03.2024.", "Доклад был опубликован 05.03.2024."),
    ("Sanctions were extended until 2025.", "Санкции продлили до 2025 года."),
    ("\"We will not give up,\" the president said.", "«Мы не сдадимся», — сказал президент."),
    ("The company (founded in 1998) employs 3,000 people.", "Компания (основана в 1998 году) насчитывает 3000 сотрудников."),
    ("Details are available at https://www.gov.uz/news.", "Подробности доступны на https://www.gov.uz/news."),
    ("Write to press@mvd.uz for accreditation.", "Для аккредитации пишите на press@mvd.uz."),
    ("Follow #Elections2024 and @cec_uz for updates.", "Следите за #Elections2024 и @cec_uz, чтобы узнавать новости."),
    ("Why did the talks fail?", "Почему переговоры провалились?"),
    ("The election will take place on 24 October.", "Выборы пройдут 24 октября."),
    ("Turnout reached 80.1 percent.", "Явка достигла 80,1 процента."),
    ("The budget deficit was 4.2 billion dollars.", "Дефицит бюджета составил 4,2 млрд долларов."),
    ("Three ministers resigned last week.", "На прошлой неделе ушли в отставку три министра."),
    ("Prices rose by 15 percent over the year.", "За год цены выросли на 15 процентов."),
    ("The meeting lasted two hours.", "Встреча продолжалась два часа."),
    ("According to the ministry, 640 migrants were detained.", "По данным министерства, были задержаны 640 мигрантов."),
    ("The new law enters into force on 1 January.", "Новый закон вступает в силу 1 января."),
    ("He called the decision \"historic\".", "Он назвал решение «историческим»."),
    ("Exports grew to 21.9 billion dollars in 2023.", "В 2023 году экспорт вырос до 21,9 млрд долларов."),
    ("The central bank kept the key rate at 16%.", "Центральный банк сохранил ключевую ставку на уровне 16 %."),
    ("Talks will resume in Geneva next month.", "Переговоры возобновятся в Женеве в следующем месяце."),
    ("The population of the city is 2,900,000.", "Население города составляет 2 900 000 человек."),
    ("Officials declined to comment.", "Официальные лица отказались от комментариев."),
    ("The ministry [of the interior] confirmed the data.", "Министерство [внутренних дел] подтвердило данные."),
    ("Is the agreement still valid?", "Действует ли соглашение до сих пор?"),
    ("The border crossing was closed for 48 hours.", "Пограничный переход был закрыт на 48 часов."),
    ("About 250 companies took part in the exhibition.", "В выставке приняли участие около 250 компаний."),
    ("The project costs 3.75 million euros.", "Проект стоит 3,75 млн евро."),
    ("Unemployment fell to 5.8% last year.", "В прошлом году безработица снизилась до 5,8 %."),
    ("The summit (the first since 2019) ended on Friday.", "Саммит (первый с 2019 года) завершился в пятницу."),
    ("The minister visited 12 regions in 2023.", "В 2023 году министр посетил 12 регионов."),
    ("Read the full statement at http://example.org/statement.", "Полный текст заявления читайте на http://example.org/statement."),
    ("The court fined the company 1,200,000 roubles.", "Суд оштрафовал компанию на 1 200 000 рублей."),
    ("The agency reported that wages rose by 9.3%.", "Агентство сообщило, что зарплаты выросли на 9,3 %."),
    ("Wait and see.", "Поживём — увидим."),
    ("The vote was postponed: the quorum was not reached.", "Голосование перенесли: кворум не был набран."),
    ("Negotiations continued until late at night.", "Переговоры продолжались до поздней ночи."),
    ("The government approved the programme for 2024-2026.", "Правительство утвердило программу на 2024–2026 годы."),
    ("Questions can be sent to info@stat.uz.", "Вопросы можно направлять на info@stat.uz."),
    ("The parliament adopted the budget in the second reading.", "Парламент принял бюджет во втором чтении."),
    ("The station carried 45,000 passengers a day.", "Станция перевозила 45 000 пассажиров в день."),
    ("The president signed the decree on Monday.", "Президент подписал указ в понедельник."),
    ("Almost half of the respondents (48%) supported the reform.", "Почти половина опрошенных (48 %) поддержала реформу."),
    ("The index fell by 0.5 points.", "Индекс снизился на 0,5 пункта."),
    ("Who will pay for the new roads?", "Кто заплатит за новые дороги?"),
    ("The ministry called the report \"biased\".", "Министерство назвало доклад «предвзятым»."),
    ("Production increased by 11% compared with 2022.", "Производство выросло на 11 % по сравнению с 2022 годом."),
    ("Flights to Istanbul resume on 15 May.", "Рейсы в Стамбул возобновятся 15 мая."),
]

# Glossary used by the term checks (also written to tests/data/qa/errorset_glossary.csv).
GLOSSARY = [("minister", "министр", ""), ("government", "правительство", ""), ("sanctions", "санкции", ""),
            ("inflation", "инфляция", ""), ("election", "выборы", ""), ("central bank", "центральный банк", ""),
            ("key rate", "ключевая ставка", ""), ("key rate", "учётная ставка", "yes")]

# Hand-written term errors: (en, ru, check) — the Russian misses the term or uses a forbidden one.
TERM_ERRORS = [
    ("The minister said that 1.5 million people live in the region.",
     "Глава ведомства заявил, что в регионе живут 1,5 млн человек.", "term_missing"),
    ("The government allocated 12,500 roubles per family.", "Кабмин выделил по 12 500 рублей на семью.", "term_missing"),
    ("Sanctions were extended until 2025.", "Ограничения продлили до 2025 года.", "term_missing"),
    ("Inflation slowed to 7.4% in March.", "В марте рост цен замедлился до 7,4 %.", "term_missing"),
    ("The election will take place on 24 October.", "Голосование пройдёт 24 октября.", "term_missing"),
    ("The central bank kept the key rate at 16%.", "Регулятор сохранил ключевую ставку на уровне 16 %.", "term_missing"),
    ("The central bank kept the key rate at 16%.", "Центральный банк сохранил учётную ставку на уровне 16 %.", "forbidden_term"),
    ("The minister visited 12 regions in 2023.", "В 2023 году глава министерства посетил 12 регионов.", "term_missing"),
    ("The government approved the programme for 2024-2026.", "Кабинет утвердил программу на 2024–2026 годы.", "term_missing"),
    ("The president signed the decree on Monday.", "Президент подписал указ в понедельник.", None),
    ("Three ministers resigned last week.", "На прошлой неделе ушли в отставку три министра.", None),
    ("The ministers of the government met.", "Министры правительства встретились.", None),
]


def change_number(text: str) -> str | None:
    m = re.search(r"(?<![\w#@/.])\d+", text)
    if not m:
        return None
    digits = m.group()
    new = digits[:-1] + str((int(digits[-1]) + 1) % 10)
    return text[: m.start()] + new + text[m.end():]


def drop_decimal(text: str) -> str | None:
    # The decimal mark of the text's language ("," in Russian, "." in English).
    mark = "," if re.search("[а-яё]", text) else "."
    m = re.search(r"(\d)" + re.escape(mark) + r"(\d{1,2})(?!\d)", text)
    return text[: m.start()] + m.group(1) + m.group(2) + text[m.end():] if m else None


def double_space(text: str) -> str | None:
    i = text.find(" ", len(text) // 2)
    return text[:i] + "  " + text[i + 1:] if i > 0 else None


def end_punct(text: str) -> str | None:
    t = text.rstrip()
    if t.endswith("?"):
        return t[:-1] + "."
    if t.endswith("."):
        return t[:-1]
    return None


def break_bracket(text: str) -> str | None:
    for close in (")", "»", "]", "\""):
        i = text.rfind(close)
        if i > 0:
            return text[:i] + text[i + 1:]
    return None


def change_url(text: str) -> str | None:
    m = re.search(r"(https?://\S+?|[\w.]+@[\w.]+\w|[#@]\w+)(?=[.,\s]|$)", text)
    if not m:
        return None
    token = m.group()
    changed = token[:-1] + ("x" if token[-1] != "x" else "y")
    return text[: m.start()] + changed + text[m.end():]


def lower_start(text: str) -> str | None:
    i = next((i for i, c in enumerate(text) if c.isalpha()), None)
    if i is None or not text[i].isupper():
        return None
    return text[:i] + text[i].lower() + text[i + 1:]


def misspell(text: str) -> str | None:
    words = [m for m in re.finditer(r"[^\W\d_]{7,}", text) if m.group().islower()]
    if not words:
        return None
    m = words[len(words) // 2]
    w = m.group()
    k = len(w) // 2
    bad = w[:k] + w[k + 1] + w[k] + w[k + 2:]
    return text[: m.start()] + bad + text[m.end():]


def trailing_space(text: str) -> str | None:
    return text + " "


MUTATIONS = [("numbers", change_number), ("numbers", drop_decimal), ("untranslated", None),
             ("spaces", double_space), ("end_punctuation", end_punct), ("brackets", break_bracket),
             ("urls", change_url), ("capitalisation", lower_start), ("spelling", misspell),
             ("spaces", trailing_space)]


def build() -> list[dict]:
    rows = []

    def add(src_lang, tgt_lang, source, target, labels, seed):
        rows.append({"id": len(rows) + 1, "src_lang": src_lang, "tgt_lang": tgt_lang, "source": source,
                     "target": target, "labels": labels, "seed": seed})

    for direction in (("en", "ru"), ("ru", "en")):
        for i, (en, ru) in enumerate(PAIRS):
            source, target = (en, ru) if direction[0] == "en" else (ru, en)
            add(*direction, source, target, [], "clean")
            for n, (check, fn) in enumerate(MUTATIONS):
                # Every pair gets a few of the mutations (rotating), so the set stays varied.
                if (i + n) % 3 and check not in ("brackets", "urls"):
                    continue
                if check == "untranslated":
                    add(*direction, source, source, [check], "target = source")
                    continue
                changed = fn(target)
                if changed is None or changed == target:
                    continue
                add(*direction, source, changed, [check], fn.__name__)
    for en, ru, check in TERM_ERRORS:
        add("en", "ru", en, ru, [check] if check else [], "term" if check else "term clean")
    return rows


def main() -> None:
    rows = build()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    with (OUT.parent / "errorset_glossary.csv").open("w", encoding="utf-8") as handle:
        handle.write("source,target,forbidden\n")
        for s, t, f in GLOSSARY:
            handle.write(f"{s},{t},{f}\n")
    labelled = sum(bool(r["labels"]) for r in rows)
    print(f"{len(rows)} units ({labelled} with a seeded error) -> {OUT}")


if __name__ == "__main__":
    main()
