"""The drill-down of the Decision 766 figures: the dossiers behind a numerator or denominator, the unit check of the
766 page, an unknown indicator, the XLSX export (audited), and the links on the 766 page."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from dean06.core.models import AuditEvent
from dean06.core.roles import Role
from dean06.monitoring.tests.helpers import at, staff_client
from dean06.public_services.choices import DossierStatus
from dean06.public_services.models import Dossier
from dean06.public_services.tests import factories as ps
from dean06.testing import factories
from dean06.testing.factories import LONG_DUC, PROVINCE, TRA_VINH
from dean06.testing.http import XLSX_TYPE, body_of

pytestmark = pytest.mark.django_db

URL = reverse("monitoring:index766_detail")
OCTOBER = {"unit": LONG_DUC, "period_type": "month", "period": "2026-10"}


def _dossier(finished: date, **fields: Any) -> Dossier:
    return ps.dossier(
        received_at=at(date(2026, 10, 1)),
        due_on=date(2026, 10, 10),
        finished_at=at(finished),
        status=DossierStatus.RETURNED,
        **fields,
    )


@pytest.fixture
def dossiers() -> dict[str, Dossier]:
    """Long Đức, October 2026: one finished on time, one late; Trà Vinh: one on time."""
    procedure = ps.procedure()
    return {
        "on_time": _dossier(date(2026, 10, 5), procedure=procedure, electronic_result=True),
        "late": _dossier(date(2026, 10, 15), procedure=procedure),
        "tra_vinh": _dossier(date(2026, 10, 3), procedure=procedure, applicant=factories.person(TRA_VINH)),
    }


def _codes(response: Any) -> list[str]:
    return [row[1][0] for row in response.context["drill"].rows]


def test_the_on_time_numerator_lists_the_on_time_dossiers_and_the_denominator_all(
    dossiers: dict[str, Dossier],
) -> None:
    client = staff_client()
    response = client.get(URL, OCTOBER | {"indicator": "DOSSIER_ON_TIME", "part": "numerator"})
    assert response.status_code == 200
    assert _codes(response) == [dossiers["on_time"].code]
    page = response.content.decode()
    assert reverse("public_services:dossier_detail", args=[dossiers["on_time"].pk]) in page
    assert dossiers["on_time"].procedure.name in page and "05/10/2026" in page and "10/10/2026" in page
    assert dossiers["on_time"].applicant.full_name not in page  # no applicant

    response = client.get(URL, OCTOBER | {"indicator": "DOSSIER_ON_TIME", "part": "denominator"})
    assert sorted(_codes(response)) == sorted([dossiers["on_time"].code, dossiers["late"].code])
    on_time = {row[1][0]: row[1][6] for row in response.context["drill"].rows}
    assert on_time == {dossiers["on_time"].code: "Có", dossiers["late"].code: "Không"}

    province = OCTOBER | {"unit": PROVINCE, "indicator": "DOSSIER_ON_TIME", "part": "denominator"}
    assert len(_codes(client.get(URL, province))) == 3


def test_procedures_are_listed_by_code(dossiers: dict[str, Dossier]) -> None:
    response = staff_client().get(URL, OCTOBER | {"indicator": "PUBLISH_ON_TIME", "part": "denominator"})
    assert response.status_code == 200
    assert dossiers["late"].procedure.code in _codes(response)


def test_a_commune_officer_cannot_ask_for_another_commune(dossiers: dict[str, Dossier]) -> None:
    client = staff_client(Role.DEPARTMENT_OFFICER, LONG_DUC)
    response = client.get(URL, OCTOBER | {"unit": TRA_VINH, "indicator": "DOSSIER_ON_TIME", "part": "denominator"})
    assert response.status_code == 400
    assert "unit" in response.context["form"].errors
    page = response.content.decode()
    assert all(d.code not in page for d in dossiers.values())

    own = client.get(URL, OCTOBER | {"indicator": "DOSSIER_ON_TIME", "part": "denominator"})
    assert own.status_code == 200 and dossiers["tra_vinh"].code not in own.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"indicator": "NO_SUCH_INDICATOR", "part": "numerator"},
        {"indicator": "DOSSIER_SYNC", "part": "numerator"},  # not captured: nothing behind it
    ],
)
def test_an_unknown_indicator_is_a_vietnamese_400(query: dict[str, str]) -> None:
    response = staff_client().get(URL, OCTOBER | query)
    assert response.status_code == 400
    assert "Không có chỉ tiêu này" in response.content.decode()


def test_a_bad_part_or_period_is_a_form_error() -> None:
    client = staff_client()
    assert client.get(URL, OCTOBER | {"indicator": "DOSSIER_ON_TIME", "part": "both"}).status_code == 400
    bad = OCTOBER | {"period": "2026-13", "indicator": "DOSSIER_ON_TIME", "part": "numerator"}
    assert client.get(URL, bad).status_code == 400


def test_the_xlsx_export_lists_the_dossiers_and_is_audited(dossiers: dict[str, Dossier]) -> None:
    query = OCTOBER | {"indicator": "DOSSIER_ON_TIME", "part": "denominator", "format": "xlsx"}
    response = staff_client().get(URL, query)
    assert response.status_code == 200 and response["Content-Type"] == XLSX_TYPE
    body = body_of(response).decode()
    assert dossiers["on_time"].code in body and dossiers["late"].code in body
    assert dossiers["tra_vinh"].code not in body and dossiers["on_time"].applicant.full_name not in body
    event = AuditEvent.objects.get(action="index766.export")
    assert event.details == {
        "unit": LONG_DUC,
        "period": "2026-10",
        "indicator": "DOSSIER_ON_TIME",
        "part": "denominator",
        "rows": 2,
    }


def test_the_766_page_links_each_figure_to_its_drill_down(dossiers: dict[str, Dossier]) -> None:
    page = staff_client().get(reverse("monitoring:index766"), OCTOBER).content.decode()
    assert f"{URL}?unit={LONG_DUC}&amp;period_type=month&amp;period=2026-10&amp;indicator=DOSSIER_ON_TIME" in page
    assert "part=numerator" in page and "part=denominator" in page
    assert "indicator=DOSSIER_SYNC" not in page  # not captured: no figure, no link
