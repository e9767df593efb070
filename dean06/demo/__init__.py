"""The demo province: a deterministic synthetic population of the new Vĩnh Long province, its agencies and
one demo account per role. Top layer: it may use every domain; nothing imports it."""
