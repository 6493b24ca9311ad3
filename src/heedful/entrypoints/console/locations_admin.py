"""/admin/locations: where the business works, its hours and its calendar (admins).

A location's details, its weekly opening hours (several intervals a day), its region for public
holidays, and its own dates: closures, shortened days, extra working days. Every write is a core
use case (core/staff, core/sla/calendar_days), which moves the SLA clocks counting there and
writes the audit log.
"""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter
from fastapi.responses import Response

from heedful.core.access.model import Permission
from heedful.core.calendar import weekly_hours
from heedful.core.dealings.capacity import HoldKind
from heedful.core.dealings.holds import NewCapacity, capacity_of, set_capacity
from heedful.core.shared.errors import Forbidden, HeedfulError, InvalidInput
from heedful.core.shared.phrases import Phrase
from heedful.core.sla.calendar_days import (
    calendar_year,
    remove_calendar_day,
    set_calendar_day,
    set_opening_hours,
)
from heedful.core.staff.accounts import LocationDetails, change_location
from heedful.core.staff.handlers import NewLocation, create_location
from heedful.core.staff.model import Location, LocationKind
from heedful.entrypoints.console.capacity_form import (
    form_field,
    read_room_types,
    read_services,
    services_text,
)
from heedful.entrypoints.console.context import Console, ConsoleRoute, FormState, Staff, blank_form
from heedful.entrypoints.console.forms import Text, choice

router = APIRouter(prefix="/admin", route_class=ConsoleRoute, include_in_schema=False)
PAGE = "/admin/locations"
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _require(console: Console) -> None:
    if not console.may(Permission.MANAGE_STAFF):
        raise Forbidden("only admins set locations up")


def _list_page(console: Console, form: FormState | None = None, status: int = 200) -> Response:
    _require(console)
    with console.container.uow(read_only=True) as uow:
        locations = uow.locations.list()
    new = blank_form(
        name="", kind=LocationKind.SHOP.value, city="", country="", time_zone="", code=""
    )
    return console.render(
        "admin/locations.html",
        status=status,
        locations=locations,
        form=form or new,
        kinds=list(LocationKind),
    )


@router.get("/locations")
def locations_page(console: Staff) -> Response:
    return _list_page(console)


@router.post("/locations")
def add(
    console: Staff,
    name: Text = "",
    kind: Text = "",
    city: Text = "",
    country: Text = "",
    time_zone: Text = "",
    code: Text = "",
) -> Response:
    form = blank_form(
        name=name, kind=kind, city=city, country=country, time_zone=time_zone, code=code
    )
    try:
        location = create_location(
            NewLocation(
                name=name,
                kind=choice(LocationKind, kind, "kind"),
                city=city,
                country=country.strip(),
                time_zone=time_zone.strip(),
                code=code or None,
            ),
            console.container.uow(),
            console.container.clock,
            console.actor,
        )
    except HeedfulError as exc:
        return _list_page(console, console.failed(exc, form), status=422)
    return console.redirect(f"{PAGE}/{location.id}")


def _hours_by_day(location: Location) -> dict[str, str]:
    if not location.opening_hours:
        return dict.fromkeys(DAYS, "")
    week = weekly_hours(location.opening_hours)
    return {day: ", ".join(str(i) for i in week[n]) for n, day in enumerate(DAYS)}


def _location_page(
    console: Console,
    location_id: str,
    *,
    form: FormState | None = None,
    year: int | None = None,
    status: int = 200,
) -> Response:
    _require(console)
    with console.container.uow(read_only=True) as uow:
        location = uow.locations.get(location_id)
    if location is None:
        return _list_page(console)
    hours = _hours_by_day(location)
    capacity = capacity_of(location_id, console.container.uow(read_only=True), console.actor)
    values = {
        "tables": _blank_if_none(capacity.tables),
        "covers": _blank_if_none(capacity.covers),
        "rooms": _blank_if_none(capacity.rooms),
        "services": services_text(capacity.services, HoldKind.TABLES),
        "room_types": services_text(capacity.services, HoldKind.ROOMS),
        "name": location.name,
        "city": location.city,
        "address": location.address,
        "country": location.country,
        "time_zone": location.time_zone,
        "subdivision": location.subdivision,
        **{f"hours_{day}": text for day, text in hours.items()},
        "day": "",
        "day_hours": "",
        "reason": "",
    }
    if form is not None:
        values.update(form.values)
    local_year = year or console.now().year
    try:
        calendar = calendar_year(
            location.id,
            local_year,
            console.container.uow(read_only=True),
            console.actor,
            console.ui.language,
        )
    except InvalidInput:
        calendar = None  # a country the holidays package does not know: the page still opens
    return console.render(
        "admin/location.html",
        status=status,
        location=location,
        form=FormState(values=values, errors=form.errors if form else {}),
        days=DAYS,
        calendar=calendar,
        year=local_year,
    )


def _blank_if_none(value: int | None) -> str:
    return "" if value is None else str(value)


