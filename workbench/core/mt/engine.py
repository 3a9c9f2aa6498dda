"""Translate already-segmented sentences with an Argos package's CTranslate2 model.

The workbench's segments are the unit: Argos' own sentence splitter (which
may download models) never runs.  Sentences are tokenised with the package's
SentencePiece (or BPE) model, sorted by length so batches carry little
padding, translated with ``translate_batch`` batched by tokens, detokenised
the way Argos does, and put back in input order.  A model is loaded once per
process and reused (thread-safe registry).
"""
from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from pathlib import Path

from workbench.core.errors import ModelError
from workbench.core.progress import Cancelled, CancelledFn, ProgressFn, never_cancelled, no_progress
from workbench.core.mt.packages import ModelPackage, find_pair, fingerprint, on_removed

# Beam 2 (CTranslate2's own default) rather than Argos' 4: on this class of
# machine (2 cores, AVX2 int8) a batched base transformer translates ~1.7x
# faster than Argos per sentence at beam 4 and ~3.2x at beam 2 (bench/mt_bench.py),
# and for post-editing a draft the wider beam buys little.  --beam / WORKBENCH_BEAM
# give Argos' 4 back.
DEFAULT_BEAM = int(os.environ.get("WORKBENCH_BEAM", "2"))
# As Argos' translate.py.
LENGTH_PENALTY = 0.2
# Sentences per translate_batch call: the unit of progress and cancellation.
SENTENCES_PER_CALL = 64
# Tokens per CTranslate2 batch (sorted by length inside the call).
MAX_BATCH_TOKENS = 2048
# Decoding stops at this many tokens per input token (+ slack): a real model
# ends long before; a broken or random one cannot run away.
MAX_LENGTH_RATIO = 2.0
MAX_LENGTH_SLACK = 10
MAX_DECODING_LENGTH = 256


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def default_threads() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


class Translator:
    """One loaded package: tokenizer + CTranslate2 translator."""

    def __init__(self, package: ModelPackage, *, compute_type: str = "auto",
                 threads: int | None = None, device: str = "cpu"):
        import ctranslate2  # heavy: imported only when a model is really used

        self.package = package
        self.compute_type = compute_type
        where = f"{package.code} ({package.path.name})"
        try:
            self._translator = ctranslate2.Translator(
                str(package.path / "model"), device=device, compute_type=compute_type,
                inter_threads=1, intra_threads=threads or default_threads())
        except (RuntimeError, ValueError, OSError) as exc:
            raise ModelError(f"cannot load model {where}: model/model.bin: {_one_line(exc)}") from None
        self._lock = threading.Lock()
        try:
            if package.tokenizer == "bpe":
                from argostranslate.tokenizer import BPETokenizer  # only for legacy BPE packages

                self._bpe = BPETokenizer(package.path / "bpe.model", package.from_code, package.to_code)
                self._sp = None
            else:
                import sentencepiece as spm

                self._bpe = None
                self._sp = spm.SentencePieceProcessor(model_file=str(package.path / "sentencepiece.model"))
        # A damaged tokenizer raises whatever its parser raises ("could not parse ModelProto").
        except Exception as exc:  # noqa: BLE001
            raise ModelError(f"cannot load model {where}: {package.tokenizer} tokenizer: "
                             f"{_one_line(exc)}") from None

    # -- tokens ------------------------------------------------------------
    def encode(self, sentences: Sequence[str]) -> list[list[str]]:
        if self._sp is not None:
            return self._sp.encode(list(sentences), out_type=str)
        return [self._bpe.encode(s) for s in sentences]

    def decode(self, tokens: list[str]) -> str:
        prefix = self.package.target_prefix
        if prefix and tokens and tokens[0] == prefix:
            tokens = tokens[1:]
        if self._sp is not None:
            # As Argos' SentencePieceTokenizer.decode, minus its "_" -> " " (it breaks real underscores).
            text = self._sp.decode_pieces(tokens).replace("▁", " ")
        else:
            text = self._bpe.decode(tokens)
        if prefix and text.startswith(prefix):
            text = text[len(prefix):]
        return text.strip()

    # -- translation ---------------------------------------------------------
    def translate_tokens(self, batch: list[list[str]], beam_size: int) -> list[list[str]]:
        """One translate_batch call on pre-tokenised input."""
        longest = max(len(t) for t in batch)
        limit = min(MAX_DECODING_LENGTH, int(longest * MAX_LENGTH_RATIO) + MAX_LENGTH_SLACK)
        prefix = [[self.package.target_prefix]] * len(batch) if self.package.target_prefix else None
        with self._lock:  # one translate call at a time per model: threads already use every core
            results = self._translator.translate_batch(
                batch, target_prefix=prefix, beam_size=beam_size, num_hypotheses=1,
                length_penalty=LENGTH_PENALTY, replace_unknowns=True,
                max_batch_size=MAX_BATCH_TOKENS, batch_type="tokens",
                max_decoding_length=limit)
        return [r.hypotheses[0] for r in results]

    def translate(self, sentences: Sequence[str], *, beam_size: int | None = None,
                  progress: ProgressFn = no_progress,
                  cancelled: CancelledFn = never_cancelled) -> list[str]:
        """Translate sentences; empty ones map to "" without the model."""
        beam = beam_size or DEFAULT_BEAM
        outputs = [""] * len(sentences)
        todo = [i for i, s in enumerate(sentences) if s.strip()]
        tokens = self.encode([sentences[i] for i in todo]) if todo else []
        # Longest first: similar lengths share a call, and the slowest batch
        # shows up early in the progress rather than at the very end.
        order = sorted(range(len(todo)), key=lambda k: -len(tokens[k]))
        for start in range(0, len(order), SENTENCES_PER_CALL):
            if cancelled():
                raise Cancelled(f"translation cancelled after {start} of {len(order)} sentences")
            chunk = order[start:start + SENTENCES_PER_CALL]
            for k, out in zip(chunk, self.translate_tokens([tokens[k] for k in chunk], beam)):
                outputs[todo[k]] = self.decode(out)
            progress(min(1.0, (start + len(chunk)) / len(order)),
                     f"translated {start + len(chunk)}/{len(order)} sentences")
        return outputs


