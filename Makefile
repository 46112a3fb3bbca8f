# Parley: `make demo` serves the seed page on http://127.0.0.1:8080; `make test` runs every test.
VENV    ?= .venv
PYTHON  ?= python3
SHARED  ?= ../shared
BIN      = $(VENV)/bin
PIP      = $(BIN)/python -m pip --disable-pip-version-check -q

.PHONY: install test-deps demo test lint train eval bench-read bench-moderation bench-widget bench-perspective bench-language clean

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

eval: install
	$(BIN)/parley eval --functional tests/data/functional/cases.jsonl --plot var/eval

bench-read: install
	$(BIN)/python bench/read_path.py

bench-moderation: install
	$(PIP) install -e '.[train]' alt-profanity-check
	$(BIN)/python bench/moderation.py

bench-widget: install
	$(BIN)/python bench/widget.py

bench-perspective: install
	$(BIN)/python bench/perspective.py

bench-language: install
	$(BIN)/python bench/language.py

clean:
	rm -rf $(VENV) var test-artifacts .pytest_cache .mypy_cache .ruff_cache node_modules tests/perspective/node_modules
