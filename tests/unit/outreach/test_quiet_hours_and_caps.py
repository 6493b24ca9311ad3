"""Quiet hours in the customer's own time zone and the marketing cap (``core/outreach/policy``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, time

from heedful.core.customers.channels import Channel
from heedful.core.customers.consent import ConsentDecision, Purpose
from heedful.core.customers.identities import Identity, IdentityKind
from heedful.core.outreach.policy import (
    Cap,
    ContactRules,
    Hold,
    Send,
    Suppress,
    decide,
    quiet_hours_end,
    zone_of,
)

RULES = ContactRules()  # quiet 21:00-09:00, two marketing messages a week
AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
KYIV = zone_of("Europe/Kyiv")


def _kyiv(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=KYIV).astimezone(UTC)


def _email() -> Identity:
    return Identity("idn_1", "cus_anna", IdentityKind.EMAIL, "anna@example.com", AT, "admin")


def _phone() -> Identity:
    return Identity("idn_2", "cus_anna", IdentityKind.PHONE, "+380671234567", AT, "admin")


def _yes(channel: Channel, purpose: Purpose) -> ConsentDecision:
    return ConsentDecision(
        f"cns_{channel.value}_{purpose.value}",
        "cus_anna",
        channel,
        purpose,
        True,
        AT,
        "in person",
        "stf_admin",
        "admin",
    )


def _decide(
    purpose: Purpose,
    consents: Sequence[ConsentDecision],
    *,
    now: datetime,
    sent: int = 0,
    identities: Sequence[Identity] = (),
    time_zone: str = "Europe/Kyiv",
) -> object:
    return decide(
        purpose=purpose,
        identities=identities or (_email(),),
        consents=consents,
        sent_in_window=sent,
        now=now,
        time_zone=time_zone,
        rules=RULES,
    )


def test_late_in_the_evening_the_quiet_hours_end_at_nine_the_next_morning() -> None:
    assert quiet_hours_end(_kyiv(2, 22, 30), KYIV, RULES) == _kyiv(3, 9)


def test_after_midnight_the_quiet_hours_end_at_nine_the_same_morning() -> None:
    assert quiet_hours_end(_kyiv(3, 3), KYIV, RULES) == _kyiv(3, 9)


def test_in_the_day_it_is_not_quiet_and_nine_oclock_itself_is_not_quiet() -> None:
    assert quiet_hours_end(_kyiv(3, 12), KYIV, RULES) is None
    assert quiet_hours_end(_kyiv(3, 9), KYIV, RULES) is None
    assert quiet_hours_end(_kyiv(3, 21), KYIV, RULES) == _kyiv(4, 9)


def test_the_night_the_clocks_go_forward_still_ends_at_nine_on_the_wall_clock() -> None:
    # Kyiv moves from UTC+2 to UTC+3 on 29 March 2026: 09:00 that morning is 06:00 UTC.
    end = quiet_hours_end(_kyiv(28, 23), KYIV, RULES)
    assert end == datetime(2026, 3, 29, 6, 0, tzinfo=UTC)


def test_quiet_hours_that_do_not_cross_midnight_are_kept_too() -> None:
    siesta = ContactRules(quiet_from=time(13, 0), quiet_until=time(15, 0))
    assert quiet_hours_end(_kyiv(3, 14), KYIV, siesta) == _kyiv(3, 15)
    assert quiet_hours_end(_kyiv(3, 16), KYIV, siesta) is None


def test_an_unknown_time_zone_is_read_as_utc() -> None:
    assert zone_of("Mars/Olympus") == zone_of("UTC")


def test_quiet_hours_follow_her_time_zone_not_the_shops() -> None:
    now = datetime(2026, 3, 2, 20, 0, tzinfo=UTC)  # 22:00 in Kyiv, 15:00 in New York
    consents = [_yes(Channel.EMAIL, Purpose.SERVICE)]

    in_kyiv = _decide(Purpose.SERVICE, consents, now=now)
    in_new_york = _decide(Purpose.SERVICE, consents, now=now, time_zone="America/New_York")

    assert isinstance(in_kyiv, Hold)
    assert (in_kyiv.until, in_kyiv.reason) == (
        _kyiv(3, 9),
        "quiet hours in the customer's time zone",
    )
    assert in_new_york == Send(Channel.EMAIL, "anna@example.com")


def test_the_third_offer_in_the_window_is_capped_but_service_messages_never_are() -> None:
    consents = [_yes(Channel.EMAIL, Purpose.MARKETING), _yes(Channel.EMAIL, Purpose.SERVICE)]
    noon = _kyiv(3, 12)

    assert isinstance(_decide(Purpose.MARKETING, consents, now=noon, sent=1), Send)
    capped = _decide(Purpose.MARKETING, consents, now=noon, sent=2)
    assert isinstance(capped, Cap)
    assert capped.reason == "2 marketing messages in the last 7 days"
    assert isinstance(_decide(Purpose.SERVICE, consents, now=noon, sent=50), Send)


def test_a_capped_offer_at_night_is_capped_not_held_for_the_morning() -> None:
    consents = [_yes(Channel.EMAIL, Purpose.MARKETING)]
    assert isinstance(_decide(Purpose.MARKETING, consents, now=_kyiv(3, 23), sent=2), Cap)


def test_without_consent_the_message_is_suppressed_whatever_the_hour_or_the_count() -> None:
    decision = _decide(Purpose.MARKETING, [], now=_kyiv(3, 23), sent=9)
    assert isinstance(decision, Suppress)
    assert decision.reason == "no marketing consent on email"


def test_the_first_channel_she_agreed_to_is_used() -> None:
    consents = [_yes(Channel.SMS, Purpose.SERVICE)]
    decision = _decide(Purpose.SERVICE, consents, now=_kyiv(3, 12), identities=(_email(), _phone()))
    assert decision == Send(Channel.SMS, "+380671234567")


def test_with_no_address_at_all_there_is_nothing_to_send_to() -> None:
    decision = decide(
        purpose=Purpose.SERVICE,
        identities=(),
        consents=[],
        sent_in_window=0,
        now=_kyiv(3, 12),
        time_zone="Europe/Kyiv",
        rules=RULES,
    )
    assert isinstance(decision, Suppress)
    assert decision.reason == "no e-mail, phone or messenger address"
