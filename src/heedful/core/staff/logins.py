"""Console logins: throttled per account and per address, locked after many failures, logged.

Every try is a security event (the login name as typed, the address, the outcome; never the
password). A login name that fails waits longer and longer before its next try, then is locked
until an admin unlocks it; a client address that fails across many names waits too, but is never
locked (a shop's whole staff may share one address). Refusals are answers, not sleeps: a refused
try costs the server nothing, and the message says how long to wait.

The attempt is counted before the password is checked, by a conditional write: of many guesses
sent at once, each counts, so a burst cannot slip through a gap between reading and writing.
Unknown login names are throttled and locked exactly like real ones, so the answers do not tell
which accounts exist.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from heedful.core.access import Actor, Permission
from heedful.core.shared.clock import Clock
from heedful.core.shared.errors import NotFound
from heedful.core.shared.ids import new_id
from heedful.core.staff.handlers import authenticate_staff
from heedful.core.staff.model import LoginThrottle, SecurityEvent, SecurityEventKind, StaffMember
from heedful.core.unit_of_work import UnitOfWork

# An address is shared by everyone at a till or behind one office router: it gets more room.
ADDRESS_ALLOWANCE_FACTOR = 5
# A name or address that has not failed for this long starts afresh (unless locked): the table
# stays the size of recent trouble, however many names a sprayer invents.
FORGET_FAILURES_AFTER = timedelta(days=1)


@dataclass(frozen=True)
class LoginPolicy:
    delay_after_failures: int = 3  # tries free of any wait
    max_delay_seconds: int = 900
    lockout_failures: int = 10  # per login name; an admin unlocks


class LoginOutcome(StrEnum):
    LOGGED_IN = "logged_in"
    WRONG = "wrong"  # wrong login or password (which, is not said)
    WAIT = "wait"  # too many tries lately: come back in ``wait_seconds``
    LOCKED = "locked"  # too many failures: an admin must unlock the account


@dataclass(frozen=True)
class LoginResult:
    outcome: LoginOutcome
    member: StaffMember | None = None
    wait_seconds: int = 0


def delay_after(failures: int, free: int, longest: int) -> timedelta:
    """1 s after the first failure past the free ones, then doubling, up to ``longest``."""
    if failures < free:
        return timedelta(0)
    return timedelta(seconds=min(2 ** min(failures - free, 30), longest))


def account_key(login: str) -> str:
    return f"login:{login.strip().lower()[:100]}"


def address_key(address: str) -> str:
    return f"address:{address[:64]}"


def log_in(
    login: str,
    password: str,
    address: str,
    uow: UnitOfWork,
    clock: Clock,
    policy: LoginPolicy,
) -> LoginResult:
    now = clock.now()
    name = login.strip().lower()[:100]
    refusal = _count_attempt(name, address, uow, now, policy)
    if refusal is not None:
        return refusal
    member = authenticate_staff(name, password, uow)  # scrypt, outside any transaction
    with uow:
        if member is not None:
            uow.login_throttles.clear(account_key(name))
            uow.login_throttles.clear(address_key(address))
            _record(uow, now, SecurityEventKind.LOGIN_SUCCEEDED, name, address, member)
            uow.commit()
            return LoginResult(LoginOutcome.LOGGED_IN, member)
        throttle = uow.login_throttles.get(account_key(name))
        _record(uow, now, SecurityEventKind.LOGIN_FAILED, name, address, None)
        if throttle is not None and throttle.locked_at == now:
            _record(
                uow,
                now,
                SecurityEventKind.ACCOUNT_LOCKED,
                name,
                address,
                None,
                detail=f"after {throttle.failures} failed logins",
            )
        uow.commit()
    return LoginResult(LoginOutcome.WRONG)


def _count_attempt(
    name: str, address: str, uow: UnitOfWork, now: datetime, policy: LoginPolicy
) -> LoginResult | None:
    """Count this try against the name and the address, or say why it may not be made now."""
    with uow:
        account = uow.login_throttles.get(account_key(name))
        place = uow.login_throttles.get(address_key(address))
        refusal = _refusal(account, place, now)
        if refusal is None:
            counted = uow.login_throttles.replace(
                account, _failed(account, account_key(name), now, policy, lock=True)
            ) and uow.login_throttles.replace(
                place, _failed(place, address_key(address), now, _for_addresses(policy))
            )
            # Another try got in between: this one waits its turn rather than race it.
            refusal = None if counted else LoginResult(LoginOutcome.WAIT, wait_seconds=1)
        if refusal is None:
            uow.commit()
            return None
    with uow:
        detail = "locked" if refusal.outcome is LoginOutcome.LOCKED else "throttled"
        _record(uow, now, SecurityEventKind.LOGIN_REFUSED, name, address, None, detail=detail)
        uow.commit()
    return refusal


def _refusal(
    account: LoginThrottle | None, place: LoginThrottle | None, now: datetime
) -> LoginResult | None:
    if account is not None and account.locked_at is not None:
        return LoginResult(LoginOutcome.LOCKED)
    waits = [t.retry_after for t in (account, place) if t is not None and t.retry_after > now]
    if waits:
        seconds = (max(waits) - now).total_seconds()
        return LoginResult(LoginOutcome.WAIT, wait_seconds=max(1, int(-(-seconds // 1))))
    return None


def _failed(
    before: LoginThrottle | None,
    key: str,
    now: datetime,
    policy: LoginPolicy,
    *,
    lock: bool = False,
) -> LoginThrottle:
    # Counted as a failure until the password proves otherwise; a success clears the row.
    failures = (before.failures if before else 0) + 1
    locked = lock and failures >= policy.lockout_failures
    return LoginThrottle(
        key=key,
        failures=failures,
        last_failure_at=now,
        retry_after=now
        + delay_after(failures, policy.delay_after_failures, policy.max_delay_seconds),
        locked_at=now if locked else None,
    )


def _for_addresses(policy: LoginPolicy) -> LoginPolicy:
    return replace(
        policy, delay_after_failures=policy.delay_after_failures * ADDRESS_ALLOWANCE_FACTOR
    )


def _record(
    uow: UnitOfWork,
    now: datetime,
    kind: SecurityEventKind,
    login: str,
    address: str,
    member: StaffMember | None,
    *,
    actor: Actor | None = None,
    detail: str = "",
) -> None:
    uow.security_events.add(
        SecurityEvent(
            id=new_id("sec_"),
            at=now,
            kind=kind,
            login=login,
            address=address,
            staff_id=member.id if member else None,
            actor_id=actor.id if actor else None,
            actor_label=actor.label if actor else "",
            detail=detail,
        )
    )


def forget_old_failures(uow: UnitOfWork, clock: Clock) -> int:
    with uow:
        forgotten = uow.login_throttles.forget_unlocked_before(clock.now() - FORGET_FAILURES_AFTER)
        uow.commit()
    return forgotten


def is_locked(member: StaffMember, uow: UnitOfWork) -> bool:
    with uow:
        throttle = uow.login_throttles.get(account_key(member.login))
    return throttle is not None and throttle.locked_at is not None


def unlock_staff_member(
    staff_id: str, address: str, uow: UnitOfWork, clock: Clock, actor: Actor
) -> StaffMember:
    """An admin lets a locked-out member try again: their failures are forgotten; it is logged."""
    actor.require(Permission.MANAGE_STAFF)
    with uow:
        member = uow.staff.get(staff_id)
        if member is None:
            raise NotFound(f"no staff member {staff_id}")
        uow.login_throttles.clear(account_key(member.login))
        _record(
            uow,
            clock.now(),
            SecurityEventKind.ACCOUNT_UNLOCKED,
            member.login,
            address,
            member,
            actor=actor,
        )
        uow.commit()
    return member


def end_sessions(staff_id: str, address: str, uow: UnitOfWork, clock: Clock) -> None:
    """Log out: every console session of this member ends now, on every device."""
    with uow:
        member = uow.staff.get(staff_id)
        if member is None:
            return
        member.session_epoch += 1
        uow.staff.update(member)
        _record(uow, clock.now(), SecurityEventKind.LOGGED_OUT, member.login, address, member)
        uow.commit()


def deactivate_staff_member(
    staff_id: str, address: str, uow: UnitOfWork, clock: Clock, actor: Actor
) -> tuple[StaffMember, list[str]]:
    """A member who leaves: no more logins, sessions end now, the tokens they made are revoked.

    Returns the member and the ids of the tokens revoked (so that caches can forget them).
    """
    actor.require(Permission.MANAGE_STAFF)
    now = clock.now()
    with uow:
        member = uow.staff.get(staff_id)
        if member is None:
            raise NotFound(f"no staff member {staff_id}")
        revoked = []
        for token in uow.tokens.list():
            if token.created_by == member.id and token.revoked_at is None:
                token.revoked_at = now
                uow.tokens.update(token)
                revoked.append(token.id)
        if member.active or revoked:
            member.active = False
            member.session_epoch += 1
            uow.staff.update(member)
            _record(
                uow,
                now,
                SecurityEventKind.STAFF_DEACTIVATED,
                member.login,
                address,
                member,
                actor=actor,
                detail=f"{len(revoked)} API tokens revoked",
            )
        uow.commit()
    return member, revoked
