"""The QA checks: each has an id, a severity and a one-line explanation.

``Checker`` runs them over units of one language pair: ``unit_findings``
checks one unit (what the window re-runs as the reviewer types),
``document_findings`` all units of a document, adding the checks that
compare units with each other (inconsistency, length ratio).
"""
from __future__ import annotations

import hashlib
import math
import re
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from workbench.core.qa import numbers as num
from workbench.core.qa.morph import words
from workbench.core.qa.terms import TermMatcher
from workbench.core.store.qa_rows import GlossaryTerm
from workbench.core.text.inline_tags import Tag, find_tags


@dataclass(frozen=True)
class CheckInfo:
    """A check's id, severity (``error`` or ``warning``), explanation and
    scope (``unit``: one unit at a time; ``document``: compares units)."""
    id: str
    severity: str
    explanation: str
    scope: str = "unit"


CHECKS: dict[str, CheckInfo] = {c.id: c for c in (
    CheckInfo("numbers", "error", "numbers, decimals, percentages and dates of the source must be in the target"
              " (1.5 million = 1,5 млн; thousands separators and decimal marks per language)"),
    CheckInfo("untranslated", "error", "the target equals the source, or is not in the target language"),
    CheckInfo("empty_approved", "error", "an approved unit has an empty target"),
    CheckInfo("spaces", "warning", "leading/trailing spaces differ from the source, or the target has double spaces"),
    CheckInfo("end_punctuation", "warning", "the final punctuation (. ! ? : ; …) differs from the source"),
    CheckInfo("brackets", "error", "brackets or quotes (incl. « » „ “ ” ‘ ’) are unbalanced in the target"),
    CheckInfo("urls", "error", "a URL, e-mail address, hashtag or @mention of the source is changed or missing"),
    CheckInfo("capitalisation", "warning", "the target starts with a capital where the source does not, or the reverse"),
    CheckInfo("term_missing", "warning", "a glossary term is in the source but none of its translations is in the"
              " target (inflected forms count)"),
    CheckInfo("forbidden_term", "error", "the target uses a translation the glossary marks forbidden"),
    CheckInfo("inconsistent", "warning", "the same source has different approved targets, or the same target"
              " translates different sources", "document"),
    CheckInfo("length", "warning", "the target/source length ratio is far from the document's own ratio", "document"),
    CheckInfo("spelling", "warning", "a word of the target is not in the Hunspell dictionary nor the personal word list"),
    CheckInfo("tags", "error", "an inline tag of the source (<b0>, </b0>, <x1/>) is missing from the target, the"
              " target has one the source lacks, or a paired tag is closed before it is opened or left open"),
)}


@dataclass(frozen=True)
class Finding:
    """One problem of one unit: ``source_spans``/``target_spans`` are
    ``(start, end)`` character offsets into the unit's source/target."""
    unit_id: int
    check: str
    severity: str
    message: str
    source_spans: tuple[tuple[int, int], ...] = ()
    target_spans: tuple[tuple[int, int], ...] = ()
    document_id: int = 0

    @property
    def hash(self) -> str:
        """Names this finding among the unit's findings of its check (the
        message, not the offsets: an ignored finding stays ignored while the
        problem is the same)."""
        return hashlib.sha1(f"{self.check}\0{self.message}".encode()).hexdigest()[:10]

    @property
    def key(self) -> str:
        """``unit:check:hash``, what ``workbench qa ignore`` takes."""
        return f"{self.unit_id}:{self.check}:{self.hash}"

    def to_json(self) -> dict:
        """The finding as a JSON object (one ``workbench qa --json`` line)."""
        return {"id": self.key, "document_id": self.document_id, "unit_id": self.unit_id, "check": self.check,
                "severity": self.severity, "message": self.message,
                "source_spans": [list(s) for s in self.source_spans],
                "target_spans": [list(s) for s in self.target_spans]}


