"""What administrators and managers do from the console: tokens, merges, export and erasure."""

from __future__ import annotations

import json
import re

from console_world import World, csrf_of, log_in
from fastapi.testclient import TestClient

from heedful.core.access.model import Role


def test_a_new_token_shows_its_secret_once_and_can_be_revoked(
    console_client: TestClient, world: World
) -> None:
    world.staff("root", "Olena Admin", Role.ADMIN)
    csrf = log_in(console_client, "root")

    created = console_client.post(
        "/admin/tokens", data={"name": "hotel PMS", "role": "admin", "csrf_token": csrf}
    )
    secret = re.search(r'id="new-secret" value="(hdf_[^"]+)"', created.text)
    listed = console_client.get("/admin/tokens")

    assert created.status_code == 200
    assert secret is not None
    assert "hotel PMS" in listed.text
    assert secret.group(1) not in listed.text
    assert secret.group(1)[:10] in listed.text  # the prefix tells tokens apart

    token_id = re.search(r'action="/admin/tokens/(tok_\w+)/revoke"', listed.text)
    assert token_id is not None
    revoked = console_client.post(
        f"/admin/tokens/{token_id.group(1)}/revoke", data={"csrf_token": csrf}
    )
    assert "Revoked 2 March 2026" in revoked.text


def test_an_agent_has_no_tokens_page(console_client: TestClient, world: World) -> None:
    hotel = world.location("Hotel Moscow")
    world.staff("maria", "Maria Ivanova", Role.AGENT, at=[hotel])
    log_in(console_client, "maria")

    page = console_client.get("/admin/tokens")

    assert page.status_code == 403
    assert "Your role does not allow this." in page.text


def test_an_admin_merges_two_records_of_one_guest_and_undoes_it(
    console_client: TestClient, world: World
) -> None:
    hotel = world.location("Hotel Moscow")
    anna = world.customer("Anna Petrova", at=hotel, phone="+7 916 123-45-67")
    twin = world.customer("Anna Petrova", at=hotel, phone="+7 903 000-00-00")
    world.staff("root", "Olena Admin", Role.ADMIN)
    csrf = log_in(console_client, "root")

    console_client.post(
        f"/customers/{anna.id}/merge",
        data={"absorbed_id": twin.id, "reason": "same guest", "csrf_token": csrf},
    )
    merged = console_client.get(f"/customers/{anna.id}").text
    assert "+79030000000" in merged
    assert "The record of Anna Petrova was merged into this one by Olena Admin" in merged

    merge_id = re.search(r'/merges/(mrg_\w+)/undo"', merged)
    assert merge_id is not None
    console_client.post(
        f"/customers/{anna.id}/merges/{merge_id.group(1)}/undo", data={"csrf_token": csrf}
    )
    undone = console_client.get(f"/customers/{anna.id}").text
    assert "+79030000000" not in undone
    assert "Undone 2 March 2026" in undone


def test_the_other_record_is_found_by_what_the_desk_knows_and_the_card_changes_at_once(
    console_client: TestClient, world: World
) -> None:
    hotel = world.location("Hotel Moscow")
    anna = world.customer("Anna Petrova", at=hotel, phone="+7 916 123-45-67")
    by_phone = world.customer("Анна Петрова", at=hotel, phone="+7 903 000-00-00")
    world.customer("Boris Orlov", at=hotel)
    world.customer("Boris Orlovsky", at=hotel)
    world.staff("root", "Olena Admin", Role.ADMIN)
    csrf = log_in(console_client, "root")
    htmx = {"HX-Request": "true"}

    # Typed as the guest says it: her other phone finds the one record, and the card reloads.
    merged = console_client.post(
        f"/customers/{anna.id}/merge",
        data={"absorbed_id": "903 000 00 00", "reason": "", "csrf_token": csrf},
        headers=htmx,
    )
    assert merged.headers["HX-Refresh"] == "true"
    card = console_client.get(f"/customers/{anna.id}").text
    assert "The record of Анна Петрова was merged into this one by Olena Admin" in card
    assert by_phone.id not in console_client.get("/customers", params={"q": "Петрова"}).text

    # Two records answer to "Orlov": the form asks which, and nothing is merged yet.
    several = console_client.post(
        f"/customers/{anna.id}/merge",
        data={"absorbed_id": "Orlov", "reason": "", "csrf_token": csrf},
        headers=htmx,
    )
    assert several.status_code == 422
    assert "Several customers match: choose one below." in several.text
    assert "Boris Orlovsky" in several.text
    chosen = re.search(r'name="chosen_id" value="(cus_\w+)"> Boris Orlovsky', several.text)
    assert chosen is not None
    console_client.post(
        f"/customers/{anna.id}/merge",
        data={"absorbed_id": "Orlov", "chosen_id": chosen.group(1), "csrf_token": csrf},
    )
    assert (
        "The record of Boris Orlovsky was merged"
        in console_client.get(f"/customers/{anna.id}").text
    )


