"""An evaluator's answers, read against the questionnaire version of the visit."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from heedful.core.audits.questionnaire import ItemKind, QuestionnaireBody
from heedful.core.shared.errors import InvalidInput
from heedful.core.shared.phrases import Phrase

MAX_COMMENT = 2000
MAX_TEXT = 4000


@dataclass(frozen=True)
class Answer:
    # yes_no: bool; scale: int; single_choice: a choice key; multiple_choice: choice keys;
    # number: a number; free_text: text; photo: attachment ids; promise_kept: the ledger's word
    # (kept, kept_late, broken, open), written by Heedful, never by the evaluator.
    value: Any = None
    not_applicable: bool = False
    comment: str = ""
    evidence: Mapping[str, str] = field(default_factory=dict)  # promise_kept: the ledger's

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"value": self.value}
        if self.not_applicable:
            out["not_applicable"] = True
        if self.comment:
            out["comment"] = self.comment
        if self.evidence:
            out["evidence"] = dict(self.evidence)
        return out


def answer_from_json(raw: Mapping[str, Any]) -> Answer:
    """A stored answer (already checked when it was saved)."""
    return Answer(
        value=raw.get("value"),
        not_applicable=bool(raw.get("not_applicable", False)),
        comment=str(raw.get("comment", "")),
        evidence=dict(raw.get("evidence") or {}),
    )


def read_answers(body: QuestionnaireBody, raw: Any) -> dict[str, Answer]:
    """The evaluator's answers, each checked against its item; refusals name ``answers.<key>``."""
    if not isinstance(raw, Mapping):
        raise InvalidInput("must be an object of answers by item key", field="answers")
    answers: dict[str, Answer] = {}
    for key, value in raw.items():
        path = f"answers.{key}"
        item = body.item(key) if isinstance(key, str) else None
        if item is None:
            raise InvalidInput("is not an item of this questionnaire", field=path)
        if item.kind is ItemKind.PROMISE_KEPT:
            raise InvalidInput("is answered from the promise ledger, not by hand", field=path)
        if not isinstance(value, Mapping) or set(value) - {"value", "not_applicable", "comment"}:
            raise InvalidInput("must be {value, not_applicable, comment}", field=path)
        comment = value.get("comment", "")
        if not isinstance(comment, str) or len(comment) > MAX_COMMENT or "\x00" in comment:
            raise InvalidInput(
                f"is text of at most {MAX_COMMENT} characters", field=f"{path}.comment"
            )
        if value.get("not_applicable") is True:
            if not item.may_be_not_applicable:
                raise InvalidInput(
                    "this item applies to every visit", field=f"{path}.not_applicable"
                )
            answers[key] = Answer(None, not_applicable=True, comment=comment.strip())
            continue
        checked = _value(item.kind, item, value.get("value"), f"{path}.value")
        answers[key] = Answer(checked, comment=comment.strip())
    return answers


def _value(kind: ItemKind, item: Any, value: Any, path: str) -> Any:
    if value is None:
        return None  # a draft may leave an item blank; submitting checks completeness
    if kind is ItemKind.YES_NO:
        if not isinstance(value, bool):
            raise InvalidInput("must be true or false", field=path)
        return value
    if kind is ItemKind.SCALE:
        if type(value) is not int or not item.scale_min <= value <= item.scale_max:
            raise InvalidInput(f"must be from {item.scale_min} to {item.scale_max}", field=path)
        return value
    if kind is ItemKind.SINGLE_CHOICE:
        if not isinstance(value, str) or item.choice(value) is None:
            raise InvalidInput("must be one of the item's choices", field=path)
        return value
    if kind is ItemKind.MULTIPLE_CHOICE:
        if not isinstance(value, list) or any(
            not isinstance(v, str) or item.choice(v) is None for v in value
        ):
            raise InvalidInput("must be a list of the item's choices", field=path)
        return sorted(set(value))
    if kind is ItemKind.NUMBER:
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            raise InvalidInput("must be a number", said=Phrase("refusal.number"), field=path)
        return value
    if kind is ItemKind.FREE_TEXT:
        if not isinstance(value, str) or len(value) > MAX_TEXT or "\x00" in value:
            raise InvalidInput(f"is text of at most {MAX_TEXT} characters", field=path)
        return value.strip()
    # A photo: the ids of attachments stored with the visit.
    if not isinstance(value, list) or any(not isinstance(v, str) or len(v) > 40 for v in value):
        raise InvalidInput("must be a list of attachment ids", field=path)
    return list(value)


def missing_answers(body: QuestionnaireBody, answers: Mapping[str, Answer]) -> list[str]:
    """Scored items the evaluator has neither answered nor marked not applicable."""
    return [
        item.key
        for item in body.items()
        if item.scored
        and item.kind is not ItemKind.PROMISE_KEPT
        and (
            item.key not in answers
            or (answers[item.key].value is None and not answers[item.key].not_applicable)
        )
    ]
