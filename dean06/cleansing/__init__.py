"""Sector-data cleansing: import messy sector lists (Excel/CSV, legacy Vietnamese encodings), normalise, match
against the population registry and classify every row (đúng, đủ, sạch, sống). The batch core in `pipeline/`
is pure Polars/DuckDB (no Django); services run it as background jobs and write results back."""
