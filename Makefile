# make run  - set everything up, load the synthetic demo data once, serve on http://$(HOST):$(PORT)
# make test - set everything up and run lint (ruff, the app layers), the migrations check and the whole test suite
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
STAMP := .make
# The suite on every core (pytest-xdist); PYTEST_PARALLEL= runs it in one process.
PYTEST_PARALLEL ?= -n auto --dist worksteal
export DJANGO_SETTINGS_MODULE ?= healthjustice.config.settings.local

.PHONY: run test setup python-deps frontend browser lint migrate demo clean

setup: python-deps frontend

python-deps: $(STAMP)/python-deps
$(STAMP)/python-deps: pyproject.toml
	@mkdir -p $(STAMP)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

frontend: $(STAMP)/frontend
$(STAMP)/frontend: package.json package-lock.json
	@mkdir -p $(STAMP)
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

browser:
	@scripts/ensure-chromium.sh

migrate: setup
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py seed_demo --if-empty

run: demo
	HOST=$(HOST) PORT=$(PORT) scripts/run-dev.sh

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy healthjustice

# pytest runs with bytecode kept (even where the environment turns it off), so a second run
# skips the assertion rewriting of every test module in each worker.
test: setup browser lint
	DJANGO_SETTINGS_MODULE=healthjustice.config.settings.test $(PY) manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=healthjustice.config.settings.test env -u PYTHONDONTWRITEBYTECODE \
		$(PY) -m pytest $(PYTEST_PARALLEL) \
		--durations=15 --cov --cov-report=

clean:
	rm -rf $(VENV) node_modules $(STAMP) db.sqlite3
