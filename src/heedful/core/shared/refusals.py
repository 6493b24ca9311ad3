"""Refusals staff meet in the console's forms, by key: their words for people (ADR 0054).

A refusal's ``message`` stays English for programs; the phrase beside it (``said=``) is what
the console says in the staff member's language. The English here is the console's earlier
wording for each, so the catalogs' translations carry over.
"""

from __future__ import annotations


def N_(message: str) -> str:  # noqa: N802 - the gettext convention pybabel looks for
    return message


REFUSALS: dict[str, str] = {
    "refusal.customer_name": N_("Enter the customer's name."),
    "refusal.name_length": N_("A name is at most 200 characters."),
    "refusal.identity_value": N_("Enter a value."),
    "refusal.preference_subject": N_("Say what the preference is about."),
    "refusal.note_length": N_("A note is at most 1000 characters."),
    "refusal.preference_retracted": N_("This preference was already retracted."),
    "refusal.merge_itself": N_("A customer cannot be merged with itself."),
    "refusal.merge_undone": N_("This merge was already undone."),
    "refusal.promise_text": N_("Say what was promised."),
    "refusal.deadline_passed": N_("This deadline has already passed."),
    "refusal.cancel_reason": N_("Say why the promise is cancelled."),
    "refusal.task_done": N_("This task is already done."),
    "refusal.time": N_("Give the time as HH:MM."),
    "refusal.password_length": N_("A password is at least 8 characters."),
}
