"""The ``tags`` check: inline tags of the source must be in the target, no
others, and paired tags in order; the other checks do not see the tags."""
import pytest

from workbench.core.qa.checks import CHECKS, Checker


def only(check, source, target, *, status="edited"):
    return Checker("en", "ru", enabled={check}).unit_findings(1, source, target, status)


def spans(text, found_spans):
    return [text[s:e] for s, e in found_spans]


@pytest.mark.parametrize("source,target", [
    ("The <b0>minister</b0> said.", "<b0>Министр</b0> сказал."),
    ("See <a0>the report</a0> and <b1>this</b1>.", "См. <b1>это</b1> и <a0>доклад</a0>."),  # moved pairs
    ("A line<x0/>break.", "Перенос<x0/>строки."),
    ("<b0><i1>Both</i1></b0> here.", "<b0><i1>Оба</i1></b0> здесь."),
    ("<b0>The first sentence.", "<b0>Первое предложение."),  # the pair was cut by the segmentation
    ("The end.</b0>", "Конец.</b0>"),
    ("No tags at all.", "Никаких тегов."),
    ("A <b0>bold</b0> word.", ""),  # nothing translated yet: nothing to compare
])
def test_tags_right(source, target):
    assert only("tags", source, target) == []


def test_a_missing_pair_is_an_error_with_the_source_spans():
    source = "The <b0>minister</b0> said <a1>this</a1>."
    found = only("tags", source, "Министр сказал <a1>это</a1>.")
    assert len(found) == 1 and found[0].severity == "error" and CHECKS["tags"].severity == "error"
    assert spans(source, found[0].source_spans) == ["<b0>", "</b0>"]
    assert found[0].target_spans == ()
    assert "missing from the target: <b0> </b0>" in found[0].message


def test_machine_translation_without_tags_is_flagged():
    source = "Read <a0>the full statement</a0> on the site."
    found = only("tags", source, "Прочитайте полное заявление на сайте.")
    assert spans(source, found[0].source_spans) == ["<a0>", "</a0>"]


def test_an_extra_tag_is_flagged_in_the_target():
    target = "<b0>Министр</b0> сказал<x5/>."
    found = only("tags", "The <b0>minister</b0> said.", target)
    assert spans(target, found[0].target_spans) == ["<x5/>"]
    assert "not in the source: <x5/>" in found[0].message


def test_a_tag_twice_is_one_too_many():
    target = "<x0/>Перенос<x0/>"
    found = only("tags", "Line<x0/>break", target)
    assert found and "not in the source: <x0/>" in found[0].message


def test_closed_before_opened():
    target = "</b0>Министр<b0> сказал."
    found = only("tags", "The <b0>minister</b0> said.", target)
    assert len(found) == 1 and "</b0> comes before <b0>" in found[0].message
    assert spans(target, found[0].target_spans) == ["</b0>"]


def test_crossing_pairs():
    target = "<b0><i1>Оба</b0></i1> здесь."
    found = only("tags", "<b0><i1>Both</i1></b0> here.", target)
    assert found and "crosses" in found[0].message


def test_never_closed_when_the_source_closes_it():
    # the target lost </b0> (missing) and <b0> is left open
    target = "<b0>Министр сказал."
    found = only("tags", "The <b0>minister</b0> said.", target)
    assert "missing from the target: </b0>" in found[0].message
    assert "<b0> is not closed" in found[0].message


def test_disabled_tags_check_stays_quiet():
    checker = Checker("en", "ru", enabled={"spaces"})
    assert checker.unit_findings(1, "The <b0>minister</b0> said.", "Министр сказал.") == []


def test_other_checks_do_not_see_tags_and_their_spans_map_back():
    # "<b0>" is no number, no lower-case start; the spans point into the text with tags
    assert only("numbers", "The <b0>minister</b0> said.", "Министр сказал.") == []
    assert only("capitalisation", "<b0>The</b0> minister said.", "Министр сказал.") == []
    assert only("end_punctuation", "He <b0>left.</b0>", "Он <b0>ушёл.</b0>") == []
    source = "It costs <b0>5</b0> dollars."
    target = "Это стоит <b0>6</b0> долларов."
    found = only("numbers", source, target)
    assert spans(source, found[0].source_spans) == ["5"] and spans(target, found[0].target_spans) == ["6"]
    target = "Это  <b0>стоит</b0>."
    found = only("spaces", "It <b0>costs</b0>.", target)
    assert spans(target, found[0].target_spans) == ["  "]


def test_document_checks_run_with_tags():
    units = [(i, "This is a <b0>normal</b0> sentence of text.", "Это <b0>обычное</b0> предложение текста.",
              "edited") for i in range(1, 9)]
    checker = Checker("en", "ru")
    assert [f for f in checker.document_findings(units) if f.check in ("tags", "length")] == []
