# Mutualis — two commands on a fresh machine: `make run` (demo on SQLite) and `make test` (whole suite).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# PostgreSQL run of the suite: the machine's server (trust auth) unless DATABASE_URL says otherwise.
PG_TEST_URL ?= $(or $(DATABASE_URL),postgres://postgres@127.0.0.1:5432/postgres)
PYTEST_ARGS ?=
# The suite runs on this many processes (pytest-xdist); the browser journeys run apart from it, since
# their live server flushes the tables (each process has its own database and live server), and once
# only: on PostgreSQL (production's engine) when it answers, else on SQLite. Exit code 5 (nothing
# selected) is fine for a subset.
PYTEST_WORKERS ?= 2
pg_up = [ -n "$(DATABASE_URL)" ] || $(BIN)/python -c "import socket; socket.create_connection(('127.0.0.1', 5432), 2)" 2>/dev/null
unit_suite = { MUTUALIS_ENV=test DATABASE_URL=$(1) $(BIN)/pytest -n $(PYTEST_WORKERS) -m "not browser" $(PYTEST_ARGS) || [ $$? -eq 5 ]; }
browser_suite = { MUTUALIS_ENV=test DATABASE_URL=$(1) $(BIN)/pytest -n $(PYTEST_WORKERS) -m browser $(PYTEST_ARGS) || [ $$? -eq 5 ]; }

.PHONY: help install run migrate demo test check lint format test-sqlite test-postgres browser-deps oidc-deps clean

help:
	@echo "make run    installe, migre la base SQLite, charge la démo et lance le serveur sur http://$(HOST):$(PORT)"
	@echo "make test   contrôle qualité + tests (SQLite, puis PostgreSQL s'il répond) + tests navigateur"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

migrate: $(STAMP)
	$(BIN)/mutualis migrate --no-input

# The demo accounts printed by load_demo are kept, to be shown again once the server answers.
DEMO_ACCOUNTS := $(VENV)/demo-accounts.txt
# `make run TERRITOIRE=agglomeration`: the agglomeration demo, in its own SQLite file (each demo territory
# lives in its own database) unless DATABASE_URL names one.
TERRITOIRE ?= ght
ifeq ($(TERRITOIRE),agglomeration)
export DATABASE_URL ?= sqlite:///$(CURDIR)/var/agglomeration.sqlite3
endif

demo: migrate
	@set -o pipefail; $(BIN)/mutualis load_demo --territoire $(TERRITOIRE) | tee $(DEMO_ACCOUNTS).tmp
	@sed -n '/Comptes de démonstration/,$$p' $(DEMO_ACCOUNTS).tmp > $(DEMO_ACCOUNTS); rm -f $(DEMO_ACCOUNTS).tmp

# The worker runs background jobs (DECP imports, open-data exports); it stops with the server (Ctrl+C
# kills the whole process group). The address and the demo accounts are printed once the server answers.
run: demo
	@trap 'kill 0' EXIT INT TERM; \
	  $(BIN)/mutualis worker --interval 2 & \
	  $(BIN)/mutualis runserver $(HOST):$(PORT) & server=$$!; \
	  for attempt in $$(seq 1 240); do \
	    kill -0 $$server 2>/dev/null || exit 1; \
	    $(BIN)/python -c "import http.client as h; c = h.HTTPConnection('$(HOST)', $(PORT), timeout=2); c.request('GET', '/'); c.getresponse()" 2>/dev/null && break; \
	    sleep 0.5; \
	  done; \
	  echo; echo "Mutualis : http://$(HOST):$(PORT)/  (Ctrl+C pour arrêter)"; \
	  cat $(DEMO_ACCOUNTS) 2>/dev/null; \
	  wait $$server

format: $(STAMP)
	$(BIN)/ruff format src tests benchmarks scripts
	$(BIN)/ruff check --fix src tests benchmarks scripts

# The quality gate: the same here and in CI.
check: $(STAMP)
	$(BIN)/ruff format --check src tests benchmarks scripts
	$(BIN)/ruff check src tests benchmarks scripts
	MUTUALIS_ENV=test $(BIN)/mutualis check --fail-level WARNING
	MUTUALIS_ENV=test $(BIN)/mutualis makemigrations --check --dry-run
	MUTUALIS_ENV=production MUTUALIS_SECRET_KEY=check-only-$$(head -c 32 /dev/urandom | base64 | tr -dc 'a-zA-Z0-9') \
	  MUTUALIS_ALLOWED_HOSTS=mutualis.example.org $(BIN)/mutualis check --deploy --fail-level WARNING

# Browser tests drive Debian's Chromium (Playwright cannot download its own browser here).
browser-deps:
	@command -v chromium >/dev/null || { \
	  echo "Installation de Chromium (paquet Debian) pour les tests navigateur…"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

# The tests' OpenID Connect provider (tests/oidc/provider.mjs): the `oidc-provider` npm package, installed
# with the machine's Node.js from the committed lock file into tests/oidc/node_modules (ignored by git).
OIDC_DEPS := tests/oidc/node_modules/.package-lock.json
$(OIDC_DEPS): tests/oidc/package-lock.json
	@command -v npm >/dev/null || { echo "npm introuvable : Node.js est nécessaire au fournisseur OpenID Connect des tests."; exit 1; }
	cd tests/oidc && npm ci --prefer-offline --no-audit --no-fund --loglevel=error
	touch $(OIDC_DEPS)

oidc-deps: $(OIDC_DEPS)

test-sqlite: $(STAMP) browser-deps oidc-deps
	@echo "== Suite sur SQLite"
	$(call unit_suite,)
	@if $(pg_up); then echo "== Parcours navigateur : lancés sur PostgreSQL"; \
	else echo "== Parcours navigateur sur SQLite"; $(call browser_suite,); fi

test-postgres: $(STAMP) browser-deps oidc-deps
	@if $(pg_up); then \
	  echo "== Suite sur PostgreSQL"; $(call unit_suite,$(PG_TEST_URL)) && $(call browser_suite,$(PG_TEST_URL)); \
	else echo "== PostgreSQL ne répond pas sur 127.0.0.1:5432 et DATABASE_URL est vide : suite PostgreSQL non lancée"; fi

test: check test-sqlite test-postgres

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
