"""Anchor tokens a translation keeps whatever the language: numbers, dates,
punctuation shape, names and cognates.

Each sentence becomes a list of ``Anchor(key, reward, penalty)``.  Two
sentences that share a key are evidence for linking them (``reward``); a key
of a reliable kind (a number, a month, a name) left without a partner in the
other group is evidence against the link (``penalty``).  Keys are comparable
across scripts: numbers are normalised (1,000 / 1 000 / 1.000 -> 1000,
2,5 / 2.5 -> 2.5, "12,4 млн" / "12.4 million" -> 12400000), month names of
several languages become ``m9``, and words become consonant-skeleton
prefixes (see ``translit``).
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain
from typing import NamedTuple

import numpy as np

from workbench.core.align.translit import skeleton


class Anchor(NamedTuple):   # a NamedTuple: documents have hundreds of thousands
    key: str
    reward: float   # weight of a match
    penalty: float  # weight of the same key unmatched


@dataclass(frozen=True)
class AnchorWeights:
    number: float = 2.0
    number_penalty: float = 1.0
    month: float = 1.5
    month_penalty: float = 0.75
    name: float = 1.0
    name_penalty: float = 0.25
    word: float = 0.6          # a lowercase word's key: a possible cognate
    punct: float = 0.8
    punct_penalty: float = 0.2


# -- numbers -------------------------------------------------------------------------------

_SPACES = "\u0020\u00a0\u202f\u2009"
_NUMBER = re.compile(
    rf"(?<![\d.,])(?:\d{{1,3}}(?:[{_SPACES}]\d{{3}})+(?![\d]|[.,]\d)|\d+(?:[.,]\d+)*)(?:[.,]\d+)?")
_DIGIT = re.compile(r"\d")
_SCALE_WORD = re.compile(r"\s*([^\W\d_]+\.?)")
_SCALES = {
    3: ("thousand", "thousands", "тыс", "тыс.", "тысяч", "тысячи", "тысяча", "тысячу", "tausend",
        "mille", "mil", "тисяч", "тисячі", "тис", "тис."),
    6: ("million", "millions", "mln", "m", "mn", "млн", "млн.", "миллион", "миллиона", "миллионов",
        "millionen", "millón", "millones", "milione", "milioni", "milhão", "milhões", "мільйон",
        "мільйонів", "мільйона"),
    9: ("billion", "billions", "bn", "млрд", "млрд.", "миллиард", "миллиарда", "миллиардов",
        "milliard", "milliards", "milliarde", "milliarden", "miliardo", "miliardi", "мільярд",
        "мільярдів", "мільярда"),
}
_SCALE_OF = {w: exp for exp, words in _SCALES.items() for w in words}


def _plain_number(text: str) -> list[str]:
    """Canonical decimal strings of a number as written ("1 642" -> ["1642"])."""
    for sp in _SPACES:
        text = text.replace(sp, "")
    groups = re.split(r"[.,]", text)
    if len(groups) == 1:
        return [groups[0].lstrip("0") or "0"]
    seps = re.findall(r"[.,]", text)
    if all(len(g) == 3 for g in groups[1:]) and len(set(seps)) == 1 and len(groups[0]) <= 3:
        return [("".join(groups)).lstrip("0") or "0"]     # 1,000 / 1.000.000: thousands
    if len(groups) == 2:
        whole, frac = groups[0].lstrip("0") or "0", groups[1].rstrip("0")
        return [f"{whole}.{frac}" if frac else whole]       # 2,5 / 2.5
    if len(set(seps)) == 2 and all(len(g) == 3 for g in groups[1:-1]):  # 1,234.5 / 1.234,5
        whole, frac = "".join(groups[:-1]).lstrip("0") or "0", groups[-1].rstrip("0")
        return [f"{whole}.{frac}" if frac else whole]
    return [g.lstrip("0") or "0" for g in groups]            # 07.03.2024, 1.2.3: parts


def _scaled(value: str, exp: int) -> str:
    whole, _, frac = value.partition(".")
    digits = whole + frac.ljust(exp, "0")
    if len(frac) > exp:  # 1.2345 thousand: keep as written
        return value
    return digits.lstrip("0") or "0"


def numbers(text: str) -> list[str]:
    if not _DIGIT.search(text):
        return []
    found = []
    for m in _NUMBER.finditer(text):
        values = _plain_number(m.group(0))
        scale = _SCALE_WORD.match(text, m.end())
        word = scale.group(1).lower() if scale else ""
        exp = _SCALE_OF.get(word) or _SCALE_OF.get(word.rstrip("."))
        if exp and len(values) == 1:
            values = [_scaled(values[0], exp)]
        found.extend(values)
    return found


# -- months --------------------------------------------------------------------------------

_MONTH_WORDS = {
    1: "january jan janvier januar jänner enero gennaio janeiro январь января январе січень січня",
    2: "february feb février fevrier februar febrero febbraio fevereiro февраль февраля феврале "
       "лютий лютого",
    3: "march mar mars märz marz marzo março март марта марте березень березня",
    4: "april apr avril abril aprile апрель апреля апреле квітень квітня",
    5: "may mai mayo maggio maio май мая мае травень травня",
    6: "june jun juin juni junio giugno junho июнь июня июне червень червня",
    7: "july jul juillet juli julio luglio julho июль июля июле липень липня",
    8: "august aug août aout agosto август августа августе серпень серпня",
    9: "september sep sept septembre septiembre setiembre settembre setembro сентябрь сентября "
       "сентябре вересень вересня",
    10: "october oct octobre oktober octubre ottobre outubro октябрь октября октябре жовтень жовтня",
    11: "november nov novembre noviembre novembro ноябрь ноября ноябре листопад листопада",
    12: "december dec décembre decembre dezember diciembre dicembre dezembro декабрь декабря "
        "декабре грудень грудня",
}
_MONTH_OF = {w: m for m, words in _MONTH_WORDS.items() for w in words.split()}
# English words that are months only when capitalised ("may", "march"), and
# abbreviations that are words in some language ("mar" = sea, "dec").
_MONTH_NEEDS_CAPITAL = {"may", "march", "mar", "jan", "feb", "apr", "jun", "jul", "aug", "sep",
                        "sept", "oct", "nov", "dec", "mai", "mars"}

# -- words ---------------------------------------------------------------------------------

_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_QUOTE_RE = re.compile("[«»“”„‟\"‹›「」『』]")
_TIME_COLON = re.compile(r"\d:\d")


def punctuation(text: str) -> list[str]:
    marks = []
    if "?" in text or "¿" in text or "？" in text:
        marks.append("p?")
    if "!" in text or "¡" in text or "！" in text:
        marks.append("p!")
    if _QUOTE_RE.search(text):
        marks.append("p\"")
    if "(" in text or "（" in text:
        marks.append("p(")
    if (":" in text and not _TIME_COLON.search(text)) or "：" in text:
        marks.append("p:")
    return marks


def _word_anchors(word: str, initial: bool, names: set[str], weights: AnchorWeights
                  ) -> tuple[Anchor, ...]:
    lower = word.lower()
    capitalised = word[0].isupper()
    month = _MONTH_OF.get(lower)
    if month and (lower not in _MONTH_NEEDS_CAPITAL or capitalised):
        return (Anchor(f"m{month}", weights.month, weights.month_penalty),)
    skel = skeleton(word)
    if not skel:
        return ()
    acronym = len(word) >= 2 and word.isupper()
    if acronym or (capitalised and (not initial or skel in names)):
        reward, penalty = weights.name / 2, weights.name_penalty / 2
    elif len(skel) >= 3 and len(word) >= 4:
        reward, penalty = weights.word / 2, 0.0
    else:
        return ()
    # Two keys: three and four skeleton letters, so that a shorter inflected
    # or differently spelt stem still half-matches.
    return (Anchor("w" + skel[:3], reward, penalty), Anchor("W" + skel[:4], reward, penalty))


@dataclass(frozen=True)
class DocumentAnchors:
    """The anchors of a document as flat arrays, one row per anchor of a
    sentence (a sentence may have the same key several times)."""

    sentence: np.ndarray   # int64 sentence index
    key: np.ndarray        # int64 index into ``keys``
    reward: np.ndarray     # float64
    penalty: np.ndarray    # float64
    keys: list[str]

    def of(self, sentence: int) -> list[Anchor]:
        """The anchors of one sentence (for inspection and tests).

        :param sentence: the sentence index."""
        rows = np.flatnonzero(self.sentence == sentence)
        return [Anchor(self.keys[self.key[r]], float(self.reward[r]), float(self.penalty[r])) for r in rows]


def document_anchors(texts: Sequence[str], weights: AnchorWeights) -> DocumentAnchors:
    """Anchors of every sentence of a document.

    A capitalised word is a name inside a sentence; at the start of one it
    is a name only if the document also has it capitalised inside a
    sentence (otherwise it is an ordinary word written with a capital).
    Each distinct word is looked at once; the sentences' rows are gathered
    with numpy.

    :param texts: the sentences.
    :param weights: the anchors' weights."""
    words = [_WORD.findall(t) for t in texts]
    keys: dict[str, int] = {}
    sent: list[int] = []
    key: list[int] = []
    reward: list[float] = []
    penalty: list[float] = []
    for k, text in enumerate(texts):     # numbers and punctuation: a few per sentence at most
        for value in numbers(text):
            sent.append(k)
            key.append(keys.setdefault("n" + value, len(keys)))
            reward.append(weights.number)
            penalty.append(weights.number_penalty)
        for mark in punctuation(text):
            sent.append(k)
            key.append(keys.setdefault(mark, len(keys)))
            reward.append(weights.punct)
            penalty.append(weights.punct_penalty)
    counts = np.array([len(ws) for ws in words], dtype=np.int64)
    flat = list(chain.from_iterable(words))
    inside_words = set(chain.from_iterable(ws[1:] for ws in words))
    initial_words = {ws[0] for ws in words if ws}
    names = {skeleton(w) for w in inside_words if w[0].isupper()}
    vocab = {w: k for k, w in enumerate(set(flat))}
    # per (word, at the start of a sentence): up to two keys, their weights
    slots = np.full((2 * len(vocab), 2), -1, dtype=np.int64)
    weight = np.zeros((2 * len(vocab), 2))
    for word, k in vocab.items():
        for initial in (False, True):
            if word in (initial_words if initial else inside_words):
                found = _word_anchors(word, initial, names, weights)
                for slot, anchor in enumerate(found):
                    slots[2 * k + initial, slot] = keys.setdefault(anchor.key, len(keys))
                    weight[2 * k + initial] = anchor.reward, anchor.penalty
    word_sent = np.repeat(np.arange(len(texts), dtype=np.int64), counts)
    first = np.zeros(len(flat), dtype=np.int64)
    first[(np.cumsum(counts) - counts)[counts > 0]] = 1
    code = 2 * np.fromiter(map(vocab.__getitem__, flat), dtype=np.int64, count=len(flat)) + first
    parts = [(np.array(sent, dtype=np.int64), np.array(key, dtype=np.int64), np.array(reward, dtype=np.float64),
              np.array(penalty, dtype=np.float64))]
    for slot in (0, 1):
        got = slots[code, slot]
        ok = got >= 0
        parts.append((word_sent[ok], got[ok], weight[code[ok], 0], weight[code[ok], 1]))
    return DocumentAnchors(*(np.concatenate(column) for column in zip(*parts)), list(keys))
