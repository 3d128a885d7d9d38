# Help Portal. Quick start: `make run` (serve the demo) and `make test` (run the suite).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 5000
HOST   ?= 127.0.0.1

.PHONY: run test check translations clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "Python 3.11 or newer is needed (set PYTHON=python3.11)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# Reinstall only when the package metadata changed: the second run is fast.
$(VENV)/.installed: setup.cfg pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	@touch $@

$(VENV)/.installed-dev: setup.cfg pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[dev,postgres,redis,server]'
	@touch $@ $(VENV)/.installed

run: $(VENV)/.installed
	$(BIN)/portal db upgrade
	$(BIN)/portal articles check || true
	$(BIN)/portal index sync
	$(BIN)/portal run --host $(HOST) --port $(PORT)

test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest

check: $(VENV)/.installed
	$(BIN)/portal articles check

# Refresh the message catalogs after changing UI text (compiled .mo files are committed).
translations: $(VENV)/.installed-dev
	$(BIN)/pybabel extract -F babel.cfg -k _l -o portal/translations/messages.pot .
	$(BIN)/pybabel update -i portal/translations/messages.pot -d portal/translations --no-fuzzy-matching
	$(BIN)/pybabel compile -d portal/translations

clean:
	rm -rf $(VENV) search_index/* build *.egg-info
