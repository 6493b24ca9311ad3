"""An evaluator opens her assignment, checks in, answers, attaches photos, saves and submits.

On both databases, in-process: the form by item kind, the photo stored and its hash on the visit,
the read-only page after submission, a returned visit editable again with the reviewer's comment,
another evaluator's assignment a 404, and never a customer on these pages.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from audit_visit_world import PNG, audit_visits, validated_visit
from console_world import World, log_in
from fastapi.testclient import TestClient
from pypdf import PdfReader

from heedful.bootstrap import Container
from heedful.core.access.model import SYSTEM, Role
from heedful.core.audits import (
    VisitState,
    review_visit,
    show_visit,
)


@pytest.fixture(autouse=True)
def photos_in_tmp(container: Container, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    where = tmp_path / "photos"
    settings = container.settings.model_copy(update={"audit_photos_dir": str(where)})
    monkeypatch.setattr(container, "settings", settings)
    return where


def _answers(csrf: str, action: str) -> dict[str, str | list[str]]:
    return {
        "csrf_token": csrf,
        "action": action,
        "answer:greeted": "yes",
        "answer:warmth": "4",
        "answer:offer": "water",
        "answer:asked": ["size", "colour"],
        "answer:wait": "3,5",
        "answer:notes": "Привітна консультантка",
    }


def test_the_evaluator_fills_and_submits_her_visit_with_a_photo_and_a_receipt(
    console_client: TestClient, world: World, photos_in_tmp: Path
) -> None:
    visits = audit_visits(world)
    csrf = log_in(console_client, "iryna")

    home = console_client.get("/")
    assert f'href="/audits/{visits.mine}"' in home.text
    page = console_client.get(f"/audits/{visits.mine}")
    assert page.status_code == 200
    for shown in ("Привітали?", "Наскільки тепло?", "Воду", "Розмір", "Хвилин очікування"):
        assert shown in page.text
    assert 'type="file"' in page.text
    assert "Не застосовується" in page.text
    assert "Попросіть повідомити про сумку" in page.text
    assert "Відмітитися" in page.text
    assert visits.guest_name not in page.text
    assert visits.guest_phone not in page.text

    checked = console_client.post(
        f"/audits/{visits.mine}",
        data={"csrf_token": csrf, "action": "check_in", "latitude": "50.45", "longitude": "30.52"},
    )
    assert checked.status_code == 200
    assert "Ви відмітилися" in checked.text

    receipt = PNG + b"receipt"
    saved = console_client.post(
        f"/audits/{visits.mine}",
        data=_answers(csrf, "save"),
        files=[
            ("file:shelf", ("shelf.png", PNG, "image/png")),
            ("receipt", ("receipt.png", receipt, "image/png")),
        ],
    )
    assert saved.status_code == 200
    view = show_visit(world.container.uow(), SYSTEM, visits.mine)
    assert view.visit.state is VisitState.DRAFT
    assert view.visit.answers["wait"].value == 3.5
    assert view.visit.answers["asked"].value == ["colour", "size"]
    assert view.visit.check_in is not None
    assert view.visit.check_in.latitude == 50.45
    hashes = {a.kind: a.sha256 for a in view.visit.attachments}
    assert hashes == {
        "photo": hashlib.sha256(PNG).hexdigest(),
        "receipt": hashlib.sha256(receipt).hexdigest(),
    }
    assert len(list(photos_in_tmp.rglob("*.png"))) == 2
    photo_id = view.visit.answers["shelf"].value[0]
    shown = console_client.get(f"/audits/{visits.mine}/photos/{photo_id}")
    assert shown.status_code == 200
    assert shown.content == PNG

    submitted = console_client.post(
        f"/audits/{visits.mine}",
        data={**_answers(csrf, "submit"), "keep:shelf": photo_id},
    )
    assert submitted.status_code == 200
    assert "Надіслано" in submitted.text
    assert 'name="action" value="submit"' not in submitted.text  # read-only now
    view = show_visit(world.container.uow(), SYSTEM, visits.mine)
    assert view.visit.state is VisitState.SUBMITTED
    assert view.visit.answers["shelf"].value == [photo_id]
    assert view.visit.answers["callback"].evidence  # read from the ledger, not typed
    refused = console_client.post(f"/audits/{visits.mine}", data=_answers(csrf, "save"))
    assert refused.status_code == 409

    review_visit(
        world.container.uow(),
        world.container.clock,
        SYSTEM,
        visits.mine,
        validated=False,
        comment="Додайте фото вітрини",
    )
    returned = console_client.get(f"/audits/{visits.mine}")
    assert "Додайте фото вітрини" in returned.text
    assert 'name="action" value="submit"' in returned.text  # hers to edit again


def test_submitting_with_an_item_unanswered_keeps_the_draft_and_names_the_item(
    console_client: TestClient, world: World
) -> None:
    visits = audit_visits(world)
    csrf = log_in(console_client, "iryna")
    answers = _answers(csrf, "submit")
    del answers["answer:warmth"]
    page = console_client.post(f"/audits/{visits.mine}", data=answers)
    assert page.status_code == 422
    assert 'class="audit-item has-error" id="item-warmth"' in page.text
    assert "Дайте відповідь на кожен пункт" in page.text
    view = show_visit(world.container.uow(), SYSTEM, visits.mine)
    assert view.visit.state is VisitState.DRAFT
    assert view.visit.answers["greeted"].value is True  # the draft was kept


def test_a_file_that_is_not_an_image_is_refused(console_client: TestClient, world: World) -> None:
    visits = audit_visits(world)
    csrf = log_in(console_client, "iryna")
    page = console_client.post(
        f"/audits/{visits.mine}",
        data=_answers(csrf, "save"),
        files=[("file:shelf", ("shelf.png", b"<html>not a photo</html>", "image/png"))],
    )
    assert page.status_code == 422
    assert "Файл не є зображенням JPEG, PNG, WebP або HEIC." in page.text
    view = show_visit(world.container.uow(), SYSTEM, visits.mine)
    assert view.visit.attachments == ()


def test_another_evaluators_assignment_is_not_found(
    console_client: TestClient, world: World
) -> None:
    visits = audit_visits(world)
    csrf = log_in(console_client, "iryna")
    assert console_client.get(f"/audits/{visits.hers}").status_code == 404
    posted = console_client.post(f"/audits/{visits.hers}", data=_answers(csrf, "save"))
    assert posted.status_code == 404
    assert console_client.get(f"/audits/{visits.hers}/photos/x").status_code == 404
    assert console_client.get("/audits/nothing-here").status_code == 404


def test_a_manager_reads_the_waves_league_table_and_advice_and_prints_it(
    console_client: TestClient, world: World
) -> None:
    visits = audit_visits(world)
    answers = {
        "greeted": {"value": False},
        "warmth": {"value": 3},
        "offer": {"value": "water"},
        "asked": {"not_applicable": True},
        "wait": {"value": 2},
    }
    validated_visit(world, visits, answers)
    world.staff("olena", "Olena Koval", Role.MANAGER, language="uk", at=[visits.boutique])

    log_in(console_client, "iryna")
    assert console_client.get("/console/audits/results").status_code == 403

    log_in(console_client, "olena")
    page = console_client.get("/console/audits/results?wave=2026-12")
    assert page.status_code == 200
    assert "Рейтинг" in page.text
    assert "Atelier Lypky" in page.text
    assert "Привітали?" in page.text  # the weakest item, in her language
    assert visits.guest_name not in page.text
    assert 'href="/console/audits/results"' in page.text  # in her menu
    printable = console_client.get("/console/audits/results/print?wave=2026-12")
    assert printable.status_code == 200
    assert "Atelier Lypky" in printable.text
    assert 'class="menu"' not in printable.text
    empty = console_client.get("/console/audits/results?wave=2025-01")
    assert "У цій хвилі ще немає підтверджених візитів." in empty.text


def test_a_manager_downloads_one_locations_wave_as_a_pdf_in_her_language(
    console_client: TestClient, world: World
) -> None:
    visits = audit_visits(world)
    answers = {
        "greeted": {"value": False, "comment": "Ніхто не підвів очей"},
        "warmth": {"value": 3},
        "offer": {"value": "water"},
        "asked": {"not_applicable": True},
        "wait": {"value": 2},
    }
    validated_visit(world, visits, answers)
    world.staff("olena", "Olena Koval", Role.MANAGER, language="uk", at=[visits.boutique])
    world.staff("taras", "Taras", Role.MANAGER, language="uk", at=[world.location("Elsewhere")])

    log_in(console_client, "olena")
    page = console_client.get("/console/audits/results?wave=2026-12")
    link = f"/console/audits/results/{visits.boutique.id}.pdf?wave=2026-12"
    assert f'href="{link}"' in page.text
    assert "Звіт у PDF" in page.text
    got = console_client.get(link)
    assert got.status_code == 200
    assert got.headers["content-type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(got.content)).pages)
    assert "Atelier Lypky" in text
    assert "Бал:" in text
    assert "Привітали?" in text  # the weakest item, in her language
    assert "Ніхто не підвів очей" in text
    assert visits.guest_name not in text
    assert "Звіт у PDF" not in console_client.get("/console/audits/results").text  # no wave

    log_in(console_client, "taras")
    assert console_client.get(link).status_code == 404
    log_in(console_client, "iryna")
    assert console_client.get(link).status_code == 403
