# Every task a person runs on phoihop.
#
#   make demo     venv + install + migrate + demo data + static files, then serve on 127.0.0.1:8000 (PORT=8001 ...)
#   make run      venv + install + migrate, then serve (no demo data; reloads on code changes)
#   make test     the test suite: everything but the browser tests, then the browser tests
#                 (the clock stands at the demo's today in every test: faketime '2028-06-01' make test passes)
#   make lock     re-pin the dependencies of pyproject.toml with their hashes (requirements/*.txt)
#   make lint     ruff check, ruff format --check, mypy, manage.py check, makemigrations --check
#   make messages collect the English catalogue's strings (then translate the new ones) and compile it
#   make format   ruff format + ruff check --fix (rewrites files)
#   make bench    python bench/run.py $(BENCH_ARGS) (figures), then bench/report.py (national Word report),
#                 then bench/concurrent_writes.py $(BENCH_WRITES_ARGS) (20 API writers, backup mid-load),
#                 then bench/imports.py (20,000 activities imported from Excel/CSV, both databases),
#                 then bench/pages.py $(BENCH_PAGES_ARGS) (the busiest pages' CPU; 20 and 50 users under gunicorn)
#                 then bench/extract.py (the conference extractor: time per article, peak memory)
#   make drill    the failover drill (deploy/drill/drill.py $(DRILL_ARGS)): Patroni, HAProxy, two app nodes,
#                 the primary killed at 60 s; acknowledged writes must all be there (docs/deploy.md)
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
# TEST_BROWSER=0 skips the browser tests (CI's second run on a date years ahead, under faketime).
TEST_BROWSER ?= 1
TEST_SECRET_KEY ?= test-only-key-not-for-production

# The demo and `make run` are development servers; the settings require SECRET_KEY when DEBUG is off.
SERVE_ENV := DEBUG=$(DEBUG)
# The demo's users sign in without a second factor (the sign-in page says so); `make run` asks.
DEMO_ENV := $(SERVE_ENV) PHOIHOP_2FA_DEMO_EXEMPT=1
# Tests run with DEBUG off (as production), so they get a throw-away key unless one is set.
TEST_ENV := SECRET_KEY="$${SECRET_KEY:-$(TEST_SECRET_KEY)}"
LINT_ENV := DEBUG=1

.PHONY: help install lock demo run test lint messages format bench drill clean

help:
	@sed -n 's/^#   //p' $(MAKEFILE_LIST)

# --- environment ---------------------------------------------------------------------------

$(PY):
	$(PYTHON) -m venv $(VENV)

# Exactly the locked versions, each checked against its hash (requirements/dev.txt: the runtime
# and development dependencies; requirements/base.txt: the runtime ones, for deployment), then
# the project itself. Reinstalled only when the lock or pyproject.toml is newer than the stamp.
LOCK := requirements/dev.txt
PIP := $(PY) -m pip --disable-pip-version-check

$(STAMP): pyproject.toml $(LOCK) | $(PY)
	$(PIP) install --require-hashes -r $(LOCK)
	$(PIP) install --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

# Re-pin the dependencies of pyproject.toml (after changing them there), with their hashes.
PIP_COMPILE := $(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-find-links
lock: | $(PY)
	$(PIP) install --quiet pip-tools==7.6.2
	CUSTOM_COMPILE_COMMAND="make lock" $(PIP_COMPILE) --output-file requirements/base.txt pyproject.toml
	CUSTOM_COMPILE_COMMAND="make lock" $(PIP_COMPILE) --extra dev --output-file requirements/dev.txt pyproject.toml

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
	exec env $(DEMO_ENV) $(MANAGE) runserver $(HOST):$(PORT) --noreload

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
	[ "$(TEST_BROWSER)" = 1 ] || exit $$status; \
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

# The English catalogue: collect the strings (the API's too, into the main catalogue: its own
# locale/ holds only the Vietnamese of DRF's messages, so it steps aside while collecting), then
# translate the new ones in phoihop/locale/en/LC_MESSAGES/django.po and run `make messages` again.
# phoihop/locale/vi is written by hand (natural Vietnamese for Django's, DRF's and django-filter's
# messages; its msgids are their English source): makemessages leaves it alone, compilemessages compiles it.
messages: $(STAMP)
	@mkdir -p var && mv phoihop/api/locale var/.api-locale-aside && trap 'mv var/.api-locale-aside phoihop/api/locale' EXIT; \
	$(LINT_ENV) $(MANAGE) makemessages -l en --no-obsolete -i ".venv/*" -i "var/*" -i "tests/*" -i "bench/*" -i "phoihop/static/*"
	$(LINT_ENV) $(MANAGE) compilemessages --ignore ".venv/*" --ignore "var/*"
	@msgfmt --statistics -o /dev/null phoihop/locale/en/LC_MESSAGES/django.po

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Benchmarks run with DEBUG off (DEBUG keeps every query in memory). DuckDB, which they compare
# against, is a development dependency (the benchmark's smoke test runs in `make test`).
#
# The figures benchmark, then the national report's (bench/report.py reuses the database the first
# one built); both always run, and the target fails if either failed.
# The failover drill (issue 17; docs/deploy.md): Patroni + etcd + HAProxy on loopback, two
# application nodes, mixed traffic, the primary and an application node killed; the last line is
# JSON. Installs Debian's patroni, etcd-server and haproxy when missing (as root).
DRILL_ARGS ?=
drill: $(STAMP)
	$(PY) deploy/drill/drill.py $(DRILL_ARGS)

bench:
	@if [ -f bench/run.py ]; then \
		$(MAKE) --no-print-directory install || exit 1; \
		export SECRET_KEY="$${SECRET_KEY:-bench-only-key-not-for-production}"; status=0; \
		$(PY) bench/run.py $(BENCH_ARGS) || status=1; \
		if [ -f bench/report.py ]; then \
			echo "==> bench/report.py: the national end-of-phase Word report"; \
			$(PY) bench/report.py $(BENCH_ARGS) || status=1; \
		fi; \
		if [ -f bench/concurrent_writes.py ]; then \
			echo "==> bench/concurrent_writes.py: 20 concurrent API writers under gunicorn, a backup mid-load"; \
			configs=sqlite-default,sqlite-url; \
			case "$${DATABASE_URL:-}" in postgres*) configs=$$configs,postgresql;; esac; \
			$(PY) bench/concurrent_writes.py --configs $$configs $(BENCH_WRITES_ARGS) || status=1; \
		fi; \
		[ ! -f bench/imports.py ] || { echo "==> bench/imports.py: 20,000 activities imported from Excel/CSV"; $(PY) bench/imports.py || status=1; }; \
		if [ -f bench/pages.py ]; then \
			echo "==> bench/pages.py: the busiest pages' server CPU, then 20 and 50 users under gunicorn"; \
			$(PY) bench/pages.py $(BENCH_PAGES_ARGS) || status=1; \
		fi; \
		[ ! -f bench/extract.py ] || { echo "==> bench/extract.py: the conference extractor, time per article and peak memory"; $(PY) bench/extract.py || status=1; }; \
		exit $$status; \
	else \
		echo "No benchmark exists yet (bench/run.py is missing)."; \
	fi

clean:
	rm -rf var test-results .hypothesis .pytest_cache .mypy_cache .ruff_cache
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
