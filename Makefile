# Shafaf — the project's commands. `make demo` and `make test` work from a fresh clone with Python 3.11 and make.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
OUT ?= out/demo

.PHONY: help install demo test test-fast lint format bench clean demo-data

help:
	@echo "make demo   - install (first time) and run the bundled real example end to end into $(OUT)"
	@echo "make test   - install (first time) and run the whole test suite"
	@echo "make lint   - ruff + mypy (strict on core and cli)"
	@echo "make bench  - the 1,000,000-application benchmark (see docs/benchmarks.md)"

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/shafaf demo --out $(OUT)

test: $(STAMP)
	$(PY) -m pytest -n 2 -q

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench
	$(VENV)/bin/mypy

format: $(STAMP)
	$(VENV)/bin/ruff format src tests bench
	$(VENV)/bin/ruff check --fix src tests bench

bench: $(STAMP)
	$(PY) bench/bench_pipeline.py --rows 1000000

demo-data: $(STAMP)
	$(VENV)/bin/shafaf synth demo --out demo/data
	$(VENV)/bin/shafaf synth junior-clerk --out demo/junior-clerk

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache .hypothesis