# -- patterns ----------------------------------------------------------------
_URL_RE = re.compile(r"(?:https?://|ftp://|www\.)[^\s<>«»\"“”]+", re.IGNORECASE)
_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_TAG_RE = re.compile(r"(?<![\w&#/])#[^\W\d_][\w]*")
_MENTION_RE = re.compile(r"(?<![\w@/.])@\w+")
_TRAIL = ".,;:!?)]}»”’'\""
_CLOSERS = ")]}»”’\"'›"
_BRACKETS_RE = re.compile("[][(){}«»„“”‘’\"]")
_CYR = re.compile(r"[А-Яа-яЁёІіЇїЄєЎў]")
_LAT = re.compile(r"[A-Za-z]")
CYRILLIC_LANGS = {"ru", "uk", "be", "bg", "sr", "mk", "kk"}
LATIN_LANGS = {"en", "de", "fr", "es", "it", "pt", "nl", "sv", "no", "da", "fi", "pl", "cs", "tr", "ro", "hu"}


def tokens(text: str) -> list[tuple[str, str, int, int]]:
    """URLs, e-mail addresses, hashtags and mentions: ``(kind, text, start, end)``.

    Parameters:
        text: any text."""
    if "@" not in text and "#" not in text and "://" not in text and "www." not in text.lower():
        return []
    out, taken = [], []
    for kind, regex in (("URL", _URL_RE), ("e-mail address", _EMAIL_RE), ("hashtag", _TAG_RE),
                        ("mention", _MENTION_RE)):
        for m in regex.finditer(text):
            start, end = m.span()
            if kind == "URL":
                while end > start and text[end - 1] in _TRAIL:
                    end -= 1
            if any(s < end and start < e for s, e in taken):
                continue
            taken.append((start, end))
            out.append((kind, text[start:end], start, end))
    return out


def _end_class(text: str) -> tuple[str, int]:
    """The final punctuation of a text (quotes and brackets after it skipped)
    and its offset; ``""`` when it ends with none."""
    t = text.rstrip()
    i = len(t)
    while i > 0 and t[i - 1] in _CLOSERS:
        i -= 1
    if i == 0:
        return "", 0
    if t[max(0, i - 3):i] == "...":
        return "…", i - 3
    c = t[i - 1]
    if c in ".!?:;…,":
        # "?!" / "!?" / "?.." count as their first mark
        j = i - 1
        while j > 0 and t[j - 1] in "!?":
            j -= 1
        return (t[j] if t[j] in "!?" else c), i - 1
    return "", i


def _balance(text: str, language: str) -> tuple[list[tuple[int, int]], dict[str, int]]:
    """Unbalanced bracket/quote positions (as spans) and the count of each
    bracket pair."""
    if not _BRACKETS_RE.search(text):
        return [], {}
    stack: list[tuple[str, int]] = []
    bad: list[tuple[int, int]] = []
    pairs = {")": "(", "]": "[", "}": "{", "»": "«"}
    counts: dict[str, int] = defaultdict(int)
    low_quotes = language in ("ru", "de", "uk", "cs", "pl", "bg")
    straight = []
    for m in _BRACKETS_RE.finditer(text):
        i, c = m.start(), m.group()
        if c in "([{«„":
            stack.append((c, i))
            if c in "([{":
                counts[c] += 1
        elif c in ")]}»":
            if stack and stack[-1][0] == pairs[c]:
                stack.pop()
            else:
                bad.append((i, i + 1))
        elif c == "“":
            if low_quotes and stack and stack[-1][0] == "„":
                stack.pop()
            else:
                stack.append((c, i))
        elif c == "”":
            if stack and stack[-1][0] in "“„":
                stack.pop()
            else:
                bad.append((i, i + 1))
        elif c == "‘":
            stack.append((c, i))
        elif c == "’":
            if stack and stack[-1][0] == "‘":
                stack.pop()
            # else: an apostrophe
        elif c == '"':
            straight.append(i)
    bad.extend((i, i + 1) for _c, i in stack)
    if len(straight) % 2:
        bad.append((straight[-1], straight[-1] + 1))
    return sorted(bad), counts


