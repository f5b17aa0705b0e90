# Vigil — the two commands: `make run` and `make test`. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
STAMP := $(VENV)/.installed
DEMO_SEED ?= 1
DEMO_SCALE ?= demo
POSTGRES_URL ?= postgres://vigil@127.0.0.1:5432/vigil
PYTEST_ARGS ?=

.PHONY: help run run-published dev setup test test-sqlite test-postgres lint check-migrations check-translations \
        messages schema bench soak clean

help:
	@echo "make run     set up, migrate, load reference + demo data, serve on http://127.0.0.1:8000"
	@echo "make run-published  the same with the data reproducing the NPM's published figures"
	@echo "make dev     for developers: the same data, Django's development server with reload and DEBUG"
	@echo "make test    install what tests need, lint, checks, the suite on SQLite and PostgreSQL"
	@echo "make lint    ruff, mypy and the import contract (lint-imports)"
	@echo "make messages  update the kk/ru catalogs;  make schema  regenerate docs/openapi.yaml"
	@echo "make bench   benchmarks and load on PostgreSQL: wrk, locust (bench/results/load-*, docs/performance.md)"
	@echo "make soak    50 users for 10 minutes on PostgreSQL with faults (bench/results/soak-*)"

$(STAMP): requirements/dev.lock
	@PYTHON=$$(scripts/find-python) && \
	if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)'; then \
		rm -rf $(VENV) && echo "Creating $(VENV) with $$PYTHON" && $$PYTHON -m venv $(VENV); \
	fi
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/dev.lock
	@touch $(STAMP)

setup: $(STAMP)
	@scripts/system-deps run
	$(MANAGE) compilemessages --ignore=.venv -v0
	$(MANAGE) migrate --no-input -v0
	$(MANAGE) createcachetable
	$(MANAGE) seed_reference_data
	$(MANAGE) collectstatic --no-input -v0

run: setup
	$(MANAGE) generate_demo_data --seed $(DEMO_SEED) --scale $(DEMO_SCALE)
	@echo "Serving on http://127.0.0.1:8000 (gunicorn) with the task worker beside it (Ctrl-C to stop)"
	@scripts/serve $(PY)

# For developers: Django's development server with reload and DEBUG (never for real data).
dev: setup
	$(MANAGE) generate_demo_data --seed $(DEMO_SEED) --scale $(DEMO_SCALE)
	@echo "Development server with DEBUG on http://127.0.0.1:8000 (Ctrl-C to stop)"
	@scripts/serve $(PY) dev

# The data set that reproduces the NPM's published 2023 and 2021 figures, in its own SQLite file.
PUBLISHED_DB := sqlite:///$(CURDIR)/var/published.sqlite3

run-published: setup
	DATABASE_URL=$(PUBLISHED_DB) $(MANAGE) migrate --no-input -v0
	@if [ ! -f var/published.loaded ]; then \
		DATABASE_URL=$(PUBLISHED_DB) $(MANAGE) generate_demo_data --published-figures && touch var/published.loaded; \
	fi
	@echo "Serving the published figures (var/published.sqlite3) on http://127.0.0.1:8000 (Ctrl-C to stop)"
	@DATABASE_URL=$(PUBLISHED_DB) $(MANAGE) createcachetable
	@DATABASE_URL=$(PUBLISHED_DB) scripts/serve $(PY)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .
	$(VENV)/bin/lint-imports --no-cache

check-migrations: $(STAMP)
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) makemigrations --check --dry-run

check-translations: $(STAMP)
	$(PY) scripts/check_translations.py

messages: $(STAMP)
	$(MANAGE) makemessages -l kk -l ru --no-location --no-obsolete --ignore=.venv --ignore=var --ignore=bench

schema: $(STAMP)
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) spectacular --file docs/openapi.yaml --validate --fail-on-warn --lang en

test: $(STAMP)
	@scripts/system-deps test
	@scripts/ensure-postgres
	$(MANAGE) compilemessages --ignore=.venv -v0
	$(MAKE) --no-print-directory lint check-migrations check-translations
	$(MAKE) --no-print-directory test-sqlite test-postgres

test-sqlite: $(STAMP)
	env -u DATABASE_URL $(VENV)/bin/pytest -p no:cacheprovider -n 2 $(PYTEST_ARGS)

test-postgres: $(STAMP)
	DATABASE_URL=$(POSTGRES_URL) $(VENV)/bin/pytest -p no:cacheprovider -n 2 $(PYTEST_ARGS)

# Not part of `make test`: on PostgreSQL (BENCH_DATABASE_URL, default vigil_bench_<BENCH_SCALE>),
# the in-process measures (bench/run.py) and the load (gunicorn, wrk, locust: bench/load.py).
# BENCH_QUICK=1 for a quick sanity run; BENCH_WRK_SECONDS, BENCH_LOCUST_SECONDS (docs/performance.md).
BENCH_SCALE ?= national
bench: $(STAMP)
	@scripts/system-deps bench
	@scripts/ensure-postgres
	$(MANAGE) compilemessages --ignore=.venv -v0
	BENCH_SCALE=$(BENCH_SCALE) $(PY) bench/load.py

# Not part of `make test`: 50 users for SOAK_SECONDS (600) against gunicorn on a private
# PostgreSQL cluster, a web worker killed and PostgreSQL restarted meanwhile (bench/soak.py).
soak: $(STAMP)
	$(MANAGE) compilemessages --ignore=.venv -v0
	$(PY) bench/soak.py

clean:
	rm -rf $(VENV) var/static .pytest_cache .mypy_cache .ruff_cache
