# Two commands on a fresh machine with Python >= 3.11: `make demo` and `make test`.
# Each creates .venv and installs the project when needed.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint eval bench clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m bot demo

test: $(STAMP)
	$(BIN)/ruff check bot tests
	$(BIN)/ruff format --check bot tests
	$(BIN)/mypy
	$(BIN)/python -m pytest

# Evaluation on real data (never copied into the repo): make eval DATA=../shared/eval/real
DATA ?= ../shared/eval/real
eval: $(STAMP)
	$(BIN)/python tests/eval_playbook.py $(DATA)

bench: $(STAMP)
	$(BIN)/python tests/bench/bench_playbook.py $(DATA)

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
