# Heedful build, test and CI entry points. `make test` on a fresh Debian 12 with Python 3.11
# installs everything it needs (venv from requirements.lock, Debian packages, services).

SHELL := /bin/bash
.DEFAULT_GOAL := help
# Prerequisites such as `venv system-deps` may both call apt-get: never run them in parallel.
.NOTPARALLEL:

# uv ignores pip's config; through the TLS-inspecting proxy it must use the system CA store.
# UV_SYSTEM_CERTS is the current name, UV_NATIVE_TLS the older one (deprecated in uv 0.13).
export UV_NATIVE_TLS=1
export UV_SYSTEM_CERTS=1

PYTHON3 ?= python3
PY=.venv/bin/python
UV=.venv/bin/uv
UV_VERSION=0.13.9
STAMP=.venv/.installed
BIN=.venv/bin

.PHONY: help venv lock system-deps services services-down test test-pg e2e lint fmt \
	migrate demo bench bench-small translations dev clean reliability screenshots

help:
	@echo "make venv          create .venv from requirements.lock (+ editable heedful)"
	@echo "make lock          recompile requirements.lock from pyproject.toml"
	@echo "make system-deps   apt-get install chromium, libatomic1, postgresql, nats-server if missing"
	@echo "make services      start/reuse PostgreSQL + NATS (.services.env); make services-down"
	@echo "make test          lint + full test suite (what CI runs)"
	@echo "make test-pg       PostgreSQL tests only (pytest -k postgres)"
	@echo "make e2e           browser tests (tests/e2e)"
	@echo "make screenshots   refresh docs/screenshots/ from the demo in Chromium"
	@echo "make reliability   stateful API fuzz + 20 kill -9 trials on PostgreSQL, at length"
	@echo "make lint | fmt    ruff, mypy, import-linter | auto-format"
	@echo "make migrate       heedful db upgrade"
	@echo "make demo          migrate, load demo data and serve"
	@echo "make dev           serve on SQLite with readable logs"
	@echo "make bench         benchmarks (python -m bench)"
	@echo "make bench-small   every benchmark on toy sizes, to see each run to the end"
	@echo "make translations  extract, update and compile message catalogs"
	@echo "make clean         remove the venv, caches and build output"

# --- environment ---------------------------------------------------------------------

venv: $(STAMP)

# uv lives inside the venv. `uv pip sync` leaves pip, setuptools and uv itself in place
# (checked with uv 0.13.9), so one venv is enough; the guard after sync reinstalls uv if a
# future uv ever removes itself. Debian's python3 has no ensurepip without python3-venv.
$(UV):
	@$(PYTHON3) -c 'import ensurepip' 2>/dev/null || PYTHON3=$(PYTHON3) scripts/system-deps.sh --venv
	@if [ ! -x $(PY) ] || ! $(PY) -m pip --version >/dev/null 2>&1; then \
		echo "$(PYTHON3) -m venv --clear .venv"; $(PYTHON3) -m venv --clear .venv; fi
	$(PY) -m pip install -q uv==$(UV_VERSION)

$(STAMP): requirements.lock pyproject.toml | $(UV)
	$(UV) pip sync --python $(PY) requirements.lock
	@test -x $(UV) || $(PY) -m pip install -q uv==$(UV_VERSION)
	$(UV) pip install --python $(PY) --no-deps -e .
	@touch $@

lock: | $(UV)
	$(UV) pip compile pyproject.toml --extra dev -o requirements.lock --python-version 3.11

system-deps:
	@scripts/system-deps.sh

services:
	@scripts/services.sh up
	@cat .services.env

services-down:
	@scripts/services.sh down

# --- quality -------------------------------------------------------------------------

test: venv system-deps
	@MAKE="$(MAKE)" scripts/test.sh

test-pg: venv system-deps
	@MAKE="$(MAKE)" scripts/test.sh --no-lint -k postgres

e2e: venv system-deps
	@MAKE="$(MAKE)" scripts/test.sh --no-lint tests/e2e

