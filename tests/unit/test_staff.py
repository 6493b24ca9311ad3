"""Staff accounts, passwords and API tokens."""

from __future__ import annotations

from datetime import timedelta

import pytest
from builders import Shop
from fakes import FakeUnitOfWork

from heedful.core.access.model import Role
from heedful.core.shared.errors import Conflict, InvalidInput
from heedful.core.staff.handlers import (
    NewStaffMember,
    NewToken,
    authenticate_staff,
    authenticate_token,
    create_staff_member,
    create_token,
    hash_token,
    revoke_token,
)


def _kyiv_till_token(shop: Shop) -> tuple[str, str]:
    token, secret = create_token(
        NewToken("Kyiv till", Role.AGENT, frozenset({shop.kyiv.id})),
        shop.uow,
        shop.clock,
        shop.admin,
    )
    return token.id, secret


def test_a_token_secret_is_shown_once_and_only_its_hash_is_kept(shop: Shop) -> None:
    token_id, secret = _kyiv_till_token(shop)

    stored = shop.uow.tokens.get(token_id)
    assert stored is not None
    assert stored.token_hash == hash_token(secret)
    assert secret not in repr(shop.uow.state)
    assert secret.startswith(stored.prefix)
    assert [t.id for t in shop.uow.tokens.list()] == [token_id]


def test_a_token_authenticates_until_it_is_revoked(shop: Shop) -> None:
    token_id, secret = _kyiv_till_token(shop)

    token = authenticate_token(secret, shop.uow, shop.clock)
    assert token is not None
    actor = token.as_actor()
    assert (actor.id, actor.role, actor.location_ids) == (
        token_id,
        Role.AGENT,
        frozenset({shop.kyiv.id}),
    )

    revoke_token(token_id, shop.uow, shop.clock, shop.admin)

    assert authenticate_token(secret, shop.uow, shop.clock) is None
    altered = secret[:-1] + ("y" if secret.endswith("x") else "x")  # the secret is random
    assert authenticate_token(altered, shop.uow, shop.clock) is None
    assert authenticate_token("not-even-a-token", shop.uow, shop.clock) is None


def test_a_busy_token_notes_its_last_use_at_most_once_a_minute(shop: Shop) -> None:
    token_id, secret = _kyiv_till_token(shop)
    committed = shop.uow.committed

    for _ in range(10):
        authenticate_token(secret, shop.uow, shop.clock)
        shop.clock.advance(timedelta(seconds=5))
    shop.clock.advance(timedelta(minutes=1))
    authenticate_token(secret, shop.uow, shop.clock)

    assert shop.uow.committed == committed + 2
    stored = shop.uow.tokens.get(token_id)
    assert stored is not None
    assert stored.last_used_at == shop.clock.now()


def test_a_token_check_asks_for_a_writer_only_when_its_last_use_is_due(shop: Shop) -> None:
    """A check that writes nothing reads only: with the embedded default a writer waits for
    the worker's write turn."""
    token_id, secret = _kyiv_till_token(shop)
    asked: list[int] = []

    def writing() -> FakeUnitOfWork:
        asked.append(1)
        return shop.uow

    for _ in range(10):
        assert authenticate_token(secret, shop.uow, shop.clock, writing=writing) is not None
        shop.clock.advance(timedelta(seconds=5))
    assert len(asked) == 1  # the first use, then nothing due for a minute
    shop.clock.advance(timedelta(minutes=1))
    assert authenticate_token(secret, shop.uow, shop.clock, writing=writing) is not None
    assert len(asked) == 2
    stored = shop.uow.tokens.get(token_id)
    assert stored is not None
    assert stored.last_used_at == shop.clock.now()


def test_a_token_revoked_between_the_read_and_the_write_stays_revoked(shop: Shop) -> None:
    token_id, secret = _kyiv_till_token(shop)

    def revoked_first() -> FakeUnitOfWork:
        revoke_token(token_id, shop.uow, shop.clock, shop.admin)
        return shop.uow

    assert authenticate_token(secret, shop.uow, shop.clock, writing=revoked_first) is None
    stored = shop.uow.tokens.get(token_id)
    assert stored is not None
    assert stored.revoked_at is not None
    assert stored.last_used_at is None


def test_a_location_scoped_token_needs_real_locations(shop: Shop) -> None:
    with pytest.raises(InvalidInput) as unscoped:
        create_token(NewToken("Kyiv till", Role.AGENT), shop.uow, shop.clock, shop.admin)
    with pytest.raises(InvalidInput) as unknown:
        create_token(
            NewToken("Kyiv till", Role.AGENT, frozenset({"loc_nowhere"})),
            shop.uow,
            shop.clock,
            shop.admin,
        )

    assert unscoped.value.field == unknown.value.field == "location_ids"
    assert shop.uow.tokens.list() == []


def test_a_staff_member_signs_in_with_their_password_and_no_other(shop: Shop) -> None:
    member = create_staff_member(
        NewStaffMember(
            login="Iryna",
            full_name="Iryna Shevchenko",
            role=Role.AGENT,
            password="correct horse battery",
            location_ids=frozenset({shop.kyiv.id}),
        ),
        shop.uow,
        shop.clock,
        shop.admin,
    )

    signed_in = authenticate_staff(" IRYNA ", "correct horse battery", shop.uow)
    assert signed_in is not None
    assert signed_in.id == member.id
    assert signed_in.as_actor().location_ids == frozenset({shop.kyiv.id})
    assert authenticate_staff("iryna", "Correct horse battery", shop.uow) is None
    assert authenticate_staff("nobody", "correct horse battery", shop.uow) is None
    assert "correct horse battery" not in repr(shop.uow.state)


def test_a_taken_login_is_a_conflict_and_a_short_password_is_refused(shop: Shop) -> None:
    def new(login: str, password: str) -> NewStaffMember:
        return NewStaffMember(login=login, full_name="", role=Role.ADMIN, password=password)

    create_staff_member(new("olena", "long enough"), shop.uow, shop.clock, shop.admin)

    with pytest.raises(Conflict) as taken:
        create_staff_member(new("Olena", "long enough"), shop.uow, shop.clock, shop.admin)
    with pytest.raises(InvalidInput) as short:
        create_staff_member(new("taras", "short"), shop.uow, shop.clock, shop.admin)

    assert (taken.value.field, short.value.field) == ("login", "password")
    assert [m.login for m in shop.uow.staff.list()] == ["olena"]
