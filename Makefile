# newsindex: `make demo` and `make test` are the whole quick start. Both are idempotent.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NEWSINDEX := $(BIN)/newsindex
SAMPLES := tests/fixtures/articles

.PHONY: demo test test-unit lint es-up es-down system-deps clean constraints

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

# Java 17 and Maven run the embedded Elasticsearch; docker-compose (no engine) validates the compose files.
# Missing ones are installed with apt-get when make runs as root; otherwise make says what is missing.
system-deps:
	@missing=""; \
	command -v java >/dev/null || missing="$$missing openjdk-17-jdk-headless"; \
	command -v mvn >/dev/null || missing="$$missing maven"; \
	command -v docker-compose >/dev/null || missing="$$missing docker-compose"; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "installing$$missing with apt-get"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
		else echo "missing:$$missing (install them, or run make as root to have them installed)"; fi; \
	fi

es-up: $(STAMP) system-deps
	@if [ -z "$$NEWSINDEX_ES_URL" ]; then $(NEWSINDEX) es up; fi

es-down:
	@test -x $(NEWSINDEX) && $(NEWSINDEX) es down || true

demo: es-up
	$(NEWSINDEX) ingest $(SAMPLES) --source demo
	$(NEWSINDEX) search "" --size 5

test: es-up
	$(BIN)/python -m pytest -q -ra tests; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing"; exit 1; fi; exit $$rc

test-unit: $(STAMP)
	$(BIN)/python -m pytest -q tests/unit

lint: $(STAMP)
	$(BIN)/ruff check pipelines flows tests benchmarks

# Re-pin the dependency set after changing pyproject.toml.
constraints:
	$(BIN)/pip freeze --exclude-editable | grep -v '^newsindex' > constraints.txt

clean: es-down
	rm -rf $(VENV) .cache