def _script_share(text: str, language: str) -> tuple[float, int]:
    """Share of letters in the language's script, and the number of letters
    of the Latin and Cyrillic scripts together."""
    cyr, lat = len(_CYR.findall(text)), len(_LAT.findall(text))
    total = cyr + lat
    if not total:
        return 1.0, 0
    if language in CYRILLIC_LANGS:
        return cyr / total, total
    if language in LATIN_LANGS:
        return lat / total, total
    return 1.0, total


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


@dataclass
class Checker:
    """Runs the checks for one language pair.

    Parameters:
        source_lang, target_lang: ISO 639-1 codes.
        terms: glossary entries (those of other language pairs are ignored).
        enabled: the check ids to run (None: all).
        speller: a ``spelling.Speller`` for the target language, or None
            (the spelling check is then off)."""
    source_lang: str
    target_lang: str
    terms: Sequence[GlossaryTerm] = ()
    enabled: Iterable[str] | None = None
    speller: object | None = None
    length_factor: float = 2.5
    _setup: bool = field(default=False, repr=False)

    def __post_init__(self) -> None:
        self.enabled = set(CHECKS if self.enabled is None else self.enabled)
        if self.speller is None:
            self.enabled.discard("spelling")
        pair = [t for t in self.terms if t.source_lang == self.source_lang and t.target_lang == self.target_lang]
        allowed = [t for t in pair if not t.forbidden]
        self._sources = sorted({t.source for t in allowed})
        self._targets_of: dict[int, set[int]] = defaultdict(set)
        target_list = sorted({t.target for t in allowed})
        target_index = {t: i for i, t in enumerate(target_list)}
        source_index = {s: i for i, s in enumerate(self._sources)}
        self._target_list = target_list
        for t in allowed:
            self._targets_of[source_index[t.source]].add(target_index[t.target])
        self._first_target = {source_index[t.source]: t.target for t in reversed(allowed)}
        self.source_terms = TermMatcher(self._sources, self.source_lang)
        self.target_terms = TermMatcher(target_list, self.target_lang)
        self._forbidden = [t for t in pair if t.forbidden]
        self.forbidden_terms = TermMatcher([t.target for t in self._forbidden], self.target_lang)

    def term_translations(self, source_term_index: int) -> list[str]:
        """The allowed translations of the source matcher's term ``source_term_index``.

        Parameters:
            source_term_index: ``TermHit.index`` of a hit of ``source_terms``."""
        return sorted(self._target_list[i] for i in self._targets_of.get(source_term_index, ()))

    # -- one unit -----------------------------------------------------------------
    def unit_findings(self, unit_id: int, source: str, target: str, status: str = "edited",
                      document_id: int = 0) -> list[Finding]:
        """The findings of the unit-scope checks for one unit.

        Inline tags (``<b0>``, ``</b0>``, ``<x1/>``) are checked by ``tags``
        alone: the other checks see the texts without them (the ``0`` of
        ``<b0>`` is no number), and their spans are mapped back onto the
        texts with tags.

        Parameters:
            unit_id: the unit's id (copied into the findings).
            source, target: its texts.
            status: its status (``approved`` matters to ``empty_approved``).
            document_id: copied into the findings."""
        source_tags = find_tags(source) if "<" in source else []
        target_tags = find_tags(target) if "<" in target else []
        if not source_tags and not target_tags:
            return self._plain_findings(unit_id, source, target, status, document_id)
        out = []
        if "tags" in self.enabled and target.strip():
            finding = tag_finding(unit_id, source_tags, target_tags, document_id)
            if finding is not None:
                out.append(finding)
        plain_source, source_map = _without_tags(source, source_tags)
        plain_target, target_map = _without_tags(target, target_tags)
        for f in self._plain_findings(unit_id, plain_source, plain_target, status, document_id):
            out.append(Finding(f.unit_id, f.check, f.severity, f.message,
                               tuple(_map_span(span, source_map) for span in f.source_spans),
                               tuple(_map_span(span, target_map) for span in f.target_spans), f.document_id))
        return out

    def _plain_findings(self, unit_id: int, source: str, target: str, status: str,
                        document_id: int) -> list[Finding]:
        """The unit-scope checks but ``tags``, on texts without inline tags."""
        out: list[Finding] = []

        def add(check, message, src=(), tgt=()):
            out.append(Finding(unit_id, check, CHECKS[check].severity, message, tuple(src), tuple(tgt),
                               document_id))

        on = self.enabled
        if not target.strip():
            if "empty_approved" in on and status == "approved" and source.strip():
                add("empty_approved", "the unit is approved but its target is empty", [(0, len(source))])
            return out
        src_tokens = tokens(source)
        tgt_tokens = tokens(target)
        identical = _norm(source) == _norm(target)  # reported by "untranslated", not by each check
        if "numbers" in on and not identical:
            missing, extra = num.compare(source, self.source_lang, target, self.target_lang,
                                         source_mask=[(s, e) for _k, _t, s, e in src_tokens],
                                         target_mask=[(s, e) for _k, _t, s, e in tgt_tokens])
            if missing or extra:
                parts = []
                if missing:
                    parts.append("not in the target: " + ", ".join(n.text for n in missing))
                if extra:
                    parts.append("not in the source: " + ", ".join(n.text for n in extra))
                add("numbers", "numbers differ; " + "; ".join(parts),
                    [(n.start, n.end) for n in missing], [(n.start, n.end) for n in extra])
        if "untranslated" in on:
            self._untranslated(source, target, add)
        if "spaces" in on:
            self._spaces(source, target, add)
        if "end_punctuation" in on:
            s_mark, s_at = _end_class(source)
            t_mark, t_at = _end_class(target)
            if s_mark != t_mark and not ({s_mark, t_mark} <= {".", "…"} and "" not in (s_mark, t_mark)):
                add("end_punctuation", f"the source ends with {_mark(s_mark)}, the target with {_mark(t_mark)}",
                    [(s_at, s_at + 1)] if s_mark else [], [(t_at, t_at + 1)] if t_mark else [])
        if "brackets" in on:
            s_bad, s_counts = _balance(source, self.source_lang)
            t_bad, t_counts = _balance(target, self.target_lang)
            if t_bad and len(t_bad) != len(s_bad):
                add("brackets", "unbalanced brackets or quotes in the target: "
                    + " ".join(target[s:e] for s, e in t_bad), s_bad, t_bad)
            else:
                lost = [b for b in "([{" if s_counts.get(b, 0) > t_counts.get(b, 0)]
                if lost:
                    add("brackets", "brackets of the source missing from the target: "
                        + " ".join(b + {"(": ")", "[": "]", "{": "}"}[b] for b in lost),
                        [(i, i + 1) for i, c in enumerate(source) if c in lost])
        if "urls" in on and (src_tokens or tgt_tokens):
            tgt_left = [t for _k, t, _s, _e in tgt_tokens]
            missing = []
            for kind, text, s, e in src_tokens:
                if text in tgt_left:
                    tgt_left.remove(text)
                else:
                    missing.append((kind, text, s, e))
            src_texts = {t for _k, t, _s, _e in src_tokens}
            extra = [t for t in tgt_tokens if t[1] not in src_texts and t[1] in tgt_left]
            if missing or extra:
                what = "; ".join([f"{k} {t} not in the target" for k, t, _s, _e in missing]
                                 + [f"{k} {t} not in the source" for k, t, _s, _e in extra])
                add("urls", what, [(s, e) for _k, _t, s, e in missing], [(s, e) for _k, _t, s, e in extra])
        if "capitalisation" in on:
            s_first = next(((i, c) for i, c in enumerate(source) if c.isalnum()), None)
            t_first = next(((i, c) for i, c in enumerate(target) if c.isalnum()), None)
            if (s_first and t_first and s_first[1].isalpha() and t_first[1].isalpha()
                    and s_first[1].isupper() != t_first[1].isupper()
                    and not (s_first[1].isupper() and _starts_with_lower_brand(target))):
                state = "a capital" if s_first[1].isupper() else "a small letter"
                add("capitalisation", f"the source starts with {state}, the target does not",
                    [(s_first[0], s_first[0] + 1)], [(t_first[0], t_first[0] + 1)])
        if ("term_missing" in on and self.source_terms) or ("forbidden_term" in on and self.forbidden_terms):
            self._terms(_masked(source, src_tokens), target, add, same=identical)
        if "spelling" in on and self.speller is not None:
            skip = {w for w, _s, _e in words(source)}
            bad = self.speller.check(_masked(target, tgt_tokens), skip=skip)
            if bad:
                add("spelling", "unknown word(s): " + ", ".join(m.word for m in bad), (),
                    [(m.start, m.end) for m in bad])
        return out

    def _untranslated(self, source: str, target: str, add) -> None:
        if _norm(source) == _norm(target):
            ws = [w for w, _s, _e in words(source)]
            if len(ws) >= 2 and any(w.islower() for w in ws):
                add("untranslated", "the target is the same as the source", [(0, len(source))], [(0, len(target))])
            return
        share, letters = _script_share(target, self.target_lang)
        if letters >= 12 and share < 0.4:
            # Words kept from the source (names, brands) are fine; the rest must be in the language.
            src_words = {w.casefold() for w, _s, _e in words(source)}
            foreign = [w for w, _s, _e in words(target) if w.casefold() not in src_words]
            share2, letters2 = _script_share(" ".join(foreign), self.target_lang)
            if letters2 >= 12 and share2 < 0.4:
                add("untranslated", f"the target is not in the target language ({self.target_lang})", (),
                    [(0, len(target))])

    def _spaces(self, source: str, target: str, add) -> None:
        problems, spans = [], []
        s_lead, t_lead = len(source) - len(source.lstrip()), len(target) - len(target.lstrip())
        if bool(s_lead) != bool(t_lead):
            problems.append("leading space " + ("missing" if s_lead else "added"))
            if t_lead:
                spans.append((0, t_lead))
        s_trail, t_trail = len(source) - len(source.rstrip()), len(target) - len(target.rstrip())
        if bool(s_trail) != bool(t_trail):
            problems.append("trailing space " + ("missing" if s_trail else "added"))
            if t_trail:
                spans.append((len(target) - t_trail, len(target)))
        inner = target.strip()
        offset = len(target) - len(target.lstrip())
        doubles = [(m.start() + offset, m.end() + offset) for m in re.finditer(r"[ \u00a0]{2,}", inner)]
        if doubles and not re.search(r"[ \u00a0]{2,}", source.strip()):
            problems.append("double space")
            spans.extend(doubles)
        if problems:
            add("spaces", ", ".join(problems), (), spans)

    def _terms(self, source: str, target: str, add, *, same: bool = False) -> None:
        # A forbidden translation used is one problem: its source term is not
        # reported missing too.
        forbidden_hits = self.forbidden_terms.find(target) if self.forbidden_terms else []
        replaced = {self._forbidden[h.index].source for h in forbidden_hits}
        if "term_missing" in self.enabled and self.source_terms and not same:
            hits = self.source_terms.find(source)
            if hits:
                found = {h.index for h in self.target_terms.find(target, overlapping=True)}
                for h in hits:
                    wanted = self._targets_of.get(h.index, set())
                    if wanted and not (wanted & found) and self._sources[h.index] not in replaced:
                        add("term_missing", f"term '{self._sources[h.index]}' → '"
                            + "' / '".join(self.term_translations(h.index)) + "' not in the target",
                            [(h.start, h.end)])
        if "forbidden_term" in self.enabled and self.forbidden_terms:
            for h in forbidden_hits:
                t = self._forbidden[h.index]
                allowed = [x.target for x in self.terms if x.source == t.source and not x.forbidden
                           and x.source_lang == t.source_lang and x.target_lang == t.target_lang]
                hint = f" (use '{allowed[0]}')" if allowed else ""
                add("forbidden_term", f"forbidden term '{t.target}' for '{t.source}'{hint}", (),
                    [(h.start, h.end)])

    # -- a whole document -----------------------------------------------------------
    def document_findings(self, units: Sequence[tuple[int, str, str, str]], document_id: int = 0) -> list[Finding]:
        """Every enabled check over a document's units.

        Parameters:
            units: ``(unit_id, source, target, status)`` in reading order.
            document_id: copied into the findings."""
        out: list[Finding] = []
        for uid, source, target, status in units:
            out.extend(self.unit_findings(uid, source, target, status, document_id))
        if "inconsistent" in self.enabled:
            out.extend(inconsistencies(units, document_id))
        if "length" in self.enabled:
            out.extend(self.length_outliers(units, document_id))
        return out

    def length_outliers(self, units: Sequence[tuple[int, str, str, str]], document_id: int = 0) -> list[Finding]:
        """Units whose target/source length ratio is more than
        ``length_factor`` times off the document's median ratio.

        Parameters:
            units: ``(unit_id, source, target, status)``.
            document_id: copied into the findings."""
        units = [(uid, _plain(s), _plain(t), st) for uid, s, t, st in units]
        ratios = [(uid, len(t.strip()) / len(s.strip())) for uid, s, t, _st in units
                  if len(s.strip()) >= 4 and t.strip()]
        if len(ratios) < 5:
            return []
        median = statistics.median(r for _u, r in ratios)
        if median <= 0:
            return []
        limit = math.log(self.length_factor)
        by_id = {uid: (s, t) for uid, s, t, _st in units}
        out = []
        for uid, r in ratios:
            s, t = by_id[uid]
            if max(len(s.strip()), len(t.strip())) < 20 or r == 0:
                continue
            if abs(math.log(r / median)) > limit:
                out.append(Finding(uid, "length", "warning",
                                   f"target/source length ratio {r:.2f}, the document's is {median:.2f}",
                                   (), (), document_id))
        return out


