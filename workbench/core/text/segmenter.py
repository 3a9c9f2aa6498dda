"""Sentence segmentation of one paragraph of news text.

Base segmenter: sentencex (Rust, ~30 MB/s) for every language.  Measured on
our gold sets (bench/segmenter_eval.py): pysbd is a little better than
sentencex on raw English but runs at ~0.15 MB/s; razdel is the best raw Russian
segmenter but runs at ~1.7 MB/s on paragraphs.  Both are too slow for the
import target (>= 2 MB/s for decoding + parsing + segmenting), and with the
corrections below on top, a sentencex base scored at least as well as a razdel
base (the rules decide most candidates; the base breaks the remaining ties).

The corrections decide every *candidate* boundary (terminal punctuation plus
closing quotes/brackets, followed by whitespace) with rules for what news
needs; the base's answer is used only where no rule applies:

- sentencex never splits inside quotation marks, but translators need the two
  sentences of a long quote as two segments;
- datelines (``ЖЕНЕВА, 24 апреля. /ИА «Дунё»/. Постоянный ...``) stay with the
  first sentence;
- abbreviations: some never end a sentence (``Mr.``, ``им.``, ``ул.``, ``e.g.``),
  some often do (``etc.``, ``руб.``, ``2030 г.``, ``и т. д.``); initials
  (``А. С. Пушкин``, ``J. R. R. Tolkien``) do not;
- numbered list items (``1. Protecting ...``) are not split after the number;
- ellipses and closing brackets followed by a capital end a sentence.

Invariant (tested): the sentences are stripped, non-empty substrings of the
paragraph, in order, and only whitespace lies between them.
"""
from __future__ import annotations

import re

import sentencex

# A candidate boundary: terminal punctuation, then closing quotes/brackets, then
# whitespace (NBSP included: scraped text is full of it).
_CANDIDATE = re.compile(r"([.!?…]+)([\"'»”’)\]/]*)(?=\s)")
_OPENERS = "\"'«“„‘([{/<"
_DASHES = "—–-‒―"

# Datelines at the start of a paragraph: an upper-case place name, a comma, an
# optional date, then the agency in slashes or after a dash, ending in a full
# stop.  Nothing inside is a sentence boundary.
_DATELINE = re.compile(
    r"""\s*[A-ZА-ЯЁ][A-ZА-ЯЁ'’\-]+(?:\s[A-ZА-ЯЁ][A-ZА-ЯЁ'’\-]+){0,3},\s*
        (?:[\w.]{1,12}\s+[\w.]{1,12}\.?\s*)?           # 24 апреля.  /  Sept. 24
        (?:/[^/\n]{1,80}/\.?                           # /ИА «Дунё»/.
          |\([^()\n]{1,60}\)\.?                        # (Reuters).
          |[—–-]\s*[^.!?\n]{1,50}\.)                   # — РИА Новости.
    """,
    re.VERBOSE,
)

