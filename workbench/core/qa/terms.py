"""Finding glossary terms in text, inflected forms included.

A term is a sequence of words; each word matches a text word with the same
key (``morph.word_keys``: lemma for Russian, stem for English...).  Case
rules: a term written with a capital after its first letter (``NATO``,
``iPhone``, ``ООН``) matches only that exact spelling (plus a possessive
``'s``); any other term matches in any case.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from workbench.core.qa.morph import term_key, word_keys, words


@dataclass(frozen=True)
class TermHit:
    """A term found in a text: ``index`` into the matcher's terms, the
    character span ``[start, end)`` and the text matched."""
    index: int
    start: int
    end: int
    text: str


def case_sensitive(term: str) -> bool:
    """True when a term must match in its exact case (a capital after the
    first letter of a word: acronyms and brand names).

    Parameters:
        term: the term as written in the glossary."""
    return any(any(c.isupper() for c in w[1:]) for w, _s, _e in words(term))


class TermMatcher:
    """Finds any of a list of terms (all in one language) in texts."""

    def __init__(self, terms: Sequence[str], language: str):
        """Parameters:
            terms: the terms, as written in the glossary.
            language: their language (ISO 639-1)."""
        self.terms = list(terms)
        self.language = language
        # first key -> [(term index, keys, exact words or None)]
        self._index: dict[str, list[tuple[int, tuple[str, ...], tuple[str, ...] | None]]] = {}
        self._key_cache: dict[str, frozenset[str]] = {}
        for i, term in enumerate(self.terms):
            ws = [w for w, _s, _e in words(term)]
            if not ws:
                continue
            exact = tuple(ws) if case_sensitive(term) else None
            keys = tuple(w if exact else term_key(w, language) for w in ws)
            self._index.setdefault(keys[0], []).append((i, keys, exact))
        for entries in self._index.values():
            entries.sort(key=lambda e: -len(e[1]))  # longest first

    def __bool__(self) -> bool:
        return bool(self._index)

    def _keys(self, word: str) -> frozenset[str]:
        keys = self._key_cache.get(word)
        if keys is None:
            keys = word_keys(word, self.language) | {word, _strip_possessive(word)}
            if len(self._key_cache) < 200_000:
                self._key_cache[word] = keys
        return keys

    def find(self, text: str, *, overlapping: bool = False) -> list[TermHit]:
        """Every occurrence of a term in ``text``, longest term first at each
        position; without ``overlapping`` a word belongs to one hit at most.

        Parameters:
            text: the text to search.
            overlapping: report every term at every position."""
        if not self._index or not text:
            return []
        ws = words(text)
        keys = [self._keys(w) for w, _s, _e in ws]
        hits: list[TermHit] = []
        i = 0
        while i < len(ws):
            matched = 0
            for key in keys[i]:
                for index, term_keys, exact in self._index.get(key, ()):
                    n = len(term_keys)
                    if i + n > len(ws):
                        continue
                    if exact is not None:
                        ok = all(ws[i + k][0] == exact[k] or _strip_possessive(ws[i + k][0]) == exact[k]
                                 for k in range(n))
                    else:
                        ok = all(term_keys[k] in keys[i + k] for k in range(1, n))
                    if ok:
                        start, end = ws[i][1], ws[i + n - 1][2]
                        hits.append(TermHit(index, start, end, text[start:end]))
                        matched = max(matched, n)
                        if not overlapping:
                            break
                if matched and not overlapping:
                    break
            i += matched if (matched and not overlapping) else 1
        return hits


def _strip_possessive(word: str) -> str:
    for tail in ("'s", "’s", "'"):
        if word.endswith(tail) and len(word) > len(tail):
            return word[: -len(tail)]
    return word
