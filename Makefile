# Homeward: `make run` serves the demo; `make test` runs the whole suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
# The DfE's SSDA903 validator pins pandas<2 and numpy<1.25: it gets a virtualenv of its own.
VALIDATOR_VENV    := .venv-903
VALIDATOR_VERSION := 0.1.17
VALIDATOR_STAMP   := $(VALIDATOR_VENV)/.installed-$(VALIDATOR_VERSION)
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: install static run worker test lint typecheck pytest bench clean validator

install: $(STAMP) static

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,spark]'
	@touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

validator: $(VALIDATOR_STAMP)

$(VALIDATOR_STAMP):
	rm -rf $(VALIDATOR_VENV)
	$(PYTHON) -m venv $(VALIDATOR_VENV)
	$(VALIDATOR_VENV)/bin/python -m pip install --quiet --disable-pip-version-check \
		'csc-validator-be-903==$(VALIDATOR_VERSION)'
	@touch $@

static: $(NODE_STAMP)
	npm run --silent build

# The web server and the worker together, as one process tree (Ctrl+C stops both).
run: install
	$(BIN)/homeward serve --host $(HOST) --port $(PORT) --migrate --demo

worker: install
	$(BIN)/homeward worker

lint: $(STAMP)
	$(BIN)/ruff check homeward tests benchmarks
	$(BIN)/ruff format --check homeward tests benchmarks
	$(BIN)/lint-imports --no-cache

typecheck: $(STAMP)
	$(BIN)/mypy homeward tests benchmarks

pytest: install validator
	$(BIN)/pytest

test: install validator lint typecheck pytest

bench: install
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) $(VALIDATOR_VENV) node_modules homeward/static/dist var .pytest_cache .mypy_cache .ruff_cache