# Abbreviations, lower case, without the final dot; multi-part ones are written
# with dots and no spaces ("т.д" matches "т. д." and "т.д.").
# Never the end of a sentence: a capital after them is a name or a noun.
_NEVER_END = frozenset("""
    mr mrs ms messrs dr prof sen rep gov gen lt col capt sgt cpl maj adm cmdr st mt
    rev hon pres supt insp e.g i.e vs cf viz approx ca incl esp
    ул пр пер пл наб ш им проф акад доц чл корр т.е т.к т.н т.ч т.о ср напр ген полк
    тов гр св о оз р пос ст стр гл рис табл илл п т вып изд ред прим англ рус лат
    нем фр франц д кв ок
""".split())
# Often the end of a sentence: a following capital starts a new one.
_CAN_END = frozenset("""
    etc inc ltd co corp llc plc jr sr bros a.m p.m no art p pp vol fig ch sec ft lbs oz
    jan feb mar apr jun jul aug sep sept oct nov dec
    и.др др и.пр т.д т.п руб коп долл тыс млн млрд трлн чел гг вв км кг мин сек
    шт экз ед обл янв фев февр мар апр авг сен сент окт нояб ноя дек
""".split())
# After a number (or a Roman numeral) these are units and can end a sentence
# ("в 2030 г. Стороны"); elsewhere they cannot ("в г. Ташкенте", "см. приложение").
_AFTER_NUMBER_CAN_END = frozenset("г в см м л ч с".split())
# Units and currencies: an all-capitals word after them belongs to the amount
# ("1,5 млрд долл. США").
_UNITS = frozenset("руб коп долл тыс млн млрд трлн".split())
# Dotted acronyms that can end a sentence ("moved to the U.S. It now ...").
_ACRONYMS = frozenset("u.s u.k u.n e.u d.c u.s.a u.a.e u.s.s.r n.y l.a".split())
# Words that start sentences: after an acronym or an initial, such a word
# means a new sentence ("to the U.S. It now employs ..."), a name does not.
_STARTERS = frozenset("""
    the it he she they we i this that these those there but and in on at a an its his
    her their however meanwhile according after before as if when while some many
    most officials for of to with by since so yet
    в на он она они оно мы это этот эта эти по с как но а и при для также ранее
    кроме однако там здесь так тем об о к у за после до из его ее её их
""".split())

_NUMBER = re.compile(r"^(?:\d[\d.,]*|[IVXLC]+)$")
_LIST_MARKER_START = re.compile(r"^(?:\d{1,3}|[IVXLC]{1,5}|[a-zа-я])[.)]$")
_LIST_MARKER_NEXT = re.compile(r"^\d{1,3}[.)]\s")
_ABBREV_CHAIN = re.compile(r"(?:(?<![\w.])\w{1,5}\.\s?){0,3}\w+$")
_INITIALS = re.compile(r"^(?:[A-ZА-ЯЁ]\.)*[A-ZА-ЯЁ]$")
_NEXT_WORD = re.compile(r"[\w.\-]+")
_WINDOW = 60  # characters of context each side of a candidate boundary


def split_sentences(text: str, lang: str) -> list[str]:
    """Split one paragraph into sentences (stripped substrings, in order)."""
    if not text.strip():
        return []
    base = _base_boundaries(text, lang)
    dateline = _DATELINE.match(text)
    dateline_end = dateline.end() if dateline else -1
    ends: list[int] = []
    start = 0
    for match in _CANDIDATE.finditer(text):
        end = match.end()
        if end <= dateline_end or end >= len(text.rstrip()):
            continue
        verdict = _decide(text, start, match)
        if verdict is None:
            verdict = end in base
        if verdict:
            ends.append(end)
            start = end
    sentences = []
    previous = 0
    for end in ends + [len(text)]:
        piece = text[previous:end].strip()
        if piece:
            sentences.append(piece)
        previous = end
    return sentences


def _base_boundaries(text: str, lang: str) -> set[int]:
    """Where sentencex ends sentences (trailing whitespace excluded)."""
    try:
        spans = sentencex.get_sentence_boundaries(lang or "en", text)
    except Exception:  # noqa: BLE001 - the base is only a tie-breaker
        return set()
    ends = set()
    for span in spans:
        end = span["end_index"]
        while end > 0 and text[end - 1].isspace():
            end -= 1
        ends.add(end)
    return ends


