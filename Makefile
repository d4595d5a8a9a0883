# The two commands of the README: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app metpwa
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test install system-packages bench lock audit-deps

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

$(VENV)/.installed-audit: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[audit]'
	touch $@

install: $(VENV)/.installed

# requirements.lock: every package production installs, pinned with hashes (README, "Production
# under gunicorn"). Regenerate after changing the dependencies in pyproject.toml, and commit it.
lock: $(VENV)/.installed-audit
	$(BIN)/pip-compile --quiet --generate-hashes --strip-extras --no-emit-index-url --no-emit-find-links \
	  --output-file requirements.lock pyproject.toml

# pip-audit over the lock file, said plainly when no vulnerability database can be reached.
audit-deps: $(VENV)/.installed-audit
	$(BIN)/python .ci/audit_dependencies.py requirements.lock

# WeasyPrint needs Pango; browser tests need Debian's Chromium (no downloaded browsers);
# PostgreSQL backups need pg_dump.
system-packages:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	ldconfig -p 2>/dev/null | grep -q libpango-1.0 || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0"; \
	fc-list 2>/dev/null | grep -qi dejavu || missing="$$missing fonts-dejavu-core"; \
	command -v pg_dump >/dev/null 2>&1 || missing="$$missing postgresql-client"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

run: system-packages $(VENV)/.installed
	export METPWA_ENV=$${METPWA_ENV:-development}; \
	$(FLASK) db upgrade && \
	$(FLASK) seed-demo --if-empty --url http://$(HOST):$(PORT) && \
	$(FLASK) run --host $(HOST) --port $(PORT)

test: system-packages $(VENV)/.installed-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The benchmarks drive gunicorn with wrk (Debian's package).
bench: system-packages $(VENV)/.installed-test
	@command -v wrk >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq wrk; }
	$(BIN)/python -m bench