_registry: dict[tuple, Translator] = {}
_registry_lock = threading.Lock()


def get_translator(package: ModelPackage, *, compute_type: str = "auto",
                   threads: int | None = None) -> Translator:
    """The loaded translator for a package (loaded on first use, then reused
    while the package's files stay the same: files replaced by another process
    are loaded afresh).

    :param package: an installed package.
    :param compute_type: CTranslate2's compute type ("auto": the best the CPU has).
    :param threads: intra-op threads (default: every core this process may use)."""
    key = (str(package.path), package.package_version, fingerprint(package), compute_type, threads)
    with _registry_lock:
        translator = _registry.get(key)
        if translator is None:
            for stale in [k for k in _registry if k[0] == key[0] and k[1:3] != key[1:3]]:
                del _registry[stale]
            translator = _registry[key] = Translator(package, compute_type=compute_type, threads=threads)
        return translator


def forget(path: Path) -> None:
    """Drop loaded models of a removed or replaced package (a long-lived
    process, the window, would otherwise keep them in memory).

    :param path: the package's folder."""
    with _registry_lock:
        for key in [k for k in _registry if k[0] == str(path)]:
            del _registry[key]


on_removed(forget)


def translate_chain(chain: Sequence[ModelPackage], sentences: Sequence[str], *,
                    beam_size: int | None = None, progress: ProgressFn = no_progress,
                    cancelled: CancelledFn = never_cancelled) -> list[str]:
    """Translate through a chain of packages (one, or two when pivoting via English)."""
    texts = list(sentences)
    for n, package in enumerate(chain):
        def step(fraction: float, message: str, n=n) -> None:
            progress((n + fraction) / len(chain), message)

        texts = get_translator(package).translate(texts, beam_size=beam_size, progress=step,
                                                  cancelled=cancelled)
    return texts


def translate_texts(sentences: Sequence[str], from_code: str, to_code: str, *,
                    packages_dir=None, beam_size: int | None = None,
                    progress: ProgressFn = no_progress,
                    cancelled: CancelledFn = never_cancelled) -> tuple[list[str], list[ModelPackage]]:
    """Translate with whatever is installed for the pair; returns the chain used."""
    chain = find_pair(from_code, to_code, packages_dir=packages_dir)
    return translate_chain(chain, sentences, beam_size=beam_size, progress=progress,
                           cancelled=cancelled), chain
