"""Shared test infrastructure: factories, scoping test declarations. Never imported by runtime code."""
