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


# --- v2: every data set with a fixed train / valid / test split --------------------------------

SPLITS = ("train", "valid", "test")
_VALID_SHARE, _TEST_SHARE = 0.1, 0.1


@dataclass(frozen=True, slots=True)
class Labelled:
    """One text, soft targets for the labels its source speaks to, and toxic character spans."""

    text: str
    targets: dict[str, float]
    spans: tuple[tuple[int, int], ...] | None = None  # None: the source has no spans
    group: str = ""  # the identity an identity template names


Sets = dict[str, dict[str, list[Labelled]]]  # source -> split -> examples


def split_of(key: str, *, valid: float = _VALID_SHARE, test: float = _TEST_SHARE) -> str:
    """The split a record belongs to, from a stable hash of its key (no state, no order)."""
    import hashlib

    digest = hashlib.blake2b(f"{SPLIT_SEED}:{key}".encode(), digest_size=8).digest()
    bucket = int.from_bytes(digest, "big") / 2**64
    return "test" if bucket < test else "valid" if bucket < test + valid else "train"


def _by_split(rows: Iterator[tuple[str, Labelled]]) -> dict[str, list[Labelled]]:
    out: dict[str, list[Labelled]] = {split: [] for split in SPLITS}
    for split, example in rows:
        out[split].append(example)
    return out


def _jsonl(path: Path) -> Iterator[dict[str, object]]:
    with path.open(encoding="utf-8") as file:
        for line in file:
            yield json.loads(line)


def davidson_sets(data_dir: Path) -> dict[str, list[Labelled]]:
    """Davidson tweets (MIT): toxicity = share of coders saying hate or offensive."""

    def rows() -> Iterator[tuple[str, Labelled]]:
        for example in davidson(data_dir):
            # v1's `insult` proxy (the offensive share) is mostly profanity: v2 leaves it out.
            targets = {k: v for k, v in example.targets.items() if k != "insult"}
            yield split_of(example.text), Labelled(example.text, targets)

    return _by_split(rows())


def toxigen_sets(data_dir: Path) -> dict[str, list[Labelled]]:
    """ToxiGen sentences (CDLA-Permissive-2.0): implicit hate vs neutral about 15 groups."""
    train, test = toxigen_split(data_dir)

    def labelled(example: Example) -> Labelled:
        hate = example.targets["toxicity"]
        targets = {"toxicity": hate, "identity_attack": hate, "threat": 0.0, "profanity": 0.0}
        return Labelled(example.text, targets)

    valid = [e for e in train if split_of(e.text, valid=0.2, test=0.0) == "valid"]
    train = [e for e in train if e not in valid]
    return {
        "train": [labelled(e) for e in train],
        "valid": [labelled(e) for e in valid],
        "test": [labelled(e) for e in test],
    }


def olid_sets(data_dir: Path) -> dict[str, list[Labelled]]:
    """OLID tweets (CC BY 4.0): OFF / targeted insult-or-threat / untargeted profanity.

    The official test set is the test split; the training file is cut into train and valid.
    """
    root = data_dir / "olid"

    def targets(a: str, b: str, c: str) -> dict[str, float]:
        offensive = 1.0 if a == "OFF" else 0.0
        out = {"toxicity": offensive}
        if a == "NOT":
            out |= {"insult": 0.0, "identity_attack": 0.0, "threat": 0.0, "profanity": 0.0}
        elif b == "TIN":
            out["insult"] = 1.0
            if c == "IND":
                out["identity_attack"] = 0.0
        elif b == "UNT":
            out |= {"insult": 0.0, "identity_attack": 0.0, "profanity": 1.0}
        return out

    def training() -> Iterator[tuple[str, Labelled]]:
        with (root / "olid-training-v1.0.tsv").open(encoding="utf-8", newline="") as file:
            for row in csv.DictReader(file, delimiter="\t", quoting=csv.QUOTE_NONE):
                split = split_of(row["id"], valid=0.1, test=0.0)
                labels = targets(row["subtask_a"], row["subtask_b"], row["subtask_c"])
                yield split, Labelled(row["tweet"], labels)

    out = _by_split(training())
    gold = {}
    for level in "abc":
        with (root / f"labels-level{level}.csv").open(encoding="utf-8") as file:
            for line in file:
                key, _, label = line.strip().partition(",")
                if key.isdigit():
                    gold.setdefault(key, {})[level] = label
    with (root / "testset-levela.tsv").open(encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file, delimiter="\t", quoting=csv.QUOTE_NONE):
            g = gold.get(row["id"], {})
            labels = targets(g.get("a", "NOT"), g.get("b", "NULL"), g.get("c", "NULL"))
            out["test"].append(Labelled(row["tweet"], labels))
    return out