def inconsistencies(units: Sequence[tuple[int, str, str, str]], document_id: int = 0) -> list[Finding]:
    """Approved units whose source has other approved targets, or whose
    target translates other sources.

    Parameters:
        units: ``(unit_id, source, target, status)``.
        document_id: copied into the findings."""
    approved = [(uid, s, t) for uid, s, t, st in units if st == "approved" and s.strip() and t.strip()]
    by_source: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    by_target: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for uid, s, t in approved:
        by_source[_norm(s)][_norm(t)].append(uid)
        by_target[_norm(t)][_norm(s)].append(uid)
    out = []
    for groups, what in ((by_source, "the same source is translated"), (by_target, "the same target translates")):
        for key, variants in groups.items():
            if len(variants) < 2:
                continue
            n = len(variants)
            for ids in variants.values():
                others = sorted(u for v in variants.values() for u in v if u not in ids)
                for uid in ids:
                    noun = "different sources" if groups is by_target else "differently"
                    out.append(Finding(uid, "inconsistent", "warning",
                                       f"{what} {noun} ({n} variants) in unit(s) "
                                       + ", ".join(map(str, others[:5])) + ("…" if len(others) > 5 else ""),
                                       (), (), document_id))
    return out


def _starts_with_lower_brand(text: str) -> bool:
    first = next((w for w, _s, _e in words(text)), "")
    return len(first) > 1 and first[0].islower() and any(c.isupper() for c in first[1:])


