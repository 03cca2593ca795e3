# Beredskap: `make run` and `make test` do all set-up on a fresh machine (Python 3.11+, Node.js/npm).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
FLASK := $(VENV)/bin/flask --app wsgi
PYTEST_ARGS ?=
# The suite starts many Python processes (servers, CLI, clusters): let them reuse compiled bytecode (git-ignored).
unexport PYTHONDONTWRITEBYTECODE

.PHONY: setup run test test-fast lint bench bench-tasks migrate clean cluster translations i18n-update

setup: $(VENV)/.installed node_modules/.installed beredskap/static/vendor/.copied beredskap/static/js/generated/events.js translations

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt -r requirements-dev.txt
	$(PIP) install --quiet --no-deps -r requirements-nodeps.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

beredskap/static/vendor/.copied: node_modules/.installed
	rm -rf beredskap/static/vendor && mkdir -p beredskap/static/vendor/leaflet
	cp node_modules/socket.io-client/dist/socket.io.esm.min.js beredskap/static/vendor/
	cp -r node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css node_modules/leaflet/dist/images beredskap/static/vendor/leaflet/
	cp node_modules/axe-core/axe.min.js beredskap/static/vendor/
	touch $@

# The JS constants of the event types, from their one list in beredskap/vocabulary.py (git-ignored).
beredskap/static/js/generated/events.js: beredskap/vocabulary.py beredskap/generate_js.py $(VENV)/.installed
	$(PY) -m beredskap.generate_js $@

translations: $(VENV)/.installed
	$(VENV)/bin/pybabel compile -d beredskap/translations

# After adding or changing a string (_() in templates and Python, t() in static/js): extract every source string,
# merge them into the English catalogue (new ones with an empty msgstr to translate, gone ones dropped) and compile.
# tests/i18n/test_catalogue.py fails until every msgstr is filled in; it extracts with the same babel.cfg and keywords.
I18N_KEYWORDS := -k lazy_gettext -k _l
i18n-update:
	PYTHONPATH=. $(VENV)/bin/pybabel extract -F babel.cfg $(I18N_KEYWORDS) --no-wrap --sort-output -o beredskap/translations/messages.pot .
	$(VENV)/bin/pybabel update -i beredskap/translations/messages.pot -d beredskap/translations --no-wrap --no-fuzzy-matching --ignore-obsolete
	$(VENV)/bin/pybabel compile -d beredskap/translations

migrate: setup
	$(FLASK) db upgrade

run: migrate
	$(FLASK) demo seed
	BEREDSKAP_RUN_BANNER=1 $(PY) wsgi.py

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache

# The quick tests, then the slow ones (server processes, Chromium, clusters), each phase on both cores: every
# e2e worker starts its own server and browser, and the server tests take free ports.
test: setup lint
	$(PY) -m pytest -m "not slow" -n 2 $(PYTEST_ARGS)
	$(PY) -m pytest -m slow -n 2 $(PYTEST_ARGS)

# Everything but the tests marked slow (server processes, Chromium, clusters, fuzzing): the quick loop while coding.
test-fast: setup lint
	$(PY) -m pytest -m "not slow" -n 2 $(PYTEST_ARGS)

bench: setup
	$(PY) -m bench.run

# Issue 17's key tasks done in Chromium as a trained user would, counted in actions and seconds → bench/tasks.md.
bench-tasks: setup
	$(PY) -m bench.tasks

# The deployment of docs/OPERATIONS.md on this machine: nginx, 3 wsgi.py, PostgreSQL, Redis; Ctrl-C stops all.
cluster: setup
	$(PY) -m deploy.cluster $(CLUSTER_ARGS)

clean:
	rm -rf $(VENV) node_modules beredskap/static/vendor beredskap/static/js/generated
