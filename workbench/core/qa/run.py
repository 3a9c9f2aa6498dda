"""Running the QA checks over documents of a store.

``run_qa`` gathers what the checks need from the database (languages,
glossary, settings, personal word list, ignored findings) and returns the
findings with notes for the user (e.g. the spelling check being off).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from workbench.core.errors import BadInputError, NotFoundError
from workbench.core.progress import ProgressFn, no_progress
from workbench.core.qa.checks import CHECKS, Checker, Finding
from workbench.core.qa.spelling import DictionaryMissing, Speller

DISABLED_SETTING = "disabled_checks"
ASK_ON_APPROVE_SETTING = "ask_before_approving_errors"
SPELLING_VARIANTS_SETTING = "spelling_variants"  # {"en": "en_GB"}: the dictionary per language


def default_target_language(language: str, target_language: str | None) -> str:
    """A document's target language (``ru`` for English sources, else ``en``, when unset).

    Parameters:
        language: the source language.
        target_language: the stored target language or None."""
    return target_language or ("ru" if language == "en" else "en")


def parse_check_ids(text: str | Iterable[str] | None) -> set[str] | None:
    """Check ids from ``a,b,c`` (None stays None: all checks).

    Parameters:
        text: comma-separated ids or an iterable of them.

    Raises ``BadInputError`` naming an unknown id."""
    if text is None:
        return None
    ids = [p.strip() for p in (text.split(",") if isinstance(text, str) else text) if p.strip()]
    unknown = [i for i in ids if i not in CHECKS]
    if unknown:
        raise BadInputError(f"unknown check '{unknown[0]}': the checks are {', '.join(CHECKS)}"
                            f" ('workbench qa --list')")
    return set(ids)


def enabled_checks(store, only: set[str] | None = None) -> set[str]:
    """The checks to run: ``only`` (or all) minus those turned off for the project.

    Parameters:
        store: the open Store.
        only: restrict to these ids (None: all)."""
    disabled = set(store.qa_setting(DISABLED_SETTING, []))
    return (set(CHECKS) if only is None else set(only)) - disabled


def spelling_variants(store) -> dict[str, str]:
    """The project's dictionary variant per language (``{"en": "en_GB"}``; unset: the default).

    Parameters:
        store: the open Store."""
    return dict(store.qa_setting(SPELLING_VARIANTS_SETTING, {}) or {})


def set_spelling_variant(store, variant: str) -> tuple[str, str | None]:
    """Choose the project's spelling dictionary for a language: ``en_GB``
    sets it, a bare language (``en``) goes back to the default.  Returns
    (language, variant or None).

    Parameters:
        store: the open Store.
        variant: ``language_REGION`` or a language code.

    Raises ``BadInputError`` for anything else."""
    from workbench.core.qa.spelling import check_variant

    variants = spelling_variants(store)
    if "_" in (variant or ""):
        language = check_variant(variant).split("_")[0]
        variants[language] = variant
    else:
        language = (variant or "").lower()
        if not language or not language.isalpha() or len(language) not in (2, 3):
            check_variant(variant)  # raises, with the message saying what a variant looks like
        variants.pop(language, None)
    store.set_qa_setting(SPELLING_VARIANTS_SETTING, variants)
    return language, variants.get(language)


_spellers: dict[tuple[str, str | None], Speller | str] = {}


def speller_for(store, language: str) -> tuple[Speller | None, str | None]:
    """A speller for ``language`` (the project's variant of its dictionary)
    with the personal word list, or None and the message saying why the
    spelling check is off.

    Parameters:
        store: the open Store (personal words, spelling variants).
        language: ISO 639-1 code."""
    variant = spelling_variants(store).get(language)
    key = (language, variant)
    cached = _spellers.get(key)
    if isinstance(cached, str):
        return None, cached
    personal = store.spelling_words(language)
    if cached is None:
        try:
            cached = Speller(language, personal, variant=variant)
        except DictionaryMissing as exc:
            _spellers[key] = str(exc)
            return None, str(exc)
        _spellers[key] = cached
    else:
        for word in personal - cached.personal:
            cached.add_personal(word)
    return cached, None


def forget_spellers() -> None:
    """Drop cached spellers (after dictionaries were installed, in tests)."""
    _spellers.clear()


def checker_for(store, language: str, target_language: str, only: set[str] | None = None,
                notes: list[str] | None = None) -> Checker:
    """A ``Checker`` for one language pair with the project's glossary,
    settings and (when enabled) speller.

    Parameters:
        store: the open Store.
        language, target_language: the pair.
        only: run only these checks (None: all not turned off).
        notes: messages for the user are appended here."""
    enabled = enabled_checks(store, only)
    speller = None
    if "spelling" in enabled:
        speller, note = speller_for(store, target_language)
        if note and notes is not None and note not in notes:
            notes.append(note)
    return Checker(language, target_language, terms=store.glossary_terms(language, target_language),
                   enabled=enabled, speller=speller)


@dataclass
class QaReport:
    """Findings of a QA run (ignored ones left out unless asked) and notes."""
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    ignored: int = 0
    units: int = 0


def run_qa(store, document_ids: Sequence[int] = (), *, only: set[str] | None = None,
           include_ignored: bool = False, progress: ProgressFn = no_progress) -> QaReport:
    """Run the checks over documents.

    Parameters:
        store: the open Store.
        document_ids: the documents (empty: every document).
        only: run only these check ids (None: every check not turned off).
        include_ignored: also return findings marked ignored.
        progress: called as documents are done.

    Raises ``NotFoundError`` for an unknown document id."""
    docs = store.qa_document_languages(document_ids)
    missing = [d for d in document_ids if d not in docs]
    if missing:
        raise NotFoundError(f"no document with id {missing[0]}")
    report = QaReport()
    checkers: dict[tuple[str, str], Checker] = {}
    for n, (doc_id, (language, target_language)) in enumerate(docs.items(), 1):
        pair = (language, default_target_language(language, target_language))
        if pair not in checkers:
            checkers[pair] = checker_for(store, *pair, only=only, notes=report.notes)
        units = store.qa_units(doc_id)
        report.units += len(units)
        findings = checkers[pair].document_findings(units, doc_id)
        if findings and not include_ignored:
            ignored = store.ignored_findings([f.unit_id for f in findings])
            if ignored:
                kept = [f for f in findings if (f.unit_id, f.check, f.hash) not in ignored]
                report.ignored += len(findings) - len(kept)
                findings = kept
        report.findings.extend(findings)
        progress(n / len(docs), f"checked document {doc_id}")
    return report


def units_with_open_errors(store, document_ids: Sequence[int] = ()) -> set[int]:
    """Ids of units with an error finding that is not ignored.

    Parameters:
        store: the open Store.
        document_ids: the documents (empty: all)."""
    report = run_qa(store, document_ids)
    return {f.unit_id for f in report.findings if f.severity == "error"}


def parse_finding_key(key: str) -> tuple[int, str, str]:
    """``unit:check:hash`` (a finding's ``id``) as a tuple.

    Parameters:
        key: the finding id printed by ``workbench qa``.

    Raises ``BadInputError`` when it is not one."""
    parts = key.split(":")
    if len(parts) != 3 or not parts[0].isdigit() or parts[1] not in CHECKS or not parts[2]:
        raise BadInputError(f"'{key}' is not a finding id (unit:check:hash, as printed by 'workbench qa')")
    return int(parts[0]), parts[1], parts[2]
