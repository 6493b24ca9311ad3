"""The playbook form offers the business's own event types as triggers (ADR 0055).

The restaurant's table system sends ``acme.table.turned``; the admin registered it on the event
types page. The manager opens "New playbook": the form's "Event" list has the type beside
Heedful's own, a document waiting for it is drawn with it chosen and read without a problem, and
the playbook she saves fires on the next table turned.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from console_world import World, csrf_of, log_in
from fastapi.testclient import TestClient
from test_console_playbook_form import FormFields

from heedful.bootstrap import Container
from heedful.core.access.model import SYSTEM, Role
from heedful.core.engine.reactions import process_events
from heedful.core.events.model import BusinessEvent
from heedful.core.events.vocabulary import use_custom_types
from heedful.core.playbooks import handlers as playbooks
from heedful.core.shared.clock import FrozenClock
from heedful.core.staff.model import LocationKind

TURNED = "acme.table.turned"
# It names its customer (the party at the table), so a playbook may act for her.
SCHEMA = {
    "type": "object",
    "required": ["customer", "table"],
    "properties": {"customer": {"type": "object"}, "table": {"type": "string"}},
}
THANK_THE_TABLE = {
    "name": "A table turned: ask how it was",
    "trigger": {"event": TURNED},
    "actions": [
        {
            "do": "create_task",
            "title": "Table {{data.table}}: ask how it was",
            "assign_to": "role:agent",
        }
    ],
}


@pytest.fixture(autouse=True)
def _no_custom_types_left() -> Iterator[None]:
    use_custom_types([])
    yield
    use_custom_types([])


def _event_options(page: str) -> list[str]:
    start = page.index('data-path="trigger.event"')
    end = page.index("</select>", start)
    return [chunk.split('"', 1)[0] for chunk in page[start:end].split('<option value="')[1:]]


def test_a_registered_type_is_offered_chosen_and_fires_the_playbook_saved_from_the_form(
    console_client: TestClient, world: World, container: Container, clock: FrozenClock
) -> None:
    kruchi = world.location(
        "Ресторан «Кручі»", time_zone="Europe/Kyiv", kind=LocationKind.RESTAURANT
    )
    world.staff("root", "Тарас Адмін", Role.ADMIN, language="uk")
    world.staff("olena", "Олена Шевченко", Role.MANAGER, language="uk", at=[kruchi])
    marta = world.customer("Марта Гнатюк", at=kruchi, language="uk")
    csrf = log_in(console_client, "root")
    registered = console_client.post(
        "/admin/event-types",
        data={"csrf_token": csrf, "name": TURNED, "data_schema": json.dumps(SCHEMA), "acts_as": ""},
    )
    assert registered.status_code == 200

    csrf = log_in(console_client, "olena")
    page = console_client.get("/console/playbooks/new")
    offered = _event_options(page.text)
    assert TURNED in offered
    assert "heedful.stock.changed" in offered
    assert offered.index(TURNED) > offered.index("heedful.stock.changed")  # Heedful's own first

    drawn = console_client.post(
        "/console/playbooks/form",
        data={"source": json.dumps(THANK_THE_TABLE)},
        headers={"X-CSRF-Token": csrf},
    )
    parser = FormFields()
    parser.feed(drawn.text)
    assert {path: value for path, _, _, value in parser.fields}["trigger.event"] == TURNED
    assert _event_options(drawn.text).count(TURNED) == 1  # offered, not added as a stray value
    checked = console_client.post(
        "/console/playbooks/validate",
        data={"source": json.dumps(THANK_THE_TABLE)},
        headers={"X-CSRF-Token": csrf},
    )
    assert checked.json()["errors"] == []

    saved = console_client.post(
        "/console/playbooks",
        data={"source": json.dumps(THANK_THE_TABLE), "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert saved.status_code == 303, saved.text
    [made] = playbooks.list_playbooks(container.uow(), SYSTEM)
    playbooks.set_enabled(made.id, True, container.uow(), clock, SYSTEM)
    with container.uow() as uow:
        uow.events.accept(
            [
                BusinessEvent(
                    "urn:acme-tables",
                    "turn-1",
                    TURNED,
                    {"customer": {"id": marta.id}, "location": kruchi.id, "table": "7"},
                    time=clock.now(),
                )
            ],
            received_at=clock.now(),
        )
        uow.commit()
    process_events(container.uow, clock)

    [firing] = playbooks.list_firings(made.id, container.uow(), SYSTEM)
    assert firing.event_type == TURNED
