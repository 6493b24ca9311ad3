"""The event vocabulary: Heedful's types described with schemas, and a business's own types."""

from __future__ import annotations

import pytest
from builders import a_manager, an_admin
from custom_event_types import (  # the autouse fixture clears the registered types
    TABLE_TURNED_SCHEMA,
    _no_custom_types_left,  # noqa: F401
    event,
)
from fakes import FakeUnitOfWork
from jsonschema import Draft202012Validator, FormatChecker

from heedful.core.events.described import DESCRIBED, STATE_TYPES, json_schema
from heedful.core.events.fields import check_data
from heedful.core.events.handlers import accept_events
from heedful.core.events.registering import (
    EventTypeIn,
    change_event_type,
    register_event_type,
    remove_event_type,
    vocabulary,
)
from heedful.core.events.types import EVENT_TYPES
from heedful.core.events.vocabulary import MAX_SCHEMA_BYTES
from heedful.core.shared.clock import FrozenClock
from heedful.core.shared.errors import Conflict, Forbidden, InvalidInput

TABLE_TURNED = TABLE_TURNED_SCHEMA


def test_every_type_heedful_knows_is_described_with_an_example_its_schema_accepts() -> None:
    assert set(DESCRIBED) == set(EVENT_TYPES)
    for name, about in DESCRIBED.items():
        schema = json_schema(EVENT_TYPES[name])
        Draft202012Validator.check_schema(schema)
        check_data(EVENT_TYPES[name], about.example)  # the field check agrees with the example
        validator = Draft202012Validator(schema, format_checker=FormatChecker())
        assert list(validator.iter_errors(dict(about.example))) == [], name
        assert about.description


def test_the_schema_refuses_what_the_field_check_refuses() -> None:
    schema = json_schema(EVENT_TYPES["heedful.stock.changed"])
    validator = Draft202012Validator(schema)
    both = {"code": "x", "location": "l", "quantity": 1, "delta": 2}
    assert not validator.is_valid(both)  # exactly one of quantity and delta
    assert not validator.is_valid({"code": "x", "location": "l", "quantity": -1})


def test_a_registered_type_is_listed_and_its_events_are_accepted(clock: FrozenClock) -> None:
    uow = FakeUnitOfWork()
    register_event_type(
        "acme.table.turned", EventTypeIn("A table turned", TABLE_TURNED), uow, clock, an_admin()
    )
    names = [entry.name for entry in vocabulary(uow)]
    assert names[-1] == "acme.table.turned"
    assert "heedful.stock.changed" in names
    report = accept_events(
        uow,
        clock,
        [event("e-1", "acme.table.turned", {"location": "x", "table": "12", "minutes": 50})],
    )
    assert (report.accepted, report.rejected) == (1, [])


def test_data_breaking_a_business_schema_is_refused_by_index_naming_the_field(
    clock: FrozenClock,
) -> None:
    uow = FakeUnitOfWork()
    register_event_type("acme.table.turned", EventTypeIn("", TABLE_TURNED), uow, clock, an_admin())
    good = {"location": "x", "table": "12", "minutes": 50}
    report = accept_events(
        uow,
        clock,
        [
            event("e-1", "acme.table.turned", good),
            event("e-2", "acme.table.turned", {**good, "minutes": -3}),
            event("e-3", "acme.table.turned", {"location": "x", "minutes": 1}),
            event("e-4", "acme.table.turned", good),
        ],
    )
    assert report.accepted == 2
    assert [(r.index, r.field) for r in report.rejected] == [(1, "data.minutes"), (2, "data.table")]
    assert "minimum" in report.rejected[0].reason or "less than" in report.rejected[0].reason


