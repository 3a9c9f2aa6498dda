"""Reading article files: bytes -> text, and the text's language.

Scraped news comes in UTF-8 (with or without BOM), UTF-16 from Windows tools,
and legacy Russian single-byte encodings (cp1251, koi8-r, sometimes
mac-cyrillic or cp866).  Generic detectors (charset-normalizer included) mix
the single-byte Cyrillic encodings up on short texts, because the same bytes
are letters in all of them; here those are told apart by how Russian the
decoded letters look (letter frequencies and letter case).  Latin text that
is not UTF-8 is taken as Windows-1252 when that gives only Latin letters and
typography, and charset-normalizer is kept for everything else.
"""
from __future__ import annotations

import codecs
import math
import os
import re
import stat
import threading
import unicodedata
from collections import Counter
from functools import lru_cache
from pathlib import Path

from workbench.core.errors import BadInputError

MAX_IMPORT_BYTES = 20 * 1024 * 1024

# Single-byte Cyrillic encodings, most common first: a tie goes to the first.
_CYRILLIC_ENCODINGS = ("cp1251", "koi8_r", "mac_cyrillic", "cp866")

# Relative frequency of Russian letters in running text (per mille, rounded).
_RUSSIAN_LETTER_FREQ = {
    "о": 110, "е": 85, "а": 80, "и": 74, "н": 67, "т": 63, "с": 55, "р": 47,
    "в": 45, "л": 44, "к": 35, "м": 32, "д": 30, "п": 28, "у": 26, "я": 20,
    "ы": 19, "ь": 17, "г": 17, "з": 17, "б": 16, "ч": 14, "й": 12, "х": 10,
    "ж": 9, "ш": 7, "ю": 6, "ц": 5, "щ": 4, "э": 3, "ф": 3, "ъ": 0.4, "ё": 2,
}
_LETTER_LOGP = {ch: math.log(f / 1000) for ch, f in _RUSSIAN_LETTER_FREQ.items()}
# Characters that legitimately appear in Russian text besides the letters.
_TYPOGRAPHY = set("«»—–…№“”„’‘•°\u00a0\u2009\u202f€§©®™±·")
_LOGP_TYPOGRAPHY = math.log(0.01)
_LOGP_OTHER_CYRILLIC = math.log(0.001)   # і ї є ґ ў ђ ...: Ukrainian, Serbian...
_LOGP_OTHER = math.log(0.00002)          # box drawing, maths, Latin-1 symbols
_PENALTY_MIXED_CASE = math.log(0.0005)   # "пРИВЕТ": lower then upper in one word
_PENALTY_UPPER_WORD = math.log(0.3)      # "ПРИВЕТ": fine for acronyms, rarer in prose
# Average log-probability per non-ASCII character above which a single-byte
# Cyrillic decoding is believed (Russian prose scores about -3.2).
_MIN_CYRILLIC_SCORE = -5.0

_SCORE_SAMPLE_BYTES = 64 * 1024
_UTF32_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_LOWER = "a-z\u0430-\u045f"
_UPPER = "A-Z\u0400-\u042f"
# Each pattern starts with a character class, which the regex engine scans for
# quickly; word-boundary conditions are checked on the (few) matches instead.
_MIXED_CASE = re.compile(f"[{_LOWER}][{_UPPER}]")                # "пРИВЕТ"
_CAPS_THEN_LOWER = re.compile(f"[{_UPPER}]{{2}}[{_LOWER}]")      # "ЗЏочему" at a word start
_UPPER_WORD = re.compile("[\u0400-\u042f]{2,}")                 # "ПРИВЕТ" as a whole word
_MIXED_SCRIPT = re.compile("[A-Za-z][\u0400-\u04ff]|[\u0400-\u04ff][A-Za-z]")  # "cafй"
_CYRILLIC_WORD = re.compile("[\u0400-\u04ff]{2}")
# "–ифровые" (punctuation glued to the start of a word), "ждать!И".
_GLUED_PUNCTUATION = re.compile("[–—•…‚„†‡€‰™›‹!?][А-ЯЁа-яё]")


def decode_bytes(data: bytes, name: str = "input") -> str:
    """Decode an article's bytes to text with ``\\n`` newlines and no BOM.

    Raises BadInputError (one line, naming ``name``) for empty input, binary
    data, or bytes that are not text in any encoding.
    """
    if not data:
        raise BadInputError(f"{name} is empty")
    text = _decode(data, name)
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n\n")
    if not text.strip():
        raise BadInputError(f"{name} is empty (it contains only whitespace)")
    controls = len(_CONTROL.findall(text)) if _CONTROL.search(text) else 0
    if controls and (controls > 0.01 * len(text) or "\x00" in text):
        raise BadInputError(f"{name} looks like binary data, not text "
                            f"({controls} control characters)")
    return text