def _mark(mark: str) -> str:
    return f"'{mark}'" if mark else "no punctuation"


def _masked(text: str, found: list[tuple[str, str, int, int]]) -> str:
    """``text`` with URLs, addresses, hashtags and mentions blanked (same length)."""
    if not found:
        return text
    chars = list(text)
    for _k, _t, start, end in found:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


# -- inline tags ------------------------------------------------------------------

def tag_finding(unit_id: int, source_tags: Sequence[Tag], target_tags: Sequence[Tag],
                document_id: int = 0) -> Finding | None:
    """The ``tags`` finding of a unit, or None when its tags are right.

    The target must hold each tag of the source as many times as the source
    does (in any order: a translation may move a bold word), no other tag,
    and its paired tags must open before they close, close, and nest.  A
    source whose own pair is cut by the segmentation (``<b0>`` in this
    sentence, ``</b0>`` in the next) may be translated the same way.

    Parameters:
        unit_id: the unit (copied into the finding).
        source_tags, target_tags: ``inline_tags.find_tags`` of the source and target.
        document_id: copied into the finding."""
    wanted: dict[str, list[Tag]] = defaultdict(list)
    for tag in source_tags:
        wanted[tag.text].append(tag)
    had: dict[str, list[Tag]] = defaultdict(list)
    for tag in target_tags:
        had[tag.text].append(tag)
    missing = [t for text, tags in wanted.items() for t in tags[len(had.get(text, ())):]]
    extra = [t for text, tags in had.items() for t in tags[len(wanted.get(text, ())):]]
    extra_texts = {t.text for t in extra}
    source_problems = {(name, problem) for name, problem, _tag in _pairing_problems(source_tags)}
    misplaced = [(name, problem, tag) for name, problem, tag in _pairing_problems(target_tags)
                 if (name, problem) not in source_problems and tag.text not in extra_texts]
    if not (missing or extra or misplaced):
        return None
    missing.sort(key=lambda t: t.start)
    extra.sort(key=lambda t: t.start)
    parts = []
    if missing:
        parts.append("missing from the target: " + " ".join(t.text for t in missing))
    if extra:
        parts.append("not in the source: " + " ".join(t.text for t in extra))
    for name, problem, _tag in misplaced:
        parts.append({"closed before opened": f"</{name}> comes before <{name}>",
                      "never closed": f"<{name}> is not closed",
                      "crosses": f"<{name}>…</{name}> crosses another tag pair"}[problem])
    target_spans = sorted({(t.start, t.end) for t in extra} | {(t.start, t.end) for _n, _p, t in misplaced})
    return Finding(unit_id, "tags", CHECKS["tags"].severity, "tags differ; " + "; ".join(parts),
                   tuple((t.start, t.end) for t in missing), tuple(target_spans), document_id)


