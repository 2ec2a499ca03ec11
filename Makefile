# Songbench: `make run` starts the app against the embedded simulator, `make test` runs the
# linters and every test, `make soak` and `make bench` print the reliability and speed figures.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8501

.PHONY: run test test-fast lint install install-dev simulator bench bench-experiments soak clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: install
	$(BIN)/streamlit run app.py --server.port $(PORT) --server.headless true

simulator: install
	$(BIN)/python -m simulator --host 127.0.0.1 --port 8787

# lint-imports: the architecture's contracts (pyproject.toml [tool.importlinter])
lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports

# the suite in parallel (four workers whatever the cores: it mostly waits on the simulator,
# subprocesses and browsers, so on 2 cores four keep both busy; a file's tests stay on one
# worker, the slowest files first: tests/conftest.py SLOW_FIRST), then the few tests
# pytest-xdist cannot run (marker `serial`); exit 5 = nothing selected there
PARALLEL ?= -n 4 --dist loadfile
test: lint
	$(BIN)/python -m pytest $(PARALLEL) -m "not serial" $(PYTEST_ARGS)
	$(BIN)/python -m pytest -m serial $(PYTEST_ARGS) || [ $$? -eq 5 ]

# the quick subset (about a minute on 2 cores): lib/ unit tests, the CLI, the contract's conformance;
# no simulator-, AppTest-, browser- or end-to-end tests. Options: make test-fast PYTEST_ARGS="-k qa -x"
FAST ?= tests/lib tests/cli tests/test_conformance.py tests/test_shared_contract.py
test-fast: install-dev
	$(BIN)/python -m pytest $(PARALLEL) -m "not serial" $(FAST) $(PYTEST_ARGS)

bench: install-dev
	$(BIN)/python -m tests.bench

# the experiments' figures alone: the results grid on a 10,000-task log, the queue at the limit
bench-experiments: install-dev
	$(BIN)/python -m tests.bench.experiment_results
	$(BIN)/python -m tests.bench.experiment_queue

# every scenario, or the ones named after it: make soak rates (kill9 faults rates writes fuzz
# media)
SOAK_SCENARIOS := kill9 faults rates writes fuzz media
soak: install-dev
	$(BIN)/python -m tests.soak $(filter $(SOAK_SCENARIOS),$(MAKECMDGOALS))

ifneq ($(filter soak,$(MAKECMDGOALS)),)
$(SOAK_SCENARIOS):
	@:
endif

clean:
	rm -rf $(VENV) .pytest_cache tests/artifacts
