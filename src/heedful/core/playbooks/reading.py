"""Reading a playbook's JSON is validating it: every refusal names the JSON path at fault.

The result is the frozen ``PlaybookBody`` of ``model.py``; a playbook that was read will run.
"""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

from heedful.core.customers import LANGUAGES, Channel, Purpose, Segment
from heedful.core.events import CUSTOMER, custom_type, known_type
from heedful.core.playbooks.action_reading import clock_time, read_action
from heedful.core.playbooks.json_reader import JsonReader
from heedful.core.playbooks.model import (
    COMPARISONS,
    LOOK_AHEAD_PREFIX,
    MAX_ACTIONS,
    MAX_AUDIENCE,
    MAX_CONDITIONS,
    MAX_NAME,
    Action,
    Audience,
    Branch,
    Condition,
    CreateTask,
    CustomerRule,
    HistoryRule,
    HoldCapacity,
    Horizon,
    LookAhead,
    Op,
    PlaybookBody,
    PreferenceRule,
    Subject,
    duration,
)
from heedful.core.preferences import Category, Polarity
from heedful.core.shared.phrases import Phrase
from heedful.core.shared.text import refuse_hidden_characters

MAX_BRANCHES = 10
MAX_HORIZON_HOURS = 24 * 31
MAX_DAYS_AHEAD = 31


def _scalar(value: Any) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, str | int | bool)


def _condition(reader: JsonReader) -> Condition:
    raw = reader.obj(frozenset({"field", "op", "value", "value_of"}))
    path = reader.child("field").field_path()
    op = reader.child("op").choice(Op)
    if "value" in raw and "value_of" in raw:
        raise reader.fail(
            "give a value or value_of, not both",
            Phrase("refusal.value_or_field"),
            reader.at("value_of"),
        )
    if "value_of" in raw:
        if op in (Op.IN, Op.EXISTS):
            raise reader.fail(
                f"{op.value} compares with a constant",
                Phrase("refusal.compares_with_value", {"op": op.value}),
                reader.at("value_of"),
            )
        return Condition(path, op, value_of=reader.child("value_of").field_path())
    value = raw.get("value", True if op is Op.EXISTS else None)
    where = reader.at("value")
    if op is Op.EXISTS and not isinstance(value, bool):
        raise reader.fail("exists takes true or false", Phrase("refusal.exists"), where)
    if op is Op.IN and (not isinstance(value, list) or not value or len(value) > 500):
        raise reader.fail("in takes a list of 1 to 500 values", Phrase("refusal.in_list"), where)
    if op is Op.IN and not all(_scalar(item) for item in value):
        raise reader.fail(
            "in takes a list of strings and numbers", Phrase("refusal.in_scalars"), where
        )
    if op in COMPARISONS and (isinstance(value, bool) or not isinstance(value, int | float)):
        raise reader.fail(
            f"{op.value} compares with a number",
            Phrase("refusal.compares_with_number", {"op": op.value}),
            where,
        )
    if op in (Op.EQUALS, Op.NOT_EQUALS) and not _scalar(value):
        raise reader.fail("must be a string, number or boolean", Phrase("refusal.scalar"), where)
    if isinstance(value, float) and not math.isfinite(value):
        raise reader.fail("must be a finite number", Phrase("refusal.finite"), where)
    return Condition(path, op, value=value)


def _preference(reader: JsonReader) -> PreferenceRule:
    raw = reader.obj(
        frozenset(
            {"polarity", "category", "subject", "subject_contains", "subject_of", "fits_item_of"}
        )
    )
    rule = PreferenceRule(
        polarity=reader.child("polarity").choice(Polarity) if "polarity" in raw else Polarity.LIKE,
        category=reader.child("category").choice(Category) if "category" in raw else None,
        subject=reader.child("subject").text() if "subject" in raw else "",
        subject_contains=(
            reader.child("subject_contains").text() if "subject_contains" in raw else ""
        ),
        subject_of=reader.child("subject_of").field_path() if "subject_of" in raw else None,
        fits_item_of=(reader.child("fits_item_of").field_path() if "fits_item_of" in raw else None),
    )
    said = (rule.category, rule.subject, rule.subject_contains, rule.subject_of, rule.fits_item_of)
    if not any(said):
        raise reader.fail(
            "say which preference: category, subject, subject_contains, subject_of, fits_item_of",
            Phrase("refusal.preference"),
        )
    return rule


def _history(reader: JsonReader) -> HistoryRule:
    raw = reader.obj(
        frozenset({"purchases_at_least", "visits_at_least", "within_days", "at_event_location"})
    )
    at_location = raw.get("at_event_location", False)
    if not isinstance(at_location, bool):
        raise reader.fail(
            "must be true or false", Phrase("refusal.boolean"), reader.at("at_event_location")
        )
    rule = HistoryRule(
        purchases_at_least=reader.child("purchases_at_least").whole(0, 100_000)
        if "purchases_at_least" in raw
        else 0,
        visits_at_least=reader.child("visits_at_least").whole(0, 100_000)
        if "visits_at_least" in raw
        else 0,
        within_days=reader.child("within_days").whole(1, 36_500) if "within_days" in raw else None,
        at_event_location=at_location,
    )
    if not (rule.purchases_at_least or rule.visits_at_least):
        raise reader.fail(
            "say purchases_at_least or visits_at_least", Phrase("refusal.history_count")
        )
    return rule


