"""Numbers in a text, as values, so two languages' spellings compare.

``1,500.5`` (English) and ``1 500,5`` (Russian, with a space, no-break space
or narrow no-break space) are both 1500.5; ``1.5 million`` and ``1,5 млн``
are both 1,500,000 while ``15 млн`` is not; a date ``2024-03-05``,
``05.03.2024`` or ``3/5/2024`` gives its parts; ``50%`` is 50.  Numbers
written as words (``three``, ``трёх``) count where a digit on the other side
has no partner.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from workbench.core.qa.morph import word_keys, words

_SPACES = " \u00a0\u202f\u2009"
_DIGIT_RE = re.compile(r"\d")
_DATE_RE = re.compile(r"(?<![\w.,])(?:(\d{4})-(\d{1,2})-(\d{1,2})|(\d{1,2})([./])(\d{1,2})\5(\d{4}|\d{2}))(?![\w]|[.,]\d)")
_NUM_RE = re.compile(r"(?<![\w])\d+(?:(?:[" + _SPACES + r",.])\d+)*")
_SCALE_RE = re.compile(
    r"[" + _SPACES + r"]?(thousand|million|billion|trillion|bn\b|mln\b|тыс\b|тысяч[а-я]*|млн\b|миллион[а-я]*|"
    r"млрд\b|миллиард[а-я]*|трлн\b|триллион[а-я]*)", re.IGNORECASE)
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "bn": 1e9, "mln": 1e6,
           "тыс": 1e3, "тысяч": 1e3, "млн": 1e6, "миллион": 1e6, "млрд": 1e9, "миллиард": 1e9,
           "трлн": 1e12, "триллион": 1e12}

_EN_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen"
    " sixteen seventeen eighteen nineteen twenty".split())}
_EN_WORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
                  "ninety": 90, "hundred": 100, "thousand": 1000, "million": 1e6, "billion": 1e9,
                  "dozen": 12, "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "tenth": 10,
                  "twice": 2, "half": 0.5, "double": 2, "triple": 3, "single": 1, "once": 1})
_RU_WORDS = {"ноль": 0, "один": 1, "одна": 1, "два": 2, "две": 2, "три": 3, "четыре": 4, "пять": 5,
             "шесть": 6, "семь": 7, "восемь": 8, "девять": 9, "десять": 10, "одиннадцать": 11,
             "двенадцать": 12, "тринадцать": 13, "четырнадцать": 14, "пятнадцать": 15, "шестнадцать": 16,
             "семнадцать": 17, "восемнадцать": 18, "девятнадцать": 19, "двадцать": 20, "тридцать": 30,
             "сорок": 40, "пятьдесят": 50, "шестьдесят": 60, "семьдесят": 70, "восемьдесят": 80,
             "девяносто": 90, "сто": 100, "тысяча": 1000, "миллион": 1e6, "миллиард": 1e9, "дюжина": 12,
             "первый": 1, "второй": 2, "третий": 3, "четвёртый": 4, "четвертый": 4, "пятый": 5,
             "десятый": 10, "дважды": 2, "половина": 0.5, "двое": 2, "трое": 3, "четверо": 4,
             "пятеро": 5, "полтора": 1.5, "двойной": 2, "тройной": 3, "однажды": 1, "единственный": 1}


@dataclass(frozen=True)
class Number:
    """A number found in a text: its value and span; ``word`` when written as a word."""
    value: float
    start: int
    end: int
    text: str
    word: bool = False


def _parse(token: str, language: str) -> list[tuple[float, int, int]] | None:
    """The value(s) of a digit token with separators, as (value, start, end)
    relative to the token; None when it is one plain number."""
    parts = re.split(r"([" + _SPACES + r",.])", token)
    groups, seps = parts[0::2], parts[1::2]
    if not seps:
        return [(float(token), 0, len(token))]
    decimal_mark = "," if language in _COMMA_DECIMAL else "."
    thousands = set(_SPACES) | ({"."} if language in _COMMA_DECIMAL else {","})
    # Thousands groups: every separator but a final decimal one is a thousands
    # separator followed by exactly three digits, the first group has 1-3.
    body_seps, tail = seps, None
    if seps[-1] == decimal_mark or (seps[-1] in ".," and len(groups[-1]) != 3):
        body_seps, tail = seps[:-1], groups[-1]
    body = groups[: len(body_seps) + 1]
    grouped = not body_seps or (
        len(set(body_seps)) == 1 and body_seps[0] in thousands | {",", "."}
        and (tail is None or body_seps[0] != seps[-1])
        and 1 <= len(body[0]) <= 3 and all(len(g) == 3 for g in body[1:]))
    if grouped and (tail is None or seps[-1] in ".,"):
        value = float("".join(body) + ("." + tail if tail is not None else ""))
        return [(value, 0, len(token))]
    # Not one number: split at the separators (a list "5, 6" or "1 23").
    out, pos = [], 0
    for i, group in enumerate(groups):
        out.append((float(group), pos, pos + len(group)))
        pos += len(group) + (1 if i < len(seps) else 0)
    return out


_COMMA_DECIMAL = {"ru", "uk", "be", "de", "fr", "es", "it", "pt", "pl", "cs", "sk", "bg", "sr", "hr",
                  "sl", "nl", "sv", "no", "nb", "da", "fi", "tr", "hu", "ro", "lt", "lv", "et", "kk", "el"}


def numbers(text: str, language: str, *, mask: Sequence[tuple[int, int]] = ()) -> list[Number]:
    """Every number written in digits in ``text`` (dates as their parts, a
    scale word after a number multiplied in).

    Parameters:
        text: the text.
        language: its language (ISO 639-1): decides whether ``,`` or ``.`` is
            the decimal mark.
        mask: spans to skip (URLs, e-mail addresses...)."""
    if mask:
        chars = list(text)
        for start, end in mask:
            chars[start:end] = " " * (end - start)
        text = "".join(chars)
    found: list[Number] = []
    for m in _DATE_RE.finditer(text):
        for g in (1, 2, 3, 4, 6, 7):
            if m.group(g):
                value = float(m.group(g))
                if g == 7 and len(m.group(7)) == 2:
                    value += 2000 if value < 50 else 1900
                found.append(Number(value, m.start(g), m.end(g), m.group(g)))
        text = text[: m.start()] + " " * (m.end() - m.start()) + text[m.end():]
    for m in _NUM_RE.finditer(text):
        token = m.group()
        # A trailing separator run is punctuation, not part of the number.
        parsed = _parse(token, language)
        for value, s, e in parsed or ():
            start, end = m.start() + s, m.start() + e
            if e == len(token):
                scale = _SCALE_RE.match(text, end)
                if scale:
                    key = scale.group(1).lower().rstrip(".")
                    factor = next((f for k, f in _SCALES.items() if key.startswith(k)), 1.0)
                    value *= factor
                    end = scale.end()
            found.append(Number(value, start, end, text[start:end]))
    found.sort(key=lambda n: n.start)
    return found


def number_words(text: str, language: str) -> list[Number]:
    """Numbers written as words (``three``, ``трёх``, ``двумя``).

    Parameters:
        text: the text.
        language: its language."""
    out = []
    for word, start, end in words(text):
        lower = word.lower()
        if language == "en":
            value = _EN_WORDS.get(lower)
            if value is None and lower.endswith("s") and lower[:-1] in _EN_WORDS:
                value = _EN_WORDS[lower[:-1]]
        elif language == "ru":
            value = next((_RU_WORDS[k] for k in word_keys(lower, "ru") if k in _RU_WORDS), None)
        else:
            value = None
        if value is not None:
            out.append(Number(float(value), start, end, word, word=True))
    return out


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def compare(source: str, source_lang: str, target: str, target_lang: str, *,
            source_mask: Sequence[tuple[int, int]] = (),
            target_mask: Sequence[tuple[int, int]] = ()) -> tuple[list[Number], list[Number]]:
    """The numbers of the source missing from the target and those of the
    target not in the source (each matched once; a number written as a word
    on the other side counts as present).

    Parameters:
        source, target: the texts.
        source_lang, target_lang: their languages.
        source_mask, target_mask: spans to skip in each."""
    if not _DIGIT_RE.search(source) and not _DIGIT_RE.search(target):
        return [], []
    src = numbers(source, source_lang, mask=source_mask)
    tgt = numbers(target, target_lang, mask=target_mask)
    if not src and not tgt:
        return [], []
    left = list(tgt)
    missing = []
    for n in src:
        partner = next((i for i, m in enumerate(left) if _same(m.value, n.value)), None)
        if partner is None:
            missing.append(n)
        else:
            left.pop(partner)
    extra = left
    if missing:
        words_t = number_words(target, target_lang)
        missing = [n for n in missing if not _pop(words_t, n.value)]
    if extra:
        words_s = number_words(source, source_lang)
        extra = [n for n in extra if not _pop(words_s, n.value)]
    return missing, extra


def _pop(candidates: list[Number], value: float) -> bool:
    for i, c in enumerate(candidates):
        if _same(c.value, value):
            candidates.pop(i)
            return True
    return False
