# The two commands of the README's quick start: `make run` and `make test`.
# Each creates .venv on first use and installs the pinned requirements into it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test test-fast sync bench bench-all bench-web bench-write-back

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

# The replica tests (tests/test_postgres_store.py, tests/test_replicas.py) run Debian's PostgreSQL and nginx:
# a throwaway cluster (initdb/pg_ctl under a temporary folder) and a private nginx on loopback ports. They are
# installed when missing; the tests start no system service (each test starts and stops its own).
POSTGRES_INITDB := $(firstword $(wildcard /usr/lib/postgresql/*/bin/initdb))
NGINX := $(firstword $(wildcard /usr/sbin/nginx))
# Node and npm for the Observatory (tests/observatory; it needs Node 20 or later): Debian's when missing.
NPM := $(shell command -v npm)
DEPLOY_PACKAGES := $(if $(POSTGRES_INITDB),,postgresql) $(if $(NGINX),,nginx) $(if $(NPM),,nodejs npm)

.PHONY: deploy-packages
deploy-packages:
ifneq ($(strip $(DEPLOY_PACKAGES)),)
	$(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $(strip $(DEPLOY_PACKAGES))
endif

run: $(VENV)/.installed-run
	$(BIN)/python -m streamlit run app.py

# The security headers' grade (tests/test_observatory.py): MDN's HTTP Observatory, pinned in
# tests/observatory/package-lock.json. --ignore-scripts: its postinstall fetches the HSTS preload list from the
# internet; an empty list serves (the portal asks for no preload).
OBSERVATORY := tests/observatory

$(OBSERVATORY)/node_modules/.installed: $(OBSERVATORY)/package.json $(OBSERVATORY)/package-lock.json | deploy-packages
	npm ci --prefix $(OBSERVATORY) --ignore-scripts --no-audit --no-fund
	echo '{}' > $(OBSERVATORY)/node_modules/@mdn/mdn-http-observatory/conf/hsts-preload.json
	touch $@

test: $(VENV)/.installed-test $(CHROMIUM) deploy-packages $(OBSERVATORY)/node_modules/.installed
	$(BIN)/python -m ruff check .
	$(BIN)/python -m ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/python -m pytest

# The everyday tier: everything but the tests that start Chromium, PostgreSQL or nginx (a few minutes).
test-fast: $(VENV)/.installed-test
	$(BIN)/python -m ruff check .
	$(BIN)/python -m ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/python -m pytest -m "not browser and not postgres and not replicas and not observatory"

sync: $(VENV)/.installed-run
	$(BIN)/python -m data_sources sync

bench: $(VENV)/.installed-test
	$(BIN)/python -m benchmarks.sync_google

# What writing the check report into the SKPD sheets costs (issue 20): requests, notes and bytes per sync at S and M
# with a problem on every tenth row. Writes its own section of BENCHMARKS.md.
bench-write-back: $(VENV)/.installed-test
	$(BIN)/python -m benchmarks.write_back --scales S,M

# The whole suite (sync, pages, naive baseline, concurrency, memory) at scales S, M and L. Writes its own two sections
# of BENCHMARKS.md, each between its markers (benchmarks/benchmarks_md.py); bench-web's and the hand-written stay.
bench-all: $(VENV)/.installed-test
	$(BIN)/python -m benchmarks.run --scales S,M,L --repeat 3

# What a phone receives and when (issues 14 and 23): Lighthouse 12.2.3 (npm, pinned in
# benchmarks/web/package-lock.json, run on Debian's chromium) on every public page in both languages, three runs each;
# the throttled Chromium first paint and the bytes of a first view of / and a program page; for this tree and for
# BASELINE (the last commit before issue 23; checked out into a temporary git worktree and measured in the same run;
# `make bench-web BASELINE=` skips it). Writes its own section of BENCHMARKS.md and the raw Lighthouse reports to
# benchmarks/web/reports/ (git-ignored). 108 Lighthouse runs: well over an hour on two cores (a quiet run takes
# 30-60 s per Lighthouse run); `python -m benchmarks.web --only /peta --runs 1` looks at one page quickly.
BASELINE ?= 5bbbff0
BENCH_WEB := benchmarks/web

$(BENCH_WEB)/node_modules/.installed: $(BENCH_WEB)/package.json $(BENCH_WEB)/package-lock.json
	npm ci --prefix $(BENCH_WEB) --no-audit --no-fund
	touch $@

bench-web: $(VENV)/.installed-test $(CHROMIUM) $(BENCH_WEB)/node_modules/.installed $(OBSERVATORY)/node_modules/.installed
	$(BIN)/python -m benchmarks.web $(if $(strip $(BASELINE)),--baseline $(BASELINE),--no-baseline)
