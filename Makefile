# make demo: install kg into .venv, load the seed articles and show who met whom.
# make test: install kg with its test extra into .venv and run the test suite.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin

.PHONY: demo test clean system-packages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# kg's own modules are compiled once at install: where PYTHONDONTWRITEBYTECODE is set,
# Python would otherwise compile them again on every command (a third of `kg query`'s start).
COMPILE = $(BIN)/python -m compileall -q kg ontology queries

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	$(COMPILE)
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	$(COMPILE)
	touch $@ $(VENV)/.installed

demo: $(VENV)/.installed
	$(BIN)/kg load seeds/
	$(BIN)/kg query met-with

# The browser test drives Debian's Chromium; kg viz --format svg needs Graphviz; the
# server tests run a Virtuoso of their own (virtuoso-t, never the system service).
SYSTEM_PACKAGES = chromium graphviz virtuoso-opensource

system-packages:
	@command -v chromium >/dev/null && command -v dot >/dev/null && command -v virtuoso-t >/dev/null || { \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES)) >/dev/null 2>&1 || \
	  (sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES)) >/dev/null; }

test: $(VENV)/.installed-test system-packages
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) .kg
