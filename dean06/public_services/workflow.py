"""The dossier workflow as data: which named action moves a dossier from which status to which. Services check it;
nothing else changes a status."""

from __future__ import annotations

from enum import StrEnum
from typing import Final

from django.utils.translation import gettext_lazy as _

from dean06.public_services.choices import DossierStatus as S


class Action(StrEnum):
    SUBMIT = "submit"
    ASSIGN = "assign"
    START = "start"
    REQUEST_SUPPLEMENT = "request_supplement"
    RESUBMIT = "resubmit"
    APPROVE = "approve"
    REFUSE = "refuse"
    ISSUE_RESULT = "issue_result"
    RETURN = "return"


ACTION_LABELS: Final = {
    Action.SUBMIT: _("Nộp hồ sơ"),
    Action.ASSIGN: _("Phân công xử lý"),
    Action.START: _("Bắt đầu giải quyết"),
    Action.REQUEST_SUPPLEMENT: _("Yêu cầu bổ sung"),
    Action.RESUBMIT: _("Nộp bổ sung"),
    Action.APPROVE: _("Phê duyệt"),
    Action.REFUSE: _("Từ chối giải quyết"),
    Action.ISSUE_RESULT: _("Ký và phát hành kết quả"),
    Action.RETURN: _("Trả kết quả"),
}

TRANSITIONS: Final[dict[tuple[S, Action], S]] = {
    (S.DRAFT, Action.SUBMIT): S.RECEIVED,
    (S.RECEIVED, Action.ASSIGN): S.ASSIGNED,
    (S.RESUBMITTED, Action.ASSIGN): S.ASSIGNED,
    (S.ASSIGNED, Action.START): S.IN_PROGRESS,
    (S.RESUBMITTED, Action.START): S.IN_PROGRESS,
    (S.RECEIVED, Action.REQUEST_SUPPLEMENT): S.SUPPLEMENT_REQUESTED,
    (S.ASSIGNED, Action.REQUEST_SUPPLEMENT): S.SUPPLEMENT_REQUESTED,
    (S.IN_PROGRESS, Action.REQUEST_SUPPLEMENT): S.SUPPLEMENT_REQUESTED,
    (S.SUPPLEMENT_REQUESTED, Action.RESUBMIT): S.RESUBMITTED,
    (S.IN_PROGRESS, Action.APPROVE): S.APPROVED,
    (S.RECEIVED, Action.REFUSE): S.REFUSED,
    (S.ASSIGNED, Action.REFUSE): S.REFUSED,
    (S.IN_PROGRESS, Action.REFUSE): S.REFUSED,
    (S.APPROVED, Action.ISSUE_RESULT): S.RESULT_ISSUED,
    (S.RESULT_ISSUED, Action.RETURN): S.RETURNED,
    (S.REFUSED, Action.RETURN): S.RETURNED,
}
# Actions taken by the applicant (a citizen on their own dossier, or an officer at the counter for them).
APPLICANT_ACTIONS: Final = frozenset({Action.SUBMIT, Action.RESUBMIT})
# Statuses in which the processing clock runs (a supplement request stops it until the dossier comes back).
OPEN_STATUSES: Final = frozenset({S.RECEIVED, S.ASSIGNED, S.IN_PROGRESS, S.RESUBMITTED, S.APPROVED})
FINISHED_STATUSES: Final = frozenset({S.RESULT_ISSUED, S.REFUSED, S.RETURNED})


class TransitionError(Exception):
    """An action not allowed from the dossier's status."""


def next_status(status: str, action: Action) -> S:
    try:
        return TRANSITIONS[(S(status), action)]
    except (KeyError, ValueError) as exc:
        raise TransitionError(f"{action} is not allowed from {status}") from exc


def actions_from(status: str) -> list[Action]:
    """The actions allowed from `status`, in the workflow's order."""
    return [action for (source, action) in TRANSITIONS if source == status]
