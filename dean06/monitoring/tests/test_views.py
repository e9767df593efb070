"""The monitoring pages: the plans, a plan's tasks, the Decision 766 page (figures from hand-built dossiers, the
ranking, a bad period) and the bar chart behind it."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from dean06.core.charts import bar_chart
from dean06.core.roles import Role
from dean06.monitoring.models import Plan, PlanTask
from dean06.monitoring.selectors import task_list
from dean06.monitoring.services import plan_seed_load
from dean06.monitoring.tests.helpers import at, staff_client
from dean06.public_services.choices import DossierStatus
from dean06.public_services.tests import factories as ps
from dean06.testing import factories
from dean06.testing.factories import LONG_DUC, PROVINCE, TRA_VINH

pytestmark = pytest.mark.django_db


def test_plan_pages_render_the_seed_plan_for_the_working_group() -> None:
    plan_seed_load()
    client = staff_client()
    plan = Plan.objects.get()
    response = client.get(reverse("monitoring:plan_list"))
    assert response.status_code == 200
    assert plan.title in response.content.decode()

    response = client.get(reverse("monitoring:plan_detail", args=[plan.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert len(response.context["sections"]) >= 3  # A, B, III
    assert sum(len(s.rows) for s in response.context["sections"]) == 29
    task = PlanTask.objects.exclude(deadline_text="").first()
    assert task is not None and task.deadline_text.split()[0] in page


def test_a_task_past_its_deadline_is_overdue_until_done() -> None:
    plan_seed_load()
    user = factories.user_with_role(Role.WORKING_GROUP, PROVINCE)
    plan = Plan.objects.get()
    late = PlanTask.objects.filter(deadline__isnull=False).first()
    assert late is not None
    after = late.deadline.replace(year=late.deadline.year + 1) if late.deadline else None
    overdue = task_list(actor=user, plan=plan, overdue_only=True, today=after)
    assert late in overdue
    late.status = PlanTask.Status.DONE
    late.save()
    assert late not in task_list(actor=user, plan=plan, overdue_only=True, today=after)
    assert task_list(actor=user, plan=plan, group="A").exists()
    assert not task_list(actor=user, plan=plan, group="A").exclude(group__code="A").exists()


def test_plan_detail_marks_overdue_tasks() -> None:
    plan_seed_load()  # the seed's deadlines are in 2023: every dated open task is overdue now
    plan = Plan.objects.get()
    response = staff_client().get(reverse("monitoring:plan_detail", args=[plan.pk]))
    assert response.context["overdue"] == PlanTask.objects.filter(deadline__lt=timezone.localdate()).count() > 0
    assert 'class="overdue"' in response.content.decode()


@pytest.mark.parametrize(
    "url_name, args",
    [("monitoring:plan_list", []), ("monitoring:index766", [])],
)
def test_pages_are_forbidden_without_monitoring_view(url_name: str, args: list[int]) -> None:
    response = staff_client(Role.LABOUR_OFFICER, LONG_DUC).get(reverse(url_name, args=args))
    assert response.status_code == 403


def test_plan_outside_the_actor_units_is_not_found() -> None:
    plan_seed_load()
    plan = Plan.objects.get()
    commune_group = staff_client(Role.DEPARTMENT_OFFICER, LONG_DUC)  # a commune officer: the provincial plan is above
    assert commune_group.get(reverse("monitoring:plan_detail", args=[plan.pk])).status_code == 404
    assert (
        staff_client(Role.DEPARTMENT_OFFICER).get(reverse("monitoring:plan_detail", args=[plan.pk])).status_code == 200
    )


def test_index766_page_shows_the_figures_of_hand_built_dossiers() -> None:
    procedure = ps.procedure()
    # Long Đức, October 2026: two dossiers, one finished on time, one finished late → progress 20 × 1/2 = 10.
    for finished in (date(2026, 10, 5), date(2026, 10, 15)):
        ps.dossier(
            procedure=procedure,
            received_at=at(date(2026, 10, 1)),
            due_on=date(2026, 10, 10),
            finished_at=at(finished),
            status=DossierStatus.RETURNED,
        )
    # Trà Vinh: one dossier on time → progress 20.
    ps.dossier(
        procedure=procedure,
        applicant=factories.person(TRA_VINH),
        received_at=at(date(2026, 10, 2)),
        due_on=date(2026, 10, 10),
        finished_at=at(date(2026, 10, 3)),
        status=DossierStatus.RETURNED,
    )
    client = staff_client()
    response = client.get(
        reverse("monitoring:index766"), {"unit": LONG_DUC, "period_type": "month", "period": "2026-10"}
    )
    assert response.status_code == 200
    index = response.context["index"]
    progress = next(g for g in index.groups if g.indicators[0].code == "DOSSIER_ON_TIME")
    assert progress.score == 10
    assert (progress.indicators[0].numerator, progress.indicators[0].denominator) == (1, 2)
    page = response.content.decode()
    assert ">1</a> / <a" in page  # each figure links to the dossiers behind it
    assert "chưa tính được" in page  # online services has no formula
    assert "<svg" in page and 'class="bar-value"' in page and "style=" not in page.split("<svg", 1)[1]
    assert "ranking" not in response.context

    response = client.get(
        reverse("monitoring:index766"), {"unit": PROVINCE, "period_type": "quarter", "period": "2026-Q4"}
    )
    assert response.status_code == 200
    ranking = response.context["ranking"]
    names = [row.unit_code for row in ranking]
    assert names.index(TRA_VINH) < names.index(LONG_DUC)
    assert "Xếp hạng" in response.content.decode()


def test_index766_page_opens_on_the_current_month() -> None:
    response = staff_client().get(reverse("monitoring:index766"))
    assert response.status_code == 200
    assert response.context["index"].unit_code == PROVINCE
    assert response.context["index"].period.label == timezone.localdate().strftime("%Y-%m")


@pytest.mark.parametrize(
    "params",
    [
        {"unit": PROVINCE, "period_type": "month", "period": "2026-13"},
        {"unit": PROVINCE, "period_type": "quarter", "period": "2026-10"},
        {"unit": PROVINCE, "period_type": "month", "period": "tháng mười"},
        {"unit": PROVINCE, "period_type": "week", "period": "2026-10"},
    ],
)
def test_a_bad_period_is_a_clear_message_not_an_error(params: dict[str, str]) -> None:
    response = staff_client().get(reverse("monitoring:index766"), params)
    assert response.status_code == 400
    assert "index" not in response.context
    assert response.context["form"].errors


def test_a_commune_outside_the_actor_units_cannot_be_chosen() -> None:
    client = staff_client(Role.DEPARTMENT_OFFICER, LONG_DUC)
    response = client.get(reverse("monitoring:index766"), {"unit": TRA_VINH, "period_type": "year", "period": "2026"})
    assert response.status_code == 400
    assert [code for code, _ in response.context["form"].fields["unit"].choices] == [LONG_DUC]


def test_bar_chart_scales_values_against_their_maxima() -> None:
    chart = bar_chart([("A", 10.0, 20.0), ("B", None, 10.0), ("C", 30.0, 10.0)])
    a, b, c = chart.bars
    assert a.frame_width == 2 * b.frame_width
    assert a.width == a.frame_width / 2
    assert b.value is None and b.width == 0
    assert c.width == c.frame_width  # capped at the maximum
    assert a.y < b.y < c.y and chart.height > c.y
    assert bar_chart([]).bars == ()


def test_index766_page_by_deciding_agency() -> None:
    ps.procedure(agency="Công an xã/phường")
    client = staff_client()
    query = {"unit": PROVINCE, "period_type": "month", "period": "2026-10"}
    response = client.get(reverse("monitoring:index766"), query | {"agency": "Công an xã/phường"})
    assert response.status_code == 200 and response.context["index"].agency == "Công an xã/phường"
    refused = client.get(reverse("monitoring:index766"), query | {"agency": "Sở không có"})
    assert refused.status_code == 400 and "agency" in refused.context["form"].errors
