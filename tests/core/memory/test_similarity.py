"""The similarity scale on known pairs (expected scores worked out by hand:
character Levenshtein distance over the folded texts, normalised by the longer)."""
import pytest

from workbench.core.memory.similarity import carry_numbers, fold, similarity


@pytest.mark.parametrize("new, old, score, kind", [
    ("The ministry met in Tashkent.", "The ministry met in Tashkent.", 100, "exact"),
    ("The ministry met in Tashkent.", "the Ministry met in Tashkent", 99, "case-punctuation"),
    ("The  ministry met, in Tashkent!", "The ministry met in Tashkent.", 99, "case-punctuation"),
    ("In 2025 the council met 3 times.", "In 2023 the council met 4 times.", 98, "numbers"),
    # one substitution in 10 characters: 1 - 1/10 = 90
    ("abcdefghij", "abcdefghiX", 90, "fuzzy"),
    # "kitten" / "sitting": distance 3, longer 7 -> 57.14 -> 57
    ("kitten", "sitting", 57, "fuzzy"),
    # a Russian case ending: "мигрантов" vs "мигранты" in a 27-character sentence:
    # "права мигрантов защищены" (24) vs "права мигранты защищены" (23): 2 edits / 24 -> 91
    ("права мигрантов защищены", "права мигранты защищены", 91, "fuzzy"),
    # nothing in common: 3 substitutions in 3 characters
    ("abc", "xyz", 0, "fuzzy"),
])
def test_known_pairs(new, old, score, kind):
    result = similarity(new, old)
    assert (result.score, result.kind) == (score, kind)


def test_fuzzy_never_reaches_the_exact_classes():
    # 1 edit in 200 characters is 99.5% by characters, but a real change: capped at 97
    long = "a" * 199 + "b"
    assert similarity(long, "a" * 200).score == 97


def test_symmetric_on_fuzzy_and_fold():
    assert similarity("kitten", "sitting").score == similarity("sitting", "kitten").score
    assert fold("  Hello\tWORLD ") == "hello world"


def test_numbers_carried_over():
    assert carry_numbers("Program for 2025-2027.", "Program for 2019-2023.",
                         "Программа на 2019-2023 годы.") == "Программа на 2025-2027 годы."
    # unchanged numbers and no numbers: the target as stored
    assert carry_numbers("In 2023.", "In 2023.", "В 2023 году.") == "В 2023 году."
    # a number the target holds twice cannot be placed: left alone
    assert carry_numbers("3 of 5", "3 of 3", "3 из 3") == "3 из 3"
    # a different count of numbers: left alone
    assert carry_numbers("In 2025 and 2026", "In 2023", "В 2023") == "В 2023"
    # swapped numbers do not chain (2023->2024, 2024->2025)
    assert carry_numbers("2024 2025", "2023 2024", "2023 и 2024") == "2024 и 2025"
    # 12 is not replaced inside 123 or 1.12
    assert carry_numbers("Page 13", "Page 12", "Страница 12 (123, 1.12)") == "Страница 13 (123, 1.12)"


@pytest.mark.parametrize("new, old", [
    ("The ministry met in Tashkent.", "the Ministry met in Tashkent"),
    ("In 2025 the council met 3 times.", "In 2023 the council met 4 times."),
    ("kitten", "sitting"), ("abc", "xyz"), ("same", "same"),
])
def test_scorer_agrees_with_similarity(new, old):
    from workbench.core.memory.similarity import Scorer

    assert Scorer(new).score(old) == similarity(new, old)
