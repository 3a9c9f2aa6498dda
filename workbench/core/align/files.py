"""Align two files without a database (the evaluation-ready ``workbench align``)."""
from __future__ import annotations

from pathlib import Path

from workbench.core.errors import NoModelError
from workbench.core.text.decoding import detect_language, read_text_file


def read_sentences(path: Path, lang: str | None, presegmented: bool) -> tuple[list[str], list[int] | None, str]:
    """Sentences, their paragraph indices and the language of a file.

    :param path: a text file.
    :param lang: its language; detected when None.
    :param presegmented: every non-empty line is one sentence, never re-split
        (the indices then match the evaluator's); no paragraph indices."""
    from workbench.core.text.article import parse_article

    text, _ = read_text_file(path)
    if presegmented:
        sentences = [line.strip() for line in text.split("\n") if line.strip()]
        return sentences, None, lang or detect_language(text)
    article = parse_article(text, lang)
    return ([s.text for s in article.segments], [s.paragraph for s in article.segments],
            article.language)


def machine_translate(sentences: list[str], src_lang: str, tgt_lang: str) -> list[str] | None:
    """MT of the source sentences, or None when no model for the pair is
    installed (the aligner then works without it); no database, so no cache.

    :param sentences: the source sentences.
    :param src_lang: their language.
    :param tgt_lang: the target file's language."""
    from workbench.core.translating import translate_texts_cached

    try:
        return translate_texts_cached(None, sentences, src_lang, tgt_lang)
    except NoModelError:
        return None


def align_files(source: Path, target: Path, *, src_lang: str | None = None, tgt_lang: str | None = None,
                presegmented: bool = False, use_mt: bool = True):
    """Align two text files sentence by sentence; the links (sentence indices).

    :param source: the source file.
    :param target: its translation.
    :param src_lang: the source language; detected when None.
    :param tgt_lang: the target language; detected when None.
    :param presegmented: one sentence per line, never re-split.
    :param use_mt: use an installed model's MT of the source as a signal."""
    from workbench.core.align import align

    src, src_par, src_lang = read_sentences(source, src_lang, presegmented)
    tgt, tgt_par, tgt_lang = read_sentences(target, tgt_lang, presegmented)
    mt = machine_translate(src, src_lang, tgt_lang) if use_mt and src and tgt else None
    return align(src, tgt, src_lang, tgt_lang, src_paragraphs=src_par, tgt_paragraphs=tgt_par, mt=mt)
