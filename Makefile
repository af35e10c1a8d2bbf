# frontline: `make run` and `make test` are enough on a fresh clone; both call `setup`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.frontline-installed
LOCK   := requirements.lock
ARGS   ?= seeds

.PHONY: setup run test bench lint format data clean lock

setup: $(STAMP)  ## virtual env with the pinned dependencies (fast when done)

$(STAMP): pyproject.toml $(LOCK)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r $(LOCK)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $(STAMP)

data: setup  ## check that the shipped gazetteer loads and index it once
	$(BIN)/python -m geo data

run: data  ## build the seeds into build/ and print the day-by-day summary
	$(BIN)/python -m geo build $(ARGS)

test: setup  ## every test, offline
	$(BIN)/python -m pytest -q

bench: setup  ## accuracy and speed figures
	$(BIN)/python tools/bench.py

lint: setup
	$(BIN)/ruff check geo dashboard tests tools
	$(BIN)/ruff format --check geo dashboard tests tools

format: setup
	$(BIN)/ruff format geo dashboard tests tools
	$(BIN)/ruff check --fix geo dashboard tests tools

clean:
	rm -rf $(VENV) build .pytest_cache .ruff_cache *.egg-info

lock:  ## re-pin requirements.lock from the current environment
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^frontline' > $(LOCK).new
	@{ echo "# Pinned environment for frontline (pip freeze of a working setup). Regenerate: make lock"; \
	   echo "setuptools==$$($(BIN)/python -c 'import setuptools; print(setuptools.__version__)')"; \
	   grep -v '^setuptools==' $(LOCK).new; } > $(LOCK) && rm $(LOCK).new
