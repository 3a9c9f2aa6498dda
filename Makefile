# Two entry points (see README): `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python

.PHONY: run test test-reliability venv bench startup-bench screenshots dist dist-check clean

# One stamp per set of extras: `make run` installs the application only, `make test`
# adds the test extras, `make dist` PyInstaller.  Each is redone when pyproject.toml
# changes.  A .venv made before the switch to argos-translate-lt still has the old
# `argostranslate` (with stanza, spacy and torch): it installs the same `argostranslate`
# folder, so it is removed first (with the new one, which the install then puts back whole).
define install
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	if $(PY) -m pip show -q argostranslate >/dev/null 2>&1; then \
	    $(PY) -m pip uninstall -q -y argostranslate argos-translate-lt; fi
	$(PY) -m pip install -q -e '.$(1)'
	touch $@
endef

$(VENV)/.stamp-run: pyproject.toml
	$(call install,)

$(VENV)/.stamp-test: pyproject.toml
	$(call install,[test])

$(VENV)/.stamp-dist: pyproject.toml
	$(call install,[dist])

venv: $(VENV)/.stamp-test

run: $(VENV)/.stamp-run
	$(VENV)/bin/workbench import --quiet seeds/
	$(VENV)/bin/workbench gui

test: $(VENV)/.stamp-test
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -m "not slow"

# The whole reliability suite: kills at random moments, soak runs, every bad-input case.
test-reliability: $(VENV)/.stamp-test
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest tests/reliability

bench: $(VENV)/.stamp-test
	$(PY) bench/import_bench.py
	$(PY) bench/import_lock_bench.py
	$(PY) bench/mt_bench.py
	$(PY) bench/export_bench.py
	$(PY) bench/db_bench.py
	$(PY) bench/align_bench.py
	$(PY) bench/batch_pairs_bench.py
	$(PY) bench/tm_bench.py
	$(PY) bench/document_import_bench.py
	QT_QPA_PLATFORM=offscreen $(PY) bench/gui_bench.py
	QT_QPA_PLATFORM=offscreen $(PY) bench/startup_bench.py

# `workbench --help`, `workbench docs` and the window's first paint, as whole processes.
startup-bench: $(VENV)/.stamp-run
	QT_QPA_PLATFORM=offscreen $(PY) bench/startup_bench.py

screenshots: $(VENV)/.stamp-run
	QT_QPA_PLATFORM=offscreen $(PY) docs/make_screenshots.py

# A standalone one-folder application in dist/workbench/ (no Python needed to run it).
dist: $(VENV)/.stamp-dist
	$(PY) -m PyInstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller \
	    resources/workbench.spec

# Build it, then run it as a user would: --help, import, models install, translate,
# export, and the window for 10 s (offscreen).
dist-check: dist
	$(PY) resources/dist_check.py dist/workbench

clean:
	rm -rf $(VENV) build dist *.egg-info
