"""Reference data: administrative units of both eras (2025 two-tier and pre-2025 three-tier) with the
official old→new mapping, organisations, and the local mirror of the national population database
(persons and households)."""
