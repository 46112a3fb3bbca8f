# Parley: `make demo` serves the seed page on http://127.0.0.1:8080; `make test` runs every test.
VENV    ?= .venv
PYTHON  ?= python3
SHARED  ?= ../shared
BIN      = $(VENV)/bin
PIP      = $(BIN)/python -m pip --disable-pip-version-check -q

.PHONY: install test-deps demo test lint train encoder eval bench-read bench-pages bench-moderation bench-widget bench-perspective bench-language bench-reliability bench-admin bench-console bench-policy clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip
	$(PIP) install -e .
	touch $@

test-deps: $(VENV)/.test-installed

$(VENV)/.test-installed: $(VENV)/.installed pyproject.toml package-lock.json tests/perspective/package-lock.json
	$(PIP) install -e '.[test]'
	./scripts/install-test-deps.sh
	touch $@

demo: install
	$(BIN)/parley migrate
	$(BIN)/parley import wordpress $(SHARED)/fixtures/seed-thread.wxr.xml
	PARLEY_DEMO_PAGES=true $(BIN)/parley serve --host 127.0.0.1 --port 8080

lint: test-deps
	$(BIN)/ruff check src tests bench
	$(BIN)/lint-imports
	$(BIN)/mypy

test: lint
	$(BIN)/pytest

# Fine-tune the shipped moderation model (CPU torch, about 20 min on 2 cores; resumable).
train: install
	$(PIP) install -e '.[train]'
	$(BIN)/parley train

# Export the topicality sentence encoder (all-MiniLM-L6-v2, int8 ONNX) into the package.
encoder: install
	$(PIP) install -e '.[train]'
	$(BIN)/parley export-encoder

eval: install
	$(BIN)/parley eval --functional tests/data/functional/cases.jsonl --plot var/eval

bench-read: install
	$(BIN)/python bench/read_path.py

bench-pages: install
	$(BIN)/python bench/read_pages.py

bench-moderation: install
	$(PIP) install -e '.[train]' alt-profanity-check
	$(BIN)/python bench/moderation.py

bench-widget: install
	$(BIN)/python bench/widget.py

bench-perspective: install
	$(BIN)/python bench/perspective.py

bench-language: install
	$(BIN)/python bench/language.py

# kill -9 mid-write on SQLite and PostgreSQL, then a 10-minute soak (niced: it is a load test).
bench-reliability: install
	$(BIN)/python bench/reliability.py kill9
	nice -n 10 $(BIN)/python bench/reliability.py soak

# The review queue's first page with 10,000 held comments, SQLite and PostgreSQL (goal < 300 ms).
bench-admin: install
	$(BIN)/python bench/admin_queue.py

# The console's queue page (HTML, with its tab counts) against the JSON API, 10,000 held (goal < 300 ms).
bench-console: install
	$(BIN)/python bench/console_page.py

# The policy editor's what-if on 1,000 stored verdicts, against re-running the model (goal < 1 s).
bench-policy: install
	$(BIN)/python bench/policy_whatif.py

clean:
	rm -rf $(VENV) var test-artifacts .pytest_cache .mypy_cache .ruff_cache node_modules tests/perspective/node_modules
