from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection

from dean06.core.audit import audit_record, audit_verify
from dean06.core.models import AuditEvent
from dean06.testing import factories

pytestmark = pytest.mark.django_db


def _tamper(sql: str, params: list[str | int]) -> None:
    """Edit the log behind the application's back, as an intruder with database access would."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_append_only")
        cursor.execute(sql, params)


def test_clean_chain_verifies() -> None:
    actor = factories.user_with_role()
    for i in range(5):
        audit_record(
            actor=actor, action="person.read", object_type="registry.person", object_id=str(i), purpose="xác minh"
        )
    report = audit_verify()
    assert report.ok and report.checked == 5


def test_edited_entry_is_named() -> None:
    for i in range(4):
        audit_record(actor=None, action="person.read", object_id=str(i), details={"ghi chú": "Hòa"})
    third = AuditEvent.objects.get(seq=3)
    _tamper("UPDATE core_auditevent SET purpose = %s WHERE id = %s", ["sửa lén", third.pk])
    report = audit_verify()
    assert not report.ok and report.first_broken_seq == 3 and report.checked == 2


def test_deleted_entry_is_named() -> None:
    for i in range(4):
        audit_record(actor=None, action="person.read", object_id=str(i))
    _tamper("DELETE FROM core_auditevent WHERE seq = %s", [2])
    report = audit_verify()
    assert not report.ok and report.first_broken_seq == 2


def test_truncated_tail_is_detected() -> None:
    for i in range(3):
        audit_record(actor=None, action="person.read", object_id=str(i))
    _tamper("DELETE FROM core_auditevent WHERE seq = %s", [3])
    report = audit_verify()
    assert not report.ok and report.first_broken_seq == 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the database trigger exists on PostgreSQL only")
def test_postgresql_refuses_updates() -> None:
    from django.db import DatabaseError, transaction

    audit_record(actor=None, action="person.read", object_id="1")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(seq=1).update(purpose="x")


def test_cli_reports_first_broken_entry(capsys: pytest.CaptureFixture[str]) -> None:
    for i in range(3):
        audit_record(actor=None, action="person.read", object_id=str(i))
    call_command("audit", "verify")
    assert "3" in capsys.readouterr().out
    _tamper("UPDATE core_auditevent SET action = %s WHERE seq = %s", ["person.delete", 2])
    with pytest.raises(SystemExit) as exit_info:
        call_command("audit", "verify")
    assert exit_info.value.code == 1
    assert "#2" in capsys.readouterr().out
