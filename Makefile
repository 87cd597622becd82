# Two commands do all the set-up: `make run` and `make test`.
# The virtual environment is created once from the committed lock and reused.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SOP_HOME ?= $(CURDIR)/data
export SOP_HOME

.PHONY: install run test ui bench lint clean

install: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@test -x $(BIN)/uv || $(BIN)/pip install --quiet uv==0.13.8
	$(BIN)/uv pip sync --quiet --python $(BIN)/python requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	@touch $(STAMP)

run: install
	$(BIN)/python -m orchestration.cli run

test: install
	$(BIN)/python -m pytest -n 2 --dist loadgroup

ui: install
	$(BIN)/dagster dev -m orchestration.definitions

bench: install
	$(BIN)/python -m bench.run $(BENCH_ARGS)

lint: install
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) data