def _customer(reader: JsonReader) -> CustomerRule:
    if reader.value is None:
        return CustomerRule()
    raw = reader.obj(frozenset({"segment", "language", "consent", "preference", "history"}))
    segments = (
        frozenset(item.choice(Segment) for item in reader.child("segment").items(10))
        if "segment" in raw
        else frozenset()
    )
    languages: set[str] = set()
    for item in reader.child("language").items(10) if "language" in raw else []:
        if item.value not in LANGUAGES:
            raise item.fail(
                f"must be one of {', '.join(LANGUAGES)}",
                Phrase("refusal.one_of", {"options": ", ".join(LANGUAGES)}),
            )
        languages.add(item.value)
    consent = None
    if "consent" in raw:
        part = reader.child("consent")
        part.obj(frozenset({"channel", "purpose"}))
        consent = (part.child("channel").choice(Channel), part.child("purpose").choice(Purpose))
    preferences: tuple[PreferenceRule, ...] = ()
    if "preference" in raw:
        part = reader.child("preference")
        listed = part.items(10) if isinstance(part.value, list) else [part]
        preferences = tuple(_preference(item) for item in listed)
    history = _history(reader.child("history")) if "history" in raw else None
    return CustomerRule(frozenset(segments), frozenset(languages), consent, preferences, history)


def _audience(reader: JsonReader) -> Audience:
    raw = reader.obj(frozenset({"history_at", "within_days", "preference", "limit"}))
    audience = Audience(
        history_at=reader.child("history_at").field_path() if "history_at" in raw else None,
        within_days=reader.child("within_days").whole(1, 36_500) if "within_days" in raw else 730,
        preference=_preference(reader.child("preference")) if "preference" in raw else None,
        limit=reader.child("limit").whole(1, MAX_AUDIENCE) if "limit" in raw else None,
    )
    if (audience.history_at is None) == (audience.preference is None):
        raise reader.fail(
            "choose customers by history_at or by preference (one of them)",
            Phrase("refusal.audience"),
        )
    if audience.preference is not None and audience.preference.fits_item_of is not None:
        # Customers are found by a preference's subject; whether its attributes fit the item
        # is asked of each of them, under "customer".
        raise (
            reader.child("preference")
            .child("fits_item_of")
            .fail(
                "fits_item_of is a condition on each customer: put it under customer.preference",
                Phrase("refusal.fits_item_in_audience"),
            )
        )
    return audience


_TOP = frozenset(
    {"name", "trigger", "customer", "audience", "actions", "branches", "once_per_customer"}
)


def _horizon(reader: JsonReader) -> Horizon:
    raw = reader.obj(frozenset({"within_hours", "days_ahead", "before"}))
    if "within_hours" in raw:
        if len(raw) > 1:
            raise reader.fail(
                "give within_hours, or days_ahead (with before), not both",
                Phrase("refusal.horizon_both"),
            )
        hours = reader.child("within_hours").whole(1, MAX_HORIZON_HOURS)
        return Horizon(within=timedelta(hours=hours))
    if "days_ahead" not in raw:
        raise reader.fail(
            "say how far ahead: within_hours, or days_ahead (with before)",
            Phrase("refusal.horizon"),
        )
    days = reader.child("days_ahead").whole(0, MAX_DAYS_AHEAD)
    before = clock_time(reader.child("before")) if "before" in raw else None
    return Horizon(days_ahead=days, before=before)


def _tonight_only(reader: JsonReader, body: PlaybookBody) -> None:
    """Tonight's book has no customer: it holds capacity and tells staff, nothing else."""
    tonight = body.look_ahead is not None and body.look_ahead.subject is Subject.TONIGHT
    every = [*body.actions, *(a for b in body.branches for a in b.actions)]
    if not tonight:
        if any(isinstance(a, HoldCapacity) for a in every):
            raise reader.fail(
                'only a playbook reading "tonight" holds capacity',
                Phrase("refusal.hold_tonight_only"),
                "actions",
            )
        return
    if body.branches or body.customer != CustomerRule():
        raise reader.fail(
            "tonight's book has no customer to branch on",
            Phrase("refusal.tonight_no_branches"),
            "branches",
        )
    for action in body.actions:
        if isinstance(action, HoldCapacity):
            continue
        if not isinstance(action, CreateTask) or not action.assign_to.startswith(
            ("role:", "staff:")
        ):
            raise reader.fail(
                "tonight's book holds capacity or tasks a role or a staff member",
                Phrase("refusal.tonight_actions"),
                "actions",
            )


