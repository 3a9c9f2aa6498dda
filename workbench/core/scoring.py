"""Post-edit scores with sacrebleu: how far the machine translation was from
what the translator kept (MT = hypothesis, post-edited target = reference).

High chrF / BLEU and low TER mean little editing was needed.
"""
from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from workbench.core.model import Status


@lru_cache(maxsize=1)
def _metrics():
    from sacrebleu.metrics import BLEU, CHRF, TER

    # effective_order: sentence-level BLEU is meaningless without it.
    return BLEU(), CHRF(), TER(), BLEU(effective_order=True)


@dataclass(frozen=True)
class UnitScores:
    chrf: float   # 0..100, higher = closer
    ter: float    # edits per reference word x 100, lower = closer


@dataclass(frozen=True)
class CorpusScores:
    units: int
    bleu: float
    chrf: float
    ter: float
    signatures: dict[str, str]

    def as_dict(self) -> dict:
        return {"units": self.units, "bleu": round(self.bleu, 2), "chrf": round(self.chrf, 2),
                "ter": round(self.ter, 2), "signatures": self.signatures}


def unit_scores(mt: str | None, target: str | None) -> UnitScores | None:
    """Scores of one unit; None when there is nothing to compare."""
    if not mt or not target or not mt.strip() or not target.strip():
        return None
    _bleu, chrf, ter, _ = _metrics()
    return UnitScores(chrf.sentence_score(mt, [target]).score, ter.sentence_score(mt, [target]).score)


def corpus_scores(pairs: Iterable[tuple[str | None, str | None]]) -> CorpusScores | None:
    """Corpus-level BLEU, chrF and TER over ``(mt, target)`` pairs that both
    hold text; None when there are none."""
    hyps: list[str] = []
    refs: list[str] = []
    for mt, target in pairs:
        if mt and target and mt.strip() and target.strip():
            hyps.append(mt)
            refs.append(target)
    if not hyps:
        return None
    bleu, chrf, ter, _ = _metrics()
    scores = [m.corpus_score(hyps, [refs]) for m in (bleu, chrf, ter)]
    return CorpusScores(
        units=len(hyps), bleu=scores[0].score, chrf=scores[1].score, ter=scores[2].score,
        signatures={"bleu": str(bleu.get_signature()), "chrf": str(chrf.get_signature()),
                    "ter": str(ter.get_signature())})


def document_scores(store, document_ids: int | Sequence[int] | None = None,
                    statuses: Collection[Status] = Status.BY_PERSON) -> CorpusScores | None:
    """Corpus scores over reviewed units of one document, several, or all.

    :param store: the store to read.
    :param document_ids: a document, several, or None for all.
    :param statuses: whose targets count (default: those a person edited or approved: only
        these measure MT quality)."""
    if isinstance(document_ids, int):
        document_ids = [document_ids]
    return corpus_scores(store.mt_and_targets(document_ids, statuses))
