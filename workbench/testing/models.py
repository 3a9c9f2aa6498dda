"""Build a random-weight Argos Translate package at run time.

No real en-ru model can be downloaded where the tests run, so tests (and the
benchmark) build one: a SentencePiece model trained on local text (or a given
real vocabulary), a CTranslate2 Transformer written from numpy weights with
the ctranslate2 spec API (no torch), and ``metadata.json`` laid out exactly
like an Argos 1.9 package.  The *real* install/load/translate code then runs
on it.  The translations are gibberish, but deterministic.
"""
from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path

import numpy as np

# Local text for training a small SentencePiece model: English and Russian
# news prose, so both directions tokenise sensibly.
TRAINING_TEXT = """\
The countries of the Commonwealth maintain effective cooperation in the field of migration.
New challenges call for more flexible solutions for managing the flow of migrants.
The minister said the meeting in Tashkent would discuss a new strategy until 2030.
Participants exchanged experience in detecting forged documents and combating illegal migration.
The council will also review changes in national legislation and law enforcement practice.
Officials praised the active and constructive role of the country in regional processes.
Страны Содружества поддерживают эффективное сотрудничество в сфере миграции.
Новые вызовы требуют более гибких решений для управления потоками мигрантов.
Министр заявил, что на встрече в Ташкенте обсудят новую стратегию до 2030 года.
Участники обменялись опытом выявления поддельных документов и борьбы с незаконной миграцией.
Совет также рассмотрит изменения в национальном законодательстве и правоприменительной практике.
Представители высоко оценили активную и конструктивную роль страны в региональных процессах.
"""


def train_sentencepiece(out_prefix: Path, text: str, vocab_size: int = 400) -> Path:
    import sentencepiece as spm

    lines = [line for line in text.splitlines() if line.strip()]
    # A tiny corpus cannot support a large vocabulary: let the trainer cap it.
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines * 4), model_prefix=str(out_prefix), vocab_size=vocab_size,
        model_type="unigram", character_coverage=1.0, hard_vocab_limit=False,
        minloglevel=2, num_threads=1)
    return out_prefix.with_suffix(".model")


def _vocabulary(spm_model: Path) -> list[str]:
    import sentencepiece as spm

    processor = spm.SentencePieceProcessor(model_file=str(spm_model))
    pieces = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
    # CTranslate2 needs these tokens; SentencePiece names them the same by default.
    for special in ("<unk>", "<s>", "</s>"):
        if special not in pieces:
            pieces.append(special)
    return pieces


def _fill(spec, rng: np.random.Generator, d_model: int, ffn: int, vocab: int) -> None:
    """Give every required variable of a Transformer spec random weights."""

    def shape_of(path: str) -> tuple[int, ...]:
        name = path.rsplit("/", 2)
        leaf, parent = name[-1], name[-2]
        if leaf in ("gamma", "beta"):
            return (d_model,)
        if parent.startswith("embeddings") or parent == "projection":
            return (vocab, d_model)
        grand = name[-3] if len(name) > 2 else ""
        if "self_attention" in path:
            return (3 * d_model, d_model) if parent == "linear_0" else (d_model, d_model)
        if "/attention/" in path:
            return {"linear_0": (d_model, d_model), "linear_1": (2 * d_model, d_model),
                    "linear_2": (d_model, d_model)}[parent]
        if "ffn" in path or grand == "ffn":
            return (ffn, d_model) if parent == "linear_0" else (d_model, ffn)
        raise ValueError(f"no shape rule for {path}")

    def walk(obj, prefix: str) -> None:
        for key, value in list(vars(obj).items()):
            if key.startswith("_"):
                continue
            path = f"{prefix}{key}"
            if isinstance(value, list):
                for i, item in enumerate(value):
                    if type(item).__module__.startswith("ctranslate2"):
                        walk(item, f"{path}_{i}/")
            elif type(value).__module__.startswith("ctranslate2") and hasattr(value, "__dict__"):
                walk(value, f"{path}/")
            elif value is None:
                shape = shape_of(path)
                if key == "gamma":
                    weights = np.ones(shape, dtype=np.float32)
                elif key == "beta":
                    weights = np.zeros(shape, dtype=np.float32)
                else:
                    weights = (rng.standard_normal(shape) / np.sqrt(shape[-1])).astype(np.float32)
                setattr(obj, key, weights)

    walk(spec, "")


