# Skills Passport — every task a developer or CI needs. `make help` lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP_PY := $(VENV)/.installed
STAMP_JS := node_modules/.installed
ASSETS := skillspassport/static/build/app.css
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help
help: ## List every target
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[36m%-16s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP_PY): requirements/dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade "pip>=24"
	$(BIN)/pip install --quiet --require-hashes -r requirements/dev.txt
	@touch $@

$(STAMP_JS): package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(ASSETS): $(STAMP_JS) $(shell find frontend -type f 2>/dev/null)
	npm run --silent build

.PHONY: install
install: $(STAMP_PY) $(ASSETS) ## Create the virtual environment, install Python and front-end dependencies, build assets

.PHONY: install-ml
install-ml: install ## Add the optional embedding skills mapper (torch, sentence-transformers, model) and build its index
	$(BIN)/pip install --quiet $$($(PY) -c 'import tomllib; print(" ".join(tomllib.load(open("pyproject.toml", "rb"))["project"]["optional-dependencies"]["ml"]))')
	$(PY) manage.py skills_map --build-index

.PHONY: db
db: install ## Migrate the SQLite database and load reference and demo data
	$(PY) manage.py migrate --verbosity 0
	$(PY) manage.py load_reference_data --verbosity 0
	$(PY) manage.py seed_demo

.PHONY: run
run: db ## Set everything up and start the app on http://127.0.0.1:8000 with demo data, and a task worker
	@echo "Starting Skills Passport on http://$(HOST):$(PORT)/ and a task worker (Ctrl+C stops both)"
	@trap 'kill 0' EXIT INT TERM; \
	$(PY) manage.py worker & \
	$(PY) manage.py runserver $(HOST):$(PORT)

# Test processes (pytest-xdist): one per core; WORKERS=0 runs the suite in one process.
WORKERS ?= auto

.PHONY: test
test: install ## Install, then run the whole test suite (SQLite; WORKERS=n processes, default one per core)
	$(BIN)/pytest -n $(WORKERS) --dist loadgroup

.PHONY: test-postgres
test-postgres: install ## Run the test suite against PostgreSQL (PG_URL=..., WORKERS=n; one database per process)
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -n $(WORKERS) --dist loadgroup

.PHONY: lint
lint: install ## Check style with ruff (lint and format)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

.PHONY: format
format: install ## Reformat the code with ruff
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

.PHONY: layers
layers: install ## Check the layer contracts with import-linter (pyproject.toml [tool.importlinter])
	$(BIN)/lint-imports --no-cache

.PHONY: typecheck
typecheck: install ## Type-check with mypy and django-stubs
	$(BIN)/mypy skillspassport config

.PHONY: migrations-check
migrations-check: install ## Fail if models have changes without migrations
	$(PY) manage.py makemigrations --check --dry-run

.PHONY: ci
ci: ## What CI runs: tests on SQLite and PostgreSQL, migrations check, lint, types, W3C conformance, API contract
	bash .ci/run

.PHONY: conformance
conformance: install ## The W3C Verifiable Credentials test suites against the app (SUITE=name for one, V=1 lists failures)
	$(PY) scripts/conformance.py $(if $(SUITE),--suite $(SUITE)) $(if $(V),--verbose)

.PHONY: contract
contract: install ## Partner API contract test: Schemathesis, every check, against /api/v1/schema on a seeded app (EXAMPLES=n)
	bash scripts/contract.sh

.PHONY: bench
bench: install ## Benchmarks: credentials, targeting, skills mapping, denial-of-service checks, 100,000 residents on SQLite and PostgreSQL (PG_URL=...)
	$(PY) -m benchmarks.run --residents 100000 --pg-url $(PG_URL)

.PHONY: screenshots
screenshots: db ## Headless-Chromium screenshots, and the journeys checked with axe-core at 1280 and 360 px, into docs/screenshots/
	$(PY) scripts/screenshots.py
	$(PY) scripts/walk.py

.PHONY: lock
lock: $(STAMP_PY) ## Re-resolve pinned dependencies from pyproject.toml
	$(BIN)/pip-compile -q --strip-extras --generate-hashes --allow-unsafe -o requirements/main.txt pyproject.toml
	$(BIN)/pip-compile -q --strip-extras --generate-hashes --allow-unsafe --extra dev -o requirements/dev.txt pyproject.toml

.PHONY: clean
clean: ## Remove the virtual environment, node_modules, built assets and the SQLite database
	rm -rf $(VENV) node_modules skillspassport/static/build staticfiles db.sqlite3 .pytest_cache .mypy_cache .ruff_cache
