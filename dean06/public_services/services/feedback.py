"""Satisfaction ratings of returned dossiers (Decision 766, group 5)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext

from dean06.core.audit import audit_record
from dean06.core.errors import ApplicationError
from dean06.core.roles import AccessPurpose
from dean06.public_services.choices import DossierStatus
from dean06.public_services.models import Rating
from dean06.public_services.selectors import dossier_editable, is_citizen

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from dean06.core.models import User


@transaction.atomic
def rating_record(*, actor: User | AnonymousUser, dossier_id: int, score: int, comment: str = "") -> Rating:
    """The applicant rates their returned dossier once (a second rating replaces the first)."""
    if not is_citizen(actor):
        raise ApplicationError(gettext("Chỉ người nộp hồ sơ đánh giá được."))
    dossier = dossier_editable(actor=actor, dossier_id=dossier_id)
    if dossier.status != DossierStatus.RETURNED:
        raise ApplicationError(gettext("Chỉ đánh giá được hồ sơ đã trả kết quả."))
    if not 1 <= score <= 5:
        raise ApplicationError(gettext("Mức đánh giá từ 1 đến 5."))
    rating, _created = Rating.objects.update_or_create(dossier=dossier, defaults={"score": score, "comment": comment})
    audit_record(actor=actor, action="dossier.rate", obj=dossier, purpose=AccessPurpose.PUBLIC_SERVICE,
                 details={"score": score})  # fmt: skip
    return rating
