"""Script-independent keys for words: names and cognates match across scripts.

``to_latin`` romanises Cyrillic and Greek letters and strips Latin diacritics.
``skeleton`` then reduces a romanised word to lowercase consonants with the
usual spelling variants merged, so that Ташкенте / Tashkent, Рахмонова /
Rakhmonov, Узбекистана / Uzbekistan and президент / president get the same
key prefix whatever the romanisation scheme or the inflection ending (endings
are mostly vowels, which the skeleton drops, or come after the prefix that
is compared).
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    # Ukrainian, Belarusian, Kazakh, Uzbek Cyrillic, Serbian, Macedonian
    "і": "i", "ї": "yi", "є": "ye", "ґ": "g", "ў": "u", "қ": "k", "ғ": "g", "ң": "n", "ү": "u",
    "ұ": "u", "ө": "o", "ә": "a", "һ": "h", "ҳ": "h", "ђ": "dj", "ј": "j", "љ": "lj", "њ": "nj",
    "ћ": "c", "џ": "dzh", "ѓ": "g", "ќ": "k", "ѕ": "dz",
}
_GREEK = {
    "α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i", "θ": "th", "ι": "i",
    "κ": "k", "λ": "l", "μ": "m", "ν": "n", "ξ": "x", "ο": "o", "π": "p", "ρ": "r", "σ": "s",
    "ς": "s", "τ": "t", "υ": "y", "φ": "f", "χ": "ch", "ψ": "ps", "ω": "o",
}
_LATIN_EXTRA = {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "dj", "ð": "d", "þ": "th",
                "ı": "i"}
_TABLE = str.maketrans({**_CYRILLIC, **_GREEK, **_LATIN_EXTRA})

# Spelling variants merged by the skeleton, longest first.  Romanisations of
# the same sound differ (х = kh/h/x, ж = zh/j, дж = dzh/j), and Russian з/с,
# в/w, ф/ph are often written for the same letter of a Latin original.
_DIGRAPHS = [("shch", "s"), ("sch", "s"), ("dzh", "j"), ("tch", "c"), ("sh", "s"), ("ch", "c"),
             ("zh", "j"), ("kh", "h"), ("dj", "j"), ("ph", "f"), ("th", "t"), ("gh", "g"),
             ("ck", "k"), ("qu", "kv"), ("x", "ks"), ("w", "v"), ("q", "k"), ("z", "s")]
_SOFT_C = re.compile(r"c(?=[eiy])")
_VOWELS = re.compile(r"[aeiouy]+")
_REPEATS = re.compile(r"(.)\1+")
_NOT_LETTER = re.compile(r"[^a-z]")


def to_latin(text: str) -> str:
    """Lowercase ASCII-ish romanisation (unknown scripts are left as they are)."""
    text = text.lower().translate(_TABLE)
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=200_000)
def skeleton(word: str) -> str:
    """Consonant skeleton of a word: ``skeleton("Узбекистана") == skeleton("Uzbekistan")``.

    Empty for words in scripts that are not romanised (CJK, Arabic...)."""
    latin = _NOT_LETTER.sub("", to_latin(word))
    if not latin:
        return ""
    # English c is k before a/o/u and s before e/i/y.  h is dropped: it is
    # silent or half of a digraph in one spelling and absent in another
    # (John / Джон, Rahmonov / Rakhmonov / Рахмонов).
    latin = _SOFT_C.sub("s", latin)
    for old, new in _DIGRAPHS:   # longest first: plain replaces are much faster than a regex
        if old in latin:
            latin = latin.replace(old, new)
    latin = latin.replace("c", "k")
    latin = latin.replace("h", "")
    latin = _VOWELS.sub("", latin)
    return _REPEATS.sub(r"\1", latin)
