# Benchmarks. `make bench` writes BENCH_PERSONS demo persons into a fresh SQLite file and a fresh PostgreSQL
# database, printing one result line each (also appended to bench/out/results.txt), then times
# `dean06 registry load` of a BENCH_PERSONS-row CSV the same way. Figures: docs/benchmarks.md.
#   make bench                          # 1,000,000 persons on both databases
#   make bench BENCH_PERSONS=100000     # the same at 100k, to compare peak memory
#   make bench-command                  # `dean06 demo` with its defaults (20,000 persons) on a fresh SQLite file
#   make bench-monitoring               # the demo province (20,000 persons + demo_activity) on a fresh SQLite file,
#                                       # then the monitoring pages and commands (bench/monitoring.py); a table
#   make bench-monitoring-postgres      # the same on a fresh PostgreSQL database
#   make bench-registry-sqlite          # registry load only: new rows, the same file again, pre-2025 codes
#   make bench-cleansing                # cleansing match + classify: BENCH_PERSONS rows against BENCH_PERSONS persons,
#                                       # then Splink 5 on the same files (bench/cleansing_splink.py); a line each
#   make bench-cleansing-splink         # the Splink 5 comparison alone (builds the files if missing)
#   make bench-cleansing-files          # the whole cleansing pipeline on office-typed XLSX/CSV lists (not in `bench`):
#                                       # 100k and 1M rows (BENCH_FILES_ROWS) against BENCH_PERSONS persons

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
BENCH_REGISTRY := $(PY) bench/registry_load.py
BENCH_MONITORING := $(PY) bench/monitoring.py
BENCH_MONITORING_PERSONS ?= 20000
# Byte-code cached under bench/out (not in the venv) even where PYTHONDONTWRITEBYTECODE is set: every command runs
# in a new process, and without .pyc files each would first compile about a thousand modules (≈ 5 s here).
MONITORING_ENV := env -u PYTHONDONTWRITEBYTECODE PYTHONPYCACHEPREFIX=$(CURDIR)/$(BENCH_OUT)/pycache
MONITORING_SQLITE := $(CURDIR)/$(BENCH_OUT)/monitoring.sqlite3
MONITORING_PG_DB := $(BENCH_PG_DB)_monitoring
REGISTRY_DIR := $(BENCH_OUT)/registry
REGISTRY_CSV := $(REGISTRY_DIR)/persons-$(BENCH_PERSONS)-2025.csv
REGISTRY_OLD_CSV := $(REGISTRY_DIR)/persons-$(BENCH_PERSONS)-pre2025.csv
REGISTRY_GEN_URL := sqlite:///$(CURDIR)/$(REGISTRY_DIR)/generate.sqlite3
BENCH_CLEANSING := $(PY) bench/cleansing_match.py
BENCH_CLEANSING_ROWS ?= $(BENCH_PERSONS)
CLEANSING_DIR := $(BENCH_OUT)/cleansing
CLEANSING_GEOGRAPHY := $(CLEANSING_DIR)/geography.pickle
CLEANSING_PREP_URL := sqlite:///$(CURDIR)/$(CLEANSING_DIR)/prepare.sqlite3
CLEANSING_ARGS = --persons $(BENCH_PERSONS) --rows $(BENCH_CLEANSING_ROWS) --seed $(BENCH_SEED)
BENCH_SPLINK := $(PY) bench/cleansing_splink.py
BENCH_FILES := $(PY) bench/cleansing_files.py
BENCH_FILES_ROWS ?= 100000 1000000
FILES_UNITS_DB := $(CLEANSING_DIR)/files-units.sqlite3
FILES_UNITS_URL := sqlite:///$(CURDIR)/$(FILES_UNITS_DB)

SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c

.PHONY: bench bench-sqlite bench-postgres bench-command bench-registry-sqlite bench-registry-postgres bench-cleansing \
	bench-cleansing-splink bench-cleansing-files bench-monitoring bench-monitoring-postgres

