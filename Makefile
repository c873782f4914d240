# Everything a fresh machine with Python 3.11 and make needs: each target makes .venv itself.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PLANS := $(sort $(wildcard plans/*))

.PHONY: all venv demo test lint typecheck bench clean

all: test

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

demo: venv
	$(BIN)/stratplan validate $(PLANS)
	mkdir -p build

test: venv
	$(BIN)/python -m pytest

lint: venv
	$(BIN)/ruff check src tests benchmarks

typecheck: venv
	$(BIN)/mypy

bench: venv
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf build .pytest_cache .ruff_cache .mypy_cache