def _pairing_problems(tags: Sequence[Tag]) -> list[tuple[str, str, Tag]]:
    """``(tag name, problem, tag)`` for paired tags out of order in one text:
    ``closed before opened``, ``never closed``, ``crosses`` (closed while a
    pair opened inside it is still open)."""
    problems = []
    stack: list[Tag] = []
    opened_later = {}
    for n, tag in enumerate(tags):
        if tag.kind == "close":
            opened_later[n] = any(t.kind == "open" and t.name == tag.name for t in tags[n + 1:])
    early_closes: list[str] = []   # closed before opened: their late open is that one problem
    for n, tag in enumerate(tags):
        if tag.kind == "open":
            if tag.name in early_closes:
                early_closes.remove(tag.name)
            else:
                stack.append(tag)
        elif tag.kind == "close":
            names = [t.name for t in stack]
            if tag.name not in names:
                if opened_later[n]:
                    problems.append((tag.name, "closed before opened", tag))
                    early_closes.append(tag.name)
                continue  # a close whose open is in another segment: the source decides
            at = len(names) - 1 - names[::-1].index(tag.name)
            if at != len(stack) - 1:
                problems.append((tag.name, "crosses", tag))
            del stack[at]
    problems.extend((t.name, "never closed", t) for t in stack)
    return problems


def _plain(text: str) -> str:
    return _without_tags(text, find_tags(text))[0] if "<" in text else text


def _without_tags(text: str, tags: Sequence[Tag]) -> tuple[str, list[int]]:
    """``text`` without its tags, and for each character of it (and its end)
    the offset in ``text``."""
    if not tags:
        return text, list(range(len(text) + 1))
    kept: list[str] = []
    offsets: list[int] = []
    last = 0
    for tag in tags:
        kept.append(text[last:tag.start])
        offsets.extend(range(last, tag.start))
        last = tag.end
    kept.append(text[last:])
    offsets.extend(range(last, len(text)))
    offsets.append(len(text))
    return "".join(kept), offsets


def _map_span(span: tuple[int, int], offsets: list[int]) -> tuple[int, int]:
    start, end = span
    start = offsets[min(start, len(offsets) - 1)]
    end = offsets[min(end - 1, len(offsets) - 1)] + 1 if end > span[0] else start
    return start, end
