# The two commands a newcomer needs: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup migrate seed messages check lint clean serve bench loadtest restore-check

$(VENV)/.installed: requirements.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

setup: $(VENV)/.installed

migrate: setup
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

run: seed
	$(PY) manage.py runserver $(HOST):$(PORT)

test: setup
	$(PY) -m pytest

# The layers of docs/architecture.md (.importlinter): an app imports only from the apps
# below it, and no app's modules import each other in a cycle.
lint: setup
	$(VENV)/bin/lint-imports --no-cache

check: lint
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

# Re-extract (makemessages in each app), dedupe (a msgid shared by apps stays in the lowest)
# and compile the Persian catalogues <app>/locale/fa/ after changing strings or translations;
# needs gettext. The compiled .mo files are committed, so running the site needs no gettext.
messages: setup
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

restore-check: setup
	scripts/backup_restore_check.sh

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache
