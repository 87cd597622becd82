# Two commands do all the set-up: `make run` and `make test`.
# The virtual environment is created once from the committed lock and reused.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SOP_HOME ?= $(CURDIR)/data
export SOP_HOME
UI_HOST ?= 127.0.0.1
UI_PORT ?= 3000

.PHONY: install prepare browser java run test test-slow test-all ui bench lint clean

install: $(STAMP)

# The report's browser test renders it in Debian's chromium (CJK fonts for the
# Chinese labels); installed here when missing, nothing is downloaded at run time.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null; }

# dbt-spark's test runs Spark local[2] on Debian's Java 17, installed here when missing.
java:
	@command -v java >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq openjdk-17-jre-headless >/dev/null; }

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@test -x $(BIN)/uv || $(BIN)/pip install --quiet uv==0.13.8
	$(BIN)/uv pip sync --quiet --python $(BIN)/python requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	@touch $(STAMP)

# The dbt manifest the Dagster definitions load: parsed when dbt_project/ changed, never at
# import (the `sop` commands and the test session prepare it themselves).
prepare: install
	$(BIN)/python -m orchestration.dbt_manifest

run: install
	$(BIN)/python -m orchestration.cli run --demo

# The everyday suite: real DuckDB, dbt and Dagster, minus the end-to-end runs and the browser.
test: install
	$(BIN)/python -m pytest -n 2 --dist loadfile -m "not slow and not browser and not spark"

# End-to-end pipeline runs, the report in headless Chromium, dbt on Spark.
test-slow: install browser java
	$(BIN)/python -m pytest -n 2 --dist loadfile -m "slow or browser or spark"

test-all: test test-slow

ui: prepare
	@$(BIN)/python -c "from pathlib import Path; from orchestration.instance import prepare_dagster_home; prepare_dagster_home(Path('$(SOP_HOME)'))"
	DAGSTER_HOME=$(SOP_HOME)/dagster $(BIN)/dagster dev -m orchestration.definitions -h $(UI_HOST) -p $(UI_PORT)

bench: install
	$(BIN)/python -m bench.run $(BENCH_ARGS)

# Python style and types, then the dbt models' SQL (sqlfluff renders them with the dbt
# templater, which opens a throwaway warehouse: never the home's).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	SOP_HOME=$$(mktemp -d) $(BIN)/sqlfluff lint dbt_project/models --processes 2

clean:
	rm -rf $(VENV) data
