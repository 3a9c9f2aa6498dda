"""Match analysis: segments, words and characters per match band.

Bands, as CAT tools report them: ``repetition`` (the source occurred earlier
in the analysed documents; only its first occurrence is matched), ``101``
(context match: a 100% match whose previous source is the same too), ``100``,
``95-99``, ``85-94``, ``75-84``, ``50-74``, ``no match``.  Scores are those
of ``similarity``; a unit's own memory row never matches it.

Words (the same rule for every language written with spaces, en and ru
alike): runs of letters and digits, with inner hyphens and apostrophes
joining a run and decimal separators joining digits ("Нью-Йорк", "don't",
"2025", "3,5" are one word each); for Chinese,
Japanese and Thai, every character of those scripts counts as a word.
Characters: every character that is not whitespace.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from workbench.core.memory.search import search
from workbench.core.memory.similarity import fold
from workbench.core.progress import CancelledFn, ProgressFn, never_cancelled, no_progress

BANDS = ("repetition", "101", "100", "95-99", "85-94", "75-84", "50-74", "no match")
_WORD = re.compile(r"[^\W_]+(?:(?:['’\-]|(?<=\d)[.,](?=\d))[^\W_]+)*")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\u0e00-\u0e7f]")


def count_words(text: str) -> int:
    """Words of a text by the rule in the module docstring.

    Parameters:
        text: any text."""
    cjk = len(_CJK.findall(text))
    return len(_WORD.findall(_CJK.sub(" ", text))) + cjk


def count_characters(text: str) -> int:
    """Characters that are not whitespace.

    Parameters:
        text: any text."""
    return sum(1 for c in text if not c.isspace())


def band_of(score: int | None, context: bool = False) -> str:
    """The band of a best-match score.

    Parameters:
        score: 0-100, or None for no match; context: a 100% match in the same context."""
    if score is None or score < 50:
        return "no match"
    if score >= 100:
        return "101" if context else "100"
    for low, name in ((95, "95-99"), (85, "85-94"), (75, "75-84")):
        if score >= low:
            return name
    return "50-74"


@dataclass
class Figures:
    segments: int = 0
    words: int = 0
    characters: int = 0


@dataclass
class Analysis:
    """Per band figures, for every analysed document and in total."""
    documents: list[int]
    total: dict[str, Figures] = field(default_factory=lambda: {b: Figures() for b in BANDS})
    per_document: dict[int, dict[str, Figures]] = field(default_factory=dict)

    def rows(self) -> list[dict]:
        """One dict per band (band, segments, words, characters) of the total."""
        return [{"band": b, "segments": f.segments, "words": f.words, "characters": f.characters}
                for b, f in self.total.items()]


def analyse(store, document_ids: list[int], *, progress: ProgressFn = no_progress,
            cancelled: CancelledFn = never_cancelled) -> Analysis:
    """Analyse documents against the memory.

    Parameters:
        store: an open ``Store``.
        document_ids: the documents, in the order repetitions are counted.
        progress: (fraction, message); cancelled: polled between units (raises ``Cancelled``)."""
    from workbench.core.errors import BadInputError
    from workbench.core.progress import Cancelled

    analysis = Analysis(list(document_ids))
    seen: set[str] = set()
    work = []
    for doc in document_ids:
        language, target_language = store.tm_document_languages(doc)
        if not target_language:
            raise BadInputError(f"document {doc} has no target language to analyse against")
        work.append((doc, language, target_language, store.tm_analysis_units(doc)))
    total = sum(len(w[3]) for w in work) or 1
    done = 0
    for doc, language, target_language, units in work:
        figures = analysis.per_document.setdefault(doc, {b: Figures() for b in BANDS})
        previous = None
        for unit_id, source in units:
            if cancelled():
                raise Cancelled("analysis cancelled")
            if done % 20 == 0:
                progress(done / total, f"analysing unit {done + 1:,} of {total:,}")
            done += 1
            key = fold(source)
            if key in seen:
                band = "repetition"
            else:
                seen.add(key)
                matches = search(store, source[:2000], language, target_language, min_score=50, limit=5,
                                 exclude_units={unit_id})
                best = matches[0].score if matches else None
                context = False
                if best == 100:
                    for match in matches:
                        if match.score < 100:
                            break
                        before = store.tm_previous_source(match.unit_id) if match.unit_id else match.context
                        if before == previous:
                            context = True
                            break
                band = band_of(best, context)
            for bucket in (figures[band], analysis.total[band]):
                bucket.segments += 1
                bucket.words += count_words(source)
                bucket.characters += count_characters(source)
            previous = source
    progress(1.0, "analysis done")
    return analysis
