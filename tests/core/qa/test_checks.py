"""Every QA check: a case it must flag and one it must not."""
import pytest

from workbench.core.qa.checks import CHECKS, Checker, inconsistencies, tokens
from workbench.core.store.qa_rows import GlossaryTerm


def only(check, source, target, *, src="en", tgt="ru", status="edited", terms=()):
    checker = Checker(src, tgt, terms=terms, enabled={check})
    return [f for f in checker.unit_findings(1, source, target, status)]


@pytest.mark.parametrize("source,target", [
    ("It costs 1.5 million dollars.", "Это стоит 1,5 млн долларов."),
    ("It costs 1.5 million dollars.", "Это стоит 1 500 000 долларов."),
    ("About 1,000 people came.", "Пришли около 1\u202f000 человек."),
    ("About 12,500 people came.", "Пришли около 12 500 человек."),
    ("Growth was 7.5% in 2023.", "Рост составил 7,5 % в 2023 году."),
    ("On 2024-03-05 it began.", "Это началось 05.03.2024."),
    ("Three ministers met.", "Встретились 3 министра."),
    ("3 ministers met.", "Встретились три министра."),
    ("The 1990s and 2010-2015.", "1990-е и 2010–2015 годы."),
])
def test_numbers_equal_in_both_spellings(source, target):
    assert only("numbers", source, target) == []


@pytest.mark.parametrize("source,target,missing", [
    ("It costs 1.5 million dollars.", "Это стоит 15 млн долларов.", "1.5 million"),
    ("About 1,000 people came.", "Пришли около 1,000 человек.", "1,000"),  # a Russian decimal comma: 1.0
    ("Growth was 7.5% in 2023.", "Рост составил 7,5 % в 2022 году.", "2023"),
    ("Visit 5 cities.", "Посетите 6 городов.", "5"),
])
def test_numbers_differ(source, target, missing):
    found = only("numbers", source, target)
    assert len(found) == 1 and found[0].severity == "error"
    s, e = found[0].source_spans[0]
    assert source[s:e] == missing


def test_numbers_ru_to_en():
    assert only("numbers", "Рост 7,5 % и 1 200 человек.", "Growth 7.5% and 1,200 people.", src="ru", tgt="en") == []
    assert only("numbers", "Рост 7,5 %.", "Growth 75%.", src="ru", tgt="en")


def test_untranslated():
    assert only("untranslated", "The ministers met today.", "The ministers met today.")
    assert only("untranslated", "The ministers met today.", "Die Minister haben sich heute getroffen.")
    assert only("untranslated", "The ministers met today.", "Министры встретились сегодня.") == []
    assert only("untranslated", "Apple iPhone", "Apple iPhone") == []  # names only
    assert only("untranslated", "The new iPhone by Apple is out.", "Новый iPhone от Apple вышел.") == []
    assert only("untranslated", "Министры встретились сегодня утром.", "Министры встретились сегодня утром.",
                src="ru", tgt="en")


def test_empty_approved():
    assert only("empty_approved", "Hello there.", "", status="approved")
    assert only("empty_approved", "Hello there.", "  ", status="approved")
    assert only("empty_approved", "Hello there.", "", status="edited") == []
    assert only("empty_approved", "Hello there.", "Привет.", status="approved") == []


def test_spaces():
    assert only("spaces", "Hello there.", "Привет  всем.")[0].target_spans == ((6, 8),)
    assert "leading" in only("spaces", "Hello there.", " Привет всем.")[0].message
    assert "trailing" in only("spaces", "Hello there.", "Привет всем. ")[0].message
    assert only("spaces", "Hello  there.", "Привет  всем.") == []
    assert only("spaces", "Hello there.", "Привет всем.") == []


@pytest.mark.parametrize("source,target", [
    ("He said \"yes.\"", "Он сказал «да»."),      # the period outside the quotes in Russian
    ("Really?", "Правда?"),
    ("Wait...", "Подождите…"),
    ("A headline", "Заголовок"),
    ("She said (quietly).", "Она сказала (тихо)."),
])
def test_end_punctuation_equal(source, target):
    assert only("end_punctuation", source, target) == []


@pytest.mark.parametrize("source,target", [
    ("Really?", "Правда."), ("It works.", "Это работает"), ("Note:", "Заметка."), ("Stop!", "Стоп?"),
])
def test_end_punctuation_differs(source, target):
    assert only("end_punctuation", source, target)


