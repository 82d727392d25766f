# Two commands: `make run` (install, load the demo on first start, serve) and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501
export HF_HUB_OFFLINE := 1
export NUMBA_CACHE_DIR := $(CURDIR)/.numba_cache

.PHONY: run test install install-dev chromium lint format demo bench clean

run: install
	$(PY) -m analysis demo --if-empty
	$(PY) -m analysis fit --if-needed
	$(PY) -m streamlit run app.py --server.port $(PORT)

test: install-dev chromium
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy
	$(PY) -m pytest -p no:cacheprovider

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	# The pip that venv brings crashes on newspaper4k's lxml[html-clean] extra: upgrade it first.
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

chromium:
	@if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then \
		exit 0; \
	elif [ "$$(id -u)" = "0" ]; then \
		echo "Installing Debian's chromium for the browser tests..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "The browser tests need Chromium. Run: sudo apt-get install -y chromium"; \
		exit 1; \
	fi

lint: install-dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

format: install-dev
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

demo: install
	$(PY) -m analysis demo --if-empty
	$(PY) -m analysis fit --if-needed

bench: install-dev
	$(PY) -m analysis bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
