"""Article structure: paragraphs, title, date, and the kind of every line."""
from __future__ import annotations

from tests.conftest import REPO as REPO_ROOT

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.core.text.article import find_date, is_meta_line, parse_article, split_paragraphs
from workbench.core.model import SegmentKind

SEEDS = REPO_ROOT / "seeds"
EN_SEED = SEEDS / "en_uzbek_interior_ministry_cis_migration_2023-09-28.txt"
RU_SEED = SEEDS / "ru_iom_uzbekistan_migration_role_2025-04-24.txt"

TITLE, META, BODY, BOILERPLATE = (SegmentKind.TITLE, SegmentKind.META,
                                  SegmentKind.BODY, SegmentKind.BOILERPLATE)


def non_body(article):
    return [(s.text, s.kind) for s in article.segments if s.kind is not BODY]


def body(article):
    return [s.text for s in article.segments if s.kind is BODY]


# --- the seeds ---------------------------------------------------------------------

def test_english_seed():
    article = parse_article(EN_SEED.read_text(encoding="utf-8"))
    title = "Uzbek Interior Ministry Advocates Flexibility on Migration Issues Among CIS Countries"
    assert article.language == "en"
    assert article.title == title
    assert article.date == "2023-09-28"
    assert non_body(article) == [
        (title, TITLE),
        ("28 September 2023", META),
        ('GSV "Russia - Islamic World"', BOILERPLATE),
        ("Photo: woweezowee/Creative Commons 2.0", BOILERPLATE),
        ("Based on materials from TASS", BOILERPLATE),
    ]
    sentences = body(article)
    assert len(sentences) == 12
    # The quotation that spans two sentences becomes two segments.
    first = sentences.index('"In recent years, our collective efforts and collaboration have yielded '
                            'significant accomplishments in the realm of migration management and '
                            "the safeguarding of migrants' rights.")
    assert sentences[first + 1].startswith("Nevertheless, we are confronted with an intricate challenge")
    assert sentences[first + 1].endswith("Rakhmonov stated during the 27th meeting of the Council of "
                                         "Heads of Migration Authorities of CIS countries in Tashkent.")


def test_english_seed_paragraph_indices():
    article = parse_article(EN_SEED.read_text(encoding="utf-8"))
    paragraphs = [s.paragraph for s in article.segments]
    assert paragraphs == sorted(paragraphs)
    assert [s.paragraph for s in article.segments if s.kind is BODY][:3] == [2, 2, 2]
    assert article.segments[-1].paragraph == 10  # NBSP-only lines are blank, not paragraphs


def test_russian_seed():
    article = parse_article(RU_SEED.read_text(encoding="utf-8"))
    title = ("В МОМ высоко оценивают активную и конструктивную роль Узбекистана в региональных "
             "и глобальных миграционных процессах")
    assert article.language == "ru"
    assert article.title == title
    assert article.date == "2025-04-24T14:26"
    assert non_body(article) == [
        ("Logo", BOILERPLATE),
        (title, TITLE),
        ("Апрель 24, 2025. 14:26 • 2 мин", META),
        ("224", META),
        (title, BOILERPLATE),  # the repeated headline is not translated twice
        ("Подпишись на наш Telegram-канал", BOILERPLATE),
        ("Будь в курсе всех новостей и обновлений первым!", BOILERPLATE),
        ("Перейти в канал", BOILERPLATE),
    ]
    sentences = body(article)
    assert len(sentences) == 10
    # The dateline stays with the first sentence.
    assert sentences[0].startswith("ЖЕНЕВА, 24 апреля. /ИА «Дунё»/.\u00a0Постоянный представитель")
    assert sentences[0].endswith("сообщает корреспондент ИА «Дунё».")


