"""A manager's service-audit results: a wave's league table and each location's weakest items.

The same report the API gives (``wave_results``): validated visits in the manager's locations,
scored with the questionnaire version each kept, advice in her language. A printable page carries
the same content without the menu, for the meeting with the location's team. No customer here.
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from heedful.adapters.reports.audit_pdf import location_pdf, pdf_headers
from heedful.core.audits import location_results, wave_results
from heedful.core.shared.errors import NotFound
from heedful.core.staff.queries import all_locations
from heedful.entrypoints.console.context import Console, ConsoleRoute, Staff

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)
RESULTS = "/console/audits/results"
Wave = Annotated[str, Query(max_length=40)]
WAVE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z_\-.]{0,39}$")


def _page(console: Console, wave: str, template: str) -> Response:
    wave = wave.strip()
    asked = wave if WAVE.match(wave) else ""
    report = wave_results(
        console.container.uow(read_only=True),
        console.actor,
        waves=[asked] if asked else [],
        language=console.ui.language,
    )
    places = all_locations(console.container.uow(read_only=True))
    return console.render(
        template,
        wave=asked,
        report=report,
        names={key: place.name for key, place in places.items()},
        printing=template.endswith("_print.html"),
    )


@router.get(RESULTS)
def results(console: Staff, wave: Wave = "") -> Response:
    return _page(console, wave, "audits/results.html")


@router.get(RESULTS + "/print")
def printable(console: Staff, wave: Wave = "") -> Response:
    return _page(console, wave, "audits/results_print.html")


@router.get(RESULTS + "/{location_id}.pdf")
def location_report_pdf(
    console: Staff, location_id: Annotated[str, Path(max_length=40)], wave: Wave = ""
) -> Response:
    """One location's wave as a PDF in the manager's language: her locations only (404)."""
    wave = wave.strip()
    if not WAVE.match(wave):
        raise NotFound("a report is of one wave")
    uow = console.container.uow(read_only=True)
    report = location_results(
        uow, console.actor, location_id=location_id, wave=wave, language=console.ui.language
    )
    place = all_locations(console.container.uow(read_only=True)).get(location_id)
    name = place.name if place else location_id
    document = location_pdf(report, name, console.container.clock.now())
    return Response(document, media_type="application/pdf", headers=pdf_headers(wave, location_id))
