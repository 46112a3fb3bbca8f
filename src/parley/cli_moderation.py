"""`parley moderate thread|texts`, `parley train`, `parley eval`: the moderation CLI contract."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import click

from parley.domain.moderation import ModerationContext, Verdict
from parley.moderation.corpora import default_data_dir
from parley.moderation.engine import Engine
from parley.moderation.thread_health import ThreadComment, ThreadHealth

_DATA_DIR_OPTION = click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder with the data sets (default: ../shared/data next to the repository).",
)


def verdict_json(verdict: Verdict) -> dict[str, Any]:
    return {
        "verdict": verdict.action.value,
        "scores": verdict.scores,
        "reasons": [reason.to_dict() for reason in verdict.reasons],
    }


@click.group()
def moderate() -> None:
    """Assess comments with the default policy, without the server."""


@moderate.command("thread")
@click.argument("file", type=click.File("rb"))
def moderate_thread(file: IO[bytes]) -> None:
    """Assess FILE's comments (seed-thread.json schema) in order, as if posted one by one."""
    thread = _read_thread(file)
    engine = Engine.load()
    health = ThreadHealth(str(thread.get("article", "")))
    texts: dict[Any, str] = {}
    results = []
    for comment in thread["comments"]:
        body, parent = _comment_body(comment), comment.get("parent")
        context = ModerationContext(
            article=str(thread.get("article", "")),
            thread_title=str(thread.get("title", "")),
            parent_text=texts.get(parent),
        )
        verdict = engine.assess(body, context)
        texts[comment["id"]] = body
        heat = max(verdict.scores["toxicity"], verdict.scores["identity_attack"])
        health.observe(ThreadComment(comment["id"], parent, body, heat))
        results.append({"id": comment["id"], **verdict_json(verdict)})
    click.echo(json.dumps({"comments": results, "alerts": health.alerts}, ensure_ascii=False))


def _read_thread(file: IO[bytes]) -> dict[str, Any]:
    try:
        thread = json.loads(file.read().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise click.ClickException(f"{file.name}: not a JSON thread file: {error}") from error
    if not isinstance(thread, dict) or not isinstance(thread.get("comments"), list):
        raise click.ClickException(f"{file.name}: expected an object with a 'comments' list")
    for position, comment in enumerate(thread["comments"]):
        if not isinstance(comment, dict) or "id" not in comment:
            raise click.ClickException(f"{file.name}: comment {position} has no 'id'")
    return thread


def _comment_body(comment: dict[str, Any]) -> str:
    body = comment.get("body", "")
    if not isinstance(body, str):
        raise click.ClickException(f"comment {comment['id']}: 'body' must be a string")
    return body


@moderate.command("texts")
def moderate_texts() -> None:
    """Read JSON lines {"text": ...} on stdin; write one JSON line per input, in order.

    A line that cannot be read gives {"error": ..., "line": N} in its place; blank lines are
    skipped.
    """
    engine = Engine.load()
    context = ModerationContext()
    output = sys.stdout
    for number, line in _numbered_lines(sys.stdin.buffer):
        output.write(json.dumps(_assess_line(engine, context, number, line), ensure_ascii=False))
        output.write("\n")
    output.flush()


def _numbered_lines(stream: IO[bytes]) -> Iterator[tuple[int, bytes]]:
    for number, line in enumerate(stream, start=1):
        if line.strip():
            yield number, line


def _assess_line(
    engine: Engine, context: ModerationContext, number: int, line: bytes
) -> dict[str, Any]:
    try:
        decoded, warning = line.decode("utf-8"), None
    except UnicodeDecodeError:
        decoded, warning = (
            line.decode("utf-8", errors="replace"),
            "invalid UTF-8 replaced by U+FFFD",
        )
    try:
        record = json.loads(decoded)
    except json.JSONDecodeError as error:
        return {"error": f"not JSON: {error.msg} at column {error.colno}", "line": number}
    if not isinstance(record, dict) or not isinstance(record.get("text"), str):
        return {"error": 'expected an object with a string "text"', "line": number}
    text = record["text"]
    if not _encodable(text):  # lone surrogates from "\ud800" escapes
        text, warning = text.encode("utf-8", "replace").decode("utf-8"), "lone surrogates replaced"
    result = verdict_json(engine.assess(text, context))
    if warning is not None:
        result["warning"] = warning
    return result


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@click.command()
@_DATA_DIR_OPTION
@click.option(
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for the model (default: the package's models/minilm/).",
)
@click.option(
    "--work",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("var/train"),
    show_default=True,
    help="Checkpoints: a rerun resumes from the last one; delete the folder to start over.",
)
@click.option("--linear", is_flag=True, help="Train the v1 linear model instead.")
def train(data_dir: Path | None, output: Path | None, work: Path, linear: bool) -> None:
    """Train the moderation model from the data sets (needs the 'train' extra)."""
    from rich.progress import Progress

    data = data_dir or default_data_dir()
    with Progress() as progress:
        task = progress.add_task("training", total=None)

        def report(step: str, done: int, total: int) -> None:
            progress.update(task, description=step, completed=done, total=total)

        if linear:
            _train_linear(data, output, report)
            return
        from parley.moderation.contrast import OUTPUT as CONTRAST_FILE
        from parley.moderation.finetune import train_transformer
        from parley.moderation.transformer import shipped_directory

        target = output or Path(str(shipped_directory()))
        metadata = train_transformer(data, CONTRAST_FILE, target, work, report)
    click.echo(f"trained {metadata['version']} in {metadata['train_minutes']} min -> {target}")


def _train_linear(data: Path, output: Path | None, report: Any) -> None:
    from parley.moderation.scorer import shipped_model_path
    from parley.moderation.train import train as train_model

    target = output / "parley-linear.npz" if output else shipped_model_path()
    result = train_model(data, report)
    result.model.save(target, result.metadata)
    click.echo(f"trained {result.model.version} on {result.examples} examples -> {target}")


@click.command("eval")
@_DATA_DIR_OPTION
@click.option(
    "--functional",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="A functional suite (JSON lines: id, functionality, text, label) to report too.",
)
@click.option(
    "--plot",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Write a reliability diagram per label (SVG) into this folder.",
)
def eval_command(data_dir: Path | None, functional: Path | None, plot: Path | None) -> None:
    """Print AUC per test split and label, bias, calibration, span F1 and the functional suite."""
    from parley.moderation.evaluate import print_evaluation

    print_evaluation(Engine.load(threads=2), data_dir or default_data_dir(), functional, plot)


standalone = click.Group("parley", commands=[moderate, train, eval_command])

if __name__ == "__main__":
    standalone()
