# Newsroom: `make run` to try it, `make test` to run every test.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

# The newest Python 3.12+ that actually runs (pyenv shims may exist but fail):
# pythonX.Y on the PATH first, then pyenv's installed versions, newest first.
FIND_PYTHON = for p in python3.14 python3.13 python3.12 \
	  $$(ls -d $(HOME)/.pyenv/versions/3.*/bin/python3 2>/dev/null | sort -rV) python3 python; do \
	  if command -v "$$p" >/dev/null 2>&1 && "$$p" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
	    command -v "$$p"; exit 0; fi; done; exit 1

.PHONY: run serve test test-e2e lint install demo messages clean help

help:
	@echo "make run    - set up everything and serve the demo site on http://$(HOST):$(PORT)"
	@echo "make serve  - the production stack locally: DEBUG off, gunicorn, nginx for photos"
	@echo "make test   - run the whole test suite (browser tests included)"
	@echo "make lint   - ruff and the migrations check"

$(VENV)/.installed: pyproject.toml
	@python=$$($(FIND_PYTHON)) || { \
	  echo "Error: Newsroom needs Python 3.12 or newer (Django 6.1), and none was found."; \
	  echo "Install python3.13 (or 3.12) and run make again."; exit 1; }; \
	echo "Using $$python ($$($$python --version))"; \
	if [ ! -x $(PY) ]; then "$$python" -m venv $(VENV); fi
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $@

install: $(VENV)/.installed

# HOST and PORT reach the settings too: in development the site's address (admin
# link printed by seed_demo, links in console e-mails) follows them.
demo: install
	$(PY) manage.py migrate --noinput
	HOST=$(HOST) PORT=$(PORT) $(PY) manage.py seed_demo

run: demo
	@echo "Serving on http://$(HOST):$(PORT)/ (admin: http://$(HOST):$(PORT)/admin/)"
	HOST=$(HOST) PORT=$(PORT) $(PY) manage.py runserver $(HOST):$(PORT)

# DEBUG off, collectstatic, migrate, gunicorn (and nginx in front when installed),
# with a secret key generated for this machine only: see deploy/serve-local.
serve: demo
	PY=$(PY) PORT=$(PORT) deploy/serve-local

# Tests run on every core (pytest-xdist; TEST_WORKERS=0 runs them in one process).
# --dist load hands each worker its tests in collection order, which keeps
# pytest-django's order on every worker: a transactional test empties the tables
# (the roles and groups made by migrations too), so it must run after the
# worker's TestCases. loadscope and loadfile reorder by size and break that.
TEST_WORKERS ?= auto
test: install
	@# axe-core for the accessibility checks of the browser tests (tests/e2e/axe.py),
	@# from the npm registry, pinned by tests/e2e/package-lock.json.
	@if [ ! -f tests/e2e/node_modules/axe-core/axe.min.js ] && command -v npm >/dev/null 2>&1; then \
	  npm ci --prefix tests/e2e --no-audit --no-fund --silent; fi
	$(PY) -m pytest -n $(TEST_WORKERS) --dist load

lint: install
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run

messages: install
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=tests
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
