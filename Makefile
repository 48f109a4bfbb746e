# The two commands a newcomer needs: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup setup-dev migrate seed messages check lint lock clean serve bench loadtest restore-check cluster-check

$(VENV)/.installed: requirements.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

# Tests and tools on top of the runtime (requirements-dev.txt).
$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

setup: $(VENV)/.installed

# Pin every package and its dependencies, with hashes, after changing requirements.in or
# requirements-dev.in (the top-level packages): requirements.txt is what a deployment
# installs, requirements-dev.txt adds tests and tools at the same versions. pip installs a
# file with hashes in its hash-checking mode: a package that does not match is refused.
LOCK := $(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links
lock: $(VENV)/.installed-dev
	$(LOCK) --output-file requirements.txt requirements.in
	$(LOCK) --output-file requirements-dev.txt requirements-dev.in

# The accessibility test's tools (package.json: axe-core and the Nu HTML checker, pinned in
# package-lock.json), installed by npm into the git-ignored node_modules/ and read from there
# (tests/browser/test_accessibility.py). Without npm the test is skipped, except in CI.
# --ignore-scripts: vnu-jar's install script would fetch a Java of its own; the machine's is used.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: the accessibility test (tests/browser/test_accessibility.py) will be skipped"; fi

setup-dev: $(VENV)/.installed-dev node_modules/.installed

migrate: setup
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

# Links in mail and QR codes point at the server `make run` starts, unless SITE_URL says otherwise.
run: seed
	SITE_URL='$(or $(SITE_URL),http://$(HOST):$(PORT))' $(PY) manage.py runserver $(HOST):$(PORT)

test: setup-dev
	$(PY) -m pytest

# The layers of docs/architecture.md (.importlinter): an app imports only from the apps
# below it, and no app's modules import each other in a cycle.
lint: setup-dev
	$(VENV)/bin/lint-imports --no-cache

check: lint
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

# Re-extract (makemessages in each app), dedupe (a msgid shared by apps stays in the lowest)
# and compile the Persian catalogues <app>/locale/fa/ after changing strings or translations;
# needs gettext. The compiled .mo files are committed, so running the site needs no gettext.
messages: setup-dev
	$(PY) scripts/messages.py

# Production server on this machine: DEBUG=0, gunicorn, whitenoise (set SECRET_KEY,
# ALLOWED_HOSTS and DATABASE_URL first; see "Deploying" in README.md).
serve: setup
	DEBUG=0 $(PY) manage.py collectstatic --noinput -v0
	DEBUG=0 $(PY) manage.py migrate --noinput
	DEBUG=0 $(VENV)/bin/gunicorn -c gunicorn.conf.py portal.wsgi

# Benchmarks and reliability checks (need PostgreSQL and Redis on 127.0.0.1, and wrk).
bench: setup
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(PY) bench/run.py

loadtest: setup
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(PY) bench/run.py --soak 300 --connections 50

# Two gunicorn nodes behind HAProxy with two task workers, on a PostgreSQL and a Redis of
# their own; a node killed, Redis stopped, PostgreSQL restarted, under load
# (scripts/cluster_check.py). Prints each figure, fails on a miss.
cluster-check: setup
	@for tool in haproxy wrk redis-server; do command -v $$tool >/dev/null || missing="$$missing $$tool"; done; \
	if [ -n "$$missing" ]; then apt-get update -qq && apt-get install -y -qq $$missing; fi
	$(PY) scripts/cluster_check.py

restore-check: setup
	scripts/backup_restore_check.sh

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache

# The API against its own OpenAPI schema: schemathesis with every check, at most 100 examples
# per operation, on gunicorn with DEBUG=0 over a small demo in a throwaway SQLite file under
# var/api-contract/ (or DATABASE_URL); fails on any failure. A few minutes on 2 cores.
.PHONY: api-contract
api-contract: setup-dev
	scripts/api_contract.sh
