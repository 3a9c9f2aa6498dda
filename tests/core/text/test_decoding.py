"""Decoding article bytes, reading files, and language identification."""
from __future__ import annotations

from tests.conftest import REPO as REPO_ROOT

import random
import socket
from pathlib import Path

import pytest

from workbench.core.text import decoding as textio
from workbench.core.errors import BadInputError
from workbench.core.text.decoding import MAX_IMPORT_BYTES, decode_bytes, detect_language, read_text_file

SEEDS = REPO_ROOT / "seeds"
EN_SEED = SEEDS / "en_uzbek_interior_ministry_cis_migration_2023-09-28.txt"
RU_SEED = SEEDS / "ru_iom_uzbekistan_migration_role_2025-04-24.txt"

RU_LONG = (
    "Министр иностранных дел Казахстана провёл переговоры с коллегой из Киргизии.\n\n"
    "Стороны обсудили водную и энергетическую повестку, а также вопросы приграничной "
    "торговли. «Мы заинтересованы в скорейшем подписании соглашения», — заявил министр.\n\n"
    "Следующая встреча запланирована на осень. ЖЕНЕВА, 24 апреля — объём торговли вырос на 12%."
)
RU_SHORT = [
    "Правительство утвердило новую программу.",
    "Всё хорошо.",
    "Съешь же ещё этих мягких французских булок, да выпей чаю.",
    "ВСТРЕЧА ПРОШЛА В ТАШКЕНТЕ",
    "«Почему так долго?» — спросил журналист.",
    "Моя семья живёт в Москве.",
]
EN_SAMPLES = ["Plain ASCII text.", 'Curly “quotes” and an em dash — and café, naïve.']
ALL_ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be",
                 "cp1251", "koi8-r", "mac-cyrillic", "cp866"]


def _encodable(text: str, encoding: str) -> str:
    """koi8-r and cp866 have no «» or em dash: use what a writer would have used."""
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        text = text.replace("«", '"').replace("»", '"').replace("—", "-")
    return text


@pytest.mark.parametrize("encoding", ALL_ENCODINGS)
@pytest.mark.parametrize("text", [RU_LONG, *RU_SHORT])
def test_russian_round_trips_in_every_encoding(text, encoding):
    text = _encodable(text, encoding)
    assert decode_bytes(text.encode(encoding)) == text


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("text", EN_SAMPLES)
def test_english_round_trips_in_unicode_encodings(text, encoding):
    assert decode_bytes(text.encode(encoding)) == text


def test_one_russian_sentence_in_koi8r_is_not_taken_for_cp1251():
    data = "Переговоры продолжатся завтра.".encode("koi8-r")
    assert data.decode("cp1251") != "Переговоры продолжатся завтра."  # the trap
    assert decode_bytes(data) == "Переговоры продолжатся завтра."


@pytest.mark.parametrize("seed,encoding", [
    (seed, encoding) for seed in (EN_SEED, RU_SEED)
    for encoding in ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1251", "koi8-r")
    # The English seed's only non-ASCII character is NBSP: in koi8-r that is
    # byte 0x9A, which no detector can tell from Western 'š'.
    if (seed, encoding) != (EN_SEED, "koi8-r")])
def test_seeds_round_trip(seed, encoding):
    text = _encodable(seed.read_text(encoding="utf-8"), encoding)
    if encoding == "koi8-r":  # nor the bullet and en dash of the Russian seed
        text = text.replace("•", "*").replace("–", "-")
    assert decode_bytes(text.encode(encoding)) == text


def test_ascii_only_seed_is_untouched():
    data = EN_SEED.read_bytes()
    assert decode_bytes(data) == data.decode("utf-8")


def test_bom_is_stripped_and_newlines_normalised():
    assert decode_bytes(b"\xef\xbb\xbfa\r\nb\rc\n") == "a\nb\nc\n"
    assert decode_bytes("\ufeffстрока\r\n".encode("utf-16-le")) == "строка\n"
    assert decode_bytes("x\u2028y\u2029z".encode("utf-8")) == "x\ny\n\nz"


def test_utf32_with_bom():
    assert decode_bytes("Привет, мир".encode("utf-32")) == "Привет, мир"


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n", "\u00a0\u2003\n".encode("utf-8"),
                                  "\ufeff".encode("utf-8-sig"), "  ".encode("utf-16")])
def test_empty_input_is_refused(data):
    with pytest.raises(BadInputError, match="empty"):
        decode_bytes(data, name="a.txt")


def test_binary_with_nul_bytes_is_refused():
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    with pytest.raises(BadInputError, match="binary") as info:
        decode_bytes(png, name="image.png")
    assert "image.png" in str(info.value) and "\n" not in str(info.value)


def test_random_bytes_are_refused():
    noise = random.Random(7).randbytes(4096)
    with pytest.raises(BadInputError):
        decode_bytes(noise)


def test_random_bytes_without_nul_are_refused():
    noise = bytes(b for b in random.Random(11).randbytes(8192) if b)
    with pytest.raises(BadInputError):
        decode_bytes(noise)


def test_control_characters_are_refused():
    with pytest.raises(BadInputError, match="binary"):
        decode_bytes(b"text\x01\x02\x03\x04\x05\x06\x07\x08 more" * 10)


def test_a_stray_control_character_in_long_text_is_tolerated():
    text = ("A long and ordinary paragraph of text. " * 20) + "\x0c" + "End."
    assert decode_bytes(text.encode()) == text


@pytest.mark.parametrize("text", ["Grüße aus München, schöne Straße und Bären.",
                                  "A café in Genève served crème brûlée.",
                                  "Plain English with\u00a0a no-break space and “quotes”."])
def test_western_single_byte_text_is_not_read_as_cyrillic(text):
    assert decode_bytes(text.encode("cp1252")) == text


# --- files ---------------------------------------------------------------------

def test_read_text_file_returns_text_and_bytes(tmp_path):
    path = tmp_path / "article.txt"
    path.write_bytes(RU_LONG.encode("cp1251"))
    text, data = read_text_file(path)
    assert text == RU_LONG
    assert data == RU_LONG.encode("cp1251")


def test_missing_file(tmp_path):
    with pytest.raises(BadInputError, match="no such file: .*nothing.txt"):
        read_text_file(tmp_path / "nothing.txt")


def test_directory_is_refused(tmp_path):
    with pytest.raises(BadInputError, match="directory"):
        read_text_file(tmp_path)


def test_huge_file_is_refused_before_reading(tmp_path, monkeypatch):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:  # sparse: 50 MB on paper, nothing on disk
        handle.truncate(50 * 1024 * 1024)

    def no_reading(*args, **kwargs):
        raise AssertionError("the file was opened")

    monkeypatch.setattr(Path, "open", no_reading)
    with pytest.raises(BadInputError) as info:
        read_text_file(path)
    message = str(info.value)
    assert "50.0 MB" in message and "20 MB" in message and "huge.txt" in message


