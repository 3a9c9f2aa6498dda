"""Words, their spans and the keys terms are matched by.

Russian words are keyed by their lemmas (pymorphy3 with its Russian
dictionaries: every normal form of every parse, so an ambiguous word form
matches each reading); other languages with a Snowball stemmer when it has
one, else by the lower-cased word.  Keys are cached per word form.
"""
from __future__ import annotations

import re
import threading
from functools import lru_cache

WORD_RE = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*", re.UNICODE)

_SNOWBALL = {"en": "english", "de": "german", "fr": "french", "es": "spanish", "it": "italian",
             "pt": "portuguese", "nl": "dutch", "sv": "swedish", "no": "norwegian", "da": "danish",
             "fi": "finnish", "ru": "russian", "uk": None, "tr": "turkish", "hu": "hungarian"}

_lock = threading.Lock()
_morph = None
_morph_failed = False


@lru_cache(maxsize=4096)
def words(text: str) -> tuple[tuple[str, int, int], ...]:
    """The words of a text as ``(word, start, end)``.

    Cached (the last few thousand texts): the checks of one unit split its
    source and target several times (terms, spelling, numbers, untranslated).

    Parameters:
        text: any text."""
    return tuple((m.group(), *m.span()) for m in WORD_RE.finditer(text))


def _analyzer():
    global _morph, _morph_failed
    if _morph is None and not _morph_failed:
        with _lock:
            if _morph is None and not _morph_failed:
                try:
                    import pymorphy3

                    _morph = pymorphy3.MorphAnalyzer(lang="ru")
                except Exception:  # noqa: BLE001 - no dictionaries: fall back to the stemmer
                    _morph_failed = True
    return _morph


@lru_cache(maxsize=None)
def _stemmer(language: str):
    name = _SNOWBALL.get(language)
    if not name:
        return None
    import snowballstemmer

    return snowballstemmer.stemmer(name)


@lru_cache(maxsize=200_000)
def word_keys(word: str, language: str) -> frozenset[str]:
    """The keys a word form is matched by: its lemmas (Russian) or its stem.

    Parameters:
        word: one word (any case).
        language: ISO 639-1 code of its language."""
    lower = word.lower().replace("ё", "е").replace("’", "'")
    if language == "ru":
        morph = _analyzer()
        if morph is not None:
            keys = {p.normal_form.replace("ё", "е") for p in morph.parse(lower)}
            return frozenset(keys or {lower})
    stemmer = _stemmer(language)
    if stemmer is not None:
        return frozenset({stemmer.stemWord(lower)})
    return frozenset({lower})


@lru_cache(maxsize=50_000)
def term_key(word: str, language: str) -> str:
    """The one key a glossary term's word is stored under (its first lemma or stem).

    Parameters:
        word: one word of a term.
        language: ISO 639-1 code."""
    lower = word.lower().replace("ё", "е").replace("’", "'")
    if language == "ru":
        morph = _analyzer()
        if morph is not None:
            parses = morph.parse(lower)
            if parses:
                return parses[0].normal_form.replace("ё", "е")
    stemmer = _stemmer(language)
    if stemmer is not None:
        return stemmer.stemWord(lower)
    return lower