def test_counter_and_repeated_title_on_adjacent_lines_are_separate_paragraphs():
    article = parse_article(RU_SEED.read_text(encoding="utf-8"))
    by_text = {s.text: s.paragraph for s in article.segments if s.kind is not BODY}
    assert by_text["224"] == 3
    assert [s.paragraph for s in article.segments if s.kind is BOILERPLATE][:2] == [0, 4]


def test_given_language_is_used():
    article = parse_article(EN_SEED.read_text(encoding="utf-8"), lang="xx")
    assert article.language == "xx"


# --- other layouts -------------------------------------------------------------------

WIRE_EN = """World News

Ukraine and Poland agree on new border crossing rules

By John Smith and Anna Kowalska

Updated 3 hours ago

March 5, 2024 10:15 am

WARSAW, March 5 (Reuters) - Ukraine and Poland agreed on Tuesday to speed up truck checks at the border. Officials said the new rules would take effect next week.

Photo by Jane Doe/Reuters

"We have found a solution," Polish Deputy Minister Adam Nowak told reporters. He added that the queues should disappear within days.

Read more: Poland's farmers protest against grain imports

The agreement still needs approval from the European Commission.

Share this article
Facebook Twitter Email

Reporting by John Smith; Editing by Mark Brown
© 2024 Reuters. All rights reserved.
"""


def test_wire_story_layout():
    article = parse_article(WIRE_EN)
    assert article.language == "en"
    assert article.title == "Ukraine and Poland agree on new border crossing rules"
    assert article.date == "2024-03-05T10:15"
    assert non_body(article) == [
        ("World News", BOILERPLATE),
        ("Ukraine and Poland agree on new border crossing rules", TITLE),
        ("By John Smith and Anna Kowalska", META),
        ("Updated 3 hours ago", META),
        ("March 5, 2024 10:15 am", META),
        ("Photo by Jane Doe/Reuters", BOILERPLATE),
        ("Read more: Poland's farmers protest against grain imports", BOILERPLATE),
        ("Share this article", BOILERPLATE),
        ("Facebook Twitter Email", BOILERPLATE),
        ("Reporting by John Smith; Editing by Mark Brown", BOILERPLATE),
        ("© 2024 Reuters. All rights reserved.", BOILERPLATE),
    ]
    assert body(article) == [
        "WARSAW, March 5 (Reuters) - Ukraine and Poland agreed on Tuesday to speed up truck "
        "checks at the border.",
        "Officials said the new rules would take effect next week.",
        '"We have found a solution," Polish Deputy Minister Adam Nowak told reporters.',
        "He added that the queues should disappear within days.",
        "The agreement still needs approval from the European Commission.",
    ]


AGENCY_RU = """Общество

Мигранты из Узбекистана смогут получать патент онлайн

Текст: Иван Петров

15.03.2025, 09:40

Фото: РИА Новости

МОСКВА, 15 марта. /ТАСС/. Министерство внутренних дел РФ запустило электронный сервис для оформления патентов. Об этом сообщили в пресс-службе ведомства.

Читайте также: В Москве открылся новый миграционный центр

«Это упростит процедуру», — отметил представитель ведомства. Он уточнил, что сервис работает круглосуточно.

Источник: ТАСС

Поделиться
ВКонтакте
Telegram
"""


def test_russian_agency_layout():
    article = parse_article(AGENCY_RU)
    assert article.language == "ru"
    assert article.title == "Мигранты из Узбекистана смогут получать патент онлайн"
    assert article.date == "2025-03-15T09:40"
    assert non_body(article) == [
        ("Общество", BOILERPLATE),
        ("Мигранты из Узбекистана смогут получать патент онлайн", TITLE),
        ("Текст: Иван Петров", META),
        ("15.03.2025, 09:40", META),
        ("Фото: РИА Новости", BOILERPLATE),
        ("Читайте также: В Москве открылся новый миграционный центр", BOILERPLATE),
        ("Источник: ТАСС", BOILERPLATE),
        ("Поделиться", BOILERPLATE),
        ("ВКонтакте", BOILERPLATE),
        ("Telegram", BOILERPLATE),
    ]
    assert body(article) == [
        "МОСКВА, 15 марта. /ТАСС/. Министерство внутренних дел РФ запустило электронный сервис "
        "для оформления патентов.",
        "Об этом сообщили в пресс-службе ведомства.",
        "«Это упростит процедуру», — отметил представитель ведомства.",
        "Он уточнил, что сервис работает круглосуточно.",
    ]


