"""The cleansing pages end to end: upload → job (immediate backend) → results → review → audited decision."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from dean06.cleansing.models import CleansingRun, RowVerdict
from dean06.cleansing.tests.test_scoping import verdict_for
from dean06.core.models import AuditEvent, User
from dean06.core.roles import Role
from dean06.testing import factories
from dean06.testing.auth import login

pytestmark = pytest.mark.django_db

HEADER = "STT,Họ và tên,Ngày sinh,Số CCCD,Giới tính,Địa chỉ\n"
ADDRESS = "Ấp Phú Hòa, Phường Long Đức, Tỉnh Vĩnh Long"


@pytest.fixture
def officer() -> User:
    return factories.user_with_role(Role.COMMUNE_POLICE, factories.LONG_DUC)


def _upload(
    client: Client, body: str, capture: Callable[..., Any], *, name: str = "ds.csv", header: str = HEADER
) -> CleansingRun:
    unit = factories.unit(factories.LONG_DUC)
    upload = SimpleUploadedFile(name, (header + body).encode(), content_type="text/csv")
    with capture(execute=True):
        response = client.post(reverse("cleansing:run_list"), {"file": upload, "sector": "welfare", "unit": unit.pk})
    assert response.status_code == 302
    run = CleansingRun.objects.get()
    assert response["Location"] == reverse("cleansing:run_detail", args=[run.pk])
    return run


def test_an_uploaded_file_is_cleansed_and_its_results_shown(
    officer: User, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    an = factories.person(full_name="Nguyễn Văn An", date_of_birth=date(1985, 5, 15), gender="Nam")
    client = login(Client(), officer)
    run = _upload(
        client,
        f'1,Nguyễn Văn An,15/05/1985,{an.personal_id},Nam,"{ADDRESS}"\n'
        f'2,Nguyen Van An,15/05/1985,{an.personal_id},Nam,"{ADDRESS}"\n'
        f'3,Lê Không Có,01/01/1970,086070999999,Nam,"{ADDRESS}"\n',
        django_capture_on_commit_callbacks,
    )
    run.refresh_from_db()
    assert run.status == CleansingRun.Status.DONE and run.rows == 3
    assert run.unit.code == factories.LONG_DUC and run.created_by == officer
    assert Path(run.file.path).is_file() and str(run.file.name).startswith("cleansing/")
    verdicts = list(RowVerdict.objects.filter(run=run).order_by("row"))
    assert [v.row_class for v in verdicts] == ["exact", "duplicate", "not_found"]
    assert verdicts[0].raw["full_name"] == "Nguyễn Văn An" and verdicts[0].commune_id == an.commune_id

    page = client.get(reverse("cleansing:run_detail", args=[run.pk])).content.decode()
    for label in ("Đúng", "Cần sửa", "Đã chết", "Không tìm thấy", "Trùng lặp", "Cần xác định"):
        assert label in page
    assert "Lê Không Có" in page and "086070999999" in page
    only = client.get(reverse("cleansing:run_detail", args=[run.pk]), {"row_class": "not_found"}).content.decode()
    assert "Lê Không Có" in only and "Nguyen Van An" not in only
    assert AuditEvent.objects.filter(action="cleansing.list", object_id=str(run.pk)).count() == 2
    assert AuditEvent.objects.filter(action="cleansing.upload").count() == 1
    assert AuditEvent.objects.filter(action="cleansing.run").count() == 1

    listing = client.get(reverse("cleansing:run_list")).content.decode()
    assert "ds.csv" in listing and "Nguyễn Văn An" not in listing
    status = client.get(reverse("cleansing:run_status", args=[run.pk])).content.decode()
    assert "hx-trigger" not in status and reverse("cleansing:run_detail", args=[run.pk]) in status


def test_an_unreadable_file_fails_the_run_with_its_reason(
    officer: User, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    client = login(Client(), officer)
    upload = SimpleUploadedFile("trong.csv", b"", content_type="text/csv")
    unit = factories.unit(factories.LONG_DUC)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("cleansing:run_list"), {"file": upload, "sector": "other", "unit": unit.pk})
    # An empty upload is refused by the form; a file without a header reaches the pipeline and fails there.
    assert response.status_code == 400
    run = _upload(client, "1,2,3\n4,5,6\n", django_capture_on_commit_callbacks, name="so.csv", header="a,b,c\n")
    run.refresh_from_db()
    assert run.status == CleansingRun.Status.FAILED and run.error and run.finished_at
    assert escape(run.error) in client.get(reverse("cleansing:run_detail", args=[run.pk])).content.decode()
    assert not RowVerdict.objects.filter(run=run).exists()


def test_a_queued_run_polls_its_status(officer: User) -> None:
    person = factories.person()
    run = verdict_for(person).run
    CleansingRun.objects.filter(pk=run.pk).update(status=CleansingRun.Status.QUEUED)
    client = login(Client(), officer)
    status = client.get(reverse("cleansing:run_status", args=[run.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in status and "<progress" in status


def test_a_review_decision_is_recorded_and_audited(officer: User) -> None:
    person = factories.person(full_name="Thạch Thị Sa Rây")
    verdict = verdict_for(person)
    client = login(Client(), officer)
    queue = client.get(reverse("cleansing:review", args=[verdict.run_id])).content.decode()
    assert "Thạch Thị Sa Rây" in queue and "01/01/1985" in queue and "15/05/1985" in queue
    assert f'value="{person.personal_id}"' in queue

    response = client.post(
        reverse("cleansing:decide", args=[verdict.pk]), {"decision": person.personal_id}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "<html" not in response.content.decode() and person.personal_id in response.content.decode()
    verdict.refresh_from_db()
    assert verdict.decision == person.personal_id and verdict.decided_by == officer and verdict.decided_at
    event = AuditEvent.objects.get(action="cleansing.decide")
    assert event.object_id == str(verdict.pk) and event.actor_id == officer.pk
    assert event.details["decision"] == person.personal_id and event.purpose == "data_cleansing"
    # Decided rows leave the queue.
    assert "Thạch Thị Sa Rây" not in client.get(reverse("cleansing:review", args=[verdict.run_id])).content.decode()


def test_a_decision_for_a_person_outside_the_officers_units_is_refused(officer: User) -> None:
    verdict = verdict_for(factories.person())
    elsewhere = factories.person(commune_code=factories.TRA_VINH)
    client = login(Client(), officer)
    response = client.post(reverse("cleansing:decide", args=[verdict.pk]), {"decision": elsewhere.personal_id})
    assert response.status_code == 200 and "alert" in response.content.decode()
    verdict.refresh_from_db()
    assert verdict.decision == "" and not AuditEvent.objects.filter(action="cleansing.decide").exists()


def test_an_officer_of_another_commune_sees_neither_the_run_nor_its_rows() -> None:
    person = factories.person(full_name="Thạch Thị Sa Rây")
    verdict = verdict_for(person)
    client = login(Client(), factories.user_with_role(Role.COMMUNE_POLICE, factories.TRA_VINH))
    for url in (
        reverse("cleansing:run_detail", args=[verdict.run_id]),
        reverse("cleansing:run_status", args=[verdict.run_id]),
        reverse("cleansing:review", args=[verdict.run_id]),
    ):
        response = client.get(url)
        assert response.status_code == 404 and person.full_name not in response.content.decode()
    assert client.post(reverse("cleansing:decide", args=[verdict.pk]), {"decision": "not_found"}).status_code == 404
    listing = client.get(reverse("cleansing:run_list")).content.decode()
    assert "danh-sach.csv" not in listing
    verdict.refresh_from_db()
    assert verdict.decision == ""


def test_a_run_cannot_be_filed_under_a_unit_outside_the_officers_own(officer: User) -> None:
    client = login(Client(), officer)
    upload = SimpleUploadedFile("ds.csv", HEADER.encode(), content_type="text/csv")
    other = factories.unit(factories.TRA_VINH)
    response = client.post(reverse("cleansing:run_list"), {"file": upload, "sector": "welfare", "unit": other.pk})
    assert response.status_code == 400 and not CleansingRun.objects.exists()
