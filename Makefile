# Homeward: `make run` serves the demo; `make test` runs the whole suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: install static run worker test lint typecheck pytest bench clean

install: $(STAMP) static

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

static: $(NODE_STAMP)
	npm run --silent build

run: install
	$(BIN)/homeward migrate --noinput
	$(BIN)/homeward demo --if-empty
	$(BIN)/homeward runserver $(HOST):$(PORT)

worker: install
	$(BIN)/homeward worker

lint: $(STAMP)
	$(BIN)/ruff check homeward tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy homeward

pytest: install
	$(BIN)/pytest

test: install lint typecheck pytest

bench: install
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) node_modules homeward/static/dist var .pytest_cache .mypy_cache .ruff_cache
