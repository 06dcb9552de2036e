# The README's two commands. Each sets itself up on a fresh machine (venv, pip, Debian packages when root).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo demo-walk translations test lint bench screenshots clean

$(STAMP): pyproject.toml scripts/system-deps.sh
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install -q --disable-pip-version-check --upgrade pip
	@$(PY) -m pip install -q --disable-pip-version-check -e '.[dev,build]'
	@scripts/system-deps.sh
	@touch $(STAMP)

demo: $(STAMP)
	@$(PY) -m fieldtool.demo_world

demo-walk: $(STAMP)
	@$(PY) -m fieldtool.demo

test: $(STAMP)
	@$(VENV)/bin/ruff check .
	@QT_QPA_PLATFORM=offscreen $(PY) -m pytest

lint: $(STAMP)
	@$(VENV)/bin/ruff check .

bench: $(STAMP)
	@for b in bench/*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

# lupdate collects every marked string of the screens into the Spanish catalogue (translations already written
# are kept), lrelease compiles it into the .qm the application loads ([ui] language = "es").
TS := resources/translations/fieldtool_es.ts
translations: $(STAMP)
	@$(VENV)/bin/pyside6-lupdate -extensions py -no-obsolete fieldtool/ui -ts $(TS)
	@$(VENV)/bin/pyside6-lrelease $(TS) -qm resources/translations/fieldtool_es.qm

screenshots: $(STAMP)
	@QT_QPA_PLATFORM=offscreen $(PY) -m fieldtool.ui.screenshots docs/screenshots

clean:
	rm -rf $(VENV) build dist *.egg-info
