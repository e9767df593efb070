"""Shared kernel: users, roles granted over administrative units, the single scoping function, and the
hash-chained audit log. Imports no domain app; refers to registry models by string only."""