def _decide(text: str, sentence_start: int, match: re.Match[str]) -> bool | None:
    """True/False when a rule knows whether ``match`` ends a sentence, else None."""
    punct, closers = match.group(1), match.group(2)
    # Look at a bounded window on each side: slicing to the ends of a long
    # paragraph for every candidate would make segmentation quadratic.
    before = text[max(sentence_start, match.start() - _WINDOW):match.start()]
    after = text[match.end():match.end() + _WINDOW].lstrip()
    first = _first_letter_or_digit(after)

    # A lower-case word, a comma or a dash-led attribution continues the sentence:
    # "... and then", "«Почему?» — спросил он", "D.C., last week".
    if not after or after[0] in ",;:%" or first is None or first.islower():
        return False
    if not (first.isupper() or first.isdigit()):  # a caseless script: ask the base
        return None
    # A bare list number is the start of an item, not a sentence: "1. Protecting".
    if (not closers and match.start() - sentence_start < 8
            and _LIST_MARKER_START.match(before.strip() + punct)):
        return False
    if punct != ".":  # ?, !, ... and … before a capital or a digit end a sentence
        return True
    if closers:  # '."', '.»', '.)' before a capital or a list number
        return True if first.isupper() or _LIST_MARKER_NEXT.match(after) else None

    pieces = before.rsplit(None, 2)
    token = pieces[-1].lstrip(_OPENERS) if pieces and not before[-1:].isspace() else ""
    if (len(token) > 5 and token.isalpha() and token.islower() and first.isupper()
            and token not in _NEVER_END):
        return True  # the common case: an ordinary word, then a capital
    previous_word = pieces[-2] if len(pieces) > 1 and token else ""
    chain = _ABBREV_CHAIN.search(before[-24:])
    keys = _abbreviation_keys(chain.group(0)) if chain else []
    next_word = _NEXT_WORD.match(after.lstrip(_OPENERS + _DASHES))
    next_word_text = next_word.group(0) if next_word else ""

    kind = _abbreviation_kind(keys, previous_word)
    if first.isdigit():
        if kind is not None:  # "24 Sept. 2023", "ст. 12", "No. 10"
            return False
        return True if _LIST_MARKER_NEXT.match(after) else None

    # From here on the next word starts with a capital.
    if token.casefold() in _ACRONYMS:
        return _is_starter(next_word_text)
    if _INITIALS.match(token):  # "А. С. Пушкин", "J. R. R. Tolkien", "И.И. Петров"
        if _INITIALS.match(next_word_text.rstrip(".")) and next_word_text.endswith("."):
            return False
        return _is_starter(next_word_text)
    if kind == "never":
        return False
    if kind == "can_end":
        if keys[0] in _UNITS and next_word_text.isupper() and len(next_word_text) > 1:
            return False  # "млрд долл. США"
        return True
    letters = re.sub(r"[^\w]", "", token)
    if not letters:
        return None
    if letters.isupper() and len(letters) > 1:  # "в США. Визит"
        return True
    if letters.isdigit() or letters.islower() and len(letters) > 1:
        return True  # an ordinary word or number: the quote-aware base may be shy
    if len(letters) > 4:  # a long capitalised word: a name ending a sentence
        return True
    return None  # short capitalised word: maybe an abbreviation the base knows


def _first_letter_or_digit(after: str) -> str | None:
    """The first letter/digit of the next word, skipping opening quotes/dashes."""
    for char in after[:8]:
        if char.isalnum():
            return char
        if char in _OPENERS or char in _DASHES or char.isspace() or char in "¡¿*•$€£¥₽№#":
            continue
        return None
    return None


def _abbreviation_keys(chain: str) -> list[str]:
    """'в т. д' -> ['д', 'т.д'] : the last part alone, then longer dotted suffixes."""
    parts = [p for p in re.split(r"\.\s?", chain.casefold()) if p]
    return [".".join(parts[-n:]) for n in range(1, min(len(parts), 3) + 1)]


def _abbreviation_kind(keys: list[str], previous_word: str) -> str | None:
    """'never', 'can_end' or None for the abbreviation ending ``keys``."""
    if not keys:
        return None
    # Multi-part keys first: "т.д" must win over "д".
    for key in reversed(keys):
        if key in _CAN_END:
            return "can_end"
        if key in _NEVER_END:
            return "never"
        if key in _AFTER_NUMBER_CAN_END and key == keys[0]:
            after_number = bool(_NUMBER.match(previous_word.strip("(–—-")))
            return "can_end" if after_number else "never"
    return None


def _is_starter(word: str) -> bool:
    return word.casefold() in _STARTERS
