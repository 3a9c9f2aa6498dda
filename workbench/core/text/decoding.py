"""Reading article files: bytes -> text, and the text's language.

Scraped news comes in UTF-8 (with or without BOM), UTF-16 from Windows tools,
and legacy Russian single-byte encodings (cp1251, koi8-r, sometimes
mac-cyrillic or cp866).  Generic detectors (charset-normalizer included) mix
the single-byte Cyrillic encodings up on short texts, because the same bytes
are letters in all of them; here those are told apart by how Russian the
decoded letters look (letter frequencies and letter case).  Latin text that
is not UTF-8 is taken as Windows-1252 when that gives only Latin letters and
typography, and charset-normalizer is kept for everything else.

Every guess comes with a confidence, and a file whose best explanation is not
convincing is refused rather than stored as mojibake: above all a file that is
*partly* UTF-8 (a UTF-8 article with a few damaged bytes, or a cp1251 article
with a UTF-8 paragraph pasted in), which no single encoding explains.  The
user can then name the encoding (``workbench import --encoding``), which is
used as given; a few undecodable bytes then become U+FFFD, more are refused.
"""
from __future__ import annotations

import codecs
import itertools
import math
import os
import re
import stat
import threading
import unicodedata
from collections import Counter
from dataclasses import dataclass
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


# Below this confidence a guessed encoding is not used: the file is refused
# with a message asking for --encoding (see ``Detection``).
MIN_CONFIDENCE = 0.5
# With an encoding named by the user, this many undecodable bytes (at most, and
# at most this share of the file) become U+FFFD; more means a wrong encoding.
MAX_REPLACED_BYTES = 8
MAX_REPLACED_SHARE = 0.01

_HIGH_BYTES = bytes(range(0x80, 0x100))
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")  # an invalid byte, decoded with surrogateescape
# What UTF-8 text outside ASCII is mostly made of: Latin letters and Latin-1
# symbols (NBSP included), basic Cyrillic, general punctuation (dashes, quotes,
# ellipsis), €, № and ™.  Valid UTF-8 sequences that the bytes of a single-byte
# encoding form by accident are rare and isolated, and mostly decode to C1
# controls, CJK, Indic or archaic letters instead.
_COMMON_2_BYTES = re.compile("[\u00a0-\u024f\u0400-\u045f\u0490\u0491]")
_COMMON_3_BYTES = re.compile("[\u2010-\u2027\u2030-\u205e\u20ac\u2116\u2122]")
_COMMON_LETTER_RUN = re.compile("[\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0400-\u045f"
                                "\u0490\u0491]{3,}")
_SAMPLE_PIECES, _SAMPLE_PIECE = 32, 32 * 1024
_NON_ASCII_RUN = re.compile("[^\x00-\x7f\udc80-\udcff]{4,}")  # any script: CJK, Greek...


@dataclass(frozen=True)
class Detection:
    """How a file's bytes were read: the encoding and how sure the guess is
    (1.0 for a BOM or valid UTF-8; below ``MIN_CONFIDENCE`` it is refused)."""
    encoding: str
    confidence: float
    text: str


def decode_bytes(data: bytes, name: str = "input", encoding: str | None = None) -> str:
    """Decode an article's bytes to text with ``\\n`` newlines and no BOM.

    :param data: the file's bytes.
    :param name: how to name the file in messages.
    :param encoding: the encoding the user says the file is in (any Python
        codec name); None to detect it.
    Raises BadInputError (one line, naming ``name``) for empty input, binary
    data, bytes that are not text in any encoding, and bytes whose encoding
    cannot be told with confidence (mixed or damaged).
    """
    if not data:
        raise BadInputError(f"{name} is empty")
    text = _decode_as(data, encoding, name) if encoding else detect_encoding(data, name).text
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


def check_encoding_name(encoding: str) -> str:
    """The canonical name of a text encoding the user named; BadInputError if
    Python has no such text codec ("base64" is a codec, but not of text)."""
    try:
        info = codecs.lookup(encoding)
    except LookupError:
        raise BadInputError(f"unknown encoding {encoding!r} (e.g. utf-8, cp1251, koi8-r, "
                            f"cp1252, utf-16)") from None
    if not getattr(info, "_is_text_encoding", True):
        raise BadInputError(f"{encoding!r} is not a text encoding")
    return info.name


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _decode_as(data: bytes, encoding: str, name: str) -> str:
    """Decode with the encoding the user named.  A handful of undecodable
    bytes (a truncated last character, stray junk) become U+FFFD; many mean
    the file is not in that encoding, which is refused."""
    encoding = check_encoding_name(encoding)
    if encoding.startswith("utf-8") and data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        first = error.start
    except UnicodeError as error:  # utf-16 with an odd number of bytes, etc.
        raise BadInputError(f"{name} is not {encoding} text ({error})") from None
    text = data.decode(encoding, errors="surrogateescape")
    bad = len(_ESCAPED_BYTE.findall(text))
    if bad > MAX_REPLACED_BYTES or bad > MAX_REPLACED_SHARE * len(data):
        raise BadInputError(
            f"{name} is not {encoding} text: {bad:,} bytes are not valid {encoding} (the first "
            f"at line {_line_of(data, first)}, offset {first}); give the file's real encoding")
    return _ESCAPED_BYTE.sub("\ufffd", text)


