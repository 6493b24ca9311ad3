"""Service audits on SQLite and PostgreSQL: a luxury boutique audited by a peer of its clients.

The whole story through the core's use cases: a questionnaire in versions, the panel and who is
proposed (never someone known there as a customer, nor one who audited it lately), an assignment
whose scenario draws a call-back promise, the evaluator's draft and submission, the machine's
flags, the reviewer's verdict, and the results, with the promise answered from the ledger.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from heedful.adapters.audit_photos import PhotoStore
from heedful.bootstrap import Container
from heedful.core.access import SYSTEM, Actor
from heedful.core.access.model import Role
from heedful.core.audits import (
    SWEEP_GRACE,
    Attachment,
    AuditRule,
    CheckIn,
    NewAssignment,
    NewEvaluator,
    NewProgramme,
    Unfit,
    VisitState,
    assign_visit,
    create_programme,
    enrol_evaluator,
    find_questionnaire,
    link_promise,
    my_assignments,
    propose_evaluators,
    review_visit,
    save_draft,
    save_questionnaire,
    show_visit,
    submit_visit,
    sweep_photos,
    wave_results,
)
from heedful.core.customers.commands import CreateCustomer, NewIdentity
from heedful.core.customers.handlers import create_customer
from heedful.core.customers.identities import IdentityKind
from heedful.core.promises import MakePromise, PromiseKind, make_promise
from heedful.core.promises.handlers import keep_promise
from heedful.core.shared.clock import FrozenClock
from heedful.core.shared.errors import Conflict, Forbidden, NotFound
from heedful.core.staff.handlers import (
    NewLocation,
    NewStaffMember,
    create_location,
    create_staff_member,
)
from heedful.core.staff.model import Location, LocationKind
from heedful.entrypoints.cli.main import cli

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
                    "guidance": {"en": "Greet every guest.", "uk": "Вітайте кожного гостя."},
                },
                {"key": "scent", "kind": "scale", "titles": {"en": "Scent"}, "scale_max": 5},
                {"key": "window", "kind": "photo", "titles": {"en": "Window display"}},
            ],
        },
        {
            "key": "follow_up",
            "titles": {"en": "Follow-up"},
            "items": [
                {
                    "key": "called_back",
                    "kind": "promise_kept",
                    "titles": {"en": "Was the promised call-back made?"},
                }
            ],
        },
    ],
}


@dataclass
class Boutique:
    container: Container
    clock: FrozenClock
    podil: Location
    manager: Actor
    iryna: Actor  # the evaluator who fits
    petro: Actor  # an evaluator known at Podil as a customer
    programme_id: str
    questionnaire_id: str


def _evaluator(world: Container, clock: FrozenClock, login: str) -> Actor:
    member = create_staff_member(
        NewStaffMember(login, login.title(), Role.EVALUATOR, "correct horse battery", "uk"),
        world.uow(),
        clock,
        SYSTEM,
    )
    return member.as_actor()


@pytest.fixture
def boutique(container: Container, clock: FrozenClock) -> Boutique:
    podil = create_location(
        NewLocation("Podil boutique", LocationKind.BOUTIQUE, "Kyiv", "UA", "Europe/Kyiv"),
        container.uow(),
        clock,
        SYSTEM,
    )
    with container.uow() as uow:
        uow.locations.update(replace(podil, latitude=50.4650, longitude=30.5150))
        uow.commit()
    manager = create_staff_member(
        NewStaffMember(
            "olena", "Olena", Role.MANAGER, "correct horse battery", "uk", frozenset({podil.id})
        ),
        container.uow(),
        clock,
        SYSTEM,
    ).as_actor()
    iryna, petro = _evaluator(container, clock, "iryna"), _evaluator(container, clock, "petro")
    create_customer(
        CreateCustomer(
            "Petro Known",
            home_location_id=podil.id,
            identities=(NewIdentity(IdentityKind.EMAIL, "petro@example.com"),),
        ),
        container.uow(),
        clock,
        SYSTEM,
    )
    for actor, contact in ((iryna, "iryna@example.com"), (petro, "Petro@example.com")):
        enrol_evaluator(
            container.uow(),
            clock,
            manager,
            NewEvaluator(
                staff_id=actor.id,
                display_name=actor.label,
                segments=frozenset({"vip"}),
                languages=frozenset({"uk"}),
                cities=frozenset({"Kyiv"}),
                contacts=frozenset({contact}),
            ),
        )
    questionnaire = save_questionnaire(container.uow(), clock, manager, FORM)
    programme = create_programme(
        container.uow(),
        clock,
        manager,
        NewProgramme(
            "Luxury boutiques",
            questionnaire.id,
            (AuditRule(frozenset({podil.id}), segments=frozenset({"vip"})),),
            lockout_days=60,
        ),
    )
    return Boutique(container, clock, podil, manager, iryna, petro, programme.id, questionnaire.id)


def _assign(b: Boutique, evaluator_id: str, days: int = 0) -> str:
    start = b.clock.now() + timedelta(days=days)
    assignment = assign_visit(
        b.container.uow(),
        b.clock,
        b.manager,
        NewAssignment(
            programme_id=b.programme_id,
            evaluator_id=evaluator_id,
            location_id=b.podil.id,
            wave="2026-12",
            window_start=start,
            window_end=start + timedelta(days=3),
            scenario="Ask to be told when the sold-out black bag is back",
        ),
    )
    return assignment.id


def _profile_id(b: Boutique, actor: Actor) -> str:
    with b.container.uow() as uow:
        profile = uow.audits.evaluator_of_staff(actor.id)
    assert profile is not None
    return profile.id


def test_the_peer_is_proposed_and_the_known_customer_never(boutique: Boutique) -> None:
    b = boutique
    proposals = propose_evaluators(
        b.container.uow(), b.clock, b.manager, b.programme_id, b.podil.id
    )
    assert [(p.profile.display_name, p.unfit) for p in proposals] == [
        ("Iryna", ()),
        ("Petro", (Unfit.KNOWN_THERE,)),
    ]
    with pytest.raises(Conflict, match="known_there_as_a_customer"):
        _assign(b, _profile_id(b, b.petro))


def test_an_evaluator_who_audited_lately_is_locked_out(boutique: Boutique) -> None:
    b = boutique
    _assign(b, _profile_id(b, b.iryna))
    with pytest.raises(Conflict, match="audited_it_recently"):
        _assign(b, _profile_id(b, b.iryna), days=10)


def test_a_visit_from_draft_to_validated_reads_the_ledger(boutique: Boutique) -> None:
    b = boutique
    uow, clock = b.container.uow, b.clock
    assignment_id = _assign(b, _profile_id(b, b.iryna))
    # The scenario: the shopper asks to be called when the bag is back; staff record the promise.
    shopper = create_customer(
        CreateCustomer("Guest 7", home_location_id=b.podil.id), uow(), clock, SYSTEM
    )
    promise = make_promise(
        MakePromise(
            shopper.id,
            PromiseKind.CALL_BACK,
            b.podil.id,
            text="Call when the black bag is back",
            due_at=clock.now() + timedelta(days=2),
        ),
        uow(),
        clock,
        b.manager,
    )
    link_promise(uow(), b.manager, assignment_id, promise.id)

    [(mine, visit)] = my_assignments(uow(), b.iryna)
    assert mine.scenario.startswith("Ask to be told")
    assert visit is not None
    assert visit.state is VisitState.DRAFT
    assert my_assignments(uow(), b.petro) == []
    with pytest.raises(NotFound):
        show_visit(uow(), b.petro, assignment_id)

    clock.advance(timedelta(hours=2))
    photo = Attachment("att_1", "ab" * 32)
    answers = {"greeted": {"value": True}, "scent": {"value": 4, "comment": "Faint"}}
    save_draft(
        uow(),
        clock,
        b.iryna,
        assignment_id,
        answers,
        [photo],
        CheckIn(clock.now(), 50.4651, 30.5151),
    )
    with pytest.raises(Forbidden):
        save_draft(uow(), clock, b.manager, assignment_id, {"greeted": {"value": False}})
    answers["window"] = {"value": ["att_1"]}
    save_draft(uow(), clock, b.iryna, assignment_id, answers, [photo])

    submitted = submit_visit(uow(), clock, b.iryna, assignment_id).visit
    assert submitted.state is VisitState.SUBMITTED
    assert submitted.flags == ()
    assert submitted.answers["called_back"].value == "open"  # not due yet: not counted
    # service: (2*1 + 1*0.75) / 3; follow-up not counted yet
    assert submitted.score == pytest.approx(275 / 3)

    clock.advance(timedelta(days=3))  # the call came a day late
    keep_promise(promise.id, "called her", uow(), clock, b.manager)
    validated = review_visit(uow(), clock, b.manager, assignment_id, validated=True, comment="")
    called = validated.visit.answers["called_back"]
    assert (called.value, called.evidence["promise_id"]) == ("kept_late", promise.id)
    assert called.evidence["kept_at"] == clock.now().isoformat()
    # (91.67 + 50) / 2: kept late earns half
    assert validated.visit.score == pytest.approx((275 / 3 + 50) / 2)
    with pytest.raises(Conflict):
        save_draft(uow(), clock, b.iryna, assignment_id, answers, [photo])

    report = wave_results(uow(), b.manager, waves=["2026-12"], language="uk")
    [podil] = report.locations
    assert podil.score == pytest.approx((275 / 3 + 50) / 2)
    assert podil.recommendations[0].item_key == "called_back"
    assert report.items["scent"] == 75.0


def test_a_returned_visit_is_fixed_by_its_evaluator_and_lowers_her_reliability(
    boutique: Boutique,
) -> None:
    b = boutique
    uow, clock = b.container.uow, b.clock
    assignment_id = _assign(b, _profile_id(b, b.iryna))
    answers = {"greeted": {"value": True}, "scent": {"value": 5}}
    save_draft(uow(), clock, b.iryna, assignment_id, answers, [], None)
    submitted = submit_visit(uow(), clock, b.iryna, assignment_id).visit
    assert [f.code for f in submitted.flags] == ["no_check_in"]
    returned = review_visit(
        uow(), clock, b.manager, assignment_id, validated=False, comment="Add the check-in"
    ).visit
    assert (returned.state, returned.review_comment) == (VisitState.RETURNED, "Add the check-in")
    with b.container.uow() as work:
        profile = work.audits.evaluator_of_staff(b.iryna.id)
    assert profile is not None
    assert profile.returned == 1
    save_draft(uow(), clock, b.iryna, assignment_id, answers, [], CheckIn(clock.now()))
    assert submit_visit(uow(), clock, b.iryna, assignment_id).visit.flags == ()


def test_a_new_version_leaves_assigned_visits_on_theirs(boutique: Boutique) -> None:
    b = boutique
    assignment_id = _assign(b, _profile_id(b, b.iryna))
    second = copy.deepcopy(FORM)
    second["sections"][0]["items"][1]["scale_max"] = 10
    made = save_questionnaire(b.container.uow(), b.clock, b.manager, second, b.questionnaire_id)
    assert made.version == 2
    assert find_questionnaire(b.container.uow(), b.manager, b.questionnaire_id).version == 2
    view = show_visit(b.container.uow(), b.iryna, assignment_id)
    assert view.questionnaire.version == 1
    assert view.questionnaire.body.item("scent").scale_max == 5  # type: ignore[union-attr]


PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def test_photos_no_visit_names_are_swept_after_their_grace_and_named_ones_stay(
    boutique: Boutique, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    b = boutique
    uow, clock = b.container.uow, b.clock
    store = PhotoStore(tmp_path / "photos", clock)
    assignment_id = _assign(b, _profile_id(b, b.iryna))
    kept, dropped = store.keep(PNG), store.keep(PNG + b"taken off the draft")
    answers = {"greeted": {"value": True}, "window": {"value": [kept.id, dropped.id]}}
    both = [Attachment(kept.id, kept.sha256), Attachment(dropped.id, dropped.sha256)]
    save_draft(uow(), clock, b.iryna, assignment_id, answers, both)
    # She takes the second photo off her draft: no visit names its file any more.
    answers["window"] = {"value": [kept.id]}
    save_draft(uow(), clock, b.iryna, assignment_id, answers, both[:1])
    clock.advance(SWEEP_GRACE + timedelta(minutes=1))
    just_sent = store.keep(PNG + b"uploaded, its draft not yet saved")

    report = sweep_photos(uow(), store, clock)

    assert (report.removed, report.kept) == (1, 2)
    assert report.bytes_freed == len(PNG) + len(b"taken off the draft")
    assert store.find(dropped.sha256) is None
    assert store.find(kept.sha256) is not None  # the draft still shows it
    assert store.find(just_sent.sha256) is not None  # within its grace: a draft may name it
    # The same photo sent again is stamped again: its grace starts over.
    clock.advance(SWEEP_GRACE + timedelta(minutes=1))
    store.keep(PNG + b"uploaded, its draft not yet saved")
    assert sweep_photos(uow(), store, clock).removed == 0

    # The command does the same with the settings' directory (the worker, once an hour).
    monkeypatch.setenv("HEEDFUL_DATABASE_URL", b.container.settings.database_url)
    monkeypatch.setenv("HEEDFUL_AUDIT_PHOTOS_DIR", str(tmp_path / "photos"))
    result = CliRunner().invoke(cli, ["audits", "sweep-photos", "--grace-hours", "0"])
    assert result.exit_code == 0, result.output
    assert "photos removed: 1" in result.output
    assert store.find(just_sent.sha256) is None
    assert store.find(kept.sha256) is not None