def test_one_line_per_paragraph_without_blank_lines():
    text = ("Central Asian ministers meet in Astana to discuss water sharing\n"
            "Posted on 24/03/2024 at 14:05\n"
            "The foreign ministers of five states met in Astana on Monday. The talks focused on rivers.\n"
            "Kazakhstan proposed a joint commission, according to a statement.\n"
            "Photo: Kazakh Foreign Ministry\n")
    article = parse_article(text)
    assert article.title == "Central Asian ministers meet in Astana to discuss water sharing"
    assert article.date == "2024-03-24T14:05"
    assert [(s.paragraph, s.kind) for s in article.segments] == [
        (0, TITLE), (1, META), (2, BODY), (2, BODY), (3, BODY), (4, BOILERPLATE)]


def test_hard_wrapped_paragraphs_are_joined():
    text = ("The foreign ministers of five Central Asian states met in Astana on\n"
            "Monday to discuss how the region shares the water of its two great\n"
            "rivers. The talks, the first at this level in three years, ended with\n"
            "a joint statement.\n"
            "\n"
            "Kazakhstan proposed a joint commission. The other four countries said\n"
            "they would study the proposal.\n")
    article = parse_article(text, lang="en")
    assert article.title is None
    assert [(s.paragraph, s.text) for s in article.segments] == [
        (0, "The foreign ministers of five Central Asian states met in Astana on Monday to discuss "
            "how the region shares the water of its two great rivers."),
        (0, "The talks, the first at this level in three years, ended with a joint statement."),
        (1, "Kazakhstan proposed a joint commission."),
        (1, "The other four countries said they would study the proposal."),
    ]


def test_text_without_headline_is_all_body():
    text = "Prices rose again in March. Economists expect a slowdown.\n\nThe bank meets next week."
    article = parse_article(text)
    assert article.title is None and article.date is None
    assert {s.kind for s in article.segments} == {BODY}
    assert len(article.segments) == 3


def test_blank_lines_with_unicode_spaces_and_zero_width_characters():
    text = "Headline of the day\n\u00a0\u2003\nFirst paragraph here.\n\u200b\nSecond paragraph here.\n"
    assert split_paragraphs(text) == ["Headline of the day", "First paragraph here.",
                                      "Second paragraph here."]


def test_sentence_broken_across_lines_is_joined():
    assert split_paragraphs("The minister, who arrived\nlate, spoke first.\nNext item") == [
        "The minister, who arrived late, spoke first.", "Next item"]


def test_bylines_credits_and_calls_to_action():
    text = """Власти Казахстана упростили получение вида на жительство

Автор: Мария Сидорова

12 января 2024 г., 10:00

Фото: пресс-служба МВД

Новые правила вступают в силу с февраля. Заявление можно подать онлайн.

Смотрите также: Как получить ИИН иностранцу

Подписывайтесь на наш канал в Дзене

Ошибка в тексте? Выделите её и нажмите Ctrl+Enter
"""
    article = parse_article(text)
    assert article.date == "2024-01-12T10:00"
    assert [kind for _, kind in non_body(article)] == [
        TITLE, META, META, BOILERPLATE, BOILERPLATE, BOILERPLATE, BOILERPLATE]
    assert body(article) == ["Новые правила вступают в силу с февраля.",
                             "Заявление можно подать онлайн."]


