# Two entry points (see README): `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
# torch comes in through argostranslate -> stanza.  Ask for the CPU wheel first so
# pip does not resolve a multi-GB CUDA build; later installs accept what is there.
TORCH  ?= torch==2.13.0

.PHONY: run test test-reliability venv bench screenshots clean

$(VENV)/.stamp: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q "$(TORCH)" || $(PY) -m pip install -q torch
	$(PY) -m pip install -q -e '.[test]'
	touch $@

venv: $(VENV)/.stamp

run: venv
	$(VENV)/bin/workbench import --quiet seeds/
	$(VENV)/bin/workbench gui

test: venv
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -m "not slow"

# The whole reliability suite: kills at random moments, soak runs, every bad-input case.
test-reliability: venv
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest tests/reliability

bench: venv
	$(PY) bench/import_bench.py
	$(PY) bench/import_lock_bench.py
	$(PY) bench/mt_bench.py
	$(PY) bench/export_bench.py
	$(PY) bench/db_bench.py
	$(PY) bench/align_bench.py
	$(PY) bench/tm_bench.py
	QT_QPA_PLATFORM=offscreen $(PY) bench/gui_bench.py

screenshots: venv
	QT_QPA_PLATFORM=offscreen $(PY) docs/make_screenshots.py

clean:
	rm -rf $(VENV) build *.egg-info
