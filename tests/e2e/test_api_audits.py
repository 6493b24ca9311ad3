"""Service audits through the API, on SQLite and PostgreSQL: set-up, an evaluator's visit, review.

An evaluator's app speaks with an evaluator API token; the panel links her profile to it.
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

from api_personas import ApiWorld, Persona
from pypdf import PdfReader

from heedful.core.access.model import Role

pytest_plugins = ["api_personas"]

FORM: dict[str, Any] = {
    "titles": {"en": "Boutique visit", "uk": "Візит до бутика"},
    "sections": [
        {
            "key": "service",
            "titles": {"en": "Service", "uk": "Сервіс"},
            "items": [
                {
                    "key": "greeted",
                    "kind": "yes_no",
                    "titles": {"en": "Greeted within a minute?", "uk": "Привітали за хвилину?"},
                    "weight": 2,
                    "knockout_cap": 50,
                    "guidance": {"uk": "Вітайте кожного гостя протягом хвилини."},
                },
                {"key": "music", "kind": "scale", "titles": {"en": "Music"}, "scale_max": 5},
                {"key": "window", "kind": "photo", "titles": {"en": "Window display"}},
            ],
        }
    ],
}


def _set_up(world: ApiWorld) -> tuple[dict[str, str], dict[str, Persona]]:
    """A questionnaire, a programme for location A, and two evaluators (their app tokens)."""
    manager = world.api(world.manager_a)
    made = manager.post("/audits/questionnaires", json=FORM)
    assert made.status_code == 201, made.text
    programme = manager.post(
        "/audits/programmes",
        json={
            "name": "Boutiques",
            "questionnaire_id": made.json()["id"],
            "rules": [{"location_ids": [world.location_a.id], "segments": ["vip"]}],
            "lockout_days": 30,
        },
    )
    assert programme.status_code == 201, programme.text
    placed = manager.request(
        "PUT",
        f"/audits/locations/{world.location_a.id}/position",
        json={"latitude": 50.4501, "longitude": 30.5234},
    )
    assert placed.status_code == 200, placed.text
    ids = {"questionnaire": made.json()["id"], "programme": programme.json()["id"]}
    tokens: dict[str, Persona] = {}
    for name in ("iryna", "halyna"):
        token = world.new_token(name, Role.EVALUATOR)
        tokens[name] = token
        enrolled = manager.post(
            "/audits/evaluators",
            json={
                "staff_id": token.token_id,
                "display_name": name.title(),
                "segments": ["VIP"],
                "languages": ["uk"],
                "cities": ["Kyiv"],
            },
        )
        assert enrolled.status_code == 201, enrolled.text
        ids[name] = enrolled.json()["id"]
    return ids, tokens


def _assign(world: ApiWorld, ids: dict[str, str], evaluator: str) -> str:
    start = world.clock.now()
    made = world.api(world.manager_a).post(
        "/audits/assignments",
        json={
            "programme_id": ids["programme"],
            "evaluator_id": ids[evaluator],
            "location_id": world.location_a.id,
            "wave": "2026-03",
            "window_start": start.isoformat(),
            "window_end": (start + timedelta(days=2)).isoformat(),
            "scenario": "Ask to be told when the sold-out bag is back",
        },
    )
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


def test_an_evaluator_fills_submits_and_a_manager_validates_and_reads_results(
    api_world: ApiWorld,
) -> None:
    world = api_world
    ids, tokens = _set_up(world)
    manager = world.api(world.manager_a)
    proposals = manager.get(
        f"/audits/programmes/{ids['programme']}/proposals",
        params={"location_id": world.location_a.id},
    ).json()
    assert [p["fits"] for p in proposals] == [True, True]
    mine_id = _assign(world, ids, "iryna")
    theirs_id = _assign(world, ids, "halyna")
    iryna = world.api(tokens["iryna"])

    listed = iryna.get("/audits/my-assignments").json()
    assert [a["id"] for a in listed] == [mine_id]
    assert listed[0]["visit_state"] == "draft"
    assert iryna.get(f"/audits/visits/{theirs_id}").status_code == 404
    assert iryna.get("/customers").status_code == 403

    wrong = iryna.request(
        "PUT", f"/audits/visits/{mine_id}", json={"answers": {"music": {"value": 9}}}
    )
    assert wrong.status_code == 422
    assert wrong.headers["content-type"] == "application/problem+json"
    assert "answers.music.value" in wrong.text

    draft = {
        "answers": {
            "greeted": {"value": False, "comment": "Nobody looked up"},
            "music": {"value": 5},
            "window": {"value": ["att_1"]},
        },
        "attachments": [{"id": "att_1", "sha256": "ab" * 32}],
        "check_in": {"latitude": 50.45, "longitude": 30.52},
    }
    key = {"Idempotency-Key": "draft-1"}
    saved = iryna.request("PUT", f"/audits/visits/{mine_id}", json=draft, headers=key)
    again = iryna.request("PUT", f"/audits/visits/{mine_id}", json=draft, headers=key)
    assert saved.status_code == again.status_code == 200
    assert again.json() == saved.json()

    altered = manager.request(
        "PUT", f"/audits/visits/{mine_id}", json={"answers": {"greeted": {"value": True}}}
    )
    assert altered.status_code == 403

    submitted = iryna.post(f"/audits/visits/{mine_id}/submit")
    assert submitted.status_code == 200, submitted.text
    assert submitted.json()["flags"] == []  # the machine's flags are the reviewer's
    # 2*0 + 1*1 of 3 = 33.3, under the knock-out's cap of 50
    assert round(submitted.json()["score"], 1) == 33.3
    assert manager.get(f"/audits/visits/{mine_id}").json()["state"] == "submitted"

    validated = manager.post(f"/audits/visits/{mine_id}/validate", json={})
    assert validated.status_code == 200, validated.text
    assert validated.json()["answers"]["greeted"]["value"] is False
    assert validated.json()["flags"] == []  # checked in about 170 m from the door

    results = manager.get("/audits/results", params={"wave": "2026-03", "language": "uk"})
    assert results.status_code == 200, results.text
    [podil] = results.json()["locations"]
    assert (podil["location"], podil["rank"], podil["visits"]) == ("Podil boutique", 1, 1)
    advice = podil["recommendations"][0]
    assert advice["item_key"] == "greeted"
    assert advice["title"] == "Привітали за хвилину?"
    assert advice["guidance"] == "Вітайте кожного гостя протягом хвилини."
    assert advice["comments"] == ["Nobody looked up"]

    as_csv = manager.get("/audits/results", params={"format": "csv"})
    assert as_csv.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert rows[0]["level"] == "location"
    assert rows[0]["score"] == "33.3"


def test_a_reviewer_returns_a_visit_with_a_comment_and_cannot_return_it_twice(
    api_world: ApiWorld,
) -> None:
    world = api_world
    ids, tokens = _set_up(world)
    visit_id = _assign(world, ids, "iryna")
    iryna = world.api(tokens["iryna"])
    answers = {"greeted": {"value": True}, "music": {"value": 4}}
    iryna.request("PUT", f"/audits/visits/{visit_id}", json={"answers": answers})
    assert iryna.post(f"/audits/visits/{visit_id}/submit").status_code == 200
    manager = world.api(world.manager_a)
    blank = manager.post(f"/audits/visits/{visit_id}/return", json={})
    assert blank.status_code == 422
    assert "comment" in blank.text
    returned = manager.post(f"/audits/visits/{visit_id}/return", json={"comment": "Check in"})
    assert returned.json()["state"] == "returned"
    assert [f["code"] for f in returned.json()["flags"]] == ["no_check_in"]
    assert manager.post(f"/audits/visits/{visit_id}/validate", json={}).status_code == 409
    assert iryna.get(f"/audits/visits/{visit_id}").json()["review_comment"] == "Check in"
    far = {"answers": answers, "check_in": {"latitude": 50.4650, "longitude": 30.5150}}
    iryna.request("PUT", f"/audits/visits/{visit_id}", json=far)
    assert iryna.post(f"/audits/visits/{visit_id}/submit").status_code == 200
    flags = manager.get(f"/audits/visits/{visit_id}").json()["flags"]
    assert [f["code"] for f in flags] == ["far_from_location"]
    assert flags[0]["detail"]["allowed"] == "300"
    panel = {p["display_name"]: p for p in manager.get("/audits/evaluators").json()}
    assert panel["Iryna"]["returned"] == 1
    assert panel["Iryna"]["reliability"] == round(1 / 3, 3)


def _pdf_text(document: bytes) -> str:
    reader = PdfReader(io.BytesIO(document))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_a_manager_downloads_her_locations_wave_report_as_a_pdf_in_russian(
    api_world: ApiWorld,
) -> None:
    world = api_world
    ids, tokens = _set_up(world)
    visit_id = _assign(world, ids, "iryna")
    iryna = world.api(tokens["iryna"])
    answers = {
        "greeted": {"value": False, "comment": "Никто не поднял глаз"},
        "music": {"value": 5},
    }
    iryna.request("PUT", f"/audits/visits/{visit_id}", json={"answers": answers})
    assert iryna.post(f"/audits/visits/{visit_id}/submit").status_code == 200
    manager = world.api(world.manager_a)
    assert manager.post(f"/audits/visits/{visit_id}/validate", json={}).status_code == 200
    where = {"location_id": world.location_a.id, "language": "ru"}

    got = manager.get("/audits/waves/2026-03/report.pdf", params=where)

    assert got.status_code == 200, got.text
    assert got.headers["content-type"] == "application/pdf"
    assert "attachment" in got.headers["content-disposition"]
    assert got.content.startswith(b"%PDF-")
    text = _pdf_text(got.content)
    assert "Podil boutique" in text
    assert "Балл: 33 / 100" in text  # 2*0 + 1*1 of 3, in Russian
    assert "Самые слабые пункты и что делать" in text
    assert "Никто не поднял глаз" in text  # what the evaluator wrote, under the weak item
    assert "2026-03" in text  # the trend's one wave
    empty = manager.get("/audits/waves/2025-01/report.pdf", params=where)
    assert "В этой волне ещё нет подтверждённых визитов." in _pdf_text(empty.content)
    # Another location's manager learns nothing; an evaluator has no reports at all.
    other = world.api(world.manager_b)
    assert other.get("/audits/waves/2026-03/report.pdf", params=where).status_code == 404
    assert iryna.get("/audits/waves/2026-03/report.pdf", params=where).status_code == 403


def test_a_deactivated_evaluator_is_not_proposed_and_her_open_visit_is_handed_to_another(
    api_world: ApiWorld,
) -> None:
    world = api_world
    ids, tokens = _set_up(world)
    visit_id = _assign(world, ids, "halyna")
    halyna, iryna = world.api(tokens["halyna"]), world.api(tokens["iryna"])
    draft = {"answers": {"greeted": {"value": True, "comment": "Мій чернетковий коментар"}}}
    assert halyna.request("PUT", f"/audits/visits/{visit_id}", json=draft).status_code == 200
    manager = world.api(world.manager_a)

    off = manager.post(f"/audits/evaluators/{ids['halyna']}/deactivate")

    assert off.status_code == 200, off.text
    assert off.json()["evaluator"]["active"] is False
    assert [a["id"] for a in off.json()["open_assignments"]] == [visit_id]
    proposals = manager.get(
        f"/audits/programmes/{ids['programme']}/proposals",
        params={"location_id": world.location_a.id},
    ).json()
    unfit = {p["evaluator"]["display_name"]: p["unfit"] for p in proposals}
    assert unfit == {"Iryna": [], "Halyna": ["inactive", "audited_it_recently"]}
    assert proposals[0]["evaluator"]["display_name"] == "Iryna"  # who fits first
    refused = manager.post(
        "/audits/assignments",
        json={
            "programme_id": ids["programme"],
            "evaluator_id": ids["halyna"],
            "location_id": world.location_a.id,
            "wave": "2026-04",
            "window_start": world.clock.now().isoformat(),
            "window_end": (world.clock.now() + timedelta(days=1)).isoformat(),
        },
    )
    assert refused.status_code == 409
    assert "inactive" in refused.text

    moved = manager.post(
        f"/audits/assignments/{visit_id}/reassign", json={"evaluator_id": ids["iryna"]}
    )

    assert moved.status_code == 200, moved.text
    assert moved.json()["evaluator_id"] == ids["iryna"]
    assert [a["id"] for a in iryna.get("/audits/my-assignments").json()] == [visit_id]
    assert halyna.get("/audits/my-assignments").json() == []
    assert halyna.get(f"/audits/visits/{visit_id}").status_code == 404
    fresh = iryna.get(f"/audits/visits/{visit_id}").json()
    assert fresh["answers"] == {}  # Halyna's draft was hers: Iryna starts blank
    again = manager.post(f"/audits/evaluators/{ids['halyna']}/deactivate")
    assert again.json()["open_assignments"] == []
    back = manager.post(f"/audits/evaluators/{ids['halyna']}/activate")
    assert back.json()["evaluator"]["active"] is True
    same = manager.post(
        f"/audits/assignments/{visit_id}/reassign", json={"evaluator_id": ids["iryna"]}
    )
    assert same.status_code == 422
