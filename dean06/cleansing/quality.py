"""The plan's four criteria for a sector list — đúng, đủ, sạch, sống — per row, and per commune over time.

Definitions (docs/cleansing.md "đúng, đủ, sạch, sống"), over the rows still on the list (a row resolved
"remove" has left it):
- đúng (correct): the row names a registry person and every field agrees (class exact), or an officer or field
  team has fixed or verified it (resolution apply, corrected or confirmed);
- đủ (complete): name, full date of birth, ID and gender are all present, or the row has been fixed;
- sạch (clean): the row is one known person, once: not a duplicate, not missing from the registry, not an
  undecided ambiguous row;
- sống (alive): the row does not name a person who has died.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from dean06.cleansing.models import CleansingRun, QualitySnapshot, Resolution, RowClassChoice, RowVerdict

# Fields whose absence makes a row incomplete, as the matcher's agreement keys and as raw-value keys.
AGREEMENT_KEYS: Final = ("agree_name", "agree_dob", "agree_gender", "agree_id")
RAW_REQUIRED: Final = ("full_name", "date_of_birth", "gender")
RAW_ID_KEYS: Final = ("personal_id", "old_id")
MISSING: Final = "missing"
FIXED: Final = frozenset({Resolution.APPLY_FIXES, Resolution.CORRECTED, Resolution.CONFIRMED})
UNKNOWN_PERSON: Final = frozenset({RowClassChoice.DUPLICATE, RowClassChoice.NOT_FOUND, RowClassChoice.AMBIGUOUS})
NOT_FOUND_DECISION: Final = "not_found"


@dataclass(frozen=True, slots=True)
class RowQuality:
    correct: bool
    complete: bool
    clean: bool
    alive: bool


def _present(raw: dict[str, object], key: str) -> bool:
    return str(raw.get(key) or "").strip() != ""


def row_quality(
    *, row_class: str, agreement: dict[str, str], raw: dict[str, object], resolution: str = "", decision: str = ""
) -> RowQuality:
    """The row's standing on the four criteria (see the module docstring)."""
    fixed = resolution in FIXED
    if agreement:
        complete = all(agreement.get(key) != MISSING for key in AGREEMENT_KEYS)
    else:  # no person chosen: judge by what the file holds
        complete = all(_present(raw, key) for key in RAW_REQUIRED) and any(_present(raw, k) for k in RAW_ID_KEYS)
    decided_person = decision not in ("", NOT_FOUND_DECISION)
    clean = row_class not in UNKNOWN_PERSON or (row_class == RowClassChoice.AMBIGUOUS and decided_person)
    return RowQuality(
        correct=row_class == RowClassChoice.EXACT or fixed,
        complete=complete or fixed,
        clean=clean or resolution == Resolution.CONFIRMED,
        alive=row_class != RowClassChoice.DECEASED,
    )


def verdict_quality_apply(verdict: RowVerdict) -> None:
    """Set the verdict's four flags from its class, agreement and resolution (not saved)."""
    quality = row_quality(
        row_class=verdict.row_class,
        agreement=verdict.agreement,
        raw=verdict.raw,
        resolution=verdict.resolution,
        decision=verdict.decision,
    )
    verdict.is_correct, verdict.is_complete = quality.correct, quality.complete
    verdict.is_clean, verdict.is_alive = quality.clean, quality.alive


QUALITY_FLAGS: Final = ("is_correct", "is_complete", "is_clean", "is_alive")


@transaction.atomic
def quality_snapshot_take(run: CleansingRun) -> int:
    """Record today's counts for every unit of the run's rows (replacing today's earlier snapshot); return how
    many units were recorded. One aggregate query: the flags are kept on the rows."""
    on_list = RowVerdict.objects.filter(run=run).exclude(resolution=Resolution.REMOVE)
    totals = on_list.values("unit").annotate(
        rows=Count("pk"),
        rows_correct=Count("pk", filter=Q(is_correct=True)),
        rows_complete=Count("pk", filter=Q(is_complete=True)),
        rows_clean=Count("pk", filter=Q(is_clean=True)),
        rows_alive=Count("pk", filter=Q(is_alive=True)),
    )
    now = timezone.now()
    day = timezone.localdate(now)
    QualitySnapshot.objects.filter(run=run, day=day).delete()
    snapshots = [
        QualitySnapshot(
            run=run,
            sector=run.sector,
            unit_id=total["unit"],
            day=day,
            taken_at=now,
            rows=total["rows"],
            rows_correct=total["rows_correct"],
            rows_complete=total["rows_complete"],
            rows_clean=total["rows_clean"],
            rows_alive=total["rows_alive"],
        )
        for total in totals
    ]
    QualitySnapshot.objects.bulk_create(snapshots)
    return len(snapshots)
