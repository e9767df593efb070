"""Petitions (phản ánh, kiến nghị): submitted by a citizen to their commune, province or a dossier's unit, due in
working days across Tết, answered once by an officer of that unit, rated by the submitter; the pages; the Decision
766 figures."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks, Settings

from dean06.core.errors import ApplicationError, NotFoundError, PermissionDeniedError
from dean06.core.models import AuditEvent, User
from dean06.core.roles import Role
from dean06.public_services.choices import PetitionKind
from dean06.public_services.models import Petition
from dean06.public_services.selectors import (
    petition_figures,
    petition_figures_of,
    petition_list,
    petition_list_own,
)
from dean06.public_services.services.petitions import (
    PETITION_ANSWER_WORKING_DAYS,
    PetitionConflictError,
    petition_answer,
    petition_is_late,
    petition_rate,
    petition_submit,
)
from dean06.public_services.tests import factories as ps
from dean06.testing import factories
from dean06.testing.auth import login, login_citizen

pytestmark = pytest.mark.django_db

# Friday 13 February 2026, the last working day before the Tết break (16–20 February).
BEFORE_TET = datetime(2026, 2, 13, 3, 0, tzinfo=UTC)  # 10:00 in Vietnam
BEFORE_TET_EVENING = datetime(2026, 2, 13, 10, 30, tzinfo=UTC)  # 17:30, after office hours


@pytest.fixture
def citizen() -> User:
    return ps.citizen(factories.person(full_name="Lâm Thị Thu", phone="0912345678"))


@pytest.fixture
def officer() -> User:
    return factories.user_with_role(Role.ONE_STOP_OFFICER, factories.LONG_DUC)


@pytest.fixture
def outbox(settings: Settings, tmp_path: Path) -> Path:
    settings.NOTIFICATIONS_BACKEND = "file"
    settings.NOTIFICATIONS_FILE = str(tmp_path / "notifications.jsonl")
    return Path(settings.NOTIFICATIONS_FILE)


def _submit(citizen: User, **overrides: object) -> Petition:
    values: dict[str, object] = {
        "kind": PetitionKind.RULES,
        "subject": "Thủ tục đăng ký tạm trú yêu cầu giấy tờ không cần thiết",
        "body": "Xã yêu cầu nộp bản sao sổ hộ khẩu dù đã bãi bỏ.",
    }
    return petition_submit(actor=citizen, **values | overrides)  # type: ignore[arg-type]


def _sent(outbox: Path) -> list[dict[str, str]]:
    return [json.loads(line) for line in outbox.read_text(encoding="utf-8").splitlines()] if outbox.exists() else []


# --- submitting ------------------------------------------------------------------------------------------------------


def test_the_time_limit_is_ten_working_days_and_skips_tet(citizen: User, monkeypatch: pytest.MonkeyPatch) -> None:
    assert PETITION_ANSWER_WORKING_DAYS == 10  # Law on Citizen Reception 2013, Art. 28(1)
    monkeypatch.setattr(timezone, "now", lambda: BEFORE_TET)
    petition = _submit(citizen)
    assert petition.due_on == date(2026, 3, 6)  # 23 Feb – 6 Mar: the Tết week does not count
    assert re.fullmatch(r"PA-29263-260213-0001", petition.code)
    assert petition.unit.code == factories.LONG_DUC and petition.dossier is None
    assert _submit(citizen).code == "PA-29263-260213-0002"


def test_after_office_hours_the_time_limit_starts_on_the_next_working_day(
    citizen: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(timezone, "now", lambda: BEFORE_TET_EVENING)
    assert _submit(citizen).due_on == date(2026, 3, 9)


def test_a_petition_about_a_dossier_goes_to_the_unit_handling_it(citizen: User) -> None:
    assert citizen.person is not None
    dossier = ps.dossier(applicant=citizen.person)
    petition = _submit(citizen, kind=PetitionKind.STAFF, dossier_id=dossier.pk)
    assert petition.dossier == dossier and petition.unit == dossier.unit
    with pytest.raises(NotFoundError):  # someone else's dossier looks like no dossier
        _submit(citizen, dossier_id=ps.dossier().pk)


def test_a_citizen_petitions_their_commune_or_province_only(citizen: User) -> None:
    province = factories.unit(factories.PROVINCE)
    assert _submit(citizen, unit=province).code.startswith("PA-86-")
    with pytest.raises(ApplicationError):
        _submit(citizen, unit=factories.unit(factories.TRA_VINH))


@pytest.mark.parametrize(
    ("field", "value"), [("kind", "other"), ("subject", "  "), ("body", ""), ("subject", "x" * 201)]
)
def test_invalid_petitions_are_refused(citizen: User, field: str, value: str) -> None:
    with pytest.raises(ApplicationError):
        _submit(citizen, **{field: value})
    assert not Petition.objects.exists()


def test_only_citizens_submit(officer: User) -> None:
    with pytest.raises(PermissionDeniedError):
        _submit(officer)


def test_submission_is_audited_and_acknowledged(
    citizen: User, outbox: Path, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        petition = _submit(citizen)
    assert AuditEvent.objects.filter(action="petition.submit", object_id=str(petition.pk)).count() == 1
    [sent] = _sent(outbox)
    assert sent["to_phone"] == "0912345678" and petition.code in sent["body"] and "Hạn trả lời" in sent["body"]


# --- answering and rating --------------------------------------------------------------------------------------------


def test_an_officer_of_the_unit_answers_and_the_citizen_is_told(
    citizen: User,
    officer: User,
    outbox: Path,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    petition = _submit(citizen)
    with django_capture_on_commit_callbacks(execute=True):
        answered = petition_answer(actor=officer, petition_id=petition.pk, answer="Đã chấn chỉnh bộ phận một cửa.")
    petition.refresh_from_db()
    assert petition.answered_by == officer and petition.answered_at and answered.answer == petition.answer
    assert not petition_is_late(petition)
    event = AuditEvent.objects.get(action="petition.answer")
    assert event.details["on_time"] is True
    assert "đã được trả lời: Đã chấn chỉnh" in _sent(outbox)[-1]["body"]


def test_answering_is_for_the_receiving_unit_once(citizen: User, officer: User) -> None:
    petition = _submit(citizen)
    with pytest.raises(NotFoundError):
        petition_answer(
            actor=factories.user_with_role(Role.ONE_STOP_OFFICER, factories.TRA_VINH),
            petition_id=petition.pk,
            answer="x",
        )
    with pytest.raises(PermissionDeniedError):
        petition_answer(
            actor=factories.user_with_role(Role.CLINIC_RECEPTIONIST, factories.LONG_DUC),
            petition_id=petition.pk,
            answer="x",
        )
    with pytest.raises(ApplicationError):
        petition_answer(actor=officer, petition_id=petition.pk, answer="  ")
    petition_answer(actor=officer, petition_id=petition.pk, answer="Lần một")
    with pytest.raises(PetitionConflictError):  # a second officer's answer does not overwrite the first
        petition_answer(actor=officer, petition_id=petition.pk, answer="Lần hai")
    petition.refresh_from_db()
    assert petition.answer == "Lần một"


def test_the_submitter_rates_the_answer(citizen: User, officer: User) -> None:
    petition = _submit(citizen)
    with pytest.raises(ApplicationError):
        petition_rate(actor=citizen, petition_id=petition.pk, satisfaction=5)  # nothing to rate yet
    petition_answer(actor=officer, petition_id=petition.pk, answer="Đã sửa quy trình.")
    with pytest.raises(ApplicationError):
        petition_rate(actor=citizen, petition_id=petition.pk, satisfaction=6)
    with pytest.raises(NotFoundError):
        petition_rate(actor=ps.citizen(), petition_id=petition.pk, satisfaction=1)
    assert petition_rate(actor=citizen, petition_id=petition.pk, satisfaction=4).satisfaction == 4
    assert AuditEvent.objects.filter(action="petition.rate").count() == 1


# --- reading and figures ---------------------------------------------------------------------------------------------


def test_lists_own_for_citizens_and_late_first_for_officers(citizen: User, officer: User) -> None:
    on_time, answered, late = _submit(citizen), _submit(citizen), _submit(citizen)
    Petition.objects.filter(pk=late.pk).update(due_on=date(2020, 1, 2))
    petition_answer(actor=officer, petition_id=answered.pk, answer="Đã trả lời.")
    other_citizen = ps.citizen(factories.person(factories.TRA_VINH))
    _submit(other_citizen)
    assert set(petition_list_own(actor=citizen)) == {on_time, answered, late}
    assert list(petition_list(actor=officer)) == [late, on_time, answered]
    assert list(petition_list(actor=officer, open_only=True)) == [late, on_time]
    assert list(petition_list_own(actor=officer)) == []


def test_figures_count_answers_on_time_and_satisfaction() -> None:
    due = date(2026, 3, 6)
    local_noon = datetime(2026, 3, 6, 5, 0, tzinfo=UTC)
    rows = [
        (due, local_noon, 5),  # on time, very satisfied
        (due, datetime(2026, 3, 9, 5, 0, tzinfo=UTC), 2),  # answered late, unhappy
        (due, None, None),  # open, past due on 10 March
        (date(2026, 3, 20), None, None),  # open, not yet due
    ]
    figures = petition_figures_of(rows, date(2026, 3, 10))
    assert (figures.total, figures.answered, figures.answered_on_time, figures.open, figures.open_late) == (
        4,
        2,
        1,
        2,
        1,
    )
    assert figures.on_time_percent == 25.0 and figures.satisfied_percent == 50.0
    assert figures.satisfaction_average == 3.5
    empty = petition_figures_of([], date(2026, 3, 10))
    assert empty.on_time_percent is None and empty.satisfaction_average is None


def test_figures_of_a_queryset(citizen: User, officer: User) -> None:
    petition = _submit(citizen)
    _submit(citizen)
    petition_answer(actor=officer, petition_id=petition.pk, answer="Đã trả lời.")
    petition_rate(actor=citizen, petition_id=petition.pk, satisfaction=5)
    figures = petition_figures(petition_list(actor=officer))
    assert (figures.total, figures.answered_on_time, figures.satisfied) == (2, 1, 1)


# --- the pages -------------------------------------------------------------------------------------------------------


def test_the_pages_from_writing_to_rating(citizen: User, officer: User, outbox: Path) -> None:
    client = login_citizen(Client(), citizen)
    page = client.get(reverse("public_services:petition_new"))
    assert page.status_code == 200 and "10 ngày làm việc" in page.content.decode()
    assert citizen.person is not None
    data = {
        "kind": PetitionKind.STAFF,
        "unit": citizen.person.commune_id,
        "dossier": "",
        "subject": "Cán bộ hẹn lại nhiều lần",
        "body": "Tôi đến ba lần vẫn chưa được tiếp nhận.",
    }
    response = client.post(reverse("public_services:petition_new"), data)
    petition = Petition.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("public_services:petition_detail", args=[petition.pk])
    mine = client.get(reverse("public_services:my_petitions")).content.decode()
    assert petition.code in mine and "Đang xử lý" in mine

    staff = login(Client(), officer)
    queue = staff.get(reverse("public_services:petition_queue")).content.decode()
    assert petition.code in queue and "Lâm Thị Thu" in queue and "Quyết định 766" in queue
    detail = staff.get(reverse("public_services:petition_detail", args=[petition.pk])).content.decode()
    assert "Trả lời phản ánh" in detail
    answer = {"answer": "Đã nhắc nhở cán bộ."}
    assert staff.post(reverse("public_services:petition_answer", args=[petition.pk]), answer).status_code == 302

    page_after = client.get(reverse("public_services:petition_detail", args=[petition.pk])).content.decode()
    assert "Đã nhắc nhở cán bộ." in page_after and "Đánh giá trả lời" in page_after
    rated = client.post(reverse("public_services:petition_rate", args=[petition.pk]), {"satisfaction": 5})
    assert rated.status_code == 302
    petition.refresh_from_db()
    assert petition.satisfaction == 5


def test_the_form_refuses_a_unit_that_is_not_offered(citizen: User) -> None:
    client = login_citizen(Client(), citizen)
    data = {"kind": PetitionKind.RULES, "unit": factories.unit(factories.TRA_VINH).pk, "subject": "a", "body": "b"}
    assert client.post(reverse("public_services:petition_new"), data).status_code == 400
    assert not Petition.objects.exists()


def test_staff_cannot_open_the_form_and_citizens_cannot_answer(citizen: User, officer: User) -> None:
    assert login(Client(), officer).get(reverse("public_services:petition_new")).status_code == 403
    petition = _submit(citizen)
    client = login_citizen(Client(), citizen)
    url = reverse("public_services:petition_answer", args=[petition.pk])
    assert client.post(url, {"answer": "Tự trả lời"}).status_code == 403
    other = login(Client(), factories.user_with_role(Role.ONE_STOP_OFFICER, factories.TRA_VINH))
    assert other.post(url, {"answer": "x"}).status_code == 404
    assert other.get(reverse("public_services:petition_detail", args=[petition.pk])).status_code == 404