_SPAN_TYPES = {
    "Insult": "insult",
    "Identity based Attack": "identity_attack",
    "Profane/Obscene": "profanity",
    "Threat": "threat",
}


def toxic_spans_sets(data_dir: Path) -> dict[str, list[Labelled]]:
    """Civil Comments posts with typed rater spans (CC0).

    Targets are the share of raters who marked a span of each type (threat needs two raters: a
    single rater's type is noisy); toxicity only for the posts most raters found clean.
    Spans are the characters a majority of raters marked. Posts of the SemEval test file are the
    test split, so span F1 is reported on SemEval's own gold.
    """
    root = data_dir / "toxic-spans"
    with (root / "semeval2021" / "tsd_test.csv").open(encoding="utf-8") as file:
        semeval_test = {row["text"] for row in csv.DictReader(file)}

    def rows() -> Iterator[tuple[str, Labelled]]:
        for record in _jsonl(root / "raw_joined.jsonl"):
            text = str(record["text"])
            annotations = list(record["annotations"])  # type: ignore[call-overload]
            if not annotations:
                continue
            split = "test" if text in semeval_test else split_of(text, valid=0.1, test=0.0)
            yield split, _toxic_spans_example(text, annotations)

    return _by_split(rows())


def _toxic_spans_example(text: str, annotations: list[dict[str, object]]) -> Labelled:
    raters = len(annotations)
    marked: dict[str, int] = {}
    toxic = 0
    votes = [0] * len(text)
    for annotation in annotations:
        spans = list(annotation["spans"])  # type: ignore[call-overload]
        if spans or annotation["all_toxic"]:
            toxic += 1
        for kind in {_SPAN_TYPES.get(str(s["type"])) for s in spans} - {None}:
            marked[str(kind)] = marked.get(str(kind), 0) + 1
        covered = set()
        for span in spans:
            covered.update(range(int(span["start"]), min(int(span["end"]), len(text))))
        for i in covered:
            votes[i] += 1
    targets = {label: marked.get(label, 0) / raters for label in _SPAN_TYPES.values()}
    if marked.get("threat", 0) < 2:
        targets["threat"] = 0.0
    # Every post was picked as likely toxic, so "toxic" is nearly always yes here: taught as is,
    # it makes any long news comment toxic. Only the posts most raters found clean speak to it.
    if toxic * 2 < raters:
        targets["toxicity"] = toxic / raters
    return Labelled(text, targets, _runs([v * 2 > raters for v in votes]))