bench: bench-sqlite bench-postgres bench-registry-sqlite bench-registry-postgres bench-cleansing bench-monitoring \
	bench-monitoring-postgres

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

# The demo province as bin/serve loads it, `demo_activity` timed in its own process, then the pages and commands.
define monitoring_runs
	$(MONITORING_ENV) DATABASE_URL=$(1) $(PY) -m dean06 migrate -v0
	$(MONITORING_ENV) DATABASE_URL=$(1) $(PY) -m dean06 units load
	$(MONITORING_ENV) DATABASE_URL=$(1) $(PY) -m dean06 procedures load
	$(MONITORING_ENV) DATABASE_URL=$(1) $(PY) -m dean06 plans load
	$(MONITORING_ENV) DATABASE_URL=$(1) $(PY) -m dean06 demo --persons $(BENCH_MONITORING_PERSONS) --seed $(BENCH_SEED)
	$(MONITORING_ENV) DATABASE_URL=$(1) $(BENCH_MONITORING) --activity --seed $(BENCH_SEED) | tee -a $(BENCH_OUT)/results.txt
	$(MONITORING_ENV) DATABASE_URL=$(1) $(BENCH_MONITORING) | tee -a $(BENCH_OUT)/results.txt
endef

bench-monitoring:
	mkdir -p $(BENCH_OUT)
	rm -f $(MONITORING_SQLITE)
	$(call monitoring_runs,sqlite:///$(MONITORING_SQLITE))
	rm -f $(MONITORING_SQLITE)

bench-monitoring-postgres:
	mkdir -p $(BENCH_OUT)
	dropdb --if-exists -h $(PG_HOST) -U $(PG_USER) $(MONITORING_PG_DB)
	createdb -h $(PG_HOST) -U $(PG_USER) $(MONITORING_PG_DB)
	$(call monitoring_runs,postgres://$(PG_USER)@$(PG_HOST):5432/$(MONITORING_PG_DB))
	dropdb -h $(PG_HOST) -U $(PG_USER) $(MONITORING_PG_DB)

bench-command:
	mkdir -p $(BENCH_OUT)
	rm -f $(SQLITE_FILE)
	DATABASE_URL=$(SQLITE_URL) $(PY) -m dean06 migrate -v0
	time DATABASE_URL=$(SQLITE_URL) $(PY) -m dean06 demo
	rm -f $(SQLITE_FILE)

# The CSV files for `registry load`, generated once per BENCH_PERSONS and BENCH_SEED (the generator needs the units).
$(REGISTRY_CSV):
	mkdir -p $(REGISTRY_DIR)
	rm -f $(REGISTRY_DIR)/generate.sqlite3
	DATABASE_URL=$(REGISTRY_GEN_URL) $(PY) -m dean06 migrate -v0
	DATABASE_URL=$(REGISTRY_GEN_URL) $(BENCH_REGISTRY) --prepare
	DATABASE_URL=$(REGISTRY_GEN_URL) $(BENCH_REGISTRY) --generate $(REGISTRY_DIR) --persons $(BENCH_PERSONS) --seed $(BENCH_SEED)
	rm -f $(REGISTRY_DIR)/generate.sqlite3

# Three timed runs, each in its own process: new rows, the same file again (idempotent), the pre-2025 file.
define registry_runs
	DATABASE_URL=$(1) $(BENCH_REGISTRY) --load $(REGISTRY_CSV) | tee -a $(BENCH_OUT)/results.txt
	DATABASE_URL=$(1) $(BENCH_REGISTRY) --load $(REGISTRY_CSV) | tee -a $(BENCH_OUT)/results.txt
	DATABASE_URL=$(1) $(BENCH_REGISTRY) --load $(REGISTRY_OLD_CSV) --unit-era pre2025 | tee -a $(BENCH_OUT)/results.txt
endef

bench-registry-sqlite: $(REGISTRY_CSV)
	rm -f $(SQLITE_FILE)
	DATABASE_URL=$(SQLITE_URL) $(PY) -m dean06 migrate -v0
	DATABASE_URL=$(SQLITE_URL) $(BENCH_REGISTRY) --prepare
	$(call registry_runs,$(SQLITE_URL))
	rm -f $(SQLITE_FILE) $(REGISTRY_DIR)/*.rejects.csv

bench-registry-postgres: $(REGISTRY_CSV)
	dropdb --if-exists -h $(PG_HOST) -U $(PG_USER) $(BENCH_PG_DB)
	createdb -h $(PG_HOST) -U $(PG_USER) $(BENCH_PG_DB)
	DATABASE_URL=$(PG_URL) $(PY) -m dean06 migrate -v0
	DATABASE_URL=$(PG_URL) $(BENCH_REGISTRY) --prepare
	$(call registry_runs,$(PG_URL))
	dropdb -h $(PG_HOST) -U $(PG_USER) $(BENCH_PG_DB)
	rm -f $(REGISTRY_DIR)/*.rejects.csv

# The cleansing matcher needs no database: the geography (units and their successions) is read once from a
# throwaway SQLite file and cached; the registry, sector and truth Parquet files are built once per size and seed
# in their own process (so their memory is not counted), then `match` + `classify` are timed. Splink 5 then links
# the same files in a process of its own (bench/cleansing_splink.py), so each peak RSS is its tool's alone.
$(CLEANSING_GEOGRAPHY):
	mkdir -p $(CLEANSING_DIR)
	rm -f $(CLEANSING_DIR)/prepare.sqlite3
	DATABASE_URL=$(CLEANSING_PREP_URL) $(PY) -m dean06 migrate -v0
	DATABASE_URL=$(CLEANSING_PREP_URL) $(BENCH_CLEANSING) --prepare
	rm -f $(CLEANSING_DIR)/prepare.sqlite3

bench-cleansing: $(CLEANSING_GEOGRAPHY)
	$(BENCH_CLEANSING) --build $(CLEANSING_ARGS)
	$(BENCH_CLEANSING) $(CLEANSING_ARGS) | tee -a $(BENCH_OUT)/results.txt
	$(BENCH_SPLINK) $(CLEANSING_ARGS) | tee -a $(BENCH_OUT)/results.txt

bench-cleansing-splink: $(CLEANSING_GEOGRAPHY)
	$(BENCH_CLEANSING) --build $(CLEANSING_ARGS)
	$(BENCH_SPLINK) $(CLEANSING_ARGS) | tee -a $(BENCH_OUT)/results.txt

# The whole file pipeline (read, normalise, resolve communes, match + classify) on a welfare XLSX and an insurance
# CSV typed with office errors (dean06/demo/sector_files.py), scored against their truth. The address resolver needs
# the units in a database: a SQLite file kept in bench/out/cleansing/. The registry is bench-cleansing's Parquet;
# files and truths are built once per size in their own process, then each list runs in its own process.
$(FILES_UNITS_DB):
	mkdir -p $(CLEANSING_DIR)
	DATABASE_URL=$(FILES_UNITS_URL) $(PY) -m dean06 migrate -v0
	DATABASE_URL=$(FILES_UNITS_URL) $(BENCH_FILES) --prepare

bench-cleansing-files: $(FILES_UNITS_DB)
	for rows in $(BENCH_FILES_ROWS); do \
	  $(BENCH_FILES) --build --persons $(BENCH_PERSONS) --rows $$rows --seed $(BENCH_SEED); \
	  for kind in welfare insurance; do \
	    DATABASE_URL=$(FILES_UNITS_URL) $(BENCH_FILES) --kind $$kind --persons $(BENCH_PERSONS) --rows $$rows \
	      --seed $(BENCH_SEED) | tee -a $(BENCH_OUT)/results.txt; \
	  done; \
	done

# Translations (ADR-0004): Vietnamese msgids, English in dean06/locale/en. Needs GNU gettext (msgfmt).
.PHONY: messages
messages:
	$(PY) -m dean06 makemessages -l en --no-obsolete --ignore=.venv --ignore=var --ignore=bench
	$(PY) -m dean06 compilemessages -l en --ignore=.venv
