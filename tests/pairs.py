"""A document and its translation linked sentence by sentence: the set-up of
the alignment tests (edits, the alignment view, pair integrity)."""
from __future__ import annotations

from collections.abc import Callable, Sequence

from workbench.core.pairing import replace_units


def add_linked_pair(store, sources: Sequence[str], targets: Sequence[str], *,
                    titles: tuple[str, str] = ("S", "T"), paragraph: Callable[[int], int] = lambda n: 0,
                    links: Sequence[tuple[tuple[int, ...], tuple[int, ...], float]] | None = None,
                    ) -> tuple[int, int, list[int], list[int]]:
    """(source document, translation, source segment ids, target segment ids):
    an English document and its Russian translation, the translation's
    sentences linked to the source's by ``links`` ((source indices, target
    indices, confidence) each), or one to one at confidence 0.9.

    Parameters:
        store: an open Store.
        sources, targets: the sentences of each side.
        titles: the two documents' titles (their checksums are the titles lowercased).
        paragraph: the paragraph of sentence n, on both sides.
        links: the links, or None for 1:1."""
    src = store.add_document(title=titles[0], language="en", target_language="ru", source_path=None,
                             checksum=titles[0].lower(), date=None)
    tgt = store.add_document(title=titles[1], language="ru", target_language=None, source_path=None,
                             checksum=titles[1].lower(), date=None, translation_of=src)
    s_ids = store.add_segments(src, [(paragraph(n), "body", t, False) for n, t in enumerate(sources)])
    t_ids = store.add_segments(tgt, [(paragraph(n), "body", t, False) for n, t in enumerate(targets)],
                               with_units=False)
    if links is None:
        rows = [([s], [t], 0.9) for s, t in zip(s_ids, t_ids)]
    else:
        rows = [([s_ids[i] for i in s], [t_ids[j] for j in t], c) for s, t, c in links]
    replace_units(store, src, tgt, rows)
    return src, tgt, s_ids, t_ids