def _runs(flags: list[bool]) -> tuple[tuple[int, int], ...]:
    runs, start = [], None
    for i, flag in enumerate([*flags, False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            runs.append((start, i))
            start = None
    return tuple(runs)


def semeval_span_test(data_dir: Path) -> list[tuple[str, set[int]]]:
    """SemEval-2021 toxic-spans test posts with their gold character offsets."""
    out = []
    path = data_dir / "toxic-spans" / "semeval2021" / "tsd_test.csv"
    with path.open(encoding="utf-8") as file:
        for row in csv.DictReader(file):
            out.append((row["text"], set(json.loads(row["spans"]))))
    return out


def convabuse_sets(data_dir: Path) -> dict[str, list[Labelled]]:
    """Abuse of chatbots (CC BY 4.0), with its published train / valid / test split."""

    def rows() -> Iterator[tuple[str, Labelled]]:
        for record in _jsonl(data_dir / "convabuse" / "normalized.jsonl"):
            raters = int(record["n_annotators"])  # type: ignore[call-overload]
            abusive = int(record["abuse_votes"]) / raters  # type: ignore[call-overload]
            level = float(record["mean_level"])  # type: ignore[arg-type]
            types = dict(record["type_votes"])  # type: ignore[call-overload]
            identity = sum(types.get(t, 0) for t in ("sexist", "homophobic", "racist", "ableist"))
            targets = {
                "toxicity": abusive,
                "insult": abusive if types.get("intellectual") else 0.0,
                "severe_toxicity": 1.0 if level <= -2 else 0.0,
                "identity_attack": min(1.0, identity / raters),
            }
            split = {"valid": "valid", "test": "test"}.get(str(record["split"]), "train")
            yield split, Labelled(str(record["text"]), targets)

    return _by_split(rows())


def stormfront_sets(data_dir: Path) -> dict[str, list[Labelled]]:
    """White-supremacist forum sentences (CC BY-SA 3.0): hate vs not; split by post."""

    def rows() -> Iterator[tuple[str, Labelled]]:
        for record in _jsonl(data_dir / "stormfront-hate" / "normalized.jsonl"):
            label = record["label"]
            if label not in ("hate", "noHate"):
                continue
            hate = 1.0 if label == "hate" else 0.0
            split = "test" if record["split"] == "sampled_test" else "train"
            if split == "train":
                split = split_of(str(record["comment_id"]), valid=0.1, test=0.0)
            targets = {"toxicity": hate, "identity_attack": hate}
            yield split, Labelled(str(record["text"]), targets)

    return _by_split(rows())


def fox_news_sets(data_dir: Path) -> dict[str, list[Labelled]]:
    """News-site comment threads (MIT): hateful or not; split by thread so none leaks."""

    def rows() -> Iterator[tuple[str, Labelled]]:
        for record in _jsonl(data_dir / "fox-news-comments" / "fox-news-comments.json"):
            hate = float(record["label"])  # type: ignore[arg-type]
            split = split_of(str(record["title"]), valid=0.2, test=0.3)
            yield split, Labelled(str(record["text"]), {"toxicity": hate, "identity_attack": hate})

    return _by_split(rows())


def implicit_hate_sets(data_dir: Path) -> dict[str, list[Labelled]]:
    """Tweets around US extremist groups (MIT): not / implicit / explicit hate; veiled threats."""
    root = data_dir / "implicit-hate"
    threatening = set()
    with (root / "implicit_hate_v1_stg2_posts.tsv").open(encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file, delimiter="\t"):
            if "threatening" in (row["implicit_class"], row["extra_implicit_class"]):
                threatening.add(row["post"])

    def rows() -> Iterator[tuple[str, Labelled]]:
        with (root / "implicit_hate_v1_stg1_posts.tsv").open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f, delimiter="\t"):
                hate = 0.0 if row["class"] == "not_hate" else 1.0
                targets = {"toxicity": hate, "identity_attack": hate}
                targets["threat"] = 1.0 if row["post"] in threatening else 0.0
                if row["class"] == "explicit_hate":
                    targets["severe_toxicity"] = 1.0
                text = row["post"].strip().strip('"').strip()
                yield split_of(row["post"]), Labelled(text, targets)

    return _by_split(rows())


_JIGSAW_COLUMNS = {
    "toxic": "toxicity",
    "severe_toxic": "severe_toxicity",
    "obscene": "profanity",
    "threat": "threat",
    "insult": "insult",
    "identity_hate": "identity_attack",
}


def jigsaw_sets(data_dir: Path) -> dict[str, list[Labelled]]:
    """The two small public Jigsaw samples (CC0 labels): all six labels, split as published."""
    root = data_dir / "jigsaw-toxic-sample"
    out: dict[str, list[Labelled]] = {split: [] for split in SPLITS}
    for name, split in (("train_sample.csv", "train"), ("test_examples.csv", "test")):
        with (root / name).open(encoding="utf-8") as file:
            for row in csv.DictReader(file):
                targets = {label: float(row[column]) for column, label in _JIGSAW_COLUMNS.items()}
                out[split].append(Labelled(row["comment_text"], targets))
    return out


def contrast_sets(path: Path) -> dict[str, list[Labelled]]:
    """Parley's own hand-written contrast sentences (shipped in the package)."""

    def rows() -> Iterator[tuple[str, Labelled]]:
        for record in _jsonl(path):
            text = str(record["text"])
            targets = {label: float(record[label]) for label in _JIGSAW_COLUMNS.values()}  # type: ignore[arg-type]
            yield split_of(text, valid=0.15, test=0.0), Labelled(text, targets)

    return _by_split(rows())


def impermium_sets(data_dir: Path) -> dict[str, list[Labelled]]:
    """News/blog comments (no licence): insult at a participant. Validation and report only."""
    examples = [
        Labelled(str(r["text"]), {"insult": float(r["insult"])})  # type: ignore[arg-type]
        for r in _jsonl(data_dir / "impermium-insults" / "normalized.jsonl")
    ]
    return {"train": [], "valid": [], "test": examples}


# Sets the shipped model may learn from: licences that allow redistribution and commercial use.
TRAINING_SOURCES = {
    "davidson": davidson_sets,
    "toxigen": toxigen_sets,
    "olid": olid_sets,
    "toxic-spans": toxic_spans_sets,
    "convabuse": convabuse_sets,
    "stormfront": stormfront_sets,
    "fox-news": fox_news_sets,
    "implicit-hate": implicit_hate_sets,
    "jigsaw-sample": jigsaw_sets,
}
