from __future__ import annotations

import pytest

from config.env import Var, database_from_url


def test_typed_values(monkeypatch: pytest.MonkeyPatch) -> None:
    flag, number = Var("DEAN06_T_FLAG", False, ""), Var("DEAN06_T_NUM", 3, "")
    assert flag.value is False and number.value == 3
    monkeypatch.setenv("DEAN06_T_FLAG", "yes")
    monkeypatch.setenv("DEAN06_T_NUM", "12")
    assert flag.value is True and number.value == 12
    monkeypatch.setenv("DEAN06_T_FLAG", "maybe")
    with pytest.raises(ValueError, match="DEAN06_T_FLAG"):
        _ = flag.value


def test_database_urls() -> None:
    pg = database_from_url("postgres://postgres@127.0.0.1:5432/dean06_ci")
    assert pg["ENGINE"] == "django.db.backends.postgresql" and pg["NAME"] == "dean06_ci" and pg["PORT"] == "5432"
    assert database_from_url("sqlite:////tmp/x.sqlite3")["NAME"] == "/tmp/x.sqlite3"  # noqa: S108
    with pytest.raises(ValueError, match="mysql"):
        database_from_url("mysql://x@y/z")


def test_every_variable_is_documented() -> None:
    from config.env import BASE_DIR, CATALOGUE

    operations = (BASE_DIR / "docs" / "operations.md").read_text(encoding="utf-8")
    assert [var.name for var in CATALOGUE if f"`{var.name}`" not in operations] == []
