"""Level-2 e-ID logins of the demo residents, as the real login records them (identity.eid.services
`eid_login_record`): a citizen account linked to the person and an `eid.login` audit entry on the person with the
same details, the SANDBOX provider as issuer. The KPI EID_LEVEL2_ADULTS counts these persons.

The entries are backdated, so they cannot go through `audit_record` (which stamps now). They are appended to the
hash chain the way it does — next sequence number, link to the head, `compute_hash` — in time order among
themselves, in bulk; `dean06 audit verify` holds. Their sequence numbers come after every earlier entry although
their times are earlier: the chain orders by sequence, not time.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from random import Random

from django.contrib.auth.hashers import make_password

from dean06.core import context
from dean06.core.audit import compute_hash
from dean06.core.models import AuditChainHead, AuditEvent, User
from dean06.demo.activity_context import Commune, Window

LOGIN_SHARE = (0.30, 0.60)  # share of a commune's adults with a level-2 login by today, drawn per commune
BEFORE_WINDOW = 0.45  # of them, logged in before the window (the rest spread over it: the share grows)
SANDBOX_ISSUER = "http://127.0.0.1:8000/sandbox/eid/o"  # the built-in provider as `bin/serve` exposes it
_BATCH = 2000


def _first_logins(
    rng: Random, commune: Commune, window: Window, before: list[date], inside: list[date]
) -> dict[int, datetime]:
    """First logins of a share of the commune's adults: some before the window (`before`), the rest in it."""
    adults = commune.adults
    chosen = rng.sample(adults, round(rng.uniform(*LOGIN_SHARE) * len(adults)))
    return {
        r.person_id: window.office_moment(rng, rng.choice(before if rng.random() < BEFORE_WINDOW else inside))
        for r in chosen
    }


def _accounts(communes: list[Commune]) -> set[int]:
    """Each logged-in person's citizen account: the one linked to them, else a new one named by the personal ID
    (as `eid_login_record` creates it), joined at the first login. Returns the ids of the accounts created."""
    first = {pk: at for c in communes for pk, at in c.logins.items()}
    residents = {r.person_id: r for c in communes for r in c.residents if r.person_id in first}
    existing = {u.person_id: u for u in User.objects.filter(person_id__in=list(residents))}
    names = [r.personal_id for r in residents.values()]
    taken = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    unusable = make_password(None)  # no password: these citizens sign in with e-ID only
    new = [
        User(
            username=r.personal_id,
            kind=User.Kind.CITIZEN,
            person_id=pk,
            full_name=r.full_name,
            password=unusable,
            date_joined=first[pk],
        )
        for pk, r in residents.items()
        if pk not in existing and r.personal_id not in taken
    ]
    User.objects.bulk_create(new, batch_size=_BATCH)
    created = {u.person_id: u for u in User.objects.filter(person_id__in=[u.person_id for u in new])}
    accounts = existing | created
    for commune in communes:
        commune.accounts = {pk: accounts[pk] for pk in commune.logins if pk in accounts}
        commune.logins = {pk: at for pk, at in commune.logins.items() if pk in accounts}
    return {u.pk for u in created.values()}


def _chain_append(events: list[AuditEvent]) -> None:
    """Link `events` (in order) to the end of the audit chain, as `audit_record` links one."""
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(id=1)
    seq, prev = head.last_seq, head.last_hash
    for event in events:
        seq += 1
        event.seq, event.prev_hash = seq, prev
        event.entry_hash = prev = compute_hash(prev, event)
    AuditEvent.objects.bulk_create(events, batch_size=_BATCH)
    head.last_seq, head.last_hash = seq, prev
    head.save(update_fields=["last_seq", "last_hash"])


def eid_logins_write(rng: Random, communes: list[Commune], window: Window) -> tuple[int, int]:
    """Level-2 logins for a share of each commune's adults; returns (accounts created, logins written)."""
    days = window.working_days(window.first_day - timedelta(days=120), window.today)
    before, inside = [d for d in days if d < window.first_day], [d for d in days if d >= window.first_day]
    for commune in communes:
        commune.logins = _first_logins(rng, commune, window, before, inside)
    created = _accounts(communes)
    logins = sorted(
        ((at, commune.accounts[pk], pk) for commune in communes for pk, at in commune.logins.items()),
        key=lambda login: (login[0], login[2]),
    )
    events = [
        AuditEvent(
            at=at,
            actor_id=user.pk,
            actor_label=user.username,
            action="eid.login",
            object_type="registry.person",
            object_id=str(person_id),
            request_id=context.request_id.get(),
            details={
                "method": "eid",
                "level": 2,
                "acr": "LoA2",
                "issuer": SANDBOX_ISSUER,
                "sandbox": True,
                "account_created": user.pk in created,
                "warnings": [],
            },
        )
        for at, user, person_id in logins
    ]
    _chain_append(events)
    return len(created), len(events)
