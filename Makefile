# The README's two commands are `make run` and `make test`; both do all set-up.
#
# Installs are reproducible: every package comes at the version pinned in
# requirements/constraints.txt (the library's own dependencies in
# pyproject.toml stay ranges, as a library's should). `make lock` refreshes
# the pins; `make test-latest` runs the suite on the newest versions the index
# serves, as a user's unpinned `pip install flask-haven` gets them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
LOCK := requirements/constraints.txt
PIP_INSTALL := $(BIN)/python -m pip install --progress-bar off --constraint $(LOCK)
APP_STAMP := $(VENV)/.installed-app
DEV_STAMP := $(VENV)/.installed-dev
LATEST := .venv-latest
# One pytest worker per core and one more (tests/conftest.py says why), each
# test file kept whole on one worker (its module fixtures, such as a gunicorn
# server, start once); the 25 slowest tests
# are shown at the end of every run, so the cost of each new test stays visible.
PYTEST_ARGS ?= -n auto --dist loadfile --durations=25

.PHONY: install run browser test test-engines test-latest lock lint typecheck unit e2e assets translations fixtures benchmark clean

$(BIN)/python:
	@echo "setup: creating the virtual environment $(VENV) with $(PYTHON)"
	$(PYTHON) -m venv $(VENV)
	@echo "setup: upgrading pip"
	$(BIN)/python -m pip install --quiet --progress-bar off --upgrade pip

# The demo needs only the library; the test tools come with the dev stamp.
$(APP_STAMP): pyproject.toml $(LOCK) | $(BIN)/python
	@echo "setup: installing flask-haven and what it needs, pinned by $(LOCK)"
	$(PIP_INSTALL) --editable .
	@touch $@

$(DEV_STAMP): pyproject.toml $(LOCK) | $(BIN)/python
	@echo "setup: installing flask-haven with its test and build tools, pinned by $(LOCK)"
	$(PIP_INSTALL) --editable '.[dev]'
	@touch $@ $(APP_STAMP)

install: $(DEV_STAMP)

run: $(APP_STAMP)
	@echo "run: serving the demo at http://127.0.0.1:5000 (Ctrl+C stops it)"
	$(BIN)/flask --app demo_app run --host 127.0.0.1 --port 5000

# Chromium, Firefox and WebKit (the cross-engine tests run in all three):
# installs what is missing, then prints one line per browser.
browser: $(DEV_STAMP)
	$(BIN)/python -m flask_haven.testing.browser --ensure --engines

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(DEV_STAMP)
	$(BIN)/mypy

unit: $(DEV_STAMP)
	$(BIN)/pytest -m "not e2e" $(PYTEST_ARGS)

e2e: $(DEV_STAMP) browser
	$(BIN)/pytest -m e2e $(PYTEST_ARGS)

# Everything, the cross-engine tests included; their counts per engine close the output.
test: lint typecheck browser
	$(BIN)/pytest $(PYTEST_ARGS)

# Only the cross-engine tests (Chromium, Firefox, WebKit; tests/engines, docs/engines.md).
test-engines: browser
	$(BIN)/pytest -m engines $(PYTEST_ARGS)

# The same suite on the newest release of every dependency, in a venv of its own
# that is upgraded on each run (no pins). Lint and type checks stay on the pinned
# tools: a new ruff or mypy release judges style, not whether the library works.
test-latest: browser
	@echo "test-latest: installing the newest versions into $(LATEST) (no pins)"
	test -x $(LATEST)/bin/python || $(PYTHON) -m venv $(LATEST)
	$(LATEST)/bin/python -m pip install --quiet --progress-bar off --upgrade pip
	$(LATEST)/bin/python -m pip install --progress-bar off --upgrade --upgrade-strategy eager --editable '.[dev]'
	$(LATEST)/bin/python -m pip list --format freeze > $(LATEST)/versions.txt
	@echo "test-latest: versions used are listed in $(LATEST)/versions.txt"
	$(LATEST)/bin/pytest $(PYTEST_ARGS)

# Re-pin every dependency at the newest version the index serves, from a clean venv.
lock:
	rm -rf .venv-lock
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet --progress-bar off --upgrade pip
	.venv-lock/bin/python -m pip install --progress-bar off '.[dev]'
	{ echo "# Pinned versions for \`make install\`, \`make test\` and CI; \`make lock\` refreshes them."; \
	  echo "# A constraints file, not requirements: it pins what pyproject.toml asks for."; \
	  .venv-lock/bin/python -m pip freeze --exclude flask-haven; } > $(LOCK).new
	mv $(LOCK).new $(LOCK)
	rm -rf .venv-lock
	@echo "lock: wrote $(LOCK); run make test, then commit it"

assets: $(DEV_STAMP)
	$(BIN)/flask --app demo_app haven build-assets

# Extract every message into flask_haven.pot, merge it into each language's
# .po, compile the .mo files. A test fails when this would change anything.
translations: $(DEV_STAMP)
	$(BIN)/python scripts/translations.py

# Rewrite the fixtures from the components' YAML examples after an intended
# change: expected HTML, the docs' parameter tables, then (in a browser) the
# accessibility trees. Tests fail when any of them drifts; review the diff.
fixtures: $(DEV_STAMP) browser
	$(BIN)/python -m tests.example_fixtures
	HAVEN_UPDATE_FIXTURES=1 $(BIN)/pytest -q -p no:randomly tests/e2e/test_aria_snapshots.py

benchmark: $(DEV_STAMP) browser
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) $(LATEST) .pytest_cache .mypy_cache .ruff_cache

.PHONY: docs screenshots

docs: $(DEV_STAMP)
	$(BIN)/mkdocs build --strict --site-dir site

# Accept intended visual changes: photograph every example and page again, at
# 320, 768 and 1280 px, as the new baselines (static/gallery/screens/, which the
# gallery shows too). It runs the sweep that compares them, in the same order
# and the same states, writing instead of comparing; review the PNG diff.
screenshots: $(DEV_STAMP) browser
	rm -f static/gallery/screens/*.png static/gallery/screens/manifest.json
	HAVEN_UPDATE_SCREENSHOTS=1 $(BIN)/pytest -q -p no:randomly -n 0 tests/e2e/test_sweep.py -k every_check
