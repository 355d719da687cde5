# The two commands a newcomer needs: `make serve` and `make test`.
PYTHON ?= python3
UV := $(PYTHON) -m uv
# Python comes from the machine (pyenv reads .python-version); never download one.
export UV_PYTHON_DOWNLOADS := never
PORT ?= 8000
# The suite runs once on SQLite, then again on this PostgreSQL server (required).
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/tend

.PHONY: serve test test-sqlite test-postgres lint install uv demo bench stress

uv:
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv

# Also compiles the translations (.po to .mo, pure Python: no gettext needed to serve),
# and the bytecode: where PYTHONDONTWRITEBYTECODE is set (as in many containers) every
# start would otherwise compile all of Django and tend again, about half of a restart.
install: uv
	@$(UV) sync --frozen --quiet --compile-bytecode
	@$(UV) run --frozen python -m compileall -q src
	@$(UV) run --frozen tend messages >/dev/null

serve: install
	PORT=$(PORT) $(UV) run --frozen tend serve

demo: install
	$(UV) run --frozen tend manage migrate --verbosity 0
	$(UV) run --frozen tend demo

lint: install
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .
	$(UV) run --frozen lint-imports --no-logo

test-sqlite: install
	env -u DATABASE_URL $(UV) run --frozen pytest $(PYTEST_ARGS)

# A larger pool for the in-process test server: under WSGI (pytest-django's live_server)
# an open event stream keeps its request thread, and its connection, until it ends.
test-postgres: install
	DATABASE_URL=$(TEST_DATABASE_URL) TEND_DB_POOL_SIZE=50 $(UV) run --frozen pytest $(PYTEST_ARGS)

test: lint test-sqlite test-postgres

# tend against a bare Django baseline, interleaved; ~10 minutes (BENCH_QUICK=1: ~3).
# Loopback only, stops by itself; never part of `make test` (bench/README.md).
bench: install
	$(UV) run --frozen python bench/run.py

# Fuzz, crash, race and load suites against real servers on loopback, on SQLite and on a
# fresh PostgreSQL database each (made on STRESS_POSTGRES_URL's server, then dropped).
# About 17 minutes on a quiet machine; never part of `make test`. Counts and run times: stress/README.md.
stress: install
	$(UV) run --frozen python stress/run.py
