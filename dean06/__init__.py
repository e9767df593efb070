"""dean06: a provincial platform for Đề án 06 (population data, e-ID and public services)."""
