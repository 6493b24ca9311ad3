"""The in-memory fakes answer as storage does: the same scenario on the fakes and on SQLite and
PostgreSQL gives the same answers (which rows, in which order, what is refused).

The unit tests of the engine, the ledger, the relay and the SLA clocks run on the fakes; these
checks are what lets them be trusted for the filters, the order and the claims of due rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from builders import a_location, an_admin
from fakes import FakeUnitOfWork

from heedful.bootstrap import Container
from heedful.core.conversations.handlers import InboundEmail, receive_email, set_status
from heedful.core.conversations.model import ThreadStatus
from heedful.core.conversations.ports import InboxFilter
from heedful.core.customers.channels import Channel
from heedful.core.customers.commands import CreateCustomer, NewIdentity, RecordConsent
from heedful.core.customers.consent import Purpose
from heedful.core.customers.handlers import create_customer, record_consent
from heedful.core.customers.identities import IdentityKind
from heedful.core.customers.model import Customer
from heedful.core.dead_letters.model import DeadLetter, LetterKind, LetterState
from heedful.core.feedback.handlers import AnswerForm, Invite, answer_survey, invite
from heedful.core.feedback.model import SurveyKind, SurveyText, Touchpoint
from heedful.core.feedback.ports import AnswerFilter
from heedful.core.feedback.surveys import DefineSurvey, define_survey
from heedful.core.outreach.outbox import Message, MessageStatus
from heedful.core.preferences.handlers import (
    RecordPreference,
    record_preference,
    retract_preference,
)
from heedful.core.preferences.model import Polarity
from heedful.core.promises.model import Promise, PromiseKind, PromiseState, WantedItem
from heedful.core.promises.ports import PromiseFilter
from heedful.core.shared.clock import FrozenClock
from heedful.core.shared.errors import Conflict
from heedful.core.shared.timers import Timer, TimerKind
from heedful.core.sla.handlers import PolicyIn, create_policy
from heedful.core.staff.model import Location
from heedful.core.unit_of_work import UnitOfWork

Factory = Callable[[], UnitOfWork]


# Monday 2 March 2026, 08:00 in Berlin: the shop opens at 09:00.
START = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)


def _both(
    container: Container, clock: FrozenClock, scenario: Callable[[Factory, FrozenClock], Any]
) -> None:
    fake = FakeUnitOfWork()
    on_fakes = scenario(lambda: fake, FrozenClock(clock.now()))
    on_storage = scenario(container.uow, clock)
    assert on_fakes == on_storage


def _shop(uow_factory: Factory, clock: FrozenClock) -> tuple[Location, Customer]:
    kyiv = a_location("Podil boutique")
    kyiv.id = "loc_kyiv"
    with uow_factory() as uow:
        uow.locations.add(kyiv)
        uow.commit()
    anna = create_customer(CreateCustomer(full_name="Anna"), uow_factory(), clock, an_admin())
    return kyiv, anna


def _promise(number: int, customer: Customer, at: datetime, **changes: Any) -> Promise:
    promise = Promise(
        id=f"prm_{number}",
        customer_id=customer.id,
        location_id="loc_kyiv",
        kind=PromiseKind.TELL_WHEN_AVAILABLE,
        text=f"promise {number}",
        made_by="stf_1",
        made_by_label="Iryna",
        made_at=at + timedelta(minutes=number),
        due_at=None,
        item=WantedItem("bag-noir", "loc_kyiv", "black", "M"),
    )
    return replace(promise, **changes)


def _waiting_list(uow_factory: Factory, clock: FrozenClock) -> dict[str, list[str]]:
    _, anna = _shop(uow_factory, clock)
    now = clock.now()
    rows = [
        _promise(1, anna, now, item=WantedItem("bag-noir", "loc_kyiv", "black", "L")),
        _promise(2, anna, now),
        _promise(3, anna, now, item=WantedItem("bag-noir", "loc_kyiv", "", "")),  # any size
        _promise(4, anna, now, notice_message_id="msg_told"),  # told: out of line
        _promise(5, anna, now, state=PromiseState.CANCELLED),
        _promise(6, anna, now, item=WantedItem("bag-noir", "loc_kyiv", "red", "M")),
        _promise(7, anna, now, kind=PromiseKind.CALL_BACK, item=None, due_at=now + timedelta(1)),
        _promise(8, anna, now, item=WantedItem("bag-noir", "loc_kyiv", "black", "")),
        _promise(9, anna, now, kind=PromiseKind.REFUND_BY, item=None, due_at=now + timedelta(2)),
    ]
    with uow_factory() as uow:
        for promise in rows:
            uow.promises.add(promise)
        uow.commit()
    item = WantedItem("bag-noir", "loc_kyiv", "black", "M")
    with uow_factory() as uow:
        due = PromiseFilter(due_before=now + timedelta(days=3))
        open_only = PromiseFilter(customer_id=anna.id, states=frozenset({PromiseState.OPEN}))
        return {
            "waiting": [p.id for p in uow.promises.waiting_for(item, 10)],
            "first two": [p.id for p in uow.promises.waiting_for(item, 2)],
            "due soon": [p.id for p in uow.promises.find(due, 10)],
            "open, newest first": [p.id for p in uow.promises.find(open_only, 4)],
        }


def test_the_waiting_list_and_the_promise_filters_answer_alike(
    container: Container, clock: FrozenClock
) -> None:
    _both(container, clock, _waiting_list)


def _message(number: int, customer: Customer, at: datetime, **changes: Any) -> Message:
    message = Message(
        id=f"msg_{number}",
        customer_id=customer.id,
        template_key="offer",
        purpose=Purpose.MARKETING,
        created_at=at + timedelta(seconds=number),
        ready_at=at + timedelta(minutes=10 - number),
    )
    return replace(message, **changes)


def _outbox(uow_factory: Factory, clock: FrozenClock) -> dict[str, Any]:
    _, anna = _shop(uow_factory, clock)
    now = clock.now()
    rows = [
        _message(1, anna, now),
        _message(2, anna, now, status=MessageStatus.HELD),
        _message(3, anna, now, status=MessageStatus.RETRYING),
        _message(4, anna, now, status=MessageStatus.SENT, sent_at=now - timedelta(days=1)),
        _message(5, anna, now, status=MessageStatus.SENT, sent_at=now - timedelta(days=9)),
        _message(6, anna, now, status=MessageStatus.DEAD),
        _message(7, anna, now, ready_at=now + timedelta(hours=1)),  # not yet
        _message(8, anna, now, purpose=Purpose.SERVICE, status=MessageStatus.SENT, sent_at=now),
    ]
    with uow_factory() as uow:
        for message in rows:
            uow.outbox.add(message)
        uow.commit()
    with uow_factory() as uow:
        week_ago = now - timedelta(days=7)
        return {
            "ready": [m.id for m in uow.outbox.ready(now + timedelta(minutes=10), 10)],
            "ready now": [m.id for m in uow.outbox.ready(now + timedelta(minutes=6), 10)],
            "sent this week": uow.outbox.sent_count(anna.id, "marketing", week_ago),
            "dead": [m.id for m in uow.outbox.list_by_status(frozenset({MessageStatus.DEAD}), 5)],
            "hers": [m.id for m in uow.outbox.list_for_customer(anna.id, 3)],
        }


def test_the_outbox_hands_out_due_waiting_messages_and_counts_sent_ones_alike(
    container: Container, clock: FrozenClock
) -> None:
    _both(container, clock, _outbox)


def _timers(uow_factory: Factory, clock: FrozenClock) -> dict[str, Any]:
    now = clock.now()
    with uow_factory() as uow:
        uow.timers.set(Timer("tmr_1", TimerKind.PROMISE_DEADLINE, "prm_1", now + timedelta(2)))
        uow.timers.set(Timer("tmr_2", TimerKind.PROMISE_REMINDER, "prm_1", now + timedelta(1)))
        uow.timers.set(Timer("tmr_3", TimerKind.SLA_BREACH, "clk_1", now - timedelta(1)))
        uow.timers.set(Timer("tmr_4", TimerKind.SLA_WARNING, "clk_1", now - timedelta(2)))
        uow.commit()
    with uow_factory() as uow:
        before = [t.id for t in uow.timers.due(now + timedelta(days=3), 10)]
        cancelled = uow.timers.cancel("prm_1", [TimerKind.PROMISE_REMINDER])
        uow.timers.postpone("tmr_4", now + timedelta(days=5))
        uow.commit()
    with uow_factory() as uow:
        after = [t.id for t in uow.timers.due(now + timedelta(days=3), 10)]
        everything = uow.timers.cancel("clk_1")
        uow.commit()
    return {"before": before, "cancelled": cancelled, "after": after, "clk_1": everything}


def test_timers_come_due_earliest_first_and_cancel_by_subject_and_kind_alike(
    container: Container, clock: FrozenClock
) -> None:
    _both(container, clock, _timers)


def _letter(ref: str, at: datetime, **changes: Any) -> DeadLetter:
    letter = DeadLetter(
        kind=LetterKind.EVENT,
        ref=ref,
        what=f"event {ref}",
        error="ValueError: no",
        attempts=1,
        first_failed_at=at,
        last_failed_at=at,
        next_try_at=at + timedelta(minutes=1),
    )
    return replace(letter, **changes)


def _dead_letters(uow_factory: Factory, clock: FrozenClock) -> dict[str, Any]:
    now = clock.now()
    with uow_factory() as uow:
        uow.dead_letters.save(_letter("1", now))
        uow.dead_letters.save(_letter("2", now + timedelta(1), state=LetterState.DEAD))
        discarded = _letter("3", now, state=LetterState.DISCARDED, closed_at=now, closed_by="ops")
        uow.dead_letters.save(discarded)
        uow.dead_letters.save(_letter("4", now, kind=LetterKind.TIMER, state=LetterState.DEAD))
        uow.dead_letters.save(_letter("1", now + timedelta(2), attempts=2))  # replaces
        uow.commit()
    every = frozenset(LetterState)
    with uow_factory() as uow:
        listed = [(x.kind.value, x.ref, x.attempts) for x in uow.dead_letters.list(None, every, 9)]
        dead = dict(uow.dead_letters.count_dead())
        uow.dead_letters.forget(LetterKind.EVENT, ["1", "3"])  # a discarded letter stays
        uow.commit()
    with uow_factory() as uow:
        kept = [x.ref for x in uow.dead_letters.list(LetterKind.EVENT, every, 9)]
        purged = uow.dead_letters.purge_discarded(now + timedelta(hours=1))
        uow.commit()
    return {"listed": listed, "dead": dead, "kept": kept, "purged": purged}


def test_dead_letters_are_kept_listed_forgotten_and_purged_alike(
    container: Container, clock: FrozenClock
) -> None:
    _both(container, clock, _dead_letters)


def _conversations(uow_factory: Factory, clock: FrozenClock) -> dict[str, Any]:
    berlin = a_location("Berlin Mitte", city="Berlin", country="DE", time_zone="Europe/Berlin")
    berlin.code, berlin.opening_hours = "berlin", {"mon-fri": ["09:00-18:00"]}
    with uow_factory() as uow:
        uow.locations.add(berlin)
        uow.commit()
    admin = an_admin()
    policy = PolicyIn(name="E-mail", first_response_minutes=120, resolution_minutes=480)
    create_policy(policy, uow_factory(), clock, admin)
    subjects: dict[str, str] = {}
    # In opening hours, so that each thread is due at its own time (ties go by random ids).
    for number, minutes in enumerate((120, 170, 140, 125)):
        clock.set(START + timedelta(minutes=minutes))
        email = InboundEmail(
            from_address=f"guest{number}@example.com",
            from_name=f"Guest {number}",
            to_addresses=("berlin@shop.example",),
            subject=f"Question {number}",
            text="Where is my order?",
            message_id=f"<q{number}@mail.example.com>",
            in_reply_to="",
            references=(),
        )
        thread = receive_email(email, uow_factory(), clock).thread
        subjects[thread.id] = thread.subject
    waiting = next(t for t, s in subjects.items() if s == "Question 3")
    set_status(waiting, ThreadStatus.WAITING_ON_CUSTOMER, uow_factory(), clock, admin)
    with uow_factory() as uow:
        page = uow.threads.inbox(InboxFilter(), None, 2, None)
        rest = uow.threads.inbox(InboxFilter(), None, 2, page.next_cursor)
        due = uow.sla_clocks.due_between(START, START + timedelta(days=2), 10)
        return {
            "inbox": [t.subject for t in page.items + rest.items],
            "more after the second page": rest.next_cursor is not None,
            "due": [(subjects[c.thread_id], c.kind.value, c.due_at) for c in due],
        }


def test_the_inbox_and_the_due_clocks_come_in_the_same_order(
    container: Container, clock: FrozenClock
) -> None:
    _both(container, clock, _conversations)


def _surveys(uow_factory: Factory, clock: FrozenClock) -> dict[str, Any]:
    kyiv, _ = _shop(uow_factory, clock)
    admin = an_admin()
    guest = CreateCustomer(
        full_name="Olena",
        home_location_id=kyiv.id,
        identities=(NewIdentity(IdentityKind.EMAIL, "olena@example.com"),),
    )
    olena = create_customer(guest, uow_factory(), clock, admin)
    agreed = RecordConsent(olena.id, Channel.EMAIL, Purpose.SURVEYS, True, "at the till")
    record_consent(agreed, uow_factory(), clock, admin)
    survey = DefineSurvey(
        name="After the visit",
        kind=SurveyKind.NPS,
        touchpoint=Touchpoint.VISIT,
        texts={"en": SurveyText("Would you recommend us?")},
    )
    survey_id = define_survey(survey, uow_factory(), clock, admin).id
    invited = invite(Invite(survey_id, olena.id), uow_factory(), clock, admin).invitation
    assert invited is not None
    again = invite(Invite(survey_id, olena.id), uow_factory(), clock, admin)
    answer = answer_survey(invited.id, AnswerForm(4), uow_factory(), clock)
    try:
        answer_survey(invited.id, AnswerForm(10), uow_factory(), clock)
        second = "taken"
    except Conflict as refused:
        second = str(refused)
    with uow_factory() as uow:
        stored = uow.feedback.invitations.get(invited.id)
        loop = uow.feedback.loops.get_for_answer(answer.id)
        open_loops = uow.feedback.loops.find(location_ids=None, open_only=True, limit=5)
        histogram = uow.feedback.answers.histogram(AnswerFilter(survey_id=survey_id))
    assert stored is not None
    return {
        "second invitation": again.skipped.split(":")[0],
        "second answer": second,
        "answered": stored.answered_at is not None,
        "sent": stored.sent_at,
        "loop": None if loop is None else (loop.state.value, [r.value for r in loop.reasons]),
        "open loops": len(open_loops),
        "histogram": histogram,
    }


def test_surveys_are_answered_once_and_a_detractor_opens_one_loop_alike(
    container: Container, clock: FrozenClock
) -> None:
    _both(container, clock, _surveys)


def _bookings_and_orders(uow_factory: Factory, clock: FrozenClock) -> dict[str, list[str]]:
    from heedful.core.dealings import BookingKind, apply_dealing

    _, anna = _shop(uow_factory, clock)
    now = clock.now()
    day = timedelta(days=1)
    stays = [
        ("B-2", now + 2 * day, "booked"),
        ("B-1", now + day, "booked"),
        ("B-3", now + day * 1.5, "cancelled"),
        ("B-4", now + 5 * day, "booked"),
    ]
    with uow_factory() as uow:
        for reference, arrival, status in stays:
            data = {
                "booking": reference,
                "arrival": arrival.isoformat(),
                "departure": (arrival + day).isoformat(),
            }
            apply_dealing(uow, "heedful.booking.upserted", data, anna.id, "loc_kyiv", now, now)
            if status == "cancelled":
                apply_dealing(
                    uow, "heedful.booking.cancelled", data, None, "loc_kyiv", now + day, now
                )
        for reference, status, promised in (
            ("1", "shipped", "2026-03-09"),
            ("2", "delivered", "2026-03-03"),
            ("3", "new", "2026-03-04"),
            ("4", "processing", None),
        ):
            order = {"order": reference, "status": status, "promised": promised}
            apply_dealing(uow, "heedful.order.upserted", order, anna.id, "loc_kyiv", now, now)
        uow.commit()
    with uow_factory() as uow:
        return {
            "starting": [
                b.reference
                for b in uow.bookings.starting_between(
                    BookingKind.STAY, ["loc_kyiv"], now, now + 3 * day
                )
            ],
            "hers": [b.reference for b in uow.bookings.list_for_customer(anna.id, 10)],
            "on their way": [o.reference for o in uow.orders.open_with_promise(None, 10)],
            "purchases": [h.external_ref or "" for h in uow.history.list_for(anna.id, 10)],
        }


def test_bookings_and_orders_are_listed_alike(container: Container, clock: FrozenClock) -> None:
    _both(container, clock, _bookings_and_orders)


def _standing_subjects(uow_factory: Factory, clock: FrozenClock) -> dict[str, Any]:
    _, anna = _shop(uow_factory, clock)
    bohdan = create_customer(CreateCustomer(full_name="Bohdan"), uow_factory(), clock, an_admin())
    said = [
        (anna, Polarity.LIKE, "black leather"),
        (bohdan, Polarity.NEVER, "fur"),
        (anna, Polarity.DISLIKE, "logos"),
        (anna, Polarity.LIKE, "small bags"),
    ]
    kept = []
    for customer, polarity, subject in said:
        command = RecordPreference(customer_id=customer.id, polarity=polarity, subject=subject)
        kept.append(record_preference(command, uow_factory(), clock, an_admin()))
        clock.advance(timedelta(minutes=1))
    retract_preference(anna.id, kept[2].id, uow_factory(), clock, an_admin())
    with uow_factory() as uow:
        found = uow.preferences.standing_subjects_for_many([anna.id, bohdan.id, "cus_nobody"])
    names = {anna.id: "anna", bohdan.id: "bohdan"}
    return {names[customer_id]: pairs for customer_id, pairs in found.items()}


def test_standing_subjects_come_newest_first_without_the_retracted_alike(
    container: Container, clock: FrozenClock
) -> None:
    _both(container, clock, _standing_subjects)