def _units(text: str, field: str) -> int | None:
    if not text.strip():
        return None
    if not text.strip().isdigit():
        raise InvalidInput("a whole number", field=field)
    return int(text)


@router.post("/locations/{location_id}/capacity")
def capacity(
    console: Staff,
    location_id: str,
    tables: Text = "",
    covers: Text = "",
    rooms: Text = "",
    services: Text = "",
    room_types: Text = "",
) -> Response:
    """Tables and covers, per service if it has several, rooms (per room type) for a hotel:
    tonight's book is weighed against them."""
    form = blank_form(
        tables=tables, covers=covers, rooms=rooms, services=services, room_types=room_types
    )
    try:
        served = read_services(services)
        new = NewCapacity(
            _units(tables, "tables"),
            _units(covers, "covers"),
            _units(rooms, "rooms"),
            (*served, *read_room_types(room_types)),
        )
        try:
            set_capacity(
                location_id, new, console.container.uow(), console.container.clock, console.actor
            )
        except InvalidInput as wrong:
            raise form_field(wrong, len(served)) from wrong
    except HeedfulError as exc:
        return _location_page(console, location_id, form=console.failed(exc, form), status=422)
    return console.redirect(f"{PAGE}/{location_id}")


@router.get("/locations/{location_id}")
def location_page(console: Staff, location_id: str, year: int | None = None) -> Response:
    return _location_page(console, location_id, year=year)


@router.post("/locations/{location_id}")
def change(
    console: Staff,
    location_id: str,
    name: Text = "",
    city: Text = "",
    address: Text = "",
    country: Text = "",
    time_zone: Text = "",
) -> Response:
    form = blank_form(name=name, city=city, address=address, country=country, time_zone=time_zone)
    try:
        change_location(
            location_id,
            LocationDetails(name, city, address, country.strip(), time_zone.strip()),
            console.container.uow(),
            console.container.clock,
            console.actor,
        )
    except HeedfulError as exc:
        return _location_page(console, location_id, form=console.failed(exc, form), status=422)
    return console.redirect(f"{PAGE}/{location_id}")


@router.post("/locations/{location_id}/hours")
def hours(
    console: Staff,
    location_id: str,
    subdivision: Text = "",
    hours_mon: Text = "",
    hours_tue: Text = "",
    hours_wed: Text = "",
    hours_thu: Text = "",
    hours_fri: Text = "",
    hours_sat: Text = "",
    hours_sun: Text = "",
) -> Response:
    typed = dict(
        zip(
            DAYS,
            (hours_mon, hours_tue, hours_wed, hours_thu, hours_fri, hours_sat, hours_sun),
            strict=True,
        )
    )
    form = blank_form(subdivision=subdivision, **{f"hours_{d}": t for d, t in typed.items()})
    # "09:00-13:00, 14:00-18:00": several intervals a day, a blank day closed.
    spec = {
        day: [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]
        for day, text in typed.items()
    }
    spec = {day: spans for day, spans in spec.items() if spans}
    try:
        for day, spans in spec.items():
            _check_day(day, spans)
        set_opening_hours(
            location_id,
            spec,
            subdivision,
            console.container.uow(),
            console.container.clock,
            console.actor,
        )
    except HeedfulError as exc:
        return _location_page(console, location_id, form=console.failed(exc, form), status=422)
    return console.redirect(f"{PAGE}/{location_id}#hours")


def _check_day(day: str, spans: list[str]) -> None:
    """Name the day whose hours cannot be read, so the complaint sits next to its field."""
    try:
        weekly_hours({day: spans})
    except InvalidInput as bad:
        raise InvalidInput(bad.message, field=f"hours_{day}", said=bad.said) from None


@router.post("/locations/{location_id}/days")
def own_day(
    console: Staff, location_id: str, day: Text = "", day_hours: Text = "", reason: Text = ""
) -> Response:
    form = blank_form(day=day, day_hours=day_hours, reason=reason)
    try:
        when = _date(day)
        spans = [p.strip() for p in day_hours.replace(";", ",").split(",") if p.strip()]
        set_calendar_day(
            location_id,
            when,
            spans,
            reason,
            console.container.uow(),
            console.container.clock,
            console.actor,
        )
    except HeedfulError as exc:
        failed = console.failed(exc, form, rename={"hours[0]": "day_hours"})
        return _location_page(console, location_id, form=failed, status=422)
    return console.redirect(f"{PAGE}/{location_id}?year={when.year}#calendar")


@router.post("/locations/{location_id}/days/{day}/remove")
def remove_day(console: Staff, location_id: str, day: str) -> Response:
    when = _date(day)
    remove_calendar_day(
        location_id, when, console.container.uow(), console.container.clock, console.actor
    )
    return console.redirect(f"{PAGE}/{location_id}?year={when.year}#calendar")


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(
            "give the date as YYYY-MM-DD", said=Phrase("refusal.date"), field="day"
        ) from None
