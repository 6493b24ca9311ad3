"""Locations, staff accounts and API tokens."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from heedful.core.access import Actor, Permission, Role
from heedful.core.customers import audit, check_language, check_time_zone
from heedful.core.shared.clock import Clock
from heedful.core.shared.errors import Conflict, InvalidInput, NotFound
from heedful.core.shared.ids import new_id
from heedful.core.shared.phrases import Phrase
from heedful.core.shared.text import refuse_hidden_characters
from heedful.core.staff.model import ApiToken, Location, LocationKind, StaffMember
from heedful.core.unit_of_work import UnitOfWork

TOKEN_PREFIX = "hdf_"  # noqa: S105 - a prefix, not a secret
# scrypt parameters: ~50 ms on these machines, 16 MiB of memory per guess.
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, **_SCRYPT)
    return f"scrypt${salt.hex()}${digest.hex()}"


def password_matches(password: str, stored: str) -> bool:
    try:
        scheme, salt_hex, digest_hex = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    digest = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt_hex), **_SCRYPT)
    return hmac.compare_digest(digest.hex(), digest_hex)


def hash_token(secret: str) -> str:
    # Tokens carry 256 random bits, so a fast hash is enough: nobody can guess one to test.
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class NewLocation:
    name: str
    kind: LocationKind
    city: str
    country: str
    time_zone: str
    code: str | None = None


def create_location(cmd: NewLocation, uow: UnitOfWork, clock: Clock, actor: Actor) -> Location:
    actor.require(Permission.MANAGE_STAFF)
    refuse_hidden_characters(cmd.name, field="name")
    refuse_hidden_characters(cmd.city, field="city")
    if not cmd.name.strip():
        raise InvalidInput(
            "a location needs a name", said=Phrase("refusal.location_name"), field="name"
        )
    if len(cmd.country) != 2 or not cmd.country.isalpha():
        raise InvalidInput(
            "country is an ISO 3166 two-letter code",
            said=Phrase("refusal.country"),
            field="country",
        )
    location = Location(
        id=new_id("loc_"),
        name=cmd.name.strip(),
        kind=cmd.kind,
        city=cmd.city.strip(),
        country=cmd.country.upper(),
        time_zone=check_time_zone(cmd.time_zone),
        created_at=clock.now(),
        code=_check_code(cmd.code),
    )
    with uow:
        if location.code and uow.locations.get_by_code(location.code) is not None:
            raise Conflict(f"another location has the code {location.code}", field="code")
        uow.locations.add(location)
        audit(
            uow,
            actor,
            location.created_at,
            "location.created",
            customer_id=None,
            entity="location",
            entity_id=location.id,
            after={
                "name": location.name,
                "country": location.country,
                "time_zone": location.time_zone,
            },
        )
        uow.commit()
    return location


def _check_code(code: str | None) -> str | None:
    code = (code or "").strip().lower()
    if not code:
        return None
    if len(code) > 40 or not all(c.isalnum() or c in "-_." for c in code):
        raise InvalidInput("a code is up to 40 letters, digits, - _ or .", field="code")
    return code


@dataclass(frozen=True)
class NewStaffMember:
    login: str
    full_name: str
    role: Role
    password: str
    language: str = "en"
    location_ids: frozenset[str] | None = None


def create_staff_member(
    cmd: NewStaffMember, uow: UnitOfWork, clock: Clock, actor: Actor
) -> StaffMember:
    actor.require(Permission.MANAGE_STAFF)
    login = refuse_hidden_characters(cmd.login.strip().lower(), field="login")
    refuse_hidden_characters(cmd.full_name, field="full_name")
    if not login:
        raise InvalidInput("a staff member needs a login", field="login")
    if len(cmd.password) < 8:
        raise InvalidInput(
            "a password is at least 8 characters",
            said=Phrase("refusal.password_length"),
            field="password",
        )
    if cmd.role in (Role.MANAGER, Role.AGENT) and not cmd.location_ids:
        raise InvalidInput(
            "managers and agents work at one or more locations",
            said=Phrase("refusal.staff_locations"),
            field="location_ids",
        )
    with uow:
        if uow.staff.get_by_login(login) is not None:
            raise Conflict(
                f"the login {login} is taken",
                said=Phrase("refusal.login_taken", {"login": login}),
                field="login",
            )
        for location_id in cmd.location_ids or ():
            if uow.locations.get(location_id) is None:
                raise InvalidInput(
                    f"no location {location_id}",
                    said=Phrase("refusal.no_location"),
                    field="location_ids",
                )
        member = StaffMember(
            id=new_id("stf_"),
            login=login,
            full_name=cmd.full_name.strip() or login,
            role=cmd.role,
            language=check_language(cmd.language),
            password_hash=hash_password(cmd.password),
            created_at=clock.now(),
            location_ids=None if cmd.role is Role.ADMIN else frozenset(cmd.location_ids or ()),
        )
        uow.staff.add(member)
        audit(
            uow,
            actor,
            member.created_at,
            "staff.created",
            customer_id=None,
            entity="staff",
            entity_id=member.id,
            after={
                "login": member.login,
                "role": member.role.value,
                "location_ids": sorted(member.location_ids or ()) or None,
            },
        )
        uow.commit()
    return member


def authenticate_staff(login: str, password: str, uow: UnitOfWork) -> StaffMember | None:
    with uow:
        member = uow.staff.get_by_login(login.strip().lower())
    if member is None or not member.active:
        # Spend the same time as a real check so that logins cannot be probed by timing.
        password_matches(password, hash_password("timing-equaliser"))
        return None
    return member if password_matches(password, member.password_hash) else None


def set_staff_language(staff_id: str, language: str, uow: UnitOfWork) -> StaffMember:
    with uow:
        member = uow.staff.get(staff_id)
        if member is None:
            raise NotFound(f"no staff member {staff_id}")
        member.language = check_language(language)
        uow.staff.update(member)
        uow.commit()
    return member


@dataclass(frozen=True)
class NewToken:
    name: str
    role: Role
    location_ids: frozenset[str] | None = None
    expires_at: datetime | None = None  # None: until revoked


def create_token(
    cmd: NewToken, uow: UnitOfWork, clock: Clock, actor: Actor
) -> tuple[ApiToken, str]:
    """A new API token and its secret. The secret is returned once and only its hash is kept."""
    actor.require(Permission.MANAGE_TOKENS)
    name = refuse_hidden_characters(cmd.name.strip(), field="name")
    if not name:
        raise InvalidInput(
            "name the token after the system that will use it",
            said=Phrase("refusal.token_name"),
            field="name",
        )
    if cmd.role in (Role.MANAGER, Role.AGENT) and not cmd.location_ids:
        raise InvalidInput(
            "a manager or agent token is scoped to locations",
            said=Phrase("refusal.token_locations"),
            field="location_ids",
        )
    now = clock.now()
    if cmd.expires_at is not None and (cmd.expires_at.tzinfo is None or cmd.expires_at <= now):
        raise InvalidInput(
            "a token expires at a time to come, with its zone",
            said=Phrase("refusal.token_expiry"),
            field="expires_at",
        )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        id=new_id("tok_"),
        name=name[:100],
        token_hash=hash_token(secret),
        prefix=secret[:10],
        role=cmd.role,
        created_at=now,
        created_by=actor.id,
        location_ids=None if cmd.role is Role.ADMIN else cmd.location_ids,
        expires_at=cmd.expires_at,
    )
    with uow:
        for location_id in cmd.location_ids or ():
            if uow.locations.get(location_id) is None:
                raise InvalidInput(
                    f"no location {location_id}",
                    said=Phrase("refusal.no_location"),
                    field="location_ids",
                )
        uow.tokens.add(token)
        uow.commit()
    return token, secret


def authenticate_token(
    secret: str,
    uow: UnitOfWork,
    clock: Clock,
    *,
    writing: Callable[[], UnitOfWork] | None = None,
) -> ApiToken | None:
    """The token ``secret`` names, if it works now.

    ``uow`` only reads: a read-only one will do. Its "last used" is written at most once a
    minute, through ``writing`` (``uow`` itself without it): a busy integration must not write
    on every read, and with the embedded default a check that writes nothing need not wait
    for the worker's write turn.
    """
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token_hash = hash_token(secret)
    with uow:
        token = uow.tokens.get_by_hash(token_hash)
        now = clock.now()
        if token is None or not token.works_at(now):
            return None
        if not _last_use_due(token, now):
            return token
    return _note_last_use(token_hash, writing() if writing is not None else uow, now)


def _last_use_due(token: ApiToken, now: datetime) -> bool:
    return token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60


def _note_last_use(token_hash: str, uow: UnitOfWork, now: datetime) -> ApiToken | None:
    # Read again in the writing unit of work: the token may have been revoked since, and
    # writing the copy read before would bring it back.
    with uow:
        token = uow.tokens.get_by_hash(token_hash)
        if token is None or not token.works_at(now):
            return None
        if _last_use_due(token, now):
            token.last_used_at = now
            uow.tokens.update(token)
            uow.commit()
        return token


def revoke_token(token_id: str, uow: UnitOfWork, clock: Clock, actor: Actor) -> ApiToken:
    actor.require(Permission.MANAGE_TOKENS)
    with uow:
        token = uow.tokens.get(token_id)
        if token is None:
            raise NotFound(f"no token {token_id}", said=Phrase("refusal.no_token"))
        if token.revoked_at is None:
            token.revoked_at = clock.now()
            uow.tokens.update(token)
            uow.commit()
    return token
