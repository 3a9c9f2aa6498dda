"""Spell checking with Hunspell dictionaries.

The dictionaries are read by Hunspell itself (the C++ library, through the
``chunspell`` wheel, which bundles it: no system package needed) and, where
that wheel cannot be installed, by ``spylls`` (pure Python).  Loading the
Russian dictionary takes ~0.1-0.4 s with Hunspell and ~2.3 s with spylls
(measured in docs/quality.md, with the alternatives: a pickled spylls
dictionary loads *slower* than the files, 2.8 s).

Dictionaries are looked for in ``WORKBENCH_HUNSPELL_PATH`` (folders separated
by the OS path separator) and the usual system folders; a project may choose
the variant per language (``en_GB`` rather than ``en_US``).  A missing one
turns only the spelling check off, with a message naming the package to
install.  Lookups are cached per word form; a personal word list (kept in the
database) is accepted as correct.
"""
from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from workbench.core.errors import BadInputError
from workbench.core.qa.morph import words

SYSTEM_FOLDERS = ("/usr/share/hunspell", "/usr/share/myspell", "/usr/share/myspell/dicts",
                  "/usr/local/share/hunspell", "/Library/Spelling", "~/Library/Spelling")
PREFERRED = {"ru": "ru_RU", "en": "en_US", "de": "de_DE", "fr": "fr_FR", "es": "es_ES", "uk": "uk_UA",
             "it": "it_IT", "pt": "pt_PT", "pl": "pl_PL"}
PACKAGES = {"ru": "hunspell-ru", "ru_RU": "hunspell-ru", "en": "hunspell-en-us", "en_US": "hunspell-en-us",
            "en_GB": "hunspell-en-gb", "en_AU": "hunspell-en-au", "en_CA": "hunspell-en-ca",
            "en_ZA": "hunspell-en-za", "de": "hunspell-de-de", "fr": "hunspell-fr",
            "es": "hunspell-es", "uk": "hunspell-uk", "it": "hunspell-it", "pt": "hunspell-pt-pt",
            "pl": "hunspell-pl"}
CYRILLIC_LANGS = {"ru", "uk", "be", "bg", "sr", "mk", "kk"}
# A letter of the other script: words holding one are not this language's to judge.
_CYRILLIC = re.compile("[а-яА-ЯёЁ]")
_NOT_CYRILLIC = re.compile(r"[^\W\d_а-яА-ЯёЁ]")

_cache: dict[str, object] = {}
_lock = threading.Lock()


class DictionaryMissing(Exception):
    """No Hunspell dictionary for a language; the message names the package."""


def search_folders() -> list[Path]:
    """Where dictionaries are looked for, in order."""
    extra = os.environ.get("WORKBENCH_HUNSPELL_PATH")
    folders = [Path(p).expanduser() for p in extra.split(os.pathsep) if p] if extra is not None else []
    if os.environ.get("WORKBENCH_HUNSPELL_ONLY") != "1":
        folders += [Path(p).expanduser() for p in SYSTEM_FOLDERS]
    return folders


VARIANT = re.compile(r"[a-z]{2,3}_[A-Z]{2}")


def check_variant(variant: str) -> str:
    """A dictionary variant name (``en_GB``), or ``BadInputError`` saying what one looks like.

    Parameters:
        variant: what the user gave."""
    if not VARIANT.fullmatch(variant or ""):
        raise BadInputError(f"'{variant}' is not a dictionary variant: give language_REGION, e.g. en_GB or"
                            f" en_US (or just the language, e.g. en, for the default)")
    return variant


def find_dictionary(language: str, variant: str | None = None) -> Path | None:
    """The ``.dic``/``.aff`` base path (no suffix) for a language, or None.

    Parameters:
        language: ISO 639-1 code.
        variant: only this variant (e.g. ``en_GB``); None: the preferred one, else any."""
    if variant:
        for folder in search_folders():
            if (folder / f"{variant}.dic").is_file() and (folder / f"{variant}.aff").is_file():
                return folder / variant
        return None
    names = [PREFERRED.get(language, ""), language]
    for folder in search_folders():
        for name in names:
            if name and (folder / f"{name}.dic").is_file() and (folder / f"{name}.aff").is_file():
                return folder / name
        if folder.is_dir():
            for dic in sorted(folder.glob(f"{language}_*.dic")):
                if dic.with_suffix(".aff").is_file():
                    return dic.with_suffix("")
    return None


def missing_message(language: str, variant: str | None = None) -> str:
    """The one line that says the spelling check is off and what to install.

    Parameters:
        language: ISO 639-1 code.
        variant: the variant the project chose (e.g. ``en_GB``), if any."""
    if variant:
        package = PACKAGES.get(variant, "hunspell-" + variant.lower().replace("_", "-"))
        return (f"spelling check off for '{language}': the project's dictionary {variant} is not installed"
                f" (install the package {package}, e.g. 'apt-get install {package}', put {variant}.aff/.dic in a"
                f" folder named by WORKBENCH_HUNSPELL_PATH, or go back to the default with"
                f" 'workbench qa settings --spelling-variant {language}')")
    package = PACKAGES.get(language, f"hunspell-{language}")
    return (f"spelling check off for '{language}': no Hunspell dictionary found (install the package"
            f" {package}, e.g. 'apt-get install {package}', or put {PREFERRED.get(language, language)}.aff/.dic"
            f" in a folder named by WORKBENCH_HUNSPELL_PATH)")


