"""Console logins on the in-memory fakes: throttled, locked, unlocked, ended (ADR 0023)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from builders import Shop

from heedful.core.access.model import Role
from heedful.core.shared.errors import Forbidden
from heedful.core.staff.handlers import NewStaffMember, NewToken, create_staff_member, create_token
from heedful.core.staff.logins import (
    LoginOutcome,
    LoginPolicy,
    deactivate_staff_member,
    end_sessions,
    log_in,
    unlock_staff_member,
)
from heedful.core.staff.model import SecurityEventKind, StaffMember

PASSWORD = "correct horse battery"
STRICT = LoginPolicy(delay_after_failures=2, max_delay_seconds=60, lockout_failures=4)
TILL = "198.51.100.4"


def _maria(shop: Shop, role: Role = Role.AGENT) -> StaffMember:
    return create_staff_member(
        NewStaffMember("maria", "Maria", role, PASSWORD, location_ids=frozenset({shop.kyiv.id})),
        shop.uow,
        shop.clock,
        shop.admin,
    )


def _try(shop: Shop, password: str, login: str = "maria", address: str = TILL) -> LoginOutcome:
    return log_in(login, password, address, shop.uow, shop.clock, STRICT).outcome


def test_after_the_free_tries_even_the_right_password_waits_its_turn(shop: Shop) -> None:
    _maria(shop)
    assert [_try(shop, "a"), _try(shop, "b")] == [LoginOutcome.WRONG] * 2

    waiting = log_in("maria", PASSWORD, TILL, shop.uow, shop.clock, STRICT)
    shop.clock.advance(timedelta(seconds=1))
    let_in = log_in("Maria ", PASSWORD, TILL, shop.uow, shop.clock, STRICT)

    assert waiting.outcome is LoginOutcome.WAIT
    assert waiting.wait_seconds == 1
    assert let_in.outcome is LoginOutcome.LOGGED_IN
    assert shop.uow.state.login_throttles == {}  # a success starts the name and address afresh


def test_a_lock_holds_however_long_one_waits_until_an_admin_unlocks(shop: Shop) -> None:
    maria = _maria(shop)
    for guess in "abcd":
        _try(shop, guess)
        shop.clock.advance(timedelta(minutes=5))
    shop.clock.advance(timedelta(days=30))

    assert _try(shop, PASSWORD) is LoginOutcome.LOCKED
    with pytest.raises(Forbidden):
        unlock_staff_member(maria.id, TILL, shop.uow, shop.clock, maria.as_actor())
    unlock_staff_member(maria.id, "203.0.113.9", shop.uow, shop.clock, shop.admin)
    assert _try(shop, PASSWORD) is LoginOutcome.LOGGED_IN

    kinds = [e.kind for e in shop.uow.state.security_events]
    assert kinds.count(SecurityEventKind.LOGIN_FAILED) == 4
    assert kinds.count(SecurityEventKind.ACCOUNT_LOCKED) == 1
    unlocked = next(
        e for e in shop.uow.state.security_events if e.kind is SecurityEventKind.ACCOUNT_UNLOCKED
    )
    assert (unlocked.actor_id, unlocked.login, unlocked.address) == (
        shop.admin.id,
        "maria",
        "203.0.113.9",
    )
    assert PASSWORD not in repr(shop.uow.state.security_events)


def test_unknown_names_are_throttled_and_locked_like_real_ones(shop: Shop) -> None:
    _maria(shop)
    real = [_try(shop, g, address=f"10.0.0.{n}") for n, g in enumerate("abc")]
    made_up = [_try(shop, g, login="nobody", address=f"10.0.1.{n}") for n, g in enumerate("abc")]

    assert real == made_up == [LoginOutcome.WRONG, LoginOutcome.WRONG, LoginOutcome.WAIT]


def test_logging_out_and_deactivating_raise_the_session_epoch(shop: Shop) -> None:
    maria = _maria(shop, Role.ADMIN)
    _, _ = create_token(
        NewToken("maria's script", Role.ADMIN), shop.uow, shop.clock, maria.as_actor()
    )
    end_sessions(maria.id, TILL, shop.uow, shop.clock)
    after_logout = shop.uow.staff.get(maria.id)

    member, revoked = deactivate_staff_member(maria.id, TILL, shop.uow, shop.clock, shop.admin)

    assert after_logout is not None
    assert after_logout.session_epoch == 1
    assert member.session_epoch == 2
    assert not member.active
    assert len(revoked) == 1
    token = shop.uow.tokens.get(revoked[0])
    assert token is not None
    assert token.revoked_at == shop.clock.now()
    assert _try(shop, PASSWORD) is LoginOutcome.WRONG
