"""The console's lists, reports and CSV downloads show location B's staff nothing of location A.

The same guest as test_api_scope_lists.py (Zinaida, with something in every list at A); B's
agent and manager log in to the console and read every page that lists customers or counts
their figures, with and without asking for location A.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from console_world import World, log_in
from fastapi.testclient import TestClient
from test_api_scope_lists import EMAIL, NAME, zinaida_everywhere_at_a

from heedful.core.access.model import Role
from heedful.entrypoints.web import create_app

if TYPE_CHECKING:
    from api_personas import ApiWorld

pytest_plugins = ["api_personas"]

PAGES = [
    "/console/tasks",
    "/console/promises",
    "/console/outbox",
    "/console/inbox",
    "/console/recoveries",
    "/console/churn",
    "/console/promises/report",
    "/console/promises/report?format=csv",
    "/console/responsiveness",
    "/console/responsiveness?format=csv",
    "/console/goodwill/report",
    "/console/goodwill/report?format=csv",
    "/console/experience",
    "/console/experience?format=csv",
]


@pytest.mark.parametrize("role", [Role.AGENT, Role.MANAGER])
def test_no_console_page_shows_bs_staff_a_guest_of_a(api_world: ApiWorld, role: Role) -> None:
    made = zinaida_everywhere_at_a(api_world)
    world = World(api_world.container)
    world.staff(f"{role.value}-b", "Bohdan Lviv", role, at=[api_world.location_b])
    world.staff("manager-a", "Anton Kyiv", Role.MANAGER, at=[api_world.location_a])
    loc_a = api_world.location_a.id
    with (
        TestClient(create_app(api_world.container)) as staff_b,
        TestClient(create_app(api_world.container)) as staff_a,
    ):
        log_in(staff_b, f"{role.value}-b")
        log_in(staff_a, "manager-a")
        assert NAME in staff_a.get("/console/tasks").text  # the check below is not vacuous
        assert NAME in staff_a.get("/console/churn").text
        for page in PAGES:
            joiner = "&" if "?" in page else "?"
            for url in (page, f"{page}{joiner}location_id={loc_a}"):
                response = staff_b.get(url)
                assert response.status_code in (200, 403, 404), f"{url}: {response.status_code}"
                for secret in (*made.values(), NAME, EMAIL):
                    assert secret not in response.text, f"{role.value} of B: {url} shows {secret}"