def detect_encoding(data: bytes, name: str = "input") -> Detection:
    """Find the encoding that explains ``data`` best, with a confidence.

    :param data: the file's bytes (not empty).
    :param name: how to name the file in messages.
    BOMs and valid UTF-8 are certain; bytes that are partly UTF-8 are refused
    (no single encoding explains them); otherwise single-byte encodings are
    scored (Cyrillic by how Russian the letters look, Windows-1252 by giving
    only Latin letters, the rest by charset-normalizer's mess ratio).  Raises
    BadInputError below ``MIN_CONFIDENCE``.
    """
    for bom in _UTF32_BOMS:
        if data.startswith(bom):
            return Detection("utf-32", 1.0, _strict(data, "utf-32", name))
    if data.startswith(codecs.BOM_UTF8):
        return Detection("utf-8-sig", 1.0, _strict(data[len(codecs.BOM_UTF8):], "utf-8", name))
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return Detection("utf-16", 1.0, _strict(data, "utf-16", name))
    # BOM-less UTF-16 has NUL bytes (ASCII characters) or, for Russian-only
    # text, 0x04 bytes, which would pass for ASCII control characters in UTF-8.
    if b"\x00" in data or b"\x04" in data:
        encoding = _bomless_utf16(data)
        if encoding is not None:
            return Detection(encoding, 0.9, _strict(data, encoding, name))
        if b"\x00" in data:
            raise BadInputError(f"{name} looks like binary data, not text (it contains NUL bytes)")
    try:
        return Detection("utf-8", 1.0, data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    verdict = _partly_utf8(data)
    if verdict:
        raise BadInputError(f"{name} {verdict}")
    cyrillic = _best_cyrillic_decoding(data)
    if cyrillic is not None:
        return cyrillic
    western = _western_decoding(data)
    if western is not None:
        return Detection("cp1252", 0.8, western)
    detection = _charset_normalizer_decoding(data, name)
    if detection.confidence < MIN_CONFIDENCE:
        raise BadInputError(
            f"{name}: cannot tell its encoding for sure (best guess {detection.encoding}, "
            f"{detection.confidence:.0%} sure); name it with --encoding")
    return detection


def _partly_utf8(data: bytes) -> str | None:
    """Why bytes that are not valid UTF-8 are nevertheless partly UTF-8, or None.

    Every byte >= 0x80 either belongs to a valid UTF-8 sequence or is invalid
    (decoding with surrogateescape tells which).  The bytes are partly UTF-8
    when most of them are valid sequences of common characters (UTF-8 with
    damage, or with a legacy word), or when they hold UTF-8 words (three
    common letters in a row, or runs of any script).  Single-byte text forms
    valid sequences only by accident: isolated, and mostly decoding to odd
    characters (cp866 Russian forms many, all CJK-like, none in a row)."""
    text = data.decode("utf-8", errors="surrogateescape")
    valid = len(text.encode("utf-8", errors="ignore"))  # the escapes dropped
    invalid = len(data) - valid
    ascii_bytes = len(data.translate(None, _HIGH_BYTES))
    if not invalid or valid == ascii_bytes:  # not a single valid multibyte sequence
        return None
    # Shares are judged on a sample (20 MB of Cyrillic is 10 million matches).
    step = max(1, len(text) // _SAMPLE_PIECES)
    sample = "".join(text[start:start + _SAMPLE_PIECE] for start in range(0, len(text), step)) \
        if len(text) > _SAMPLE_PIECES * _SAMPLE_PIECE else text
    raw = sample.encode("utf-8", errors="surrogateescape")
    high = len(raw) - len(raw.translate(None, _HIGH_BYTES))
    common_bytes = (2 * len(_COMMON_2_BYTES.findall(sample))
                    + 3 * len(_COMMON_3_BYTES.findall(sample)))
    mostly_utf8 = common_bytes >= 0.5 * high
    run = _COMMON_LETTER_RUN.search(text)
    if not (mostly_utf8 or run is not None
            or len(list(itertools.islice(_NON_ASCII_RUN.finditer(text), 2))) == 2):
        return None
    first = _ESCAPED_BYTE.search(text)
    first_bad = len(text[:first.start()].encode("utf-8", errors="surrogateescape"))
    bad_line = _line_of(data, first_bad)
    if mostly_utf8:
        return (f"is UTF-8 text with {invalid:,} invalid byte{'s' * (invalid != 1)} "
                f"(the first at line {bad_line}): damaged, or mixing encodings; repair it, or "
                f"import it with --encoding (--encoding utf-8 turns the bad bytes into U+FFFD)")
    where = (f" (UTF-8 at line {text.count(chr(10), 0, run.start()) + 1}, the other at line "
             f"{bad_line})") if run else ""
    return (f"mixes UTF-8 with another encoding{where}; convert it to one encoding, or import "
            f"it with --encoding")


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise BadInputError(f"{name} is not valid {encoding.upper()} text (bad byte at offset "
                            f"{error.start}, line {_line_of(data, error.start)}); repair it, "
                            f"or name its encoding with --encoding") from None


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


def _best_cyrillic_decoding(data: bytes) -> Detection | None:
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
        text = data.decode(best_encoding)
    except UnicodeDecodeError:  # an undefined byte after the sample
        return None
    # The threshold score maps to MIN_CONFIDENCE, Russian prose (about -3.2) to ~0.95.
    confidence = min(1.0, max(0.0, MIN_CONFIDENCE + (best_score - _MIN_CYRILLIC_SCORE) / 4))
    return Detection(best_encoding, confidence, text)


@lru_cache(maxsize=None)
def _byte_table(encoding: str) -> str:
    """The characters of bytes 0x80..0xFF in a single-byte encoding."""
    return bytes(range(0x80, 0x100)).decode(encoding, errors="replace")


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


def _charset_normalizer_decoding(data: bytes, name: str) -> Detection:
    from charset_normalizer import from_bytes  # imported late: it is slow to import

    best = from_bytes(data).best()
    if best is None:
        raise BadInputError(f"{name} is not text in any known encoding")
    text = str(best)
    if not _looks_like_text(text):
        raise BadInputError(f"{name} looks like binary data, not text")
    # chaos is charset-normalizer's share of "messy" characters (0: clean text).
    return Detection(best.encoding, max(0.0, 1.0 - 2 * float(best.chaos)), text)


def display_path(path: str | os.PathLike[str]) -> str:
    """A path as text that can be printed and stored: bytes of a file name that
    are not valid in the file system's encoding (a Latin-1 name on a UTF-8
    system) show as U+FFFD instead of unencodable surrogates."""
    text = os.fspath(path)
    if isinstance(text, bytes):
        return text.decode("utf-8", errors="replace")
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return os.fsencode(text).decode("utf-8", errors="replace")


def read_text_file(path: str | os.PathLike[str], encoding: str | None = None) -> tuple[str, bytes]:
    """Read and decode a text file; returns (text, the bytes read) for checksums.

    :param path: the file.
    :param encoding: the file's encoding as the user named it; None to detect.
    Refuses, with a BadInputError, missing paths, non-regular files, the open
    database itself, and files over MAX_IMPORT_BYTES (checked before reading,
    so huge files fail at once).
    """
    from workbench.core.store.files import refuse_database_file

    path = Path(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise BadInputError(f"no such file: {display_path(path)}") from None
    except OSError as error:
        raise BadInputError(f"cannot read {display_path(path)}: {error.strerror or error}") from None
    if not stat.S_ISREG(info.st_mode):
        kind = "a directory" if stat.S_ISDIR(info.st_mode) else "not a regular file"
        raise BadInputError(f"cannot import {display_path(path)}: it is {kind}")
    if info.st_size > MAX_IMPORT_BYTES:
        raise BadInputError(_too_big_message(path, info.st_size))
    refuse_database_file(path)
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_IMPORT_BYTES + 1)  # the file may have grown
    except OSError as error:
        raise BadInputError(f"cannot read {display_path(path)}: {error.strerror or error}") from None
    if len(data) > MAX_IMPORT_BYTES:
        raise BadInputError(_too_big_message(path, len(data)))
    return decode_bytes(data, name=display_path(path), encoding=encoding), data


def _too_big_message(path: Path, size: int) -> str:
    return (f"{display_path(path)} is {size / 1048576:.1f} MB, over the import limit of "
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
