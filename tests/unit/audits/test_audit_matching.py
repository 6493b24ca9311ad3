"""Who is proposed to audit a location: the segment's peers, never someone the staff could know."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from heedful.core.audits import AuditRule, Candidate, EvaluatorProfile, Programme, Unfit, propose

NOW = datetime(2026, 12, 6, 10, tzinfo=UTC)
BOUTIQUE = "loc_boutique"

PROGRAMME = Programme(
    id="apg_1",
    name="Luxury boutiques",
    questionnaire_id="aqn_1",
    rules=(
        AuditRule(
            location_ids=frozenset({BOUTIQUE}),
            segments=frozenset({"vip"}),
            languages=frozenset({"uk"}),
        ),
    ),
    created_at=NOW,
    created_by="Olena",
    lockout_days=60,
)


def evaluator(name: str, **fields: object) -> EvaluatorProfile:
    base = EvaluatorProfile(
        id=f"aev_{name}",
        staff_id=f"stf_{name}",
        display_name=name,
        segments=frozenset({"vip"}),
        languages=frozenset({"uk", "en"}),
        cities=frozenset({"kyiv"}),
        created_at=NOW,
    )
    return replace(base, **fields)  # type: ignore[arg-type]


def unfit(candidate: Candidate) -> tuple[Unfit, ...]:
    [proposal] = propose([candidate], PROGRAMME, BOUTIQUE, "Kyiv", NOW)
    return proposal.unfit


def test_a_peer_of_the_segment_in_the_city_fits() -> None:
    assert unfit(Candidate(evaluator("Iryna"))) == ()


def test_someone_outside_the_segment_is_not_proposed() -> None:
    assert unfit(Candidate(evaluator("Petro", segments=frozenset({"regular"})))) == (Unfit.SEGMENT,)


def test_language_and_city_must_fit() -> None:
    elsewhere = evaluator("Anna", languages=frozenset({"ru"}), cities=frozenset({"lviv"}))
    assert unfit(Candidate(elsewhere)) == (Unfit.LANGUAGE, Unfit.CITY)


def test_someone_known_there_as_a_customer_is_never_proposed() -> None:
    assert unfit(Candidate(evaluator("Iryna"), known_there=True)) == (Unfit.KNOWN_THERE,)


def test_someone_who_works_there_is_never_proposed() -> None:
    assert unfit(Candidate(evaluator("Iryna"), works_there=True)) == (Unfit.WORKS_THERE,)
    declared = evaluator("Iryna", works_at=frozenset({BOUTIQUE}))
    assert unfit(Candidate(declared)) == (Unfit.WORKS_THERE,)


def test_an_audit_within_the_lockout_bars_her_and_one_before_it_does_not() -> None:
    recent = Candidate(evaluator("Iryna"), last_audit_at=NOW - timedelta(days=59))
    assert unfit(recent) == (Unfit.RECENTLY_AUDITED,)
    long_ago = Candidate(evaluator("Iryna"), last_audit_at=NOW - timedelta(days=60))
    assert unfit(long_ago) == ()


def test_a_location_outside_the_programme_fits_no_one() -> None:
    [proposal] = propose([Candidate(evaluator("Iryna"))], PROGRAMME, "loc_other", "Kyiv", NOW)
    assert proposal.unfit == (Unfit.NOT_IN_PROGRAMME,)


def test_those_who_fit_come_first_most_reliable_first() -> None:
    steady = evaluator("Halyna", validated=9, returned=0)
    shaky = evaluator("Bohdana", validated=1, returned=3)
    barred = evaluator("Alla", segments=frozenset({"regular"}), validated=20)
    order = propose(
        [Candidate(p) for p in (shaky, barred, steady)], PROGRAMME, BOUTIQUE, "Kyiv", NOW
    )
    assert [p.profile.display_name for p in order] == ["Halyna", "Bohdana", "Alla"]
    assert [p.fits for p in order] == [True, True, False]
    # Reliability is (validated + 1) over (validated + returned + 2).
    assert steady.reliability == 10 / 11
    assert shaky.reliability == 2 / 6
