# Benchmarks. `make bench` writes BENCH_PERSONS demo persons into a fresh SQLite file and a fresh PostgreSQL
# database, printing one result line each (also appended to bench/out/results.txt). Figures: docs/benchmarks.md.
#   make bench                          # 1,000,000 persons on both databases
#   make bench BENCH_PERSONS=100000     # the same at 100k, to compare peak memory
#   make bench-command                  # `dean06 demo` with its defaults (20,000 persons) on a fresh SQLite file

PY ?= .venv/bin/python
BENCH_PERSONS ?= 1000000
BENCH_SEED ?= 6
BENCH_OUT := bench/out
PG_HOST ?= 127.0.0.1
PG_USER ?= postgres
BENCH_PG_DB ?= dean06_bench
SQLITE_FILE := $(CURDIR)/$(BENCH_OUT)/bench.sqlite3
SQLITE_URL := sqlite:///$(SQLITE_FILE)
PG_URL := postgres://$(PG_USER)@$(PG_HOST):5432/$(BENCH_PG_DB)
BENCH := $(PY) bench/demo_generate.py

SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c

.PHONY: bench bench-sqlite bench-postgres bench-command

bench: bench-sqlite bench-postgres

bench-sqlite:
	mkdir -p $(BENCH_OUT)
	rm -f $(SQLITE_FILE)
	DATABASE_URL=$(SQLITE_URL) $(PY) -m dean06 migrate -v0
	DATABASE_URL=$(SQLITE_URL) $(BENCH) --prepare
	DATABASE_URL=$(SQLITE_URL) $(BENCH) --persons $(BENCH_PERSONS) --seed $(BENCH_SEED) | tee -a $(BENCH_OUT)/results.txt
	rm -f $(SQLITE_FILE)

bench-postgres:
	mkdir -p $(BENCH_OUT)
	dropdb --if-exists -h $(PG_HOST) -U $(PG_USER) $(BENCH_PG_DB)
	createdb -h $(PG_HOST) -U $(PG_USER) $(BENCH_PG_DB)
	DATABASE_URL=$(PG_URL) $(PY) -m dean06 migrate -v0
	DATABASE_URL=$(PG_URL) $(BENCH) --prepare
	DATABASE_URL=$(PG_URL) $(BENCH) --persons $(BENCH_PERSONS) --seed $(BENCH_SEED) | tee -a $(BENCH_OUT)/results.txt
	dropdb -h $(PG_HOST) -U $(PG_USER) $(BENCH_PG_DB)

bench-command:
	mkdir -p $(BENCH_OUT)
	rm -f $(SQLITE_FILE)
	DATABASE_URL=$(SQLITE_URL) $(PY) -m dean06 migrate -v0
	time DATABASE_URL=$(SQLITE_URL) $(PY) -m dean06 demo
	rm -f $(SQLITE_FILE)

# Translations (ADR-0004): Vietnamese msgids, English in dean06/locale/en. Needs GNU gettext (msgfmt).
.PHONY: messages
messages:
	$(PY) -m dean06 makemessages -l en --no-obsolete --ignore=.venv --ignore=var --ignore=bench
	$(PY) -m dean06 compilemessages -l en --ignore=.venv