def _stop_after_a_sentence(spec, eos: int, d_model: int) -> None:
    """Make the random decoder end its output after ~20-40 tokens, as a real
    model ends a sentence, so benchmarks measure realistic decoding work
    instead of every path running to the length cap.

    One residual dimension is reserved for the sinusoidal position encoding
    alone (no embedding or sublayer writes to it), so after the final layer
    norm it rises with the decoding step; the end-of-sentence logit reads
    that dimension and wins once it passes a threshold."""
    k = round(d_model * 3 / 16)  # a mid-frequency sine: monotonic over the first ~40 steps
    decoder = spec.decoder
    decoder.embeddings.weight[:, k] = 0
    for layer in decoder.layer:
        layer.self_attention.linear[1].weight[k, :] = 0
        layer.attention.linear[2].weight[k, :] = 0
        layer.ffn.linear_1.weight[k, :] = 0
    gain, threshold = 400.0, 0.1  # measured: ~15-30 tokens for 2+2 x 64 up to 6+6 x 512 models
    decoder.projection.weight[eos, :] = 0
    decoder.projection.weight[eos, k] = gain
    bias = np.zeros(decoder.projection.weight.shape[0], dtype=np.float32)
    bias[eos] = -gain * threshold
    decoder.projection.bias = bias


def build_ct2_model(model_dir: Path, vocabulary: list[str], *, layers: tuple[int, int] = (2, 2),
                    d_model: int = 64, heads: int = 2, ffn: int = 128, seed: int = 0,
                    quantization: str | None = None) -> Path:
    from ctranslate2 import specs

    spec = specs.TransformerSpec.from_config(layers, heads)
    rng = np.random.default_rng(seed)
    _fill(spec, rng, d_model, ffn, len(vocabulary))
    _stop_after_a_sentence(spec, vocabulary.index("</s>"), d_model)
    spec.register_source_vocabulary(vocabulary)
    spec.register_target_vocabulary(vocabulary)
    spec.validate()
    spec.optimize(quantization=quantization)
    if model_dir.exists():
        shutil.rmtree(model_dir)
    model_dir.mkdir(parents=True)
    spec.save(str(model_dir))
    return model_dir


def build_test_package(out_dir: str | Path, from_code: str, to_code: str, *,
                       spm_model: str | Path | None = None, training_text: str | None = None,
                       vocab_size: int = 400, layers: tuple[int, int] = (2, 2), d_model: int = 64,
                       heads: int = 2, ffn: int = 128, seed: int = 0, package_version: str = "1.9",
                       quantization: str | None = None, zip_to: str | Path | None = None) -> Path:
    """Write ``translate-FROM_TO-VERSION/`` under ``out_dir`` (and optionally a
    zipped ``.argosmodel`` at ``zip_to``); return the package directory."""
    out_dir = Path(out_dir)
    name = f"translate-{from_code}_{to_code}-{package_version.replace('.', '_')}"
    package = out_dir / name
    if package.exists():
        shutil.rmtree(package)
    package.mkdir(parents=True)
    if spm_model is not None:
        shutil.copyfile(spm_model, package / "sentencepiece.model")
    else:
        trained = train_sentencepiece(out_dir / f".{name}-spm", training_text or TRAINING_TEXT, vocab_size)
        shutil.move(str(trained), package / "sentencepiece.model")
        trained.with_suffix(".vocab").unlink(missing_ok=True)
    vocabulary = _vocabulary(package / "sentencepiece.model")
    build_ct2_model(package / "model", vocabulary, layers=layers, d_model=d_model, heads=heads,
                    ffn=ffn, seed=seed, quantization=quantization)
    metadata = {
        "package_version": package_version, "argos_version": "1.9.0",
        "from_code": from_code, "from_name": _NAMES.get(from_code, from_code),
        "to_code": to_code, "to_name": _NAMES.get(to_code, to_code),
        "type": "translate", "languages": [], "dependencies": [], "source_languages": [],
        "target_languages": [], "links": [],
        "description": "Random-weight test model built by workbench.testing.models (gibberish output)",
    }
    (package / "metadata.json").write_text(json.dumps(metadata, indent=2), encoding="utf-8")
    (package / "README.md").write_text("Random-weight test package. Not for translation.\n", encoding="utf-8")
    if zip_to is not None:
        zip_package(package, Path(zip_to))
    return package


def zip_package(package: Path, zip_path: Path) -> Path:
    """Zip a package dir the way Argos distributes them (one top-level dir)."""
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(package.rglob("*")):
            if path.is_file():
                archive.write(path, f"{package.name}/{path.relative_to(package).as_posix()}")
    zip_path.write_bytes(buffer.getvalue())
    return zip_path


_NAMES = {"en": "English", "ru": "Russian", "de": "German", "fr": "French", "uk": "Ukrainian"}