def test_short_final_body_sentence_is_not_taken_for_a_credit():
    text = ("Talks stall over water quotas\n\nThe ministers met for six hours. No deal was reached.\n\n"
            "Talks resume in May.\n\nPhoto: AP")
    article = parse_article(text)
    assert [s.text for s in article.segments if s.kind is BODY][-1] == "Talks resume in May."
    assert article.segments[-1].kind is BOILERPLATE


@pytest.mark.parametrize("line", ["Подписание соглашения состоится в мае.",
                                  "Subscribers will pay less from June.",
                                  "Фото сделано вчера.",
                                  "Writing by hand is a dying art."])
def test_body_sentence_starting_like_a_call_to_action_stays_body(line):
    article = parse_article(f"Новости недели в одном абзаце\n\n{line}\n\nЕщё одно предложение.")
    assert [s.kind for s in article.segments if s.text == line] == [BODY]


def test_body_sentence_starting_like_a_byline_stays_body():
    text = "Budget approved\n\nBy the end of the year, the ministry will hire 200 inspectors."
    assert parse_article(text).segments[-1].kind is BODY


def test_publication_date_from_a_dateline_but_not_from_body_events():
    dated = "Talks end\n\nLONDON, Sept. 24, 2023 (Reuters) - The talks ended. They began in 1997."
    assert parse_article(dated).date == "2023-09-24"
    undated = "Talks end\n\nThe treaty signed on 12 May 1997 expired. Talks ended."
    assert parse_article(undated).date is None


# --- dates and meta lines -------------------------------------------------------------

@pytest.mark.parametrize("text,lang,expected", [
    ("28 September 2023", "en", "2023-09-28"),
    ("Апрель 24, 2025. 14:26 • 2 мин", "ru", "2025-04-24T14:26"),
    ("24 апреля 2025 года", "ru", "2025-04-24"),
    ("24 Sept. 2023", "en", "2023-09-24"),
    ("Sept. 24, 2023, 3:05 pm", "en", "2023-09-24T15:05"),
    ("Published 2024-02-29T08:15:00Z", "en", "2024-02-29T08:15"),
    ("15.03.2025", "ru", "2025-03-15"),
    ("03/04/2025", "en", "2025-03-04"),
    ("03/04/2025", "ru", "2025-04-03"),
    ("25/12/2024", "en", "2024-12-25"),
    ("1 янв. 2024 г.", "ru", "2024-01-01"),
    ("31 February 2023", "en", None),
    ("24 апреля", "ru", None),
    ("nothing here", "en", None),
])
def test_find_date(text, lang, expected):
    assert find_date(text, lang) == expected


@pytest.mark.parametrize("line,expected", [
    ("28 September 2023", True),
    ("Апрель 24, 2025. 14:26 • 2 мин", True),
    ("224", True),
    ("1 234 просмотра", True),
    ("5 min read", True),
    ("Updated 3 hours ago", True),
    ("Опубликовано: 12.01.2024 | Обновлено: 13.01.2024", True),
    ("Logo", False),
    ("В 2023 году рост составил 5%.", False),
    ("The 2 ministers met at 10:00 in Tashkent.", False),
])
def test_is_meta_line(line, expected):
    assert is_meta_line(line) is expected


_LINES = st.sampled_from(["", " ", "\u00a0", "Logo", "224", "28 September 2023", "Photo: AP",
                          "A headline without a stop", "A sentence. Another one!", "«Цитата», — сказал он.",
                          "Подпишись на наш канал", "Mr. Smith left. He said so.", "— Да. — Нет."])


@settings(max_examples=150, deadline=None)
@given(st.lists(_LINES, max_size=12).map("\n".join))
def test_any_article_gives_ordered_stripped_segments(text):
    article = parse_article(text, lang="en")
    paragraphs = [s.paragraph for s in article.segments]
    assert paragraphs == sorted(paragraphs)
    assert all(s.text and s.text == s.text.strip() for s in article.segments)
    assert [s.kind for s in article.segments].count(TITLE) <= 1
    assert (article.title is None) == (TITLE not in [s.kind for s in article.segments])
