# jingwang — the two README commands are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

# Debian packages: a CJK font for rendered test images, OpenCV's runtime libraries for OCR,
# Chromium for the console's browser tests and rendered reports.
SYSTEM_PACKAGES := fonts-wqy-microhei fonts-noto-cjk libgl1 libglib2.0-0 chromium

.PHONY: setup setup-test system-deps run test check lint typecheck layers bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(STAMP)

setup: $(STAMP)

system-deps:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
		else \
			echo "jingwang needs these Debian packages: $$missing (sudo apt-get install $$missing)"; \
		fi; \
	fi

setup-test: $(TEST_STAMP)

run: $(STAMP) system-deps
	$(BIN)/jingwang demo

lint: $(TEST_STAMP)
	$(BIN)/ruff check src tests benchmarks fuzz examples scripts
	$(BIN)/ruff format --check src tests benchmarks fuzz examples scripts

typecheck: $(TEST_STAMP)
	$(BIN)/mypy

layers: $(TEST_STAMP)
	$(BIN)/lint-imports

check: system-deps lint typecheck layers
	$(BIN)/pytest

test: check

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_scan.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis
