# The two commands a new user needs:
#   make lab    set everything up (virtualenv, package with notebook extras, sample DB) and open JupyterLab
#   make test   install the test dependencies, start a local BigQuery emulator, and run linters,
#               type checks and the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: lab test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

lab: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[notebook,bigquery,llm]'
	$(BIN)/lgda sample
	$(BIN)/jupyter lab notebooks/ $$([ "$$(id -u)" = 0 ] && echo --allow-root)

test: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	endpoint=$$(scripts/bigquery-emulator.sh start) && \
	LGDA_TEST_BIGQUERY_ENDPOINT=$$endpoint $(BIN)/pytest --nbval --nbval-current-env \
	  --nbval-sanitize-with notebooks/nbval_sanitize.cfg notebooks tests; \
	status=$$?; scripts/bigquery-emulator.sh stop; exit $$status

bench: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	scripts/bigquery-emulator.sh start >/dev/null; status=0; \
	for script in benchmarks/bench_*.py; do $(BIN)/python $$script || { status=1; break; }; done; \
	scripts/bigquery-emulator.sh stop; exit $$status

clean:
	rm -rf $(VENV) build dist .mypy_cache .pytest_cache .ruff_cache
