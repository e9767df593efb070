"""Every allowed move of the dossier workflow, and a refusal for each forbidden one."""

from __future__ import annotations

import pytest

from dean06.public_services.choices import DossierStatus as S
from dean06.public_services.workflow import TRANSITIONS, Action, TransitionError, actions_from, next_status


def test_the_happy_path_and_the_supplement_loop() -> None:
    status = S.DRAFT
    for action in (Action.SUBMIT, Action.ASSIGN, Action.START, Action.REQUEST_SUPPLEMENT, Action.RESUBMIT):
        status = next_status(status, action)
    assert status == S.RESUBMITTED
    for action in (Action.START, Action.APPROVE, Action.ISSUE_RESULT, Action.RETURN):
        status = next_status(status, action)
    assert status == S.RETURNED


@pytest.mark.parametrize("status", list(S))
@pytest.mark.parametrize("action", list(Action))
def test_every_other_move_is_refused(status: S, action: Action) -> None:
    if (status, action) in TRANSITIONS:
        assert next_status(status, action) == TRANSITIONS[(status, action)]
        assert action in actions_from(status)
    else:
        with pytest.raises(TransitionError):
            next_status(status, action)
        assert action not in actions_from(status)


def test_a_returned_dossier_is_final() -> None:
    assert actions_from(S.RETURNED) == []
