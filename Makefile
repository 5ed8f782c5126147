# The README's two commands are `make run` and `make test`; both do all set-up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run browser test lint typecheck unit e2e assets translations fixtures benchmark clean

$(STAMP): pyproject.toml
	@echo "setup: creating $(VENV) and installing flask-haven with its dev tools"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/flask --app demo_app run --host 127.0.0.1 --port 5000

browser: $(STAMP)
	$(BIN)/python -m flask_haven.testing.browser --ensure

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest -m "not e2e"

e2e: $(STAMP) browser
	$(BIN)/pytest -m e2e

test: lint typecheck browser
	$(BIN)/pytest

assets: $(STAMP)
	$(BIN)/flask --app demo_app haven build-assets

# Extract every message into flask_haven.pot, merge it into each language's
# .po, compile the .mo files. A test fails when this would change anything.
translations: $(STAMP)
	$(BIN)/python scripts/translations.py

# Rewrite the fixtures from the components' YAML examples after an intended
# change: expected HTML, the docs' parameter tables, then (in a browser) the
# accessibility trees. Tests fail when any of them drifts; review the diff.
fixtures: $(STAMP) browser
	$(BIN)/python -m tests.example_fixtures
	HAVEN_UPDATE_FIXTURES=1 $(BIN)/pytest -q -p no:randomly tests/e2e/test_aria_snapshots.py

benchmark: $(STAMP) browser
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

.PHONY: docs screenshots

docs: $(STAMP)
	$(BIN)/mkdocs build --strict --site-dir site

screenshots: $(STAMP) browser
	$(BIN)/python -m demo_app.screenshots
