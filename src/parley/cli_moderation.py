"""`parley moderate thread|texts`, `parley train`, `parley eval`: the moderation CLI contract."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import click

from parley.domain.moderation import ModerationContext, Verdict
from parley.moderation.corpora import default_data_dir
from parley.moderation.engine import Engine
from parley.moderation.health_plot import health_svg, health_tables
from parley.moderation.thread_eval import LabelledThread, read_thread
from parley.moderation.thread_health import BranchWatch, Signals, ThreadWatch, with_topicality

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
    """Assess FILE's comments (seed-thread.json schema) in order, as if posted one by one.

    Each comment's `scores` include `off_topic`; `alerts` lists the derailing branches."""
    thread = _read_labelled(file)
    engine = Engine.load()
    watched = _watch(thread, engine)
    results = []
    for comment in thread.comments:
        verdict = watched.verdicts[comment.id]
        results.append({"id": comment.id, **verdict_json(verdict)})
    alerts = [alert.to_dict() for alert in watched.health.alerts]
    click.echo(json.dumps({"comments": results, "alerts": alerts}, ensure_ascii=False))


@dataclass
class _Watched:
    health: ThreadWatch
    verdicts: dict[Any, Verdict]


def _watch(thread: LabelledThread, engine: Engine) -> _Watched:
    """The thread as the server would judge it, posted comment by comment."""
    health = ThreadWatch(BranchWatch.load(), thread.title, thread.article)
    bodies = {comment.id: comment.body for comment in thread.comments}
    verdicts = {}
    for comment in thread.comments:
        context = ModerationContext(
            article=thread.article,
            thread_title=thread.title,
            parent_text=bodies.get(comment.parent) if comment.parent is not None else None,
        )
        verdict = engine.assess(comment.body, context)
        signals = Signals(comment.body, comment.author, comment.created_at, verdict.scores)
        observation = health.observe(comment.id, comment.parent, signals)
        verdicts[comment.id] = with_topicality(verdict, observation, engine.policy)
    return _Watched(health, verdicts)


@click.group()
def health() -> None:
    """Thread health: topicality per comment and derailing branches."""


@health.command("thread")
@click.argument("file", type=click.File("rb"))
@click.option(
    "--plot",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    default=None,
    help="Also draw the tree, topicality and heat per comment, as SVG into this file.",
)
def health_thread(file: IO[bytes], plot: Path | None) -> None:
    """Print FILE's per-branch timeline (seed-thread.json schema): each comment in posting order
    with its off-topic score, heat and the running figures of its reply chain, then the alerts."""
    from rich.console import Console

    thread = _read_labelled(file)
    watched = _watch(thread, Engine.load())
    console = Console(width=160)
    for table in health_tables(thread, watched.health):
        console.print(table)
    for alert in watched.health.alerts:
        console.print(
            f"[bold]alert[/]: branch under #{alert.branch_root} derailed, seen at "
            f"#{alert.at_comment}: " + "; ".join(alert.reasons),
            highlight=False,
        )
    if not watched.health.alerts:
        console.print("no derailment alert")
    if plot is not None:
        plot.write_text(health_svg(thread, watched.health), "utf-8")
        console.print(f"drawn to {plot}")


@health.command("eval")
@click.argument(
    "directory",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=Path("tests/data/threads"),
)
@click.option("--fit", "refit", is_flag=True, help="Refit on the tuning split and save first.")
def health_eval(directory: Path, refit: bool) -> None:
    """Off-topic precision/recall and alert delay on labelled threads (tuning and held-out
    splits reported apart); with --fit, the topic model and thresholds are refitted on the
    tuning split and written into the package first."""
    from parley.moderation.thread_eval import evaluate_and_fit

    click.echo(json.dumps(evaluate_and_fit(directory, Engine.load(), refit), indent=1))


def _read_labelled(file: IO[bytes]) -> LabelledThread:
    thread = _read_thread(file)
    for comment in thread["comments"]:
        _comment_body(comment)
    try:
        return read_thread(thread, file.name)
    except (ValueError, TypeError) as error:
        raise click.ClickException(f"{file.name}: {error}") from error


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


@click.command("export-encoder")
@_DATA_DIR_OPTION
@click.option(
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder to write the encoder to (default: the package's models/sentence).",
)
def export_encoder(data_dir: Path | None, output: Path | None) -> None:
    """Export the topicality sentence encoder to int8 ONNX (needs the 'train' extra)."""
    from rich.progress import Progress

    from parley.moderation.embedding import shipped_directory
    from parley.moderation.encoder_export import export_encoder as export

    target = output or Path(str(shipped_directory()))
    with Progress() as progress:
        task = progress.add_task("exporting", total=None)

        def report(step: str, done: int, total: int) -> None:
            progress.update(task, description=step, completed=done, total=total)

        settings = export(data_dir or default_data_dir(), target, report)
    cosine = settings["cosine_to_float"]
    click.echo(
        f"exported {settings['version']} ({settings['size_bytes'] / 1e6:.1f} MB, cosine to float "
        f"mean {cosine['mean']}, min {cosine['min']}) -> {target}"
    )


standalone = click.Group("parley", commands=[moderate, health, train, eval_command, export_encoder])

if __name__ == "__main__":
    standalone()
