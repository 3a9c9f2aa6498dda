"""Term lookup (inflected forms, multi-word terms, case rules) and number parsing."""
from workbench.core.qa.numbers import compare, number_words, numbers
from workbench.core.qa.terms import TermMatcher, case_sensitive


def texts(matcher, text):
    return [h.text for h in matcher.find(text)]


def test_russian_lemma_lookup_finds_inflected_forms():
    m = TermMatcher(["министр"], "ru")
    assert texts(m, "Встреча министра с министрами и Министром.") == ["министра", "министрами", "Министром"]
    assert texts(m, "Министерство и администратор.") == []


def test_russian_multi_word_term():
    m = TermMatcher(["государственный долг"], "ru")
    assert texts(m, "Рост государственного долга и государственных долгов.") == [
        "государственного долга", "государственных долгов"]
    assert texts(m, "Государственный бюджет и долг.") == []


def test_english_stem_lookup_and_longest_term_first():
    m = TermMatcher(["minister", "prime minister"], "en")
    hits = m.find("The Prime Ministers and two ministers.")
    assert [(h.text, m.terms[h.index]) for h in hits] == [("Prime Ministers", "prime minister"),
                                                          ("ministers", "minister")]
    assert texts(m, "The ministry administers.") == []


def test_case_rules():
    assert case_sensitive("NATO") and case_sensitive("iPhone") and not case_sensitive("Minister")
    m = TermMatcher(["NATO", "Apple"], "en")
    assert texts(m, "NATO's plan, nato, apple and Apple.") == ["NATO's", "apple", "Apple"]
    assert texts(TermMatcher(["ООН"], "ru"), "в ООН и оон") == ["ООН"]


def test_numbers_values():
    assert [n.value for n in numbers("1,234.5 and 1.5 million and 50%", "en")] == [1234.5, 1.5e6, 50]
    assert [n.value for n in numbers("1 234,5 и 1,5 млн и 50 %", "ru")] == [1234.5, 1.5e6, 50]
    assert [n.value for n in numbers("12\u00a0500 и 3\u202f000", "ru")] == [12500, 3000]
    assert [n.value for n in numbers("5, 6 and 7", "en")] == [5, 6, 7]
    assert sorted(n.value for n in numbers("on 05.03.2024", "ru")) == [3, 5, 2024]
    assert [n.value for n in numbers("see https://x.org/2024", "en", mask=[(4, 22)])] == []


def test_number_words():
    assert [n.value for n in number_words("three ministers and twelve", "en")] == [3, 12]
    assert [n.value for n in number_words("трёх министров и двумя", "ru")] == [3, 2]


def test_compare_scale_words():
    assert compare("1.5 million", "en", "1,5 млн", "ru") == ([], [])
    missing, extra = compare("1.5 million", "en", "15 млн", "ru")
    assert [n.text for n in missing] == ["1.5 million"] and [n.text for n in extra] == ["15 млн"]
