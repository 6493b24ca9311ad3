"""A customer's surveys, answers, recoveries and churn risk when records merge, part and export.

Invitations, answers and recovery loops are rows she owns: the customers room moves them with
the rest (``OWNED_ENTITIES``) and brings them back on undo. Two things are keys per customer and
cannot simply move: the survey cap and the churn risk.

- The cap: the survivor may be asked again only when both records may be, so one person merged
  from two does not get two surveys in a week. Undo leaves the survivor's later date (asking her
  a little later is harmless) and the absorbed record's own key was never touched.
- Churn risk is computed from her history and answers, which have just moved: it is assessed
  again for the survivor from the joined rows, and the absorbed record's stops counting. Undo
  assesses both again from their separated rows. The median spend is the one of the last
  assessment of everyone (stored in its inputs), so a merge does not read every customer; when
  neither record had been assessed, the daily job scores them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from heedful.core.feedback import churn
from heedful.core.feedback.ports import AnswerFilter, FeedbackStore
from heedful.core.unit_of_work import UnitOfWork

_EVERYTHING = 1_000_000


def feedback_export(uow: UnitOfWork, customer_id: str) -> dict[str, Any]:
    """Her part of a privacy export: what she was asked, what she said, what was done about it."""
    feedback = uow.feedback
    risk = feedback.churn.get(customer_id)
    return {
        "survey_invitations": feedback.invitations.list_for_customer(customer_id, _EVERYTHING),
        "survey_answers": feedback.answers.find(AnswerFilter(customer_id=customer_id), _EVERYTHING),
        "recoveries": feedback.loops.find(
            location_ids=None, open_only=False, limit=_EVERYTHING, customer_id=customer_id
        ),
        "churn_risk": [risk] if risk is not None else [],
    }


class SurveyCapAndChurnFollow:
    """The feedback room's part of a merge and its undo (a ``MergeFollower``)."""

    def __init__(self, feedback: FeedbackStore) -> None:
        self._feedback = feedback

    def follow_merge(self, survivor_id: str, absorbed_id: str, now: datetime) -> None:
        caps = self._feedback.caps
        mine = caps.next_allowed(survivor_id, for_change=True)
        theirs = caps.next_allowed(absorbed_id)
        if theirs is not None and (mine is None or theirs > mine):
            caps.set_next_allowed(survivor_id, theirs)
        _reassess(self._feedback, (survivor_id, absorbed_id), now, keep=(survivor_id,))

    def follow_undo(self, survivor_id: str, restored_id: str, now: datetime) -> None:
        _reassess(self._feedback, (survivor_id, restored_id), now, keep=(survivor_id, restored_id))


def _reassess(
    feedback: FeedbackStore, involved: Sequence[str], now: datetime, keep: Sequence[str]
) -> None:
    risks = feedback.churn
    before = [risk for risk in map(risks.get, involved) if risk is not None]
    if not before:
        return
    median = max(int(risk.inputs.get("median_spend_minor") or 0) for risk in before)
    for customer_id in involved:
        risks.delete(customer_id)
    for activity in feedback.facts.activity(now, list(keep)):
        risks.put(churn.assess(activity, median, now))