def test_a_record_with_her_phone_in_another_form_is_offered_for_merging(
    console_client: TestClient, world: World
) -> None:
    hotel = world.location("Hotel Moscow")
    anna = world.customer("Anna Petrova", at=hotel, phone="+7 916 123-45-67")
    # Typed at a till without the country code: stored as another number.
    till = world.customer("A. Petrova", at=hotel, phone="9161234567")
    world.staff("root", "Olena Admin", Role.ADMIN)
    log_in(console_client, "root")

    card = console_client.get(f"/customers/{anna.id}").text

    assert "Possibly the same person" in card
    assert f'href="/customers/{till.id}">A. Petrova</a>' in card
    assert "Same phone in another form" in card


def test_merging_with_an_unknown_id_is_refused_next_to_the_field(
    console_client: TestClient, world: World
) -> None:
    hotel = world.location("Hotel Moscow")
    anna = world.customer("Anna Petrova", at=hotel)
    world.staff("lena", "Lena Manager", Role.MANAGER, at=[hotel])
    csrf = log_in(console_client, "lena")

    refused = console_client.post(
        f"/customers/{anna.id}/merge",
        data={"absorbed_id": "cus_nobody", "reason": "", "csrf_token": csrf},
        headers={"HX-Request": "true"},
    )

    assert refused.status_code == 422
    assert 'id="absorbed_id-error"' in refused.text
    assert "There is no such customer, or not at your locations." in refused.text


def test_an_admin_exports_a_customer_as_json(console_client: TestClient, world: World) -> None:
    hotel = world.location("Hotel Moscow")
    anna = world.customer("Анна Петрова", at=hotel, phone="+7 916 123-45-67")
    world.staff("root", "Olena Admin", Role.ADMIN)
    csrf = log_in(console_client, "root")

    exported = console_client.post(f"/customers/{anna.id}/export", data={"csrf_token": csrf})

    assert exported.headers["content-disposition"].startswith("attachment;")
    document = json.loads(exported.text)
    assert document["customer"]["full_name"] == "Анна Петрова"
    assert [i["value"] for i in document["identities"]] == ["+79161234567"]


def test_erasing_asks_for_a_reason_and_a_confirmation_before_removing_the_person(
    console_client: TestClient, world: World
) -> None:
    hotel = world.location("Hotel Moscow")
    anna = world.customer("Anna Petrova", at=hotel, phone="+7 916 123-45-67")
    world.staff("root", "Olena Admin", Role.ADMIN)
    csrf = log_in(console_client, "root")

    unconfirmed = console_client.post(
        f"/customers/{anna.id}/erase", data={"reason": "asked by e-mail", "csrf_token": csrf}
    )
    no_reason = console_client.post(
        f"/customers/{anna.id}/erase", data={"reason": " ", "confirm": "yes", "csrf_token": csrf}
    )
    assert unconfirmed.status_code == 422
    assert "Tick the box to confirm" in unconfirmed.text
    assert no_reason.status_code == 422
    assert 'id="reason-error"' in no_reason.text
    assert "Anna Petrova" in console_client.get(f"/customers/{anna.id}").text

    erased = console_client.post(
        f"/customers/{anna.id}/erase",
        data={"reason": "asked by e-mail", "confirm": "yes", "csrf_token": csrf},
    )
    assert erased.status_code == 200
    assert "Contacts removed: 1" in erased.text
    assert "Anna Petrova" not in console_client.get(f"/customers/{anna.id}").text
    assert "Nobody found" in console_client.get("/customers", params={"q": "Petrova"}).text


def test_the_audit_log_is_shown_to_managers_and_not_to_front_line_staff(
    console_client: TestClient, world: World
) -> None:
    hotel = world.location("Hotel Moscow")
    anna = world.customer("Anna Petrova", at=hotel)
    world.staff("lena", "Lena Manager", Role.MANAGER, at=[hotel])
    world.staff("maria", "Maria Ivanova", Role.AGENT, at=[hotel])

    log_in(console_client, "lena")
    as_manager = console_client.get(f"/customers/{anna.id}").text
    console_client.post("/logout", data={"csrf_token": csrf_of(as_manager)})
    log_in(console_client, "maria")
    as_agent = console_client.get(f"/customers/{anna.id}").text

    assert "Audit log" in as_manager
    assert "Customer created" in as_manager
    assert "home_location_id: Hotel Moscow" in as_manager
    assert "Audit log" not in as_agent


def test_an_admin_gives_a_token_an_expiry_day_and_a_past_one_is_refused_by_the_field(
    console_client: TestClient, world: World
) -> None:
    world.staff("root", "Olena Admin", Role.ADMIN)
    csrf = log_in(console_client, "root")

    made = console_client.post(
        "/admin/tokens",
        data={"name": "nightly", "role": "admin", "expires_on": "2026-04-01", "csrf_token": csrf},
    )
    past = console_client.post(
        "/admin/tokens",
        data={"name": "late", "role": "admin", "expires_on": "2026-03-01", "csrf_token": csrf},
    )

    assert made.status_code == 200
    assert "1 April 2026" in made.text  # the list's Expires column
    assert past.status_code == 422
    assert 'id="token-expires"' in past.text
    assert "Choose a day still to come." in past.text
    assert 'aria-invalid="true" aria-describedby="expires_on-error"' in past.text
