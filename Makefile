# frontline: `make run` and `make test` are enough on a fresh clone; both call `setup`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.frontline-installed
LOCK   := requirements.lock
ARGS   ?= seeds
N      ?= 20000
BUILD  ?=

ASSETS := dashboard/static/vendor/.complete
CHROMIUM ?= /usr/bin/chromium
PORT   ?= 8501

.PHONY: setup index run test bench bench-corpus lint format data clean lock assets browser fuzz

setup: $(STAMP) $(ASSETS) index  ## virtual env, pinned dependencies, map assets, gazetteer index (fast when done)

$(STAMP): pyproject.toml $(LOCK)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r $(LOCK)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $(STAMP)

$(ASSETS): tools/fetch_assets.sh
	bash tools/fetch_assets.sh

assets: $(ASSETS)  ## Leaflet and jQuery from the npm registry into dashboard/static/vendor

index: $(STAMP)  ## the gazetteer's repository datasets (local copy or pinned download) and its index
	$(BIN)/python -m geo index

browser:  ## Debian's chromium for the browser tests, when missing
	@test -x $(CHROMIUM) || { apt-get update -qq && apt-get install -y -qq chromium; }

data: setup  ## check the shipped data
	$(BIN)/python -m geo data

run: data  ## build the seeds (per-day summary) and open the dashboard on them (BUILD=DIR: on that build folder)
	$(BIN)/python -m geo build $(ARGS)
	FRONTLINE_BUILD=$(BUILD) $(BIN)/python -m dashboard --server.port $(PORT)

test: setup browser  ## every test, offline, real-browser tests included
	$(BIN)/python -m pytest -q

fuzz: setup  ## property-based tests with 10,000 examples each
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest -q tests/test_fuzz.py

bench: setup browser  ## accuracy and speed figures
	$(BIN)/python tools/bench.py

bench-corpus: setup  ## N synthetic benchmark articles into data/bench-corpus/N (default N=20000)
	$(BIN)/python tools/bench_corpus.py $(N)

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
