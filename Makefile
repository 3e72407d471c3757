# CityPlus Explorer: the few things a developer does. Every target sets up what it needs.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501
CHROMIUM ?= /usr/bin/chromium

.PHONY: install run test test-fast lint bench browser constraints clean

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

run: install
	$(PY) -m streamlit run app.py --server.port $(PORT)

test: install browser
	$(PY) -m pytest

test-fast: install
	$(PY) -m pytest tests/unit tests/app

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
