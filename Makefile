# CityPlus Explorer: the few things a developer does. Every target sets up what it needs.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501
CHROMIUM ?= /usr/bin/chromium
SOFFICE ?= /usr/bin/soffice
KHAL ?= /usr/bin/khal
# Python keeps compiled modules (__pycache__/, which git ignores) even where the machine's
# environment says not to (PYTHONDONTWRITEBYTECODE=1, usual in containers): without them every
# process the tests start (each pytest worker, app server and command) compiled the project again,
# and pytest rewrote the asserts of every test module again in each worker (collecting the unit and
# page tests took 6.1 s, against 2.7 s with them).
unexport PYTHONDONTWRITEBYTECODE

.PHONY: install run test test-fast lint bench browser spreadsheet calendar axe a11y postgres nginx cluster load constraints clean

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt -c constraints.txt
	touch $@

# Debian's Chromium (and CJK fonts for Chinese pages) for the browser tests; needs root or sudo.
browser:
	@if [ -x "$(CHROMIUM)" ]; then exit 0; fi; \
	if command -v apt-get >/dev/null 2>&1; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-noto-cjk >/dev/null || \
	  echo "Could not install Chromium: run 'apt-get install chromium fonts-noto-cjk' as root."; \
	else echo "No apt-get: install Chromium at $(CHROMIUM) for the browser tests."; fi

# LibreOffice Calc without a GUI (about 265 MB installed) for tests/unit/test_spreadsheet.py: a
# spreadsheet engine nobody here wrote opens the CSV exports; needs root or sudo.
spreadsheet:
	@if [ -x "$(SOFFICE)" ]; then exit 0; fi; \
	if command -v apt-get >/dev/null 2>&1; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui >/dev/null || \
	  echo "Could not install LibreOffice: run 'apt-get install --no-install-recommends libreoffice-calc-nogui' as root."; \
	else echo "No apt-get: install LibreOffice (soffice at $(SOFFICE)) for the spreadsheet tests."; fi

# khal, a calendar program nobody here wrote, for tests/unit/test_programme_exports.py: it imports
# a programme's .ics and lists its events in local time; needs root or sudo.
calendar:
	@if [ -x "$(KHAL)" ]; then exit 0; fi; \
	if command -v apt-get >/dev/null 2>&1; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends khal >/dev/null || \
	  echo "Could not install khal: run 'apt-get install --no-install-recommends khal' as root."; \
	else echo "No apt-get: install khal ($(KHAL)) for the calendar tests."; fi

# Debian's nginx, the reverse proxy in front of several app processes (make cluster,
# tests/browser/test_cluster.py); needs root or sudo. Its own service is left stopped.
NGINX ?= /usr/sbin/nginx
nginx:
	@if [ -x "$(NGINX)" ]; then exit 0; fi; \
	if command -v apt-get >/dev/null 2>&1; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nginx >/dev/null || \
	  echo "Could not install nginx: run 'apt-get install nginx' as root."; \
	else echo "No apt-get: install nginx at $(NGINX) for make cluster and its test."; fi

# PROCESSES app processes on ports APP_PORT, APP_PORT+1, ... behind nginx on CLUSTER_PORT, on one
# database (CITYPLUS_DB_URL, PostgreSQL for real use), until Ctrl-C: itinerary/cluster.py.
PROCESSES ?= 2
CLUSTER_PORT ?= 8080
APP_PORT ?= 8081
cluster: install nginx
	$(PY) -m itinerary cluster --processes $(PROCESSES) --port $(CLUSTER_PORT) --app-port $(APP_PORT)

# Many visitors at once at Streamlit's protocol level, one process and the nginx pair on
# PostgreSQL (bench/load.py, about 19 minutes; ARGS="--quick" for a short run).
load: install nginx postgres
	$(PY) -m bench.load $(ARGS)

# axe-core from the npm registry (pinned in tools/axe/package.json and its lock file), for the
# accessibility audit; never from a CDN.
AXE_JS := tools/axe/node_modules/axe-core/axe.min.js
axe: $(AXE_JS)
$(AXE_JS): tools/axe/package.json tools/axe/package-lock.json
	cd tools/axe && npm ci --no-audit --no-fund --silent
	touch $@

# The accessibility audit (axe-core, WCAG 2.2 A and AA) of every page: prints figures.
a11y: install browser axe
	$(PY) -m bench.a11y

# The PostgreSQL server the tests use (tests/conftest.py: CITYPLUS_TEST_PG_URL, default
# postgresql+psycopg://postgres@127.0.0.1:5432/test, trust authentication). Started through
# Debian's pg_ctlcluster when it is down; fails when it still does not answer. `make run` and the
# app's default SQLite database never need it.
PG_CHECK = $(PY) -c 'import psycopg, sqlalchemy as sa; from tests.conftest import PG_URL; \
  psycopg.connect(sa.make_url(PG_URL).set(drivername="postgresql").render_as_string(False), connect_timeout=3).close()'
postgres: install
	@$(PG_CHECK) 2>/dev/null && exit 0; \
	if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then \
	  echo "PostgreSQL is down; starting it"; \
	  pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start || true; \
	  for i in 1 2 3 4 5; do $(PG_CHECK) 2>/dev/null && exit 0; sleep 1; done; \
	fi; \
	$(PG_CHECK) 2>&1 | grep -v -e '^Traceback' -e '^  ' | sed 's/^[a-zA-Z.]*Error: //'; \
	echo "PostgreSQL is not up: the tests need it at CITYPLUS_TEST_PG_URL (default 127.0.0.1:5432," \
	  "database test, user postgres, trust authentication)."; \
	echo "Start it with: pg_ctlcluster --skip-systemctl-redirect \$$(ls /etc/postgresql) main start"; \
	exit 1

run: install
	$(PY) -m streamlit run app.py --server.port $(PORT)

# Unit and page tests run on TEST_WORKERS processes (pytest-xdist; each gets its own database
# copies), then the few tests that measure real time (request spacing) alone, on a machine nothing
# else loads (only the files that hold them are collected), then the browser tests on TEST_WORKERS
# processes (each with its own servers and Chromium; --dist loadgroup keeps a file's tests that
# share costly servers, such as the kiosk's, on one worker).
TEST_WORKERS ?= 2
REALTIME_FILES = $(shell grep -rl --include='*.py' 'mark.realtime' tests/unit tests/app)
# axe: tests/browser/test_accessibility.py runs axe-core in every page (it fails without it under CI=true).
test: install browser spreadsheet calendar postgres axe nginx
	$(PY) -m pytest -n $(TEST_WORKERS) -m "not realtime" tests/unit tests/app
	$(PY) -m pytest -m realtime $(REALTIME_FILES)
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup tests/browser

test-fast: install spreadsheet calendar postgres
	$(PY) -m pytest -n $(TEST_WORKERS) -m "not realtime" tests/unit tests/app
	$(PY) -m pytest -m realtime $(REALTIME_FILES)

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy itinerary

bench: install browser
	$(PY) -m bench

constraints: install
	$(PY) -m pip freeze --exclude-editable > constraints.txt

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache test-artifacts