class _HunspellBackend:
    """A dictionary read by the Hunspell C++ library (``chunspell``)."""
    name = "hunspell"

    def __init__(self, base: Path):
        from hunspell import Hunspell

        self._h = Hunspell(base.name, hunspell_data_dir=str(base.parent))
        self._lock = threading.Lock()  # one Hunspell object is not safe to share between threads

    def lookup(self, word: str) -> bool:
        with self._lock:
            return bool(self._h.spell(word))

    def suggest(self, word: str) -> Iterable[str]:
        with self._lock:
            return list(self._h.suggest(word))


class _SpyllsBackend:
    """A dictionary read by spylls (pure Python: slower to load, ~2.3 s for Russian)."""
    name = "spylls"

    def __init__(self, base: Path):
        from spylls.hunspell import Dictionary

        self._d = Dictionary.from_files(str(base))

    def lookup(self, word: str) -> bool:
        return bool(self._d.lookup(word))

    def suggest(self, word: str) -> Iterable[str]:
        return self._d.suggest(word)


def backend_class():
    """The class that reads dictionaries: Hunspell (C++) when its wheel is installed, else spylls."""
    if os.environ.get("WORKBENCH_SPELLING_BACKEND") == "spylls":
        return _SpyllsBackend
    try:
        import hunspell  # noqa: F401  (the chunspell wheel)
    except ImportError:
        return _SpyllsBackend
    return _HunspellBackend


def _load(base: Path):
    cls = backend_class()
    key = f"{cls.name}:{base}"
    with _lock:
        if key not in _cache:
            _cache[key] = cls(base)
        return _cache[key]


@dataclass(frozen=True)
class Misspelling:
    """A word the dictionary does not know, with its span."""
    word: str
    start: int
    end: int


class Speller:
    """Checks the words of one language."""

    def __init__(self, language: str, personal: Iterable[str] = (), variant: str | None = None):
        """Parameters:
            language: ISO 639-1 code.
            personal: words always accepted (the personal dictionary).
            variant: the dictionary to use (e.g. ``en_GB``); None: the preferred one.

        Raises ``DictionaryMissing`` when no dictionary is installed."""
        base = find_dictionary(language, variant)
        if base is None:
            raise DictionaryMissing(missing_message(language, variant))
        self.language = language
        self.variant = base.name
        self.dictionary = _load(base)
        self.personal = {w.lower() for w in personal}
        self._known: dict[str, bool] = {}

    def add_personal(self, word: str) -> None:
        """Accept ``word`` from now on (the caller stores it).

        Parameters:
            word: the word."""
        self.personal.add(word.lower())
        self._known.pop(word, None)

    def known(self, word: str) -> bool:
        """True when the dictionary or the personal list has the word.

        Parameters:
            word: one word."""
        cached = self._known.get(word)
        if cached is None:
            lower = word.lower()
            cached = (lower in self.personal or self.dictionary.lookup(word)
                      or (word[:1].isupper() and self.dictionary.lookup(lower))
                      or ("ё" in lower and self.dictionary.lookup(word.replace("ё", "е"))))
            if not cached and "-" in word:
                cached = all(self.known(part) for part in word.split("-") if part)
            self._known[word] = bool(cached)
        return cached

    def check(self, text: str, *, skip: Iterable[str] = ()) -> list[Misspelling]:
        """The misspelt words of ``text``.  Words not in this language's
        script, all-capital words (acronyms), capitalised words inside a
        sentence (names) and words in ``skip`` are not checked.

        Parameters:
            text: the text.
            skip: words to accept here (e.g. those of the source)."""
        skip = set(skip)
        foreign = _NOT_CYRILLIC if self.language in CYRILLIC_LANGS else _CYRILLIC
        out = []
        for word, start, end in words(text):
            if word in skip or len(word) < 2 or word.isupper():
                continue
            if foreign.search(word):
                continue
            if word[0].isupper() and not _sentence_start(text, start):
                continue
            if not self.known(word):
                out.append(Misspelling(word, start, end))
        return out

    def suggest(self, word: str, limit: int = 6) -> list[str]:
        """Up to ``limit`` corrections for a word (slow: ~1 s; off the GUI thread).

        Parameters:
            word: the misspelt word.
            limit: how many at most."""
        out = []
        for s in self.dictionary.suggest(word):
            out.append(s)
            if len(out) >= limit:
                break
        return out


def _sentence_start(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \u00a0\"'«„“([—–-")
    return not before or before[-1] in ".!?…:"