def test_file_at_the_limit_is_read(tmp_path):
    path = tmp_path / "big.txt"
    line = b"Line of text.\n"
    path.write_bytes(line * (MAX_IMPORT_BYTES // len(line)))
    text, data = read_text_file(path)
    assert len(data) <= MAX_IMPORT_BYTES and text.startswith("Line of text.")


def test_empty_file(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with pytest.raises(BadInputError, match="empty.txt is empty"):
        read_text_file(path)


# --- language ----------------------------------------------------------------------

@pytest.mark.parametrize("seed,lang", [(EN_SEED, "en"), (RU_SEED, "ru")])
def test_seed_languages(seed, lang):
    assert detect_language(seed.read_text(encoding="utf-8")) == lang


@pytest.mark.parametrize("text,lang", [
    ("Talks resume on Monday.", "en"),
    ("Hello world", "en"),
    ("The ministry said the new rules would apply from January.", "en"),
    ("Переговоры возобновятся в понедельник.", "ru"),
    ("Привет, как дела?", "ru"),
    ("Дунё", "ru"),
    ("ЖЕНЕВА", "ru"),
    ("Переговори відновляться в понеділок, повідомило міністерство.", "uk"),
    ("Преговорите ще бъдат възобновени в понеделник, съобщи министерството.", "bg"),
    ("Les négociations reprendront lundi à Genève, a annoncé le ministère.", "fr"),
    ("Die Verhandlungen werden am Montag in Genf fortgesetzt.", "de"),
    ("O‘zbekiston Respublikasi Prezidenti farmon imzoladi.", "uz"),
])
def test_detect_language(text, lang):
    assert detect_language(text) == lang


def test_no_letters_is_undetermined():
    assert detect_language("224 • 14:26") == "und"
    assert detect_language("") == "und"


def test_language_model_loads_without_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("network access")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(textio, "_identifier", None)  # force a fresh load
    assert detect_language("Les négociations reprendront lundi à Genève.") == "fr"


# --- mixed and damaged encodings: refused, never stored as mojibake -------------------

RU_PARAGRAPH = ("Министр иностранных дел провёл переговоры с коллегой. Стороны обсудили водную "
                "и энергетическую повестку, а также вопросы приграничной торговли.\n\n")


def _damaged_utf8() -> bytes:
    text = "Talks\u00a0resumed on Monday. The ministers met in Geneva.\n\n" * 20
    return text.encode("utf-8") + b"\xff\xfe\x81\x8d\x90"


@pytest.mark.parametrize("data, message", [
    # A UTF-8 article with five invalid bytes at the end: was decoded whole as
    # cp1252, every no-break space becoming "Â\xa0".
    (_damaged_utf8(), "UTF-8 text with 5 invalid bytes (the first at line 41)"),
    # A cp1251 article with a UTF-8 paragraph: was stored as "–ú–ł–Ĺ...".
    (RU_PARAGRAPH.encode("utf-8") + RU_PARAGRAPH.encode("cp1251") * 5,
     "mixes UTF-8 with another encoding (UTF-8 at line 1, the other at line 3)"),
    # UTF-8 Russian ending with one cp1251 word: was stored as GB18030 "Chinese".
    (RU_PARAGRAPH.encode("utf-8") * 5 + "Привет".encode("cp1251"), "UTF-8 text with 6 invalid"),
    (RU_PARAGRAPH.encode("utf-8") * 3 + RU_PARAGRAPH.encode("koi8-r"), "--encoding"),
])
def test_partly_utf8_bytes_are_refused_with_a_hint(data, message):
    with pytest.raises(BadInputError, match="--encoding") as info:
        decode_bytes(data, name="a.txt")
    assert message in str(info.value) and str(info.value).startswith("a.txt ")
    assert "\n" not in str(info.value)


def test_legacy_text_with_accidental_utf8_sequences_is_not_refused():
    # cp866 Russian forms valid UTF-8 sequences by the hundred (all CJK-like);
    # cp1251 "В" + NBSP is the UTF-8 of NBSP; koi8-r "сё" is the UTF-8 of "ӣ".
    for text, encoding in [(RU_LONG, "cp866"), ("В\u00a0Москве всё спокойно.", "cp1251"),
                           ("Всё хорошо.", "koi8-r"), (RU_PARAGRAPH * 3, "cp866")]:
        text = _encodable(text, encoding)
        assert decode_bytes(text.encode(encoding)) == text


def test_detection_reports_encoding_and_confidence():
    found = textio.detect_encoding("Привет, мир".encode("utf-8"))
    assert (found.encoding, found.confidence) == ("utf-8", 1.0)
    found = textio.detect_encoding(RU_LONG.encode("cp1251"))
    assert found.encoding == "cp1251" and textio.MIN_CONFIDENCE < found.confidence <= 1
    assert found.text == RU_LONG


def test_a_named_encoding_is_used_as_given():
    mixed = RU_PARAGRAPH.encode("utf-8") + RU_PARAGRAPH.encode("cp1251")
    assert decode_bytes(mixed, encoding="cp1251").endswith(RU_PARAGRAPH)
    # a handful of bad bytes in the named encoding become U+FFFD ...
    assert decode_bytes(_damaged_utf8(), encoding="utf-8").endswith("Geneva.\n\n" + "\ufffd" * 5)
    assert decode_bytes(b"\xef\xbb\xbfBOM", encoding="utf-8") == "BOM"
    # ... many mean the file is not in that encoding
    with pytest.raises(BadInputError, match="is not utf-8 text: 123 bytes"):
        decode_bytes(RU_PARAGRAPH.encode("cp1251"), name="x", encoding="UTF8")


@pytest.mark.parametrize("name, message", [("no-such-codec", "unknown encoding 'no-such-codec'"),
                                           ("base64", "not a text encoding")])
def test_unknown_encodings_are_refused(name, message):
    with pytest.raises(BadInputError, match=message):
        decode_bytes(b"text", encoding=name)


def test_non_utf8_file_names_are_shown_with_replacement_characters(tmp_path):
    import os
    path = Path(os.fsdecode(os.fsencode(tmp_path) + b"/caf\xe9.txt"))
    path.write_bytes(b"")
    with pytest.raises(BadInputError) as info:
        read_text_file(path)
    assert str(info.value).endswith("caf\ufffd.txt is empty")
    str(info.value).encode("utf-8")  # printable and storable
    assert textio.display_path(path).endswith("caf\ufffd.txt")
