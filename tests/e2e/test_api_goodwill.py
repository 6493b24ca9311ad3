"""Goodwill through the API: an allowance, a spend over it refused naming the field, an approval."""

from __future__ import annotations

from api_personas import Api, ApiWorld

pytest_plugins = ["api_personas"]


def test_an_agent_gives_a_dessert_waits_for_the_manager_and_is_refused_past_the_month(
    api: Api, api_world: ApiWorld
) -> None:
    where = api_world.location_a.id
    manager, agent = api_world.api(api_world.manager_a), api_world.api(api_world.agent_a)
    set_up = manager.post(
        "/goodwill/allowances",
        json={
            "location_id": where,
            "kind": "dessert",
            "amount": "3",
            "role": "agent",
            "approval_above": "1",
        },
    )
    assert set_up.status_code == 201, set_up.text
    anna = api.create_customer("Anna Koval", home_location_id=where)
    spend = {"location_id": where, "kind": "dessert", "amount": "2", "reason": "waited 40 min"}

    first = agent.post(
        f"/customers/{anna['id']}/goodwill", json=spend, headers={"Idempotency-Key": "k-1"}
    )
    again = agent.post(
        f"/customers/{anna['id']}/goodwill", json=spend, headers={"Idempotency-Key": "k-1"}
    )

    assert first.status_code == 201, first.text
    assert first.json()["state"] == "awaiting_approval"
    assert again.json()["id"] == first.json()["id"]  # a retried tap gives one dessert, not two
    [left] = agent.get(f"/goodwill/allowances/mine?location_id={where}").json()
    assert (left["spent"], left["left"]) == ("2.00", "1.00")

    refused = agent.post(f"/customers/{anna['id']}/goodwill", json=spend)
    assert refused.status_code == 422
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["field"] == "amount"
    assert "1 × dessert left" in refused.json()["detail"]

    [waiting] = manager.get("/goodwill/approvals").json()
    approved = manager.post(f"/goodwill/spends/{waiting['id']}/approve", json={"note": "yes"})
    assert approved.status_code == 200, approved.text
    assert approved.json()["state"] == "given"
    assert approved.json()["decided_by_label"] == "API token manager@A"
    [given] = agent.get(f"/customers/{anna['id']}/goodwill").json()
    assert (given["kind"], given["amount"], given["state"]) == ("dessert", "2.00", "given")
    report = manager.get("/reports/goodwill").json()
    assert (report["given"], report["items"]) == (1, {"dessert": "2.00"})


def test_a_malformed_amount_is_a_problem_naming_the_field(api: Api, api_world: ApiWorld) -> None:
    anna = api.create_customer("Anna Koval", home_location_id=api_world.location_a.id)
    body = {"location_id": api_world.location_a.id, "kind": "money", "amount": "1e3", "reason": "x"}

    refused = api.post(f"/customers/{anna['id']}/goodwill", json=body)

    assert refused.status_code == 422
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["field"] == "amount"