@pytest.mark.parametrize("source,target", [
    ("He said (quietly) no.", "Он сказал (тихо нет."),
    ("The \"Union\" party.", "Партия «Союз."),
    ("The “Union” party.", "Партия „Союз."),
    ("The [note] here.", "Здесь примечание] тут."),
    ("She said ‘no’.", "She said ‘no."),
])
def test_brackets_unbalanced(source, target):
    tgt = "en" if target.startswith("She") else "ru"
    found = only("brackets", source, target, tgt=tgt)
    assert found and found[0].severity == "error"


@pytest.mark.parametrize("source,target", [
    ("The \"Union\" party.", "Партия «Союз»."),
    ("The “Union” party.", "Партия „Союз“."),
    ("He said (quietly) no.", "Он сказал (тихо) нет."),
    ("It's the people's choice.", "Это выбор «народа»."),
])
def test_brackets_balanced(source, target):
    assert only("brackets", source, target) == []


def test_brackets_dropped_pair():
    assert only("brackets", "The ministry (MVD) said.", "Министерство сказало.")


def test_urls_emails_tags_mentions():
    assert only("urls", "See https://example.org/a.", "См. https://example.org/a.") == []
    assert only("urls", "See https://example.org/a.", "См. https://example.org/b.")
    assert only("urls", "Write to info@example.org.", "Пишите на info@example.com.")
    assert only("urls", "Tagged #Elections and @reuters.", "С тегом #Elections и @reuters.") == []
    assert only("urls", "Tagged #Elections and @reuters.", "С тегом #Выборы и @reuters.")
    assert only("urls", "Tagged @reuters.", "С тегом.")
    assert [t[0] for t in tokens("a@b.org and #x")] == ["e-mail address", "hashtag"]


def test_capitalisation():
    assert only("capitalisation", "The minister said.", "министр сказал.")
    assert only("capitalisation", "the minister said.", "Министр сказал.")
    assert only("capitalisation", "The minister said.", "Министр сказал.") == []
    assert only("capitalisation", "«The minister» said.", "«Министр» сказал.") == []
    assert only("capitalisation", "2023 was good.", "2023 год был хорошим.") == []


TERMS = [GlossaryTerm(1, "minister", "министр", "en", "ru"),
         GlossaryTerm(2, "minister", "министерша", "en", "ru", None, True),
         GlossaryTerm(3, "public debt", "государственный долг", "en", "ru"),
         GlossaryTerm(4, "NATO", "НАТО", "en", "ru")]


def test_term_missing_inflection_aware():
    assert only("term_missing", "The ministers met.", "Встретились с министрами.", terms=TERMS) == []
    assert only("term_missing", "The public debt grew.", "Рост государственного долга.", terms=TERMS) == []
    found = only("term_missing", "The minister met.", "Встретился глава.", terms=TERMS)
    assert found and found[0].source_spans == ((4, 12),)
    assert only("term_missing", "Public debt grew.", "Долг вырос.", terms=TERMS)
    assert only("term_missing", "NATO met.", "Альянс встретился.", terms=TERMS)
    assert only("term_missing", "A nato met.", "Альянс встретился.", terms=TERMS) == []  # case rule


def test_forbidden_term():
    found = only("forbidden_term", "The minister met.", "Министерша встретилась.", terms=TERMS)
    assert found and found[0].target_spans == ((0, 10),) and found[0].severity == "error"
    assert only("forbidden_term", "The minister met.", "Министр встретился.", terms=TERMS) == []


def test_inconsistent():
    units = [(1, "Hello.", "Привет.", "approved"), (2, "Hello.", "Здравствуйте.", "approved"),
             (3, "Bye.", "Пока.", "approved"), (4, "See you.", "Пока.", "approved"),
             (5, "Yes.", "Да.", "approved"), (6, "Yes.", "Ага.", "edited")]
    found = {(f.unit_id) for f in inconsistencies(units)}
    assert found == {1, 2, 3, 4}


def test_length():
    units = [(i, "This is a normal sentence of text.", "Это обычное предложение текста.", "edited")
             for i in range(1, 9)]
    units.append((9, "This is a normal sentence of text.", "Это.", "edited"))
    units.append((10, "Short.", "Коротко, но на самом деле очень длинно.", "edited"))
    checker = Checker("en", "ru", enabled={"length"})
    found = {f.unit_id for f in checker.document_findings(units)}
    assert found == {9, 10}


def test_every_check_has_an_explanation():
    for check in CHECKS.values():
        assert check.severity in ("error", "warning") and len(check.explanation) > 20


def test_disabled_checks_do_not_run():
    checker = Checker("en", "ru", enabled={"spaces"})
    assert {f.check for f in checker.unit_findings(1, "Five ministers.", "Шесть  министров")} == {"spaces"}