def _trigger(reader: JsonReader) -> tuple[str, LookAhead | None, tuple[Condition, ...]]:
    """An event type, or a look-ahead's state and horizon; with the conditions on either."""
    raw = reader.obj(frozenset({"event", "where", "state", "horizon"}))
    where = (
        tuple(_condition(item) for item in reader.child("where").items(MAX_CONDITIONS))
        if "where" in raw
        else ()
    )
    if "state" in raw:
        if "event" in raw:
            raise reader.fail(
                "a playbook reads an event or the state, not both",
                Phrase("refusal.event_or_state"),
                reader.at("event"),
            )
        subject = Subject(reader.child("state").choice(Subject))
        if "horizon" not in raw:
            raise reader.fail(
                "say how far ahead to look", Phrase("refusal.horizon"), reader.at("horizon")
            )
        look_ahead = LookAhead(subject, _horizon(reader.child("horizon")))
        return f"{LOOK_AHEAD_PREFIX}{subject.value}", look_ahead, where
    if "horizon" in raw:
        raise reader.fail(
            "only a playbook reading the state has a horizon",
            Phrase("refusal.horizon_ahead_only"),
            reader.at("horizon"),
        )
    event_type = reader.child("event").text()
    if known_type(event_type) is None and custom_type(event_type) is None:
        raise reader.fail(
            f"Heedful knows no event type {event_type}",
            Phrase("refusal.event_type", {"name": event_type}),
            reader.at("event"),
        )
    return event_type, None, where


def _branch(reader: JsonReader, looks_ahead: bool) -> Branch:
    raw = reader.obj(frozenset({"name", "when", "actions"}))
    where: tuple[Condition, ...] = ()
    customer = CustomerRule()
    if "when" in raw:
        when = reader.child("when")
        when_raw = when.obj(frozenset({"where", "customer"}))
        if "where" in when_raw:
            items = when.child("where").items(MAX_CONDITIONS)
            where = tuple(_condition(item) for item in items)
        customer = _customer(when.child("customer"))
    actions = tuple(
        read_action(item, looks_ahead) for item in reader.child("actions").items(MAX_ACTIONS)
    )
    if not actions:
        raise reader.fail(
            "a branch does at least one thing",
            Phrase("refusal.branch_no_actions"),
            reader.at("actions"),
        )
    name = reader.child("name").text(MAX_NAME) if "name" in raw else ""
    return Branch(name, where, customer, actions)


def read_playbook(source: Any) -> PlaybookBody:
    """The playbook a JSON document describes, or InvalidInput naming the path at fault."""
    reader = JsonReader(source, "")
    raw = reader.obj(_TOP)
    name = refuse_hidden_characters(reader.child("name").text(MAX_NAME), field="name")
    event_type, look_ahead, where = _trigger(reader.child("trigger"))
    audience = _audience(reader.child("audience")) if raw.get("audience") is not None else None
    # A look-ahead's object names its customer (the guest, the account holder).
    names_customer = look_ahead is not None or _names_customer(event_type)
    if audience is None and not names_customer:
        raise reader.fail(
            f"{event_type} names no customer: say whom to consider",
            Phrase("refusal.audience_needed", {"event": event_type}),
            "audience",
        )
    if audience is not None and names_customer:
        raise reader.fail(
            f"{event_type} names its customer: no audience is needed",
            Phrase("refusal.audience_not_needed", {"event": event_type}),
            "audience",
        )
    looks_ahead = look_ahead is not None
    branches = (
        tuple(_branch(item, looks_ahead) for item in reader.child("branches").items(MAX_BRANCHES))
        if raw.get("branches") is not None
        else ()
    )
    # With branches, "actions" is what is done when no branch holds, and may be left out.
    actions: tuple[Action, ...] = ()
    if "actions" in raw or not branches:
        items = reader.child("actions").items(MAX_ACTIONS)
        actions = tuple(read_action(item, looks_ahead) for item in items)
    if not actions and not branches:
        raise reader.fail(
            "a playbook does at least one thing", Phrase("refusal.no_actions"), "actions"
        )
    once = raw.get("once_per_customer")
    if once is not None and look_ahead is not None:
        raise reader.fail(
            "a look-ahead playbook fires once per customer, object and version",
            Phrase("refusal.once_ahead"),
            "once_per_customer",
        )
    if once is not None and once != "ever" and (not isinstance(once, str) or not duration(once)):
        raise reader.fail(
            'must be "ever", a span such as "P30D", or null',
            Phrase("refusal.once"),
            "once_per_customer",
        )
    body = PlaybookBody(
        name=name,
        event_type=event_type,
        where=where,
        customer=_customer(reader.child("customer")),
        audience=audience,
        actions=actions,
        once_per_customer=once,
        source=dict(raw),
        branches=branches,
        look_ahead=look_ahead,
    )
    _tonight_only(reader, body)
    return body


def _names_customer(event_type: str) -> bool:
    known = known_type(event_type)
    if known is None:
        # A business's own type names its customer when its schema requires a ``customer``.
        custom = custom_type(event_type)
        required = custom.schema.get("required", ()) if custom is not None else ()
        return isinstance(required, list) and "customer" in required
    return any(f.kind is CUSTOMER and f.name == "customer" and f.required for f in known.fields)
