# Everything a fresh machine with Python 3.11 and make needs: each target makes .venv itself.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PLANS := $(sort $(wildcard plans/*))

# Readers the tests convert documents with: pandoc, LibreOffice (soffice) and poppler (pdftoppm);
# and LibreOffice as an editor, driven over UNO by Debian's python3 (tests/uno/). The full
# libreoffice-writer, not the -nogui build: that one crashes editing a document with comments.
# bubblewrap (bwrap) runs LibreOffice without network or the user's files (docs/security.md).
# With it the fonts the documents name, or fonts made to their metrics (Times New Roman: Liberation
# Serif; Calibri: Carlito; Cambria: Caladea): --no-install-recommends leaves them out, and
# LibreOffice would set the PDF in DejaVu Serif, wider, breaking words in table cells (SP032).
# The language editions need fonts with their scripts' glyphs: Amiri (Arabic), Noto Serif CJK
# (Chinese), Noto for the rest (render --lang; docs/guide/translations.md).
TOOLS := pandoc soffice pdftoppm bwrap
FONT_PACKAGES := fonts-liberation fonts-crosextra-carlito fonts-crosextra-caladea \
	fonts-noto-core fonts-noto-cjk fonts-hosny-amiri
APT_PACKAGES := pandoc libreoffice-writer python3-uno poppler-utils bubblewrap $(FONT_PACKAGES)
SYSTEM_PYTHON := /usr/bin/python3

.PHONY: all venv tools demo test test-fast lint typecheck bench clean docs fields reviews

all: test

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@# pip byte-compiles what it installs but not an editable install: compile ours too, so the
	@# first run, or every run where PYTHONDONTWRITEBYTECODE is set, starts as fast as later ones.
	$(BIN)/python -m compileall -q src
	touch $(STAMP)

venv: $(STAMP)

tools:
	@missing=""; for t in $(TOOLS); do command -v $$t >/dev/null 2>&1 || missing="$$missing $$t"; done; \
	$(SYSTEM_PYTHON) -c "import uno" >/dev/null 2>&1 || missing="$$missing python3-uno"; \
	dpkg -s libreoffice-writer >/dev/null 2>&1 || missing="$$missing libreoffice-writer"; \
	for f in $(FONT_PACKAGES); do dpkg -s $$f >/dev/null 2>&1 || missing="$$missing $$f"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing$$missing (Debian packages: $(APT_PACKAGES))"; \
		SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends \
			$(APT_PACKAGES) >/dev/null; \
	fi

demo: venv
	$(BIN)/stratplan validate $(PLANS)
	mkdir -p build
	$(BIN)/stratplan render plans/2028-2031 -o build/2028-2031.docx
	$(BIN)/stratplan diff plans/2024-2027 plans/2028-2031 -o build/redline-2024-2027_2028-2031.docx

# What CI runs: lint, types (strict, tests included), then the suite over all cores; a test
# marked @pytest.mark.tools fails here, not skips, when its program is missing.
test: venv tools lint typecheck
	STRATPLAN_REQUIRE_TOOLS=1 $(BIN)/python -m pytest -n auto

# The generated pages of the manual: docs/reference.md (commands, options, configuration, exit
# codes), docs/rules.md and docs/fields.md, from the code (tests/test_manual.py checks them).
docs: venv
	$(BIN)/python -m stratplan.manual .

fields: docs

# The edit-test loop: the suite without the slow tests and those that need pandoc, LibreOffice
# or poppler (markers in pyproject.toml), over all cores; `make test` stays the whole suite.
test-fast: venv
	$(BIN)/python -m pytest -n auto -m "not slow and not tools"

lint: venv
	$(BIN)/ruff check src tests benchmarks

typecheck: venv
	$(BIN)/mypy

# The corpus of reviewed files (tests/reviews/): made again from the current render, by Word 365's
# XML, LibreOffice over UNO and pandoc; `make reviews ARGS=--record` also writes import's score
# today into its manifest (tests/reviews/corpus.yaml), for review before it is committed.
reviews: venv tools
	$(BIN)/python -m tests.review_corpus $(ARGS)

# The reference tools the benchmark compares against; installed only for `make bench`.
BENCH_PACKAGES := check-jsonschema pyinstrument yamllint

bench: venv
	@[ -x /usr/bin/time ] || { SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq time >/dev/null; }
	$(BIN)/python -m pip install --quiet $(BENCH_PACKAGES)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf build .pytest_cache .ruff_cache .mypy_cache
