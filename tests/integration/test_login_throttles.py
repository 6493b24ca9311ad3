"""Login throttles on both databases: guesses racing each other are all counted (ADR 0023)."""

from __future__ import annotations

from datetime import timedelta

from heedful.bootstrap import Container
from heedful.core.shared.clock import FrozenClock
from heedful.core.staff.logins import delay_after
from heedful.core.staff.model import LoginThrottle


def test_of_two_guesses_counted_from_the_same_reading_only_one_is_counted(
    container: Container, clock: FrozenClock
) -> None:
    now = clock.now()
    first = LoginThrottle("login:maria", 1, now, now)
    with container.uow() as uow:
        assert uow.login_throttles.replace(None, first)
        assert not uow.login_throttles.replace(None, first)  # a racing first failure
        uow.commit()

    racing = [container.uow(), container.uow()]
    seen = []
    for uow in racing:
        with uow:
            seen.append(uow.login_throttles.get("login:maria"))
    counted = []
    for uow, before in zip(racing, seen, strict=True):
        with uow:
            assert before is not None
            counted.append(
                uow.login_throttles.replace(before, LoginThrottle("login:maria", 2, now, now))
            )
            uow.commit()

    assert counted == [True, False]
    with container.uow() as uow:
        stored = uow.login_throttles.get("login:maria")
        uow.login_throttles.clear("login:maria")
        uow.commit()
    assert stored is not None
    assert stored.failures == 2
    with container.uow() as uow:
        assert uow.login_throttles.get("login:maria") is None


def test_the_wait_doubles_after_the_free_tries_up_to_the_longest() -> None:
    waits = [delay_after(failures, 3, 900) for failures in range(1, 16)]
    assert waits[:2] == [timedelta(0)] * 2
    assert waits[2:7] == [timedelta(seconds=s) for s in (1, 2, 4, 8, 16)]
    assert waits[-1] == timedelta(seconds=900)


def test_housekeeping_forgets_names_that_stopped_failing_but_never_a_lock(
    container: Container, clock: FrozenClock
) -> None:
    from heedful.entrypoints.worker.jobs import run_once

    now = clock.now()
    with container.uow() as uow:
        uow.login_throttles.replace(None, LoginThrottle("login:sprayed", 2, now, now))
        uow.login_throttles.replace(None, LoginThrottle("login:maria", 10, now, now, locked_at=now))
        uow.commit()
    clock.advance(timedelta(hours=23))
    assert run_once(container)["forget_login_failures"] == 0
    clock.advance(timedelta(hours=2))

    assert run_once(container)["forget_login_failures"] == 1
    with container.uow() as uow:
        assert uow.login_throttles.get("login:sprayed") is None
        assert uow.login_throttles.get("login:maria") is not None