# The console's pages in docs/screenshots/, from the demo on a frozen clock (not part of make test).
screenshots: venv system-deps
	$(PY) scripts/console_screenshots.py

# The reliability suite at length (make test runs it bounded: 3 trials, 25 fuzz runs per backend).
RELIABILITY_TRIALS ?= 20
RELIABILITY_EXAMPLES ?= 300
reliability: venv system-deps
	@HEEDFUL_RELIABILITY_TRIALS=$(RELIABILITY_TRIALS) \
		HEEDFUL_RELIABILITY_EXAMPLES=$(RELIABILITY_EXAMPLES) \
		MAKE="$(MAKE)" scripts/test.sh --no-lint -m reliability -s tests/e2e/test_reliability.py

# mypy checks every test strictly, the fakes too (proven against the ports). tests/e2e is a
# second run: its helpers are imported as top-level modules (api_personas, console_world) and
# its conftest.py would clash with tests/conftest.py in one run.
MYPY_TESTS = tests/fakes tests/*.py tests/unit tests/integration

# Back-edges, mutual pairs and imports past a face may only fall. Arrows rise only with a new
# downward use a change explains (e.g. ADR 38); lower any figure when a change lowers it.
# 106: sla -> customers (setup changes are audited, ADR 43), events -> access (admins alone
# manage event types, ADR 42); 109: engine -> playbooks, engine -> staff, playbooks -> calendar
# (look-ahead playbooks read state on each location's clock and address owners, ADR 40).
# 117: the goodwill room's downward uses and the engine's refund reaction reaching tasks (ADR 41).
# 122: the audits room's downward uses (shared, access, customers, staff, promises; ADR 39).
# 123: the preferences room reads the catalog's attributes (ADR 49).
# 128: the failure map's room reads promises, SLA clocks, feedback, dealings and goodwill (ADR 50).
CORE_IMPORTS_CEILING=arrows=128,back=0,mutual=0,private=0,whole=16

lint: venv
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src
	$(BIN)/mypy $(MYPY_TESTS)
	MYPYPATH=tests/e2e $(BIN)/mypy tests/e2e
	$(BIN)/lint-imports
	$(PY) scripts/core_imports.py --quiet --ceiling $(CORE_IMPORTS_CEILING)
	$(PY) scripts/check_translations.py
	$(PY) scripts/check_untranslated_literals.py

fmt: venv
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

# --- running -------------------------------------------------------------------------

migrate: venv
	$(BIN)/heedful db upgrade

demo: venv
	$(BIN)/heedful demo

dev: venv
	HEEDFUL_LOG_FORMAT=console $(BIN)/heedful serve

# Services stay up after a benchmark so repeated runs reuse them: `make services-down`.
bench: venv system-deps services
	. ./.services.env && $(PY) -m bench

# Every benchmark to the end on toy sizes (minutes, not the hour of `make bench`); no results.
bench-small: venv system-deps services
	. ./.services.env && $(PY) -m bench --small

TRANSLATIONS=src/heedful/translations

translations: venv
	mkdir -p $(TRANSLATIONS)
	$(BIN)/pybabel extract -F babel.cfg -o $(TRANSLATIONS)/messages.pot --no-location .
	@if compgen -G '$(TRANSLATIONS)/*/LC_MESSAGES/messages.po' >/dev/null; then \
		echo "$(BIN)/pybabel -q update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS)"; \
		$(BIN)/pybabel -q update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS); \
		echo "$(BIN)/pybabel -q compile -d $(TRANSLATIONS)"; \
		$(BIN)/pybabel -q compile -d $(TRANSLATIONS); \
	else \
		echo "no catalogs yet: $(BIN)/pybabel -q init -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) -l uk"; \
	fi

clean:
	-@[ ! -e .services.pids ] || scripts/services.sh down
	rm -rf .venv .mypy_cache .ruff_cache .pytest_cache .hypothesis .schemathesis .import_linter_cache \
		build dist src/*.egg-info .services.env
	find . -path ./.git -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
