"""The demo's promises: the handbag line (seed 000) and twelve weeks of promises kept or not.

Played in time order through the use cases, with the worker's timers fired as the clock moves,
so every state on the cards and in the promise report is one the product itself produced.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from heedful.core.access.model import Actor
from heedful.core.customers.identities import IdentityKind, normalise_identity
from heedful.core.engine.timers import fire_due_timers
from heedful.core.promises.handlers import (
    MakePromise,
    cancel_promise,
    keep_promise,
    make_promise,
    withdraw_promise,
)
from heedful.core.promises.model import PromiseKind, WantedItem
from heedful.core.shared.clock import FrozenClock
from heedful.core.shared.scope import CustomerScope
from heedful.core.unit_of_work import UnitOfWork

from .data import BOUTIQUE
from .stories import HANDBAG_CLIENT

SELENE = WantedItem("selene-black", "", "чорна", "")  # location filled in at play time

_TEXTS = {
    PromiseKind.CALL_BACK: ("Передзвонити щодо примірки", "Перезвонить по поводу брони"),
    PromiseKind.REPLY_BY: ("Відповісти на лист щодо рахунку", "Ответить на письмо о счёте"),
    PromiseKind.REFUND_BY: ("Повернути кошти за повернений товар", "Вернуть деньги за заказ"),
    PromiseKind.DELIVER_BY: ("Доставити замовлення додому", "Доставить заказ в номер"),
}
_SPANS = {
    PromiseKind.CALL_BACK: timedelta(hours=3),
    PromiseKind.REPLY_BY: timedelta(hours=24),
    PromiseKind.REFUND_BY: timedelta(days=5),
    PromiseKind.DELIVER_BY: timedelta(days=2),
}


@dataclass(order=True)
class _Step:
    at: datetime
    order: int
    action: str  # make | keep | cancel | withdraw
    promise_key: int


def play_promises(
    uow: UnitOfWork, clock: FrozenClock, locations: dict[str, str], now: datetime, seed: int
) -> None:
    rng = random.Random(seed)
    staff = [m for m in uow.staff.list() if m.location_ids]
    actors = {
        loc: [
            Actor(m.id, m.full_name, m.role, m.location_ids)
            for m in staff
            if m.location_ids and loc in m.location_ids
        ]
        for loc in locations.values()
    }
    _handbag_line(uow, clock, locations[BOUTIQUE], actors[locations[BOUTIQUE]], now)
    _twelve_weeks(uow, clock, actors, now, rng)


def _handbag_line(
    uow: UnitOfWork, clock: FrozenClock, boutique: str, staff: list[Actor], now: datetime
) -> None:
    phone = normalise_identity(IdentityKind.PHONE, HANDBAG_CLIENT.find_by.value)
    viktoriia = uow.customers.find_by_identity(IdentityKind.PHONE, phone)
    if viktoriia is None:
        return
    others = [
        c
        for c in uow.customers.list(CustomerScope(frozenset({boutique})), 40, None).items
        if c.id != viktoriia.id
    ][:3]
    item = WantedItem(SELENE.product, boutique, SELENE.variant)
    for n, customer in enumerate([viktoriia, *others]):
        clock.set(now - timedelta(days=9 - n * 2, hours=3))
        make_promise(
            MakePromise(
                customer.id,
                PromiseKind.TELL_WHEN_AVAILABLE,
                boutique,
                text="Повідомити, щойно чорна сумка Selene знову буде в наявності",
                item=item,
                due_at=now + timedelta(days=30),
            ),
            uow,
            clock,
            staff[n % len(staff)],
        )


def _twelve_weeks(
    uow: UnitOfWork,
    clock: FrozenClock,
    actors: dict[str, list[Actor]],
    now: datetime,
    rng: random.Random,
) -> None:
    plans: dict[int, tuple[MakePromise, Actor]] = {}
    steps: list[_Step] = []
    for location, staff in actors.items():
        if not staff:
            continue
        customers = uow.customers.list(CustomerScope(frozenset({location})), 60, None).items
        for n in range(36):
            if not customers:
                break
            kind = rng.choice(list(_SPANS))
            # Most are history; the last few were made in the past day and are still running.
            made = now - timedelta(days=rng.uniform(0.2, 84) if n < 30 else rng.uniform(0.02, 1))
            due = made + _SPANS[kind] * rng.uniform(0.5, 1.5)
            by = rng.choice(staff)
            key = len(plans)
            text = _TEXTS[kind][0 if rng.random() < 0.6 else 1]
            cmd = MakePromise(rng.choice(customers).id, kind, location, text=text, due_at=due)
            plans[key] = (cmd, by)
            steps.append(_Step(made, 0, "make", key))
            roll = rng.random()
            if roll < 0.68:
                end, action = made + (due - made) * rng.uniform(0.1, 0.95), "keep"
            elif roll < 0.8:
                end, action = due + timedelta(hours=rng.uniform(0.5, 30)), "keep"
            elif roll < 0.9:
                continue  # nobody did it: the deadline breaks it and the manager is told
            elif roll < 0.96:
                end, action = made + (due - made) * rng.uniform(0.1, 0.9), "cancel"
            else:
                end, action = made + (due - made) * rng.uniform(0.1, 0.9), "withdraw"
            if end < now:
                steps.append(_Step(end, 1, action, key))
    made_ids: dict[int, str] = {}
    for step in sorted(steps):
        clock.set(step.at)
        fire_due_timers(lambda: uow, clock)
        cmd, by = plans[step.promise_key]
        if step.action == "make":
            made_ids[step.promise_key] = make_promise(cmd, uow, clock, by).id
        elif step.action == "keep":
            keep_promise(made_ids[step.promise_key], "", uow, clock, by)
        elif step.action == "cancel":
            cancel_promise(made_ids[step.promise_key], "Клієнт домовився інакше", uow, clock, by)
        else:
            withdraw_promise(made_ids[step.promise_key], "", uow, clock, by)
    clock.set(now)
    fire_due_timers(lambda: uow, clock)
