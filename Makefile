# The two commands of the README's quick start: `make run` and `make test`.
# Each creates .venv on first use and installs the pinned requirements into it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test sync bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: requirements.txt constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt -c constraints.txt
	touch $@

$(VENV)/.installed-test: requirements.txt requirements-dev.txt constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt -c constraints.txt
	touch $@ $(VENV)/.installed-run

# The browser tests (tests/browser) drive Debian's chromium through Playwright (never a browser that
# `playwright install` downloads). A machine without it gets it from apt; sudo only when not root and present.
CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" -ne 0 ] && command -v sudo)

$(CHROMIUM):
	$(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium

run: $(VENV)/.installed-run
	$(BIN)/python -m streamlit run app.py

test: $(VENV)/.installed-test $(CHROMIUM)
	$(BIN)/python -m ruff check .
	$(BIN)/python -m pytest

sync: $(VENV)/.installed-run
	$(BIN)/python -m data_sources sync

bench: $(VENV)/.installed-test
	$(BIN)/python -m benchmarks.sync_google
