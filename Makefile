# Help Portal. Quick start: `make run` (serve the demo) and `make test` (run the suite).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 5000
HOST   ?= 127.0.0.1

.PHONY: run test check translations clean echarts

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
	$(BIN)/portal articles import || true
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

# Refresh the vendored Apache ECharts (served from our own static files, never a CDN):
# the pinned npm package's minified build, its licence and notice.
ECHARTS_VERSION ?= 5.5.1
ECHARTS_DIR := portal/static/vendor/echarts
echarts:
	@tmp=$$(mktemp -d) && cd $$tmp && npm pack --silent echarts@$(ECHARTS_VERSION) >/dev/null && \
	  tar xzf echarts-$(ECHARTS_VERSION).tgz && cd - >/dev/null && mkdir -p $(ECHARTS_DIR) && \
	  cp $$tmp/package/dist/echarts.min.js $$tmp/package/LICENSE $$tmp/package/NOTICE $(ECHARTS_DIR)/ && \
	  echo $(ECHARTS_VERSION) > $(ECHARTS_DIR)/VERSION && rm -rf $$tmp && \
	  echo "ECharts $(ECHARTS_VERSION) in $(ECHARTS_DIR)"
