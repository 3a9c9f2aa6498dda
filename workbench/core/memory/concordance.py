"""Concordance: where words occur in the memory, on either side.

Case-insensitive and word-boundary aware (Unicode word characters, so Latin
and Cyrillic alike).  A Russian (Cyrillic) word also finds its inflected forms:
two words match when pymorphy3 gives them a common lemma ("мигрантов" finds
"мигранты", "мигрантам"); candidates come from the FTS index by the prefix the
word shares with its lemmas, then every hit is checked word by word.  Latin
words match as whole words, case-folded.  Several words: every one must occur
(in any order); every occurrence's character offsets are returned.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from workbench.core.errors import BadInputError
from workbench.core.memory.search import _check_pair, check_query

_WORD = re.compile(r"[^\W_]+")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
MAX_WORDS = 8


@lru_cache(maxsize=1)
def _morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")


@lru_cache(maxsize=65536)
def lemmas(word: str) -> frozenset[str]:
    """Lemmas of a case-folded word (Cyrillic: pymorphy3's normal forms; others: the word).

    Parameters:
        word: one word, case-folded."""
    if not _CYRILLIC.search(word):
        return frozenset({word})
    return frozenset({parse.normal_form.replace("ё", "е") for parse in _morph().parse(word)}
                     | {word.replace("ё", "е")})


def _prefix(word: str) -> str:
    """The prefix every form of the word is looked up by in the index."""
    if not _CYRILLIC.search(word):
        return word
    prefix = word
    for lemma in lemmas(word):
        n = 0
        while n < min(len(prefix), len(lemma)) and prefix[n] == lemma[n]:
            n += 1
        prefix = prefix[:n]
    return prefix if len(prefix) >= 3 else word[:3] if len(word) >= 3 else word


@dataclass(frozen=True)
class Hit:
    """One memory pair holding the words, oriented as the query asked."""
    source: str
    target: str
    offsets: tuple[tuple[int, int], ...]   # [start, end) of each hit word in the searched side
    side: str                              # 'source' or 'target': which side was searched
    origin: str
    unit_id: int | None
    document_id: int | None
    memory: str | None
    status: str | None
    changed: str | None

    def to_json(self) -> dict:
        """The JSON line of ``workbench concordance --json``."""
        origin = ({"memory": self.memory} if self.memory is not None else
                  {"document_id": self.document_id, "title": self.origin.split(": ", 1)[-1]})
        return {"source": self.source, "target": self.target, "side": self.side,
                "offsets": [list(o) for o in self.offsets], "origin": origin, "unit_id": self.unit_id,
                "status": self.status, "changed": self.changed}


def find_words(text: str, words: list[str]) -> tuple[tuple[int, int], ...] | None:
    """Offsets of every occurrence of the query words in ``text``, or None when one is missing.

    Parameters:
        text: the text searched.
        words: the query's words, case-folded."""
    wanted = [(w, lemmas(w)) for w in words]
    found: set[int] = set()
    offsets = []
    for token in _WORD.finditer(text):
        folded = token.group().casefold()
        for n, (word, forms) in enumerate(wanted):
            if folded == word or (_CYRILLIC.search(folded) and forms & lemmas(folded)):
                found.add(n)
                offsets.append((token.start(), token.end()))
                break
    return tuple(offsets) if len(found) == len(wanted) else None


def concordance(store, query: str, source_lang: str, target_lang: str, *, side: str = "source",
                limit: int = 50) -> list[Hit]:
    """Memory pairs of a language pair whose ``side`` holds every word of ``query``.

    Parameters:
        store: an open ``Store``.
        query: one or more words (1..2000 characters).
        source_lang, target_lang: the pair; pairs stored the other way round are turned.
        side: 'source' (words in ``source_lang``) or 'target'.
        limit: at most this many hits, newest first.
    Raises ``BadInputError`` for an empty or too long query, or one without words."""
    query = check_query(query)
    _check_pair(source_lang, target_lang)
    if side not in ("source", "target"):
        raise BadInputError(f"--in must be source or target, not {side!r}")
    words = list(dict.fromkeys(w.casefold() for w in _WORD.findall(query)))
    if not words:
        raise BadInputError(f"{query!r} holds no words to look up")
    if len(words) > MAX_WORDS:
        raise BadInputError(f"at most {MAX_WORDS} words at a time, not {len(words)}")
    terms = " AND ".join('"' + _prefix(w).replace('"', '""') + '"' + ("*" if _CYRILLIC.search(w) else "")
                         for w in words)
    lang = source_lang if side == "source" else target_lang
    hits: list[tuple] = []
    for column in ("source", "target"):
        rows = store.tm_candidates(f"{{{column}}} : ({terms})", limit=max(400, limit * 20))
        for row in rows:
            entry_lang = row[4] if column == "source" else row[5]
            other_lang = row[5] if column == "source" else row[4]
            if (entry_lang, other_lang) != (lang, target_lang if side == "source" else source_lang):
                continue
            text = row[6] if column == "source" else row[7]
            offsets = find_words(text, words)
            if offsets is None:
                continue
            other = row[7] if column == "source" else row[6]
            source, target = (text, other) if side == "source" else (other, text)
            hits.append((row, source, target, offsets))
    pending = store.tm_pending_documents(h[0][2] for h in hits)
    hits = [h for h in hits if h[0][2] not in pending]
    hits.sort(key=lambda h: h[0][9] or "", reverse=True)
    unique, seen = [], set()
    for hit in hits:
        if (hit[1], hit[2]) not in seen:
            seen.add((hit[1], hit[2]))
            unique.append(hit)
    unique = unique[:limit]
    titles = store.tm_document_titles(h[0][2] for h in unique)
    names = store.tm_memory_names(h[0][3] for h in unique)
    result = []
    for row, source, target, offsets in unique:
        memory = names.get(row[3]) if row[3] is not None else None
        origin = f"memory {memory}" if memory is not None else f"document {row[2]}: {titles.get(row[2], '?')}"
        result.append(Hit(source, target, offsets, side, origin, row[1], row[2], memory, row[8], row[9]))
    return result
