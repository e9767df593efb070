"""What the parts of `dean06 demo-activity` share: the communes with their residents and officers, and the window
of months the activity is spread over."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from random import Random

from django.db.models import Count
from django.utils import timezone

from dean06.core.models import RoleAssignment, User
from dean06.core.roles import Role
from dean06.demo.accounts import DEMO_ACCOUNTS, LONG_DUC, PROVINCE, TRA_VINH
from dean06.demo.population import ALIVE
from dean06.monitoring.kpis import ADULT_AGE
from dean06.public_services.calendar import is_working_day
from dean06.registry.models import AdministrativeUnit, Person
from dean06.registry.models.units import Era, Level

DEMO_UNITS = (LONG_DUC, TRA_VINH)  # the communes of the demo one-stop officers
WORKING_GROUP_USERNAME = "tocongtac"  # dean06.demo.accounts: reviews the reports, runs the provincial cleansing
OFFICE_OPENS, OFFICE_CLOSES = 7 * 60 + 30, 16 * 60 + 30  # minutes of the day: counter hours


@dataclass(frozen=True)
class Resident:
    person_id: int
    personal_id: str
    full_name: str
    adult: bool


@dataclass
class Commune:
    unit: AdministrativeUnit
    residents: list[Resident]
    officer: User  # the commune's one-stop officer: the counter, the answers to petitions, the monthly report
    # person id → first level-2 e-ID login; filled by activity_logins (online applicants must have logged in)
    logins: dict[int, datetime] = field(default_factory=dict)
    accounts: dict[int, User] = field(default_factory=dict)  # person id → their citizen account, for those

    @property
    def adults(self) -> list[Resident]:
        return [r for r in self.residents if r.adult]


@dataclass(frozen=True)
class Window:
    """The months of activity: `months` calendar months ending with today's, from the first one's first day."""

    today: date
    now: datetime
    months: list[tuple[int, int]]

    @property
    def first_day(self) -> date:
        year, month = self.months[0]
        return date(year, month, 1)

    def working_days(self, start: date, end: date) -> list[date]:
        """Working days in [start, end], no later than today."""
        days, day = [], start
        while day <= min(end, self.today):
            if is_working_day(day):
                days.append(day)
            day += timedelta(days=1)
        return days

    def month_days(self, year: int, month: int) -> list[date]:
        first = date(year, month, 1)
        last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        return self.working_days(first, last)

    def office_moment(self, rng: Random, day: date) -> datetime:
        """An aware moment of counter hours on `day`, never after now."""
        minutes = rng.randrange(OFFICE_OPENS, OFFICE_CLOSES)
        moment = timezone.make_aware(datetime.combine(day, time(minutes // 60, minutes % 60)))
        return min(moment, self.now - timedelta(minutes=rng.randrange(5, 120)))


def window_for(months: int, now: datetime | None = None) -> Window:
    now = now or timezone.now()
    today = timezone.localdate(now)
    year, month, labels = today.year, today.month, []
    for _ in range(months):
        labels.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return Window(today=today, now=now, months=list(reversed(labels)))


def _officer(unit: AdministrativeUnit, demo_officers: dict[str, User]) -> User:
    """The demo one-stop officer of the commune, else a one-stop officer account made for it (no password)."""
    if unit.code in demo_officers:
        return demo_officers[unit.code]
    user, created = User.objects.get_or_create(
        username=f"motcua.{unit.code}", defaults={"kind": User.Kind.STAFF, "full_name": f"Một cửa {unit.name}"}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    RoleAssignment.objects.get_or_create(user=user, role=Role.ONE_STOP_OFFICER, unit=unit)
    return user


def communes_load(today: date) -> list[Commune]:
    """The province's 2025 communes that have living demo persons, largest first, each with its residents."""
    province = AdministrativeUnit.objects.get(era=Era.Y2025, level=Level.PROVINCE, code=PROVINCE)
    counts = (
        Person.objects.filter(commune__path__startswith=province.path, commune__level=Level.COMMUNE, status=ALIVE)
        .values("commune")
        .annotate(n=Count("pk"))
    )
    units = AdministrativeUnit.objects.in_bulk([row["commune"] for row in counts])
    try:
        born_by = today.replace(year=today.year - ADULT_AGE)
    except ValueError:  # 29 February
        born_by = today.replace(year=today.year - ADULT_AGE, day=28)
    residents: dict[int, list[Resident]] = {pk: [] for pk in units}
    rows = Person.objects.filter(commune_id__in=list(units), status=ALIVE).order_by("pk")
    for pk, commune_id, personal_id, name, born in rows.values_list(
        "pk", "commune_id", "personal_id", "full_name", "date_of_birth"
    ):
        residents[commune_id].append(Resident(pk, personal_id, name, born <= born_by))
    demo = {a.unit_code: a.username for a in DEMO_ACCOUNTS if a.role == Role.ONE_STOP_OFFICER}
    demo_officers = {
        code: u for code, u in ((c, User.objects.filter(username=n).first()) for c, n in demo.items()) if u
    }
    ordered = sorted(units.values(), key=lambda u: (-len(residents[u.pk]), u.code))
    return [Commune(unit=u, residents=residents[u.pk], officer=_officer(u, demo_officers)) for u in ordered]


def working_group() -> User:
    """The demo working-group account (`dean06 demo` creates it), else any working-group member of the province."""
    user = User.objects.filter(username=WORKING_GROUP_USERNAME).first()
    if user is None:
        assignment = RoleAssignment.objects.filter(role=Role.WORKING_GROUP, unit__code=PROVINCE).first()
        user = assignment.user if assignment else None
    if user is None:
        raise LookupError("no working-group account: run `dean06 demo` first")
    return user
