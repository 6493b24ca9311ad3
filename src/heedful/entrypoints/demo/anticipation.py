"""The seeds' look-ahead stories (ADR 0040), set in the near future of the moment the demo loads.

Tomorrow Виктор Соколов arrives at the hotel, where he once said "no sparkling water in my minibar";
tomorrow morning the bank's VIP Андрій Мельничук and a regular client each have a charge above
balance and limit; Вікторія Мороз's parcel is late with the carrier. The look-ahead playbooks are
installed and enabled, and the state arrives the way the hotel's, the bank's and the shop's systems
send it: as events naming the customer by phone and the location by its code, stored in the inbox
and handled by the engine. So after ``make demo`` the housekeeper, the relationship manager and the
regular client already have their task or message, and each story can be walked from its card.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from heedful.bootstrap import Container
from heedful.core.access.model import SYSTEM
from heedful.core.engine.reactions import process_events
from heedful.core.events.handlers import accept_events
from heedful.core.playbooks.handlers import create_playbook, set_enabled
from heedful.core.playbooks.look_ahead_demo import (
    CALL_BEFORE_THE_CHARGE,
    CARD_EXPIRES_BEFORE_CHARGE,
    PREPARE_ROOMS_FOR_TOMORROW,
    TELL_LATE_DELIVERIES_FIRST,
)

from .data import BANK, BOUTIQUE, HOTEL, LOCATION_CODES, LOCATIONS
from .stories import BANK_REGULAR

VIKTOR_PHONE = "+7 912 604-18-33"
ANDRIY_PHONE = "+380 67 440 71 26"
VIKTORIIA_PHONE = "+380 50 377 12 09"
REGULAR_PHONE = BANK_REGULAR.find_by.value  # the same charge as the VIP's: told, not called
RELATIONSHIP_MANAGER = "yurii.bondar"


def _zone(key: str) -> ZoneInfo:
    return ZoneInfo(next(spec.time_zone for spec in LOCATIONS if spec.key == key))


def _local(now: datetime, key: str, days: int, at: time) -> datetime:
    zone = _zone(key)
    day = now.astimezone(zone).date() + timedelta(days=days)
    return datetime.combine(day, at, tzinfo=zone)


def _in_staff_words() -> list[dict[str, Any]]:
    """The seed's playbooks with the task words the demo's staff read: Russian at the hotel
    ("Номер … для …" reads the same in Ukrainian), Ukrainian at the bank. A business writes
    its own titles; the rules are the seed's, unchanged."""
    [room] = PREPARE_ROOMS_FOR_TOMORROW["actions"]
    [vip] = CALL_BEFORE_THE_CHARGE["branches"]
    [call] = vip["actions"]
    call = {
        **call,
        "title": "Зателефонувати {{customer.name}}: списання {{data.charge}} {{data.currency}} "
        "о {{data.charge_at}}, бракує {{data.shortfall}}",
        "note": "Запропонувати підняти ліміт як виняток",
    }
    title = "Номер {{data.room}} для {{customer.name}} ({{data.starts_at}}): {{data.wishes}}"
    return [
        {**PREPARE_ROOMS_FOR_TOMORROW, "actions": [{**room, "title": title}]},
        {**CALL_BEFORE_THE_CHARGE, "branches": [{**vip, "actions": [call]}]},
        TELL_LATE_DELIVERIES_FIRST,
        CARD_EXPIRES_BEFORE_CHARGE,
    ]


def play_anticipation(container: Container) -> int:
    """Install the look-ahead playbooks and send tomorrow's state; return the events handled."""
    clock = container.clock
    now = clock.now()
    for source in _in_staff_words():
        playbook = create_playbook(source, container.uow(), clock, SYSTEM)
        set_enabled(playbook.id, True, container.uow(), clock, SYSTEM)
    accepted = accept_events(container.uow(), clock, _events(now)).accepted
    process_events(container.uow, clock)
    return accepted


def _event(source: str, number: int, event_type: str, now: datetime, **data: Any) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": f"demo-{source}-{number}",
        "source": f"urn:demo:{source}",
        "type": event_type,
        "time": now.isoformat(),
        "data": data,
    }


def _events(now: datetime) -> list[dict[str, Any]]:
    hotel, bank, shop = LOCATION_CODES[HOTEL], LOCATION_CODES[BANK], LOCATION_CODES[BOUTIQUE]
    arrival = _local(now, HOTEL, 1, time(14, 0))
    charge = _local(now, BANK, 1, time(7, 0))
    today = now.astimezone(_zone(BOUTIQUE)).date()
    account = {"currency": "UAH", "balance": 300, "limit": 500}
    return [
        _event(
            "pms",
            1,
            "heedful.booking.upserted",
            now,
            customer={"phone": VIKTOR_PHONE},
            location=hotel,
            booking="OGH-2026-5120",
            arrival=arrival.isoformat(),
            departure=(arrival + timedelta(days=3)).isoformat(),
            room_type="Deluxe King",
            room="512",
            guests=1,
        ),
        _event(
            "crm",
            1,
            "heedful.owner.assigned",
            now,
            customer={"phone": ANDRIY_PHONE},
            location=bank,
            staff=RELATIONSHIP_MANAGER,
        ),
        *(
            _event(
                "core-banking",
                n,
                "heedful.account.upserted",
                now,
                customer={"phone": phone},
                location=bank,
                account=number,
                next_charge_at=charge.isoformat(),
                next_charge_amount=1200,
                **account,
            )
            for n, (phone, number) in enumerate(
                ((ANDRIY_PHONE, "UA-20048213"), (REGULAR_PHONE, "UA-20051177")), start=1
            )
        ),
        _event(
            "shop",
            1,
            "heedful.order.upserted",
            now,
            customer={"phone": VIKTORIIA_PHONE},
            location=shop,
            order="LY-1042",
            status="shipped",
            promised=(today + timedelta(days=1)).isoformat(),
            expected=(today + timedelta(days=3)).isoformat(),
            carrier="Nova Poshta",
            tracking_number="20450123456789",
        ),
    ]
