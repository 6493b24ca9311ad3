"""The words staff read when a playbook is refused, by key (ADR 0054).

The reader's own messages stay English for programs ("must be a non-empty string", naming JSON
fields); next to each the reader raises one of these phrases, which the console says in the
staff member's language beside the field at fault. Many reuse the console's earlier wording, so
their translations already exist.
"""

from __future__ import annotations


def N_(message: str) -> str:  # noqa: N802 - the gettext convention pybabel looks for
    return message


PLAYBOOK_REFUSALS: dict[str, str] = {
    # Any field.
    "refusal.fill_in": N_("Fill this in."),
    "refusal.at_most_characters": N_("At most %(most)s characters."),
    "refusal.whole_number": N_("A whole number from %(least)s to %(most)s."),
    "refusal.one_of": N_("Choose one of: %(options)s."),
    "refusal.object": N_("This must be a group of settings (a JSON object)."),
    "refusal.unknown_setting": N_("%(key)s is not a playbook setting here."),
    "refusal.list": N_("This must be a list."),
    "refusal.at_most_entries": N_("At most %(most)s entries."),
    "refusal.event_field": N_("Name an event field: data.<name>, subject, source or type."),
    "refusal.number": N_("Enter a number."),
    "refusal.boolean": N_("Choose true or false."),
    "refusal.local_time": N_("A local time such as 08:00."),
    # Conditions.
    "refusal.value_or_field": N_("Give a value or another field, not both."),
    "refusal.compares_with_value": N_("%(op)s compares with a value, not another field."),
    "refusal.compares_with_number": N_("%(op)s compares with a number."),
    "refusal.exists": N_("“exists” takes true or false."),
    "refusal.in_list": N_("“in” takes a list of 1 to 500 values."),
    "refusal.in_scalars": N_("“in” takes a list of texts and numbers."),
    "refusal.scalar": N_("Give a text, a number, true or false."),
    "refusal.finite": N_("Give a finite number."),
    "refusal.preference": N_("Say which preference: a category or a subject."),
    "refusal.fits_item_in_audience": N_(
        "Whether her preference fits the item is asked of each customer: set it there."
    ),
    "refusal.history_count": N_("Say how many purchases or visits at least."),
    "refusal.audience": N_(
        "Choose customers by their history at a location or by a preference, one of the two."
    ),
    "refusal.audience_needed": N_("%(event)s names no customer: say whom to consider."),
    "refusal.audience_not_needed": N_("%(event)s names its customer: no audience is needed."),
    # Actions.
    "refusal.amount": N_("Give a positive amount below 10 000 000 000."),
    "refusal.decimals": N_("Money has at most two decimals."),
    "refusal.currency": N_("Money needs a three-letter currency, such as UAH or EUR."),
    "refusal.assignee": N_(
        "Choose whom to assign: a role, the relationship manager or staff:<id>."
    ),
    "refusal.due_by_ahead": N_("Only a playbook that looks ahead has a time to be due by."),
    "refusal.due_one_way": N_("Give the deadline one way, not two."),
    "refusal.no_waiting": N_("A playbook cannot promise to tell when an item is available."),
    "refusal.tables_or_rooms": N_("Choose tables or rooms."),
    "refusal.action_kind": N_("Choose what the action does."),
    "refusal.no_actions": N_("Add at least one action."),
    "refusal.branch_no_actions": N_("A branch needs at least one action."),
    "refusal.unknown_variable": N_("This text has no %(name)s. Use: %(allowed)s."),
    # The trigger.
    "refusal.event_type": N_("Heedful knows no event type %(name)s."),
    "refusal.event_or_state": N_("A playbook reacts to an event or looks ahead, not both."),
    "refusal.horizon": N_("Say how far ahead to look: within hours, or days ahead."),
    "refusal.horizon_both": N_("Give hours ahead or days ahead, not both."),
    "refusal.horizon_ahead_only": N_("Only a playbook that looks ahead has a horizon."),
    "refusal.hold_tonight_only": N_("Only a playbook reading tonight's book holds capacity."),
    "refusal.tonight_no_branches": N_("Tonight's book has no customer to branch on."),
    "refusal.tonight_actions": N_(
        "Tonight's book holds capacity or gives a task to a role or a staff member."
    ),
    "refusal.once_ahead": N_(
        "A playbook that looks ahead fires once per customer, object and version: leave this empty."
    ),
    "refusal.once": N_("Give “ever”, a span such as P30D, or nothing."),
}
