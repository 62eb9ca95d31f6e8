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

# Java 17 and Maven run the embedded Elasticsearch; install them from Debian if missing.
system-deps:
	@if ! command -v java >/dev/null || ! command -v mvn >/dev/null || ! command -v docker-compose >/dev/null; then \
		echo "installing Java 17, Maven and docker-compose (validates the compose files; no engine) with apt-get"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jdk-headless maven docker-compose; \
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