def _decode(data: bytes, name: str) -> str:
    for bom in _UTF32_BOMS:
        if data.startswith(bom):
            return _strict(data, "utf-32", name)
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[len(codecs.BOM_UTF8):], "utf-8", name)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", name)
    # BOM-less UTF-16 has NUL bytes (ASCII characters) or, for Russian-only
    # text, 0x04 bytes, which would pass for ASCII control characters in UTF-8.
    if b"\x00" in data or b"\x04" in data:
        encoding = _bomless_utf16(data)
        if encoding is not None:
            return _strict(data, encoding, name)
        if b"\x00" in data:
            raise BadInputError(f"{name} looks like binary data, not text (it contains NUL bytes)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    cyrillic = _best_cyrillic_decoding(data)
    if cyrillic is not None:
        return cyrillic
    western = _western_decoding(data)
    if western is not None:
        return western
    return _charset_normalizer_decoding(data, name)


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise BadInputError(f"{name} is not valid {encoding.upper()} text "
                            f"(bad byte at offset {error.start})") from None


def _bomless_utf16(data: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when the bytes pair up like UTF-16 text.

    In UTF-16 every ASCII character (spaces, digits, punctuation) has a zero
    high byte, so text shows NULs at odd offsets (LE) or even offsets (BE) and
    almost never on the other side; Russian letters all have the high byte
    0x04.  Binary data has no such pattern, and the decoding must look like text.
    """
    sample = data[: 1 << 16]
    sample = sample[: len(sample) - len(sample) % 2]
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    even, odd = sample[0::2], sample[1::2]
    for high, low, encoding in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        zeros = high.count(0)
        cyrillic_high = high.count(4)  # U+0400..U+04FF
        if low.count(0) > 0.01 * pairs:
            continue
        if zeros >= 0.05 * pairs or zeros + cyrillic_high >= 0.75 * pairs:
            try:
                text = data[: len(data) - len(data) % 2].decode(encoding)
            except UnicodeDecodeError:
                return None
            if _looks_like_text(text):
                return encoding
    return None


def _looks_like_text(text: str) -> bool:
    """Mostly printable characters and (almost) no control characters."""
    text = text[:_SCORE_SAMPLE_BYTES]  # a sample decides: this loop is in Python
    if not text:
        return False
    printable = sum(1 for ch in text if ch.isprintable() or ch in "\n\r\t")
    controls = len(_CONTROL.findall(text))
    return printable >= 0.95 * len(text) and controls <= 0.01 * len(text)


def _best_cyrillic_decoding(data: bytes) -> str | None:
    """The most Russian-looking single-byte decoding, or None if none looks Russian."""
    sample = data[:_SCORE_SAMPLE_BYTES]  # one byte per character: cut anywhere
    histogram = Counter(sample)
    # Letter scores come from the byte histogram, cheaply, for every encoding;
    # they bound the full score from above (the case penalties only subtract),
    # so the full score is computed best-first and the rest are skipped.
    bounded = []
    for priority, encoding in enumerate(_CYRILLIC_ENCODINGS):
        try:
            text = sample.decode(encoding)
        except UnicodeDecodeError:
            continue
        table = _byte_table(encoding)
        total = count = 0.0
        for byte, n in histogram.items():
            if byte >= 0x80:
                count += n
                total += n * _char_logp(table[byte - 0x80])
        if count:
            bounded.append((total / count, -priority, encoding, text, total, count))
    best_encoding, best_score = None, -math.inf
    for bound, _, encoding, text, total, count in sorted(bounded, reverse=True):
        if bound <= best_score:
            break
        score = (total + _case_penalties(text)) / count
        if score > best_score:
            best_encoding, best_score = encoding, score
    if best_encoding is None or best_score < _MIN_CYRILLIC_SCORE:
        return None
    if not _CYRILLIC_WORD.search(sample.decode(best_encoding)):
        # A few stray high bytes in Latin text (an NBSP is a letter in cp866)
        # make no Cyrillic word: leave them to charset-normalizer.
        return None
    try:
        return data.decode(best_encoding)
    except UnicodeDecodeError:  # an undefined byte after the sample
        return None


@lru_cache(maxsize=None)
def _byte_table(encoding: str) -> str:
    """The characters of bytes 0x80..0xFF in a single-byte encoding."""
    return bytes(range(0x80, 0x100)).decode(encoding, errors="replace")


def cyrillic_plausibility(text: str) -> float:
    """Average log-probability of the non-ASCII characters as Russian text.

    Letters score by their frequency; a word that switches from lower to upper
    case (what koi8-r read as cp1251 looks like), symbols and box-drawing
    characters, and Cyrillic letters glued to Latin ones in one word (a Western
    encoding read as Cyrillic) score badly.  -inf when there is nothing to score.
    """
    total = 0.0
    count = 0
    for ch, n in Counter(text).items():
        if not ch.isascii():
            count += n
            total += n * _char_logp(ch)
    if not count:
        return -math.inf
    return (total + _case_penalties(text)) / count


def _case_penalties(text: str) -> float:
    def at_word_start(match: re.Match[str]) -> bool:
        return match.start() == 0 or not text[match.start() - 1].isalpha()

    def whole_word(match: re.Match[str]) -> bool:
        return at_word_start(match) and not text[match.end():match.end() + 1].isalpha()

    def glued(match: re.Match[str]) -> bool:
        # Where mac-cyrillic and cp1251 disagree, capitals of one are
        # punctuation of the other: "–ифровые" after a space, "ждать!И".
        punctuation, letter = match.group(0)
        if punctuation in "!?":
            return True
        return letter.islower() and (match.start() == 0 or text[match.start() - 1].isspace())

    mixed = (len(_MIXED_CASE.findall(text))
             + sum(1 for m in _CAPS_THEN_LOWER.finditer(text) if at_word_start(m))
             + sum(1 for m in _GLUED_PUNCTUATION.finditer(text) if glued(m)))
    upper_words = sum(1 for m in _UPPER_WORD.finditer(text) if whole_word(m))
    return (_PENALTY_MIXED_CASE * mixed + _PENALTY_UPPER_WORD * upper_words
            + _LOGP_OTHER * len(_MIXED_SCRIPT.findall(text)))


@lru_cache(maxsize=4096)
def _char_logp(ch: str) -> float:
    lower = ch.lower()
    if lower in _LETTER_LOGP:
        return _LETTER_LOGP[lower]
    if ch.isalpha():
        return _LOGP_OTHER_CYRILLIC if "CYRILLIC" in unicodedata.name(ch, "") else _LOGP_OTHER
    if ch in _TYPOGRAPHY or ch.isspace():
        return _LOGP_TYPOGRAPHY
    return _LOGP_OTHER


def _western_decoding(data: bytes) -> str | None:
    """cp1252 when every non-ASCII character it gives is a Latin letter or typography.

    Non-UTF-8 English (an NBSP, curly quotes, "café") is Windows-1252 far more
    often than anything else; charset-normalizer guesses a DOS code page for a
    text whose only non-ASCII byte is 0xA0.  Russian cp1251 never gets here:
    it was recognised before.
    """
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    for ch in set(text):
        if ch.isascii() or ch in _TYPOGRAPHY or ch in "£¥¢¤¦¨ª¬¯²³´µ¶¸¹º¼½¾¿¡":
            continue
        if not ("\u00c0" <= ch <= "\u00ff" and ch not in "×÷"):
            return None
    return text


def _charset_normalizer_decoding(data: bytes, name: str) -> str:
    from charset_normalizer import from_bytes  # imported late: it is slow to import

    best = from_bytes(data).best()
    if best is None:
        raise BadInputError(f"{name} is not text in any known encoding")
    text = str(best)
    if not _looks_like_text(text):
        raise BadInputError(f"{name} looks like binary data, not text")
    return text


def read_text_file(path: str | os.PathLike[str]) -> tuple[str, bytes]:
    """Read and decode a text file; returns (text, the bytes read) for checksums.

    Refuses, with a BadInputError, missing paths, non-regular files and files
    over MAX_IMPORT_BYTES (checked before reading, so huge files fail at once).
    """
    path = Path(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise BadInputError(f"no such file: {path}") from None
    except OSError as error:
        raise BadInputError(f"cannot read {path}: {error.strerror or error}") from None
    if not stat.S_ISREG(info.st_mode):
        kind = "a directory" if stat.S_ISDIR(info.st_mode) else "not a regular file"
        raise BadInputError(f"cannot import {path}: it is {kind}")
    if info.st_size > MAX_IMPORT_BYTES:
        raise BadInputError(_too_big_message(path, info.st_size))
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_IMPORT_BYTES + 1)  # the file may have grown
    except OSError as error:
        raise BadInputError(f"cannot read {path}: {error.strerror or error}") from None
    if len(data) > MAX_IMPORT_BYTES:
        raise BadInputError(_too_big_message(path, len(data)))
    return decode_bytes(data, name=str(path)), data


def _too_big_message(path: Path, size: int) -> str:
    return (f"{path} is {size / 1048576:.1f} MB, over the import limit of "
            f"{MAX_IMPORT_BYTES / 1048576:.0f} MB")


# --- language -----------------------------------------------------------------

_CYRILLIC_LANGUAGES = frozenset("ru uk bg be mk sr kk ky mn tg tt ba".split())
# Major Latin-script languages: short texts are ranked among these only, because
# the full model's many small languages capture short English ("Hello world"
# comes out as Fulfulde).
_LATIN_LANGUAGES = frozenset(
    "en fr de es it pt nl pl cs sk sv da no fi tr uz ro hu hr sl lt lv et id ms vi "
    "sq az ca eu gl ga cy is mt tl sw af".split())
_SAMPLE_CHARS = 1200  # plenty for the model; its time grows with the sample
_RUSSIAN_ONLY = re.compile("[ыэЫЭ]")
_NON_RUSSIAN_CYRILLIC = re.compile("[\u0400\u0402-\u040f\u0450\u0452-\u045f\u0460-\u04ff]")
_identifier = None
_identifier_lock = threading.Lock()


def _language_identifier():
    global _identifier
    with _identifier_lock:
        if _identifier is None:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier
            # The model ships inside the package: nothing is downloaded.
            _identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        return _identifier


def _ranked(text: str, among: frozenset[str] | None = None) -> list[tuple[str, float]]:
    ranking = [(lang, float(p)) for lang, p in _language_identifier().rank(text)]
    return _restricted(ranking, among) if among is not None else ranking


def _restricted(ranking: list[tuple[str, float]], among: frozenset[str]) -> list[tuple[str, float]]:
    """The ranking among some languages only, probabilities renormalised."""
    ranking = [(lang, p) for lang, p in ranking if lang in among]
    total = sum(p for _, p in ranking) or 1.0
    return [(lang, p / total) for lang, p in ranking]


def detect_language(text: str) -> str:
    """ISO 639-1 code of ``text`` ("und" when it has no letters).

    Mostly-Cyrillic text is Russian unless the model is sure it is another
    Cyrillic language; Latin text is ranked among major languages, and short
    ASCII text the model is unsure about is taken as English.
    """
    sample = text[:_SAMPLE_CHARS]
    letters = cyrillic = latin = 0
    for ch, n in Counter(sample).items():  # count by distinct character: fast
        if ch.isalpha():
            letters += n
            if "\u0400" <= ch <= "\u04ff":
                cyrillic += n
            elif ch.isascii() or "\u00c0" <= ch <= "\u024f":
                latin += n
        elif ch in "\u2018\u02bb":  # O‘zbek
            latin += n
            letters += n
    if letters == 0:
        return "und"
    if cyrillic >= 0.5 * letters:
        # ы and э are Russian (and Belarusian, which also has і and ў); with
        # no letter from another Cyrillic alphabet the model is not needed.
        if _RUSSIAN_ONLY.search(sample) and not _NON_RUSSIAN_CYRILLIC.search(sample):
            return "ru"
        lang, p = _ranked(sample, _CYRILLIC_LANGUAGES)[0]
        return lang if lang != "ru" and p >= 0.9 else "ru"
    if latin >= 0.5 * letters and _looks_english(sample):
        return "en"
    ranking = _ranked(sample)
    if latin < 0.5 * letters or ranking[0][1] >= 0.95:
        return ranking[0][0]
    ranking = _restricted(ranking, _LATIN_LANGUAGES)
    lang, p = ranking[0]
    if p < 0.5 and sample.isascii() and "en" in [code for code, _ in ranking[:3]]:
        return "en"
    return lang


_ENGLISH_FUNCTION_WORDS = frozenset(
    "the and of to in is that for was with on are by as at from it has have be this".split())
_ASCII_WORD = re.compile(r"[A-Za-z]+")


def _looks_english(sample: str) -> bool:
    """A fast path: running English text is about a third function words.

    "the" in particular is not a word of any other Latin-script language, so
    text where it and its kind are this frequent is English without asking
    the model (which is what costs time on an import).
    """
    words = _ASCII_WORD.findall(sample)
    if len(words) < 20:
        return False
    lowered = [word.lower() for word in words]
    common = sum(1 for word in lowered if word in _ENGLISH_FUNCTION_WORDS)
    return common >= 0.2 * len(words) and lowered.count("the") >= 2
