# The two commands are `make run` and `make test`; `make help` lists everything.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help install test-tools setup run test bench loadtest lint security format check messages messages-check

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-15s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

install: $(VENV)/.installed ## Create .venv and install the pinned requirements

# axe-core for the accessibility test: an npm test tool in node_modules/ (git-ignored, never served).
# npm ci runs again only when package.json or the lock changed since node_modules was made.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

test-tools: node_modules/.package-lock.json ## Install the npm test tools (axe-core) from package-lock.json

setup: install ## Install, migrate the database, compile translations
	$(PY) manage.py migrate --noinput
	$(PY) manage.py compiletranslations

# The jobs' worker runs beside the server in the same terminal; leaving (Ctrl-C) stops both.
run: setup ## Set up, seed the demo, serve on http://127.0.0.1:8000 with the jobs' worker (SQLite unless DATABASE_URL is set)
	$(PY) manage.py seed_demo
	$(PY) manage.py jobs_worker --no-reload & worker=$$!; trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; \
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install test-tools ## Set up, then run the whole test suite (browser tests need Debian's chromium)
	$(PY) manage.py compiletranslations
	$(PY) -m pytest $(PYTEST_ARGS)

bench: setup ## Benchmarks on a generated data set; writes var/bench/results.json
	$(PY) manage.py bench

# The production stack on loopback (deploy/production-check.sh), then users added step by step.
loadtest: install ## Step test on the production stack (25 -> 200 users): the most users with p95 under 500 ms
	bash deploy/production-check.sh --step

lint: install ## ruff lint and format check, migrations in step with the models
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

security: install ## bandit on the project's code (config in pyproject.toml; each exception a justified `# nosec`)
	$(VENV)/bin/bandit -c pyproject.toml -r . -q

format: install ## Format the code with ruff
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# The catalogues and the files they are extracted from, for both targets below.
MESSAGES_ARGS := --locale ar --locale fr --locale en --ignore '.venv/*' --ignore 'var/*' --ignore 'node_modules/*'

messages: install ## Extract strings into the .po catalogues (needs GNU gettext), then compile
	$(PY) manage.py makemessages $(MESSAGES_ARGS) --no-location
	$(PY) manage.py compiletranslations

messages-check: install ## Fail if the catalogues are out of step with the code or not all translated (writes nothing)
	$(PY) manage.py check_messages $(MESSAGES_ARGS)
