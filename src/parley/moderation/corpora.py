"""Readers for the data sets under `../shared/data` and the fixed train / evaluation split.

Training uses Davidson et al. (all rows) and the ToxiGen training part. The identity templates and
both Wikipedia sets are evaluation only; ToxiGen is split by sentence with `SPLIT_SEED`.
"""

from __future__ import annotations

import csv
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SPLIT_SEED = 20240917
TOXIGEN_TEST_FRACTION = 0.3


@dataclass(frozen=True, slots=True)
class Example:
    """One text with soft targets in [0, 1] for the labels the source can speak to."""

    text: str
    targets: dict[str, float]
    group: str = ""


def default_data_dir() -> Path:
    """`../shared/data` next to the repository this package is checked out in, or the cwd's."""
    for root in (Path.cwd(), *Path(__file__).resolve().parents):
        candidate = root.parent / "shared" / "data"
        if candidate.is_dir():
            return candidate
    return Path.cwd().parent / "shared" / "data"


def davidson(data_dir: Path) -> list[Example]:
    """Tweets: toxicity is the share of coders saying hate or offensive, identity attack hate."""
    with (data_dir / "davidson-2017" / "labeled_data.csv").open(encoding="utf-8") as file:
        return [_davidson_example(row) for row in csv.DictReader(file)]


def _davidson_example(row: dict[str, str]) -> Example:
    coders = int(row["count"])
    hate = int(row["hate_speech"]) / coders
    offensive = int(row["offensive_language"]) / coders
    targets = {
        "toxicity": hate + offensive,
        "identity_attack": hate,
        "severe_toxicity": 1.0 if hate >= 2 / 3 else 0.0,
        "insult": offensive,
    }
    return Example(row["tweet"], targets)


def toxigen(data_dir: Path) -> list[Example]:
    """Implicit hate vs neutral sentences about 15 groups."""
    examples = []
    with (data_dir / "toxigen-prompts" / "sentences.jsonl").open(encoding="utf-8") as file:
        for line in file:
            record = json.loads(line)
            hate = 1.0 if record["label"] == "hate" else 0.0
            targets = {"toxicity": hate, "identity_attack": hate}
            examples.append(Example(record["text"], targets, record["group"]))
    return examples


def toxigen_split(data_dir: Path) -> tuple[list[Example], list[Example]]:
    """(train, test) by sentence, the same every time for `SPLIT_SEED`."""
    examples = sorted(toxigen(data_dir), key=lambda example: example.text)
    random.Random(SPLIT_SEED).shuffle(examples)
    test_size = round(len(examples) * TOXIGEN_TEST_FRACTION)
    return examples[test_size:], examples[:test_size]


def wikipedia(data_dir: Path, *, fuzzed: bool = False) -> list[Example]:
    """Wikipedia talk-page comments with a boolean `toxic` label (evaluation only)."""
    name = "toxicity_fuzzed_testset.csv" if fuzzed else "toxicity_nonfuzzed_testset.csv"
    with (data_dir / "conversationai-bias" / name).open(encoding="utf-8") as file:
        return [
            Example(row["comment"], {"toxicity": 1.0 if row["toxic"] == "True" else 0.0})
            for row in csv.DictReader(file)
        ]


def identity_templates(data_dir: Path) -> list[Example]:
    """Synthetic sentences; `group` is the identity term the template was filled with."""
    return list(_read_templates(data_dir / "conversationai-bias" / "en_sentence_templates.csv"))


def _read_templates(path: Path) -> Iterator[Example]:
    with path.open(encoding="utf-8") as file:
        for row in csv.DictReader(file):
            toxic = 1.0 if row["toxicity"] == "toxic" else 0.0
            yield Example(row["phrase"], {"toxicity": toxic}, _template_identity(row))


def _template_identity(row: dict[str, str]) -> str:
    words = row["phrase"].split()
    prefix_words = {"verb_adj": 1, "am_hate_adj": 2, "being_adj": 1}
    if row["template"] == "being_adj":
        return " ".join(words[1:-2])
    if row["template"] in prefix_words:
        return " ".join(words[prefix_words[row["template"]] :])
    if row["template"] == "you_occupation":
        return " ".join(words[4:])
    return " ".join(words[4:])  # "<name> is a <adjective> <identity>", "You are a <adj> <id>"
