from __future__ import annotations
import sentencex, razdel
def split_sentences(text: str, lang: str) -> list[str]:
    if lang == "ru":
        return [s.text for s in razdel.sentenize(text)]
    return [s.strip() for s in sentencex.segment(lang, text) if s.strip()]
