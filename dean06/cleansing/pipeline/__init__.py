"""The pure batch core: files in, files out. Imports Polars, DuckDB, rapidfuzz, `dean06.text` and the pure ID
rules only — never Django (import-linter contract). Column names and types are fixed in `schema.py`."""
