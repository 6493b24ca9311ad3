"""audit_report: a wave of 10,000 visits x 60 items scored and reported, in at most 5 s.

One questionnaire of 60 items in 6 sections (yes/no with knock-outs, scales, single and multiple
choice, numbers, items that may be not applicable, and a free-text comment on some answers);
10,000 validated visits over 50 locations and two waves, answers drawn at random with a fixed
seed. Timed, in one process: every visit scored (``score_all``), the wave report built (league
table, per-section and per-item means, trend over waves, each location's weakest items turned
into advice in Ukrainian) and written as CSV. Building the visits is not timed: they stand for
rows already read.

Then one location's PDF (``audit_report.pdf_seconds``): that location's visits of every wave
scored, its report for the newest wave built (score, sections, advice, trend) and drawn as a PDF
in Russian with the shipped font, as ``GET /audits/waves/{wave}/report.pdf`` does after reading
the rows (ADR 0046).

Targets (issue 16): ``audit_report.seconds`` at most 5 s; ``audit_report.pdf_seconds`` at most 2 s.
"""

from __future__ import annotations

import argparse
import os
import random
import time
from datetime import UTC, datetime
from typing import Any

from heedful.adapters.clock import SystemClock
from heedful.adapters.reports.audit_pdf import location_pdf
from heedful.core.audits import (
    Answer,
    QuestionnaireBody,
    Visit,
    VisitState,
    location_report,
    read_questionnaire,
    results_csv,
    score_all,
    wave_report,
)

NAME = "audit_report"
TARGET_S = 5.0
PDF_TARGET_S = 2.0
SECTIONS, ITEMS_PER_SECTION = 6, 10
KINDS = ("yes_no", "scale", "single_choice", "multiple_choice", "number")
CHOICES = [
    {"key": "good", "titles": {"en": "Good"}, "points": 1},
    {"key": "fair", "titles": {"en": "Fair"}, "points": 0.5},
    {"key": "poor", "titles": {"en": "Poor"}, "points": 0},
]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(NAME)
    group.add_argument("--audit-visits", type=int, default=10_000)
    group.add_argument("--audit-locations", type=int, default=50)


def _titles(text: str) -> dict[str, str]:
    return {"en": text, "uk": f"{text} (uk)", "ru": f"{text} (ru)"}


def questionnaire() -> QuestionnaireBody:
    sections = []
    for s in range(SECTIONS):
        items = []
        for i in range(ITEMS_PER_SECTION):
            kind = KINDS[(s * ITEMS_PER_SECTION + i) % len(KINDS)]
            item: dict[str, Any] = {
                "key": f"s{s}_i{i}",
                "kind": kind,
                "titles": _titles(f"Item {s}.{i}"),
                "weight": 1 + i % 3,
                "guidance": _titles(f"What good looks like for {s}.{i}"),
                "may_be_not_applicable": i % 4 == 3,
            }
            if kind == "yes_no" and i == 0:
                item["knockout_cap"] = 60
            if kind in ("single_choice", "multiple_choice"):
                item["choices"] = CHOICES
            if kind == "number":
                item["good_to"] = 5
            items.append(item)
        sections.append(
            {"key": f"s{s}", "titles": _titles(f"Section {s}"), "weight": 1 + s % 2, "items": items}
        )
    return read_questionnaire({"titles": _titles("Bench"), "sections": sections})


def _answer(rng: random.Random, kind: str, not_applicable_allowed: bool) -> Answer:
    if not_applicable_allowed and rng.random() < 0.1:
        return Answer(None, not_applicable=True)
    comment = "Slow at the till" if rng.random() < 0.05 else ""
    if kind == "yes_no":
        return Answer(rng.random() < 0.85, comment=comment)
    if kind == "scale":
        return Answer(rng.randint(1, 5), comment=comment)
    if kind == "single_choice":
        return Answer(rng.choice(("good", "fair", "poor")), comment=comment)
    if kind == "multiple_choice":
        return Answer(sorted(rng.sample(("good", "fair", "poor"), 2)), comment=comment)
    return Answer(rng.randint(0, 12), comment=comment)


def visits(body: QuestionnaireBody, count: int, locations: int, seed: int) -> list[Visit]:
    rng = random.Random(seed)
    at = datetime(2026, 12, 1, tzinfo=UTC)
    items = body.items()
    return [
        Visit(
            assignment_id=f"aas_{n}",
            evaluator_id=f"aev_{n % 400}",
            location_id=f"loc_{n % locations}",
            wave="2026-11" if n % 2 else "2026-12",
            questionnaire_id="aqn_bench",
            questionnaire_version=1,
            updated_at=at,
            state=VisitState.VALIDATED,
            answers={
                item.key: _answer(rng, item.kind.value, item.may_be_not_applicable)
                for item in items
            },
        )
        for n in range(count)
    ]


def run(args: argparse.Namespace) -> dict[str, Any]:
    body = questionnaire()
    wave = visits(body, args.audit_visits, args.audit_locations, args.seed)
    bodies = {("aqn_bench", 1): body}
    names = {f"loc_{n}": f"Location {n}" for n in range(args.audit_locations)}
    started = time.perf_counter()
    scored = score_all(wave, bodies)
    scored_at = time.perf_counter()
    report = wave_report(scored, bodies, "uk")
    reported_at = time.perf_counter()
    text = results_csv(report, names)
    done = time.perf_counter()
    pdf_seconds, pdf_bytes, pdf_visits = _one_location_pdf(wave, bodies)
    metrics: dict[str, Any] = {
        "visits": len(wave),
        "items_per_visit": len(body.items()),
        "locations": args.audit_locations,
        "seconds": round(done - started, 3),
        "score_seconds": round(scored_at - started, 3),
        "report_seconds": round(reported_at - scored_at, 3),
        "csv_seconds": round(done - reported_at, 3),
        "csv_rows": text.count("\n"),
        "best_location_score": round(report.locations[0].score or 0.0, 1),
        "target_seconds": TARGET_S,
        "pdf_seconds": pdf_seconds,
        "pdf_visits": pdf_visits,
        "pdf_bytes": pdf_bytes,
        "pdf_target_seconds": PDF_TARGET_S,
        "load_average_1m": round(os.getloadavg()[0], 2),
        "measured_at": SystemClock().now().isoformat(timespec="seconds"),
    }
    verdict = "met" if metrics["seconds"] <= TARGET_S else "MISSED"
    print(f"target seconds <= {TARGET_S}: {metrics['seconds']} s, {verdict}")
    verdict = "met" if pdf_seconds <= PDF_TARGET_S else "MISSED"
    print(f"target pdf_seconds <= {PDF_TARGET_S}: {pdf_seconds} s, {verdict}")
    return metrics


def _one_location_pdf(
    wave: list[Visit], bodies: dict[tuple[str, int], QuestionnaireBody]
) -> tuple[float, int, int]:
    """Seconds, size and visits of loc_0's PDF for the newest wave, from its rows as read."""
    place = [v for v in wave if v.location_id == "loc_0"]
    newest = max(v.wave for v in place)
    started = time.perf_counter()
    scored = score_all(place, bodies)
    report = location_report(scored, bodies, "loc_0", newest, "ru")
    document = location_pdf(report, "Бутик на Липках", SystemClock().now())
    return round(time.perf_counter() - started, 3), len(document), len(place)
