"""The evaluator panel and the programmes: who may judge which location, and who is proposed.

The seed's rule: a luxury boutique is judged only by people who are its clients' peers (others are
dazzled by the setting and miss the nuances), and never by someone the staff could recognise.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum


@dataclass
class EvaluatorProfile:
    """A mystery shopper: an account with the evaluator role, and who she is as a guest.

    ``staff_id`` names the staff account she logs in with, or the evaluator API token of her app.
    """

    id: str
    staff_id: str
    display_name: str
    segments: frozenset[str]  # the segments she belongs to, and so may judge (vip, regular...)
    languages: frozenset[str]
    cities: frozenset[str]  # folded to lower case
    created_at: datetime
    age_band: str = ""  # "25-34": for a scenario that needs it
    gender: str = ""
    # Her own e-mail and phone, only to find out whether a location knows her as a customer.
    contacts: frozenset[str] = frozenset()
    works_at: frozenset[str] = frozenset()  # locations she is or was employed at
    validated: int = 0
    returned: int = 0
    active: bool = True

    @property
    def reliability(self) -> float:
        """Share of her visits reviewers validated, starting from an even prior (1 of 2)."""
        return (self.validated + 1) / (self.validated + self.returned + 2)


@dataclass(frozen=True)
class AuditRule:
    """Which evaluators may audit these locations. Empty sets mean "any"."""

    location_ids: frozenset[str]
    segments: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    age_bands: frozenset[str] = frozenset()
    genders: frozenset[str] = frozenset()
    same_city: bool = True  # she must live in (or regularly visit) the location's city


@dataclass
class Programme:
    id: str
    name: str
    questionnaire_id: str
    rules: tuple[AuditRule, ...]
    created_at: datetime
    created_by: str
    lockout_days: int = 90  # no one audits a location she audited fewer days ago than this
    check_in_radius_m: int = 300  # a check-in farther than this from the location is flagged

    @property
    def location_ids(self) -> frozenset[str]:
        return frozenset().union(*(rule.location_ids for rule in self.rules))

    def rule_for(self, location_id: str) -> AuditRule | None:
        return next((r for r in self.rules if location_id in r.location_ids), None)


class Unfit(StrEnum):
    """Why an evaluator is not proposed for a location."""

    INACTIVE = "inactive"
    NOT_IN_PROGRAMME = "location_not_in_programme"
    SEGMENT = "not_of_the_segment"
    LANGUAGE = "language"
    CITY = "city"
    AGE_BAND = "age_band"
    GENDER = "gender"
    KNOWN_THERE = "known_there_as_a_customer"
    WORKS_THERE = "works_there"
    RECENTLY_AUDITED = "audited_it_recently"


@dataclass(frozen=True)
class Candidate:
    """What matching needs to know about one evaluator at one location, looked up beforehand."""

    profile: EvaluatorProfile
    known_there: bool = False
    works_there: bool = False
    last_audit_at: datetime | None = None


@dataclass(frozen=True)
class Proposal:
    profile: EvaluatorProfile
    unfit: tuple[Unfit, ...] = field(default_factory=tuple)

    @property
    def fits(self) -> bool:
        return not self.unfit


def reasons_unfit(
    candidate: Candidate, programme: Programme, location_id: str, city: str, now: datetime
) -> tuple[Unfit, ...]:
    """Every reason this evaluator may not audit this location now; none: she may."""
    profile = candidate.profile
    rule = programme.rule_for(location_id)
    if rule is None:
        return (Unfit.NOT_IN_PROGRAMME,)
    found: list[Unfit] = []
    if not profile.active:
        found.append(Unfit.INACTIVE)
    if rule.segments and rule.segments.isdisjoint(profile.segments):
        found.append(Unfit.SEGMENT)
    if rule.languages and rule.languages.isdisjoint(profile.languages):
        found.append(Unfit.LANGUAGE)
    if rule.same_city and city.strip().lower() not in profile.cities:
        found.append(Unfit.CITY)
    if rule.age_bands and profile.age_band not in rule.age_bands:
        found.append(Unfit.AGE_BAND)
    if rule.genders and profile.gender not in rule.genders:
        found.append(Unfit.GENDER)
    if candidate.known_there:
        found.append(Unfit.KNOWN_THERE)
    if candidate.works_there or location_id in profile.works_at:
        found.append(Unfit.WORKS_THERE)
    last = candidate.last_audit_at
    if last is not None and now - last < timedelta(days=programme.lockout_days):
        found.append(Unfit.RECENTLY_AUDITED)
    return tuple(found)


def propose(
    candidates: Iterable[Candidate],
    programme: Programme,
    location_id: str,
    city: str,
    now: datetime,
) -> list[Proposal]:
    """Every candidate with the reasons she does not fit; who fits first, most reliable first."""
    proposals = [
        Proposal(c.profile, reasons_unfit(c, programme, location_id, city, now)) for c in candidates
    ]
    return sorted(
        proposals, key=lambda p: (not p.fits, -p.profile.reliability, p.profile.display_name)
    )


def folded(values: Iterable[str]) -> frozenset[str]:
    return frozenset(v.strip().lower() for v in values if v.strip())


def last_audits(rows: Iterable[tuple[str, datetime]]) -> Mapping[str, datetime]:
    """The latest audit per evaluator from (evaluator id, when) pairs."""
    latest: dict[str, datetime] = {}
    for evaluator_id, at in rows:
        if evaluator_id not in latest or at > latest[evaluator_id]:
            latest[evaluator_id] = at
    return latest
