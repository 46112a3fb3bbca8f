"""The CLI contract: `moderate thread`, `moderate texts` (streaming, bad lines), `eval` wiring."""

import json
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO, Any

import pytest
from click.testing import CliRunner

from parley.cli_moderation import moderate

SEED_THREAD = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "seed-thread.json"
SEED_TEXTS = (
    {c["id"]: c["body"] for c in json.loads(SEED_THREAD.read_text())["comments"]}
    if SEED_THREAD.exists()
    else {}
)


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
    assert isinstance(result["alerts"], list)
    for alert in result["alerts"]:
        assert {"comment_id", "branch_root", "kind", "message"} <= set(alert)


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