@pytest.mark.parametrize(
    ("schema", "field"),
    [
        ({"type": "object", "properties": {"n": {"type": "integr"}}}, "schema.properties.n.type"),
        ({"type": "object", "required": "table"}, "schema.required"),
        ({"type": "array"}, "schema.type"),
        ([1, 2], "schema"),
        (
            {"type": "object", "properties": {"a": {"$ref": "https://example.com/s.json"}}},
            "schema.properties.a.$ref",
        ),
    ],
)
def test_a_schema_that_is_itself_invalid_is_refused_naming_the_field(
    clock: FrozenClock, schema: object, field: str
) -> None:
    uow = FakeUnitOfWork()
    with pytest.raises(InvalidInput) as refused:
        register_event_type("acme.x.happened", EventTypeIn("", schema), uow, clock, an_admin())
    assert refused.value.field == field
    assert uow.committed == 0


def test_a_schema_is_bounded_in_size(clock: FrozenClock) -> None:
    huge = {"type": "object", "description": "x" * MAX_SCHEMA_BYTES}
    with pytest.raises(InvalidInput) as refused:
        register_event_type(
            "acme.x.happened", EventTypeIn("", huge), FakeUnitOfWork(), clock, an_admin()
        )
    assert refused.value.field == "schema"


@pytest.mark.parametrize("name", ["heedful.thing.done", "Acme.Table", "nodots", "acme..x"])
def test_a_name_must_be_dotted_lowercase_and_not_heedfuls(clock: FrozenClock, name: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        register_event_type(
            name, EventTypeIn("", TABLE_TURNED), FakeUnitOfWork(), clock, an_admin()
        )
    assert refused.value.field == "name"


def test_only_admins_register_and_a_name_is_registered_once(clock: FrozenClock) -> None:
    uow = FakeUnitOfWork()
    with pytest.raises(Forbidden):
        register_event_type(
            "acme.x.happened", EventTypeIn("", TABLE_TURNED), uow, clock, a_manager()
        )
    register_event_type("acme.x.happened", EventTypeIn("", TABLE_TURNED), uow, clock, an_admin())
    with pytest.raises(Conflict):
        register_event_type(
            "acme.x.happened", EventTypeIn("", TABLE_TURNED), uow, clock, an_admin()
        )


def test_a_type_acting_as_heedfuls_carries_its_fields_too(clock: FrozenClock) -> None:
    uow = FakeUnitOfWork()
    schema = {"type": "object", "properties": {"till": {"type": "string"}}}
    register_event_type(
        "acme.pos.sale", EventTypeIn("", schema, "heedful.purchase.made"), uow, clock, an_admin()
    )
    [entry] = [e for e in vocabulary(uow) if e.name == "acme.pos.sale"]
    assert entry.updates == "history"
    report = accept_events(uow, clock, [event("e-1", "acme.pos.sale", {"till": "3"})])
    assert [r.field for r in report.rejected] == ["data.customer"]
    with pytest.raises(InvalidInput) as refused:
        register_event_type(
            "acme.pos.other",
            EventTypeIn("", schema, "heedful.price.changed"),
            uow,
            clock,
            an_admin(),
        )
    assert refused.value.field == "acts_as"
    assert "heedful.price.changed" not in STATE_TYPES


def test_a_changed_schema_checks_new_events_and_a_removed_type_is_refused(
    clock: FrozenClock,
) -> None:
    uow = FakeUnitOfWork()
    admin = an_admin()
    register_event_type("acme.x.happened", EventTypeIn("", TABLE_TURNED), uow, clock, admin)
    change_event_type("acme.x.happened", EventTypeIn("", {"type": "object"}), uow, clock, admin)
    assert accept_events(uow, clock, [event("e-1", "acme.x.happened", {})]).accepted == 1
    remove_event_type("acme.x.happened", uow, admin)
    report = accept_events(uow, clock, [event("e-2", "acme.x.happened", {})])
    assert [r.field for r in report.rejected] == ["type"]


def test_the_docs_page_lists_every_type_as_the_registry_describes_it() -> None:
    import importlib.util
    from pathlib import Path

    script = Path(__file__).parents[3] / "scripts" / "event_vocabulary_doc.py"
    spec = importlib.util.spec_from_file_location("event_vocabulary_doc", script)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    page = module.PAGE.read_text(encoding="utf-8")
    assert module.rewritten(page) == page, "run python scripts/event_vocabulary_doc.py"
    for name in EVENT_TYPES:
        assert f"### {name}" in page
