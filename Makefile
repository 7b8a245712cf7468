# Every task a person runs on phoihop.
#
#   make demo     venv + install + migrate + demo data + static files, then serve on 127.0.0.1:8000 (PORT=8001 ...)
#   make run      venv + install + migrate, then serve (no demo data; reloads on code changes)
#   make test     the test suite: everything but the browser tests, then the browser tests
#   make lint     ruff check, ruff format --check, mypy, manage.py check, makemigrations --check
#   make format   ruff format + ruff check --fix (rewrites files)
#   make bench    python bench/run.py $(BENCH_ARGS) (figures), then bench/report.py (national Word report)
#   make clean    remove var/ (databases, static, media) and test/tool artefacts; keeps .venv
#
# SQLite in var/ by default; DATABASE_URL=postgres://... switches to PostgreSQL (all targets).

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
MANAGE := $(PY) manage.py

HOST ?= 127.0.0.1
PORT ?= 8000
DEBUG ?= 1
BENCH_ARGS ?=
# Extra pytest arguments for both runs, e.g. PYTEST_ARGS="-x -k units".
PYTEST_ARGS ?=
# Processes for the tests outside the browser (pytest-xdist; each has its own test database).
TEST_WORKERS ?= 2
TEST_SECRET_KEY ?= test-only-key-not-for-production

# The demo and `make run` are development servers; the settings require SECRET_KEY when DEBUG is off.
SERVE_ENV := DEBUG=$(DEBUG)
# Tests run with DEBUG off (as production), so they get a throw-away key unless one is set.
TEST_ENV := SECRET_KEY="$${SECRET_KEY:-$(TEST_SECRET_KEY)}"
LINT_ENV := DEBUG=1

.PHONY: help install demo run test lint format bench clean

help:
	@sed -n 's/^#   //p' $(MAKEFILE_LIST)

# --- environment ---------------------------------------------------------------------------

$(PY):
	$(PYTHON) -m venv $(VENV)

# Reinstalled only when pyproject.toml is newer than the stamp.
$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# --- serving -------------------------------------------------------------------------------

# runserver --noreload: one process, stops cleanly on Ctrl-C; WhiteNoise serves the static files.
demo: $(STAMP)
	$(SERVE_ENV) $(MANAGE) migrate --noinput
	@commands="$$($(SERVE_ENV) $(MANAGE) help --commands)" || exit 1; \
	if grep -qx load_demo <<< "$$commands"; then \
		echo "$(SERVE_ENV) $(MANAGE) load_demo"; $(SERVE_ENV) $(MANAGE) load_demo; \
	else \
		echo "WARNING: manage.py load_demo does not exist yet: serving without demo data."; \
	fi
	$(SERVE_ENV) $(MANAGE) collectstatic --noinput --verbosity 0
	@echo "phoihop demo on http://$(HOST):$(PORT)/  (demo users: admin, tcct, tuhoi, hanoi.qs, hanoi.ccb, camau.ccb, hoankiem.ccb; password phoihop-demo)"
	exec env $(SERVE_ENV) $(MANAGE) runserver $(HOST):$(PORT) --noreload

run: $(STAMP)
	$(SERVE_ENV) $(MANAGE) migrate --noinput
	exec env $(SERVE_ENV) $(MANAGE) runserver $(HOST):$(PORT)

# --- checks --------------------------------------------------------------------------------

# Two pytest runs: the browser tests use a live server thread on the committed test database,
# so they run apart, after the others. Exit code 5 (nothing collected) passes only while no
# test file exists for that run. Both runs always happen; the target fails if either failed.
test: $(STAMP)
	@status=0; \
	echo "==> pytest -m 'not browser'  ($${DATABASE_URL:+PostgreSQL }$${DATABASE_URL:-SQLite})"; \
	$(TEST_ENV) $(BIN)/pytest -m "not browser" -n $(TEST_WORKERS) $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ] && [ -z "$$(find tests phoihop -name 'test_*.py' -not -path 'tests/browser/*' -print -quit)" ]; then \
		echo "(no tests outside tests/browser yet)"; rc=0; fi; \
	[ $$rc -eq 0 ] || status=1; \
	echo "==> pytest -m browser  ($${DATABASE_URL:+PostgreSQL }$${DATABASE_URL:-SQLite})"; \
	$(TEST_ENV) $(BIN)/pytest -m browser $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ] && [ -z "$$(find tests/browser -name 'test_*.py' -print -quit)" ]; then \
		echo "(no browser tests yet)"; rc=0; fi; \
	[ $$rc -eq 0 ] || status=1; \
	exit $$status

# Every check runs; the target fails if any failed.
lint: $(STAMP)
	@status=0; \
	echo "==> ruff check ."; $(BIN)/ruff check . || status=1; \
	echo "==> ruff format --check ."; $(BIN)/ruff format --check . || status=1; \
	echo "==> mypy phoihop"; $(LINT_ENV) $(BIN)/mypy phoihop || status=1; \
	echo "==> manage.py check"; $(LINT_ENV) $(MANAGE) check || status=1; \
	echo "==> manage.py makemigrations --check --dry-run"; $(LINT_ENV) $(MANAGE) makemigrations --check --dry-run || status=1; \
	exit $$status

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Benchmarks run with DEBUG off (DEBUG keeps every query in memory). They need the `bench`
# extra (DuckDB) besides the project; reinstalled only when pyproject.toml is newer than the stamp.
BENCH_STAMP := $(VENV)/.installed-bench

$(BENCH_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --disable-pip-version-check -e '.[dev,bench]'
	touch $(BENCH_STAMP)

# The figures benchmark, then the national report's (bench/report.py reuses the database the first
# one built); both always run, and the target fails if either failed.
bench:
	@if [ -f bench/run.py ]; then \
		$(MAKE) --no-print-directory $(BENCH_STAMP) || exit 1; \
		export SECRET_KEY="$${SECRET_KEY:-bench-only-key-not-for-production}"; status=0; \
		$(PY) bench/run.py $(BENCH_ARGS) || status=1; \
		if [ -f bench/report.py ]; then \
			echo "==> bench/report.py: the national end-of-phase Word report"; \
			$(PY) bench/report.py $(BENCH_ARGS) || status=1; \
		fi; \
		exit $$status; \
	else \
		echo "No benchmark exists yet (bench/run.py is missing)."; \
	fi

clean:
	rm -rf var test-results .hypothesis .pytest_cache .mypy_cache .ruff_cache
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
