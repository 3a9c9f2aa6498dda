"""The store's quality-assurance rows: glossary terms, QA settings, ignored
findings and the personal spelling word list (schema migration 5).

A mixin of ``Store``: every method runs on ``self.conn`` and writes inside
``self.transaction()``.  All SQL of the QA feature lives here.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class GlossaryTerm:
    """One glossary entry: ``source`` in ``source_lang`` is translated
    ``target`` in ``target_lang``; ``forbidden`` marks ``target`` as a
    translation that must not be used."""
    id: int
    source: str
    target: str
    source_lang: str
    target_lang: str
    note: str | None = None
    forbidden: bool = False


_TERM_COLUMNS = "id, source, target, source_lang, target_lang, note, forbidden"


def _term(row: Sequence) -> GlossaryTerm:
    return GlossaryTerm(row[0], row[1], row[2], row[3], row[4], row[5], bool(row[6]))


class QaRows:
    """Mixin for ``Store`` (needs ``self.conn`` and ``self.transaction``)."""

    # -- glossary ------------------------------------------------------------
    def add_terms(self, terms: Iterable[tuple[str, str, str, str, str | None, bool]]) -> int:
        """Add glossary entries in one transaction; an entry already present
        (same languages, source and target) gets the new note and flag.

        Parameters:
            terms: ``(source, target, source_lang, target_lang, note, forbidden)`` tuples.

        Returns the number of entries given."""
        now = _now()
        rows = [(s, t, sl.lower(), tl.lower(), n, int(bool(f)), now) for s, t, sl, tl, n, f in terms]
        with self.transaction() as conn:
            conn.executemany(
                """INSERT INTO glossary_terms (source, target, source_lang, target_lang, note, forbidden, created_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT (source_lang, target_lang, source, target)
                   DO UPDATE SET note = excluded.note, forbidden = excluded.forbidden""", rows)
        return len(rows)

    def glossary_terms(self, source_lang: str | None = None, target_lang: str | None = None) -> list[GlossaryTerm]:
        """Glossary entries, optionally for one language pair, by id.

        Parameters:
            source_lang, target_lang: ISO 639-1 codes, or None for any."""
        clauses, args = [], []
        if source_lang:
            clauses.append("source_lang = ?")
            args.append(source_lang.lower())
        if target_lang:
            clauses.append("target_lang = ?")
            args.append(target_lang.lower())
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        return [_term(r) for r in self.conn.execute(
            f"SELECT {_TERM_COLUMNS} FROM glossary_terms {where} ORDER BY id", args)]

    def glossary_version(self) -> tuple[int, int]:
        """Changes when the glossary does (count, max id): caches key on it."""
        return tuple(self.conn.execute("SELECT count(*), coalesce(max(id), 0) FROM glossary_terms").fetchone())

    def remove_term(self, term_id: int) -> bool:
        """Remove a glossary entry; False when there was none with this id.

        Parameters:
            term_id: the entry's id (``glossary list``)."""
        with self.transaction() as conn:
            return conn.execute("DELETE FROM glossary_terms WHERE id = ?", (term_id,)).rowcount > 0

    # -- settings --------------------------------------------------------------
    def qa_setting(self, key: str, default: object = None) -> object:
        """A QA setting (JSON value) or ``default``.

        Parameters:
            key: the setting's name, e.g. ``disabled_checks``."""
        row = self.conn.execute("SELECT value FROM qa_settings WHERE key = ?", (key,)).fetchone()
        return default if row is None else json.loads(row[0])

    def set_qa_setting(self, key: str, value: object) -> None:
        """Store a QA setting (any JSON value).

        Parameters:
            key: the setting's name.
            value: its new value."""
        with self.transaction() as conn:
            conn.execute("INSERT INTO qa_settings (key, value) VALUES (?, ?)"
                         " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                         (key, json.dumps(value, ensure_ascii=False)))

    # -- ignored findings --------------------------------------------------------
    def ignore_findings(self, keys: Iterable[tuple[int, str, str]], *, ignored: bool = True) -> int:
        """Mark findings ignored (or no longer ignored).

        Parameters:
            keys: ``(unit_id, check_id, finding_hash)`` tuples.
            ignored: False takes the mark away.

        Returns how many rows changed."""
        keys = list(keys)
        with self.transaction() as conn:
            if ignored:
                now = _now()
                before = conn.total_changes
                conn.executemany("INSERT OR IGNORE INTO qa_ignored (unit_id, check_id, finding, at)"
                                 " VALUES (?, ?, ?, ?)", [(u, c, f, now) for u, c, f in keys])
                return conn.total_changes - before
            before = conn.total_changes
            conn.executemany("DELETE FROM qa_ignored WHERE unit_id = ? AND check_id = ? AND finding = ?", keys)
            return conn.total_changes - before

    def ignored_findings(self, unit_ids: Sequence[int] | None = None) -> set[tuple[int, str, str]]:
        """The ignored ``(unit_id, check_id, finding_hash)`` keys, all or of some units.

        Parameters:
            unit_ids: only these units (None: all)."""
        if unit_ids is None:
            return set(self.conn.execute("SELECT unit_id, check_id, finding FROM qa_ignored"))
        found: set = set()
        ids = list(unit_ids)
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            found.update(self.conn.execute(
                f"SELECT unit_id, check_id, finding FROM qa_ignored WHERE unit_id IN ({','.join('?' * len(chunk))})",
                chunk))
        return found

    # -- personal spelling words ---------------------------------------------------
    def add_spelling_words(self, language: str, words: Iterable[str]) -> None:
        """Add words to the personal dictionary of a language.

        Parameters:
            language: ISO 639-1 code.
            words: the words, as written."""
        now = _now()
        with self.transaction() as conn:
            conn.executemany("INSERT OR IGNORE INTO spelling_words (language, word, added_at) VALUES (?, ?, ?)",
                             [(language.lower(), w, now) for w in words if w])

    def spelling_words(self, language: str) -> set[str]:
        """The personal dictionary of a language.

        Parameters:
            language: ISO 639-1 code."""
        return {r[0] for r in self.conn.execute("SELECT word FROM spelling_words WHERE language = ?",
                                                (language.lower(),))}

    # -- units for checking ----------------------------------------------------------
    def qa_document_languages(self, document_ids: Sequence[int]) -> dict[int, tuple[str, str | None]]:
        """``{document_id: (language, target_language)}`` for published documents.

        Parameters:
            document_ids: the documents (empty: all)."""
        where, args = "WHERE pending IS NULL", []
        if document_ids:
            where += f" AND id IN ({','.join('?' * len(document_ids))})"
            args = list(document_ids)
        return {r[0]: (r[1], r[2]) for r in self.conn.execute(
            f"SELECT id, language, target_language FROM documents {where} ORDER BY id", args)}

    def qa_units(self, document_id: int) -> list[tuple[int, str, str, str]]:
        """A document's units to check, in reading order, as
        ``(unit_id, source, target, status)``; excluded units and
        meta/boilerplate ones are left out (they are not exported).

        Parameters:
            document_id: the document."""
        sources: dict[int, list[str]] = {}
        skipped: set[int] = set()
        included: set[int] = set()
        for unit_id, text, kind, excluded in self.conn.execute(
                """SELECT us.unit_id, s.text, s.kind, s.excluded FROM segments s
                   JOIN unit_segments us ON us.segment_id = s.id
                   WHERE s.document_id = ? AND us.side = 'source' ORDER BY s.seq""", (document_id,)):
            if unit_id not in sources and kind in ("meta", "boilerplate"):
                skipped.add(unit_id)
            sources.setdefault(unit_id, []).append(text)
            if not excluded:
                included.add(unit_id)
        return [(uid, " ".join(sources.get(uid, ())), target, status)
                for uid, target, status in self.conn.execute(
                    "SELECT id, target, status FROM units WHERE document_id = ? ORDER BY seq, id", (document_id,))
                if uid not in skipped and (uid in included or uid not in sources)]
