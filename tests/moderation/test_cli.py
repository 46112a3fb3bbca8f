"""The CLI contract: `moderate thread`, `moderate texts` (streaming, bad lines), `eval` wiring."""

import functools
import json
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO, Any
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner

from parley.cli_moderation import health, moderate

SEED_THREAD = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "seed-thread.json"
SEED_TEXTS = (
    {c["id"]: c["body"] for c in json.loads(SEED_THREAD.read_text())["comments"]}
    if SEED_THREAD.exists()
    else {}
)


@functools.cache
def _seed_verdicts() -> dict[str, Any]:
    completed = subprocess.run(
        [sys.executable, "-m", "parley.cli_moderation", "moderate", "thread", str(SEED_THREAD)],
        capture_output=True,
        check=True,
        text=True,
    )
    return json.loads(completed.stdout)  # type: ignore[no-any-return]


@pytest.mark.skipif(not SEED_THREAD.exists(), reason="needs ../shared/fixtures")
def test_seed_thread_holds_the_slur_and_publishes_the_on_topic() -> None:
    result = _seed_verdicts()
    verdicts = {c["id"]: c["verdict"] for c in result["comments"]}
    assert verdicts[8] == "hold"
    assert [verdicts[i] for i in (1, 10, 11, 12)] == ["publish"] * 4
    assert all(verdict != "hold" for i, verdict in verdicts.items() if i != 8), verdicts
    slur_reasons = [r for r in result["comments"][7]["reasons"] if r["label"] == "identity_attack"]
    assert any(r["action"] == "hold" and r["spans"] for r in slur_reasons)
    assert all("off_topic" in c["scores"] for c in result["comments"])
    (alert,) = result["alerts"]
    assert alert["type"] == "derailment" and alert["reasons"]
    assert alert["at_comment"] < 8 and alert["branch_root"] == 3
    raised = result["comments"][alert["at_comment"] - 1]
    assert any(r["rule"] == "thread_health" for r in raised["reasons"])
    assert raised["verdict"] != "publish"  # the default policy queues it for a look


@pytest.mark.skipif(not SEED_THREAD.exists(), reason="needs ../shared/fixtures")
@pytest.mark.xfail(
    strict=True,
    reason="known miss of parley-minilm-1 (MODEL_CARD.md, known limits): 'truly ignorant indeed' "
    "inside a long political comment scores insult 0.30",
)
def test_seed_thread_flags_comment_6_as_an_insult() -> None:
    comment = _seed_verdicts()["comments"][5]
    insult = [r for r in comment["reasons"] if r["label"] == "insult"]
    assert comment["verdict"] == "flag" and insult
    assert any("ignorant" in SEED_TEXTS[6][a:b] for a, b in insult[0]["spans"])


def test_thread_file_errors_are_clear(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_bytes(b"{not json")
    result = CliRunner().invoke(moderate, ["thread", str(broken)])
    assert result.exit_code == 1
    assert "not a JSON thread file" in result.output
    orphan = tmp_path / "orphan.json"
    orphan.write_text(json.dumps({"comments": [{"id": 1, "parent": 7, "body": "hi"}]}))
    for command in (moderate, health):
        result = CliRunner().invoke(command, ["thread", str(orphan)])
        assert result.exit_code == 1
        assert "comment 1 replies to 7, which is not before it" in result.output


@pytest.mark.skipif(not SEED_THREAD.exists(), reason="needs ../shared/fixtures")
def test_health_thread_prints_each_branch_and_draws_the_tree(tmp_path: Path) -> None:
    plot = tmp_path / "seed.svg"
    result = CliRunner().invoke(health, ["thread", str(SEED_THREAD), "--plot", str(plot)])
    assert result.exit_code == 0, result.output
    assert "branch #1" in result.output and "branch #13" in result.output
    assert "alert: branch under #3 derailed" in result.output
    svg = ElementTree.fromstring(plot.read_text())
    circles = svg.findall(".//{http://www.w3.org/2000/svg}circle")
    titles = [c.findtext("{http://www.w3.org/2000/svg}title") or "" for c in circles]
    assert sum(t.startswith("#") for t in titles) == 13  # one dot per comment
    frames = [r for r in svg.iter("{http://www.w3.org/2000/svg}rect") if r.get("rx") == "6"]
    assert len(frames) == 1  # the alerted branch


def test_health_eval_reports_the_held_out_threads_apart(tmp_path: Path) -> None:
    threads = Path(__file__).resolve().parents[1] / "data" / "threads"
    for name in ("t01", "t03"):  # one tuning, one held-out thread
        (path,) = threads.glob(f"{name}-*.json")
        (tmp_path / path.name).write_text(path.read_text())
    result = CliRunner().invoke(health, ["eval", str(tmp_path)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["tune"]["threads"] == report["holdout"]["threads"] == 1
    for split in ("tune", "holdout"):
        assert 0 <= report[split]["off_topic_precision"] <= 1
        assert report[split]["derailing_threads"] == 1


def test_texts_answers_every_line_in_order() -> None:
    lines = [
        json.dumps({"text": "What a lovely documentary"}).encode(),
        b"not json at all",
        b'{"text": 42}',
        b"",
        b'{"text": "caf\xe9 with invalid utf-8"}',
        json.dumps({"text": "shut up, you f a g g o t"}).encode(),
        json.dumps({"text": "\ud800"}).encode(),
    ]
    result = CliRunner().invoke(moderate, ["texts"], input=b"\n".join(lines) + b"\n")
    assert result.exit_code == 0, result.output
    answers = [json.loads(line) for line in result.output.splitlines()]
    assert len(answers) == 6  # the blank line is not an input
    assert answers[0]["verdict"] == "publish"
    assert answers[1]["line"] == 2 and "not JSON" in answers[1]["error"]
    assert "string" in answers[2]["error"]
    assert "invalid UTF-8" in answers[3]["warning"]
    assert answers[4]["verdict"] == "hold"
    assert "surrogates" in answers[5]["warning"]


def test_texts_streams_without_reading_everything_first() -> None:
    count = 3000
    stdin = "".join(json.dumps({"text": f"comment {i} on the film"}) + "\n" for i in range(count))
    process = subprocess.Popen(
        [sys.executable, "-m", "parley.cli_moderation", "moderate", "texts"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdin is not None and process.stdout is not None
    writer = threading.Thread(target=_write_and_close, args=(process.stdin, stdin))
    writer.start()
    answers = sum(1 for line in process.stdout if json.loads(line)["verdict"])
    writer.join()
    assert process.wait(timeout=120) == 0
    assert answers == count


def _write_and_close(stream: IO[str], text: str) -> None:
    stream.write(text)
    stream.close()
