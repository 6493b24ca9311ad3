"""Results of validated visits: per visit, location, section and item; waves; league; advice.

Means are plain means over visits (every validated visit counts once); items and sections are
followed by key across questionnaire versions. A location's weakest items become its
recommendations: the item's guidance in the manager's language, with what evaluators wrote.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from heedful.core.audits.questionnaire import Item, QuestionnaireBody
from heedful.core.audits.scoring import VisitScore, score_visit
from heedful.core.audits.visits import Visit

WEAKEST_ITEMS = 3
COMMENTS_PER_ITEM = 5


@dataclass(frozen=True)
class ScoredVisit:
    visit: Visit
    score: VisitScore


@dataclass(frozen=True)
class Recommendation:
    item_key: str
    title: str
    score: float  # out of 100
    guidance: str
    comments: tuple[str, ...]


@dataclass(frozen=True)
class LocationResult:
    location_id: str
    visits: int
    score: float | None
    rank: int
    sections: Mapping[str, float]
    items: Mapping[str, float]
    recommendations: tuple[Recommendation, ...] = ()


@dataclass(frozen=True)
class WaveReport:
    visits: tuple[ScoredVisit, ...]
    locations: tuple[LocationResult, ...]  # the league table, best first
    sections: Mapping[str, float]
    items: Mapping[str, float]
    trend: Mapping[str, Mapping[str, float]]  # location -> wave -> mean score
    titles: Mapping[str, str] = field(default_factory=dict)  # section and item keys -> title


class _Mean:
    __slots__ = ("count", "total")

    def __init__(self) -> None:
        self.total, self.count = 0.0, 0

    def add(self, value: float) -> None:
        self.total += value
        self.count += 1

    @property
    def value(self) -> float:
        return self.total / self.count


def score_all(
    visits: Iterable[Visit], bodies: Mapping[tuple[str, int], QuestionnaireBody]
) -> list[ScoredVisit]:
    return [
        ScoredVisit(
            v, score_visit(bodies[(v.questionnaire_id, v.questionnaire_version)], v.answers)
        )
        for v in visits
    ]


def wave_report(
    scored: Sequence[ScoredVisit],
    bodies: Mapping[tuple[str, int], QuestionnaireBody],
    language: str,
) -> WaveReport:
    by_location: dict[str, _Mean] = defaultdict(_Mean)
    trend: dict[str, dict[str, _Mean]] = defaultdict(lambda: defaultdict(_Mean))
    sections: dict[str, dict[str, _Mean]] = defaultdict(lambda: defaultdict(_Mean))
    items: dict[str, dict[str, _Mean]] = defaultdict(lambda: defaultdict(_Mean))
    comments: dict[tuple[str, str], list[str]] = defaultdict(list)
    counts: dict[str, int] = defaultdict(int)
    for entry in scored:
        visit, score = entry.visit, entry.score
        place = visit.location_id
        counts[place] += 1
        if score.total is not None:
            by_location[place].add(score.total)
            trend[place][visit.wave].add(score.total)
        for key, value in score.sections.items():
            if value is not None:
                sections[place][key].add(value)
        for key, share in score.items.items():
            if share is not None:
                items[place][key].add(100.0 * share)
        for key, answer in visit.answers.items():
            if answer.comment:
                comments[(place, key)].append(answer.comment)
    latest_items = _latest_items(bodies)
    league = sorted(
        counts, key=lambda p: (-(by_location[p].value if p in by_location else -1.0), p)
    )
    locations = tuple(
        LocationResult(
            location_id=place,
            visits=counts[place],
            score=by_location[place].value if place in by_location else None,
            rank=rank,
            sections={k: m.value for k, m in sections[place].items()},
            items={k: m.value for k, m in items[place].items()},
            recommendations=_advice(items[place], latest_items, comments, place, language),
        )
        for rank, place in enumerate(league, start=1)
    )
    return WaveReport(
        visits=tuple(scored),
        locations=locations,
        sections=_overall(sections),
        items=_overall(items),
        trend={p: {w: m.value for w, m in sorted(waves.items())} for p, waves in trend.items()},
        titles=_titles(bodies, language),
    )


def _overall(per_place: Mapping[str, Mapping[str, _Mean]]) -> dict[str, float]:
    total: dict[str, _Mean] = defaultdict(_Mean)
    for means in per_place.values():
        for key, mean in means.items():
            total[key].total += mean.total
            total[key].count += mean.count
    return {key: mean.value for key, mean in total.items()}


def _latest_items(bodies: Mapping[tuple[str, int], QuestionnaireBody]) -> dict[str, Item]:
    """Each item key's wording in the newest version that has it."""
    found: dict[str, Item] = {}
    for _, body in sorted(bodies.items(), key=lambda kv: kv[0][1]):
        for item in body.items():
            found[item.key] = item
    return found


def _titles(bodies: Mapping[tuple[str, int], QuestionnaireBody], language: str) -> dict[str, str]:
    titles: dict[str, str] = {}
    for _, body in sorted(bodies.items(), key=lambda kv: kv[0][1]):
        for section in body.sections:
            titles[section.key] = section.title(language)
            for item in section.items:
                titles[item.key] = item.title(language)
    return titles


def _advice(
    means: Mapping[str, _Mean],
    wording: Mapping[str, Item],
    comments: Mapping[tuple[str, str], list[str]],
    place: str,
    language: str,
) -> tuple[Recommendation, ...]:
    weakest = sorted(
        (key for key, mean in means.items() if mean.value < 100.0),
        key=lambda k: (means[k].value, k),
    )[:WEAKEST_ITEMS]
    advice: list[Recommendation] = []
    for key in weakest:
        item = wording.get(key)
        if item is None:
            continue
        said = tuple(comments.get((place, key), [])[-COMMENTS_PER_ITEM:])
        advice.append(
            Recommendation(
                key, item.title(language), means[key].value, item.guidance_in(language), said
            )
        )
    return tuple(advice)


TREND_WAVES = 8  # the report's trend shows this many waves, the one reported last


@dataclass(frozen=True)
class LocationReport:
    """One location's wave: its result, its trend over the waves before, titles to print."""

    location_id: str
    wave: str
    result: LocationResult | None  # None: no validated visit in this wave
    trend: Mapping[str, float]  # wave -> mean score, oldest first, ending with this wave
    titles: Mapping[str, str]
    language: str  # of the titles and advice: the report is printed in it


def location_report(
    scored: Sequence[ScoredVisit],
    bodies: Mapping[tuple[str, int], QuestionnaireBody],
    location_id: str,
    wave: str,
    language: str,
) -> LocationReport:
    """The report of ``location_id`` in ``wave`` from its validated visits of every wave."""
    here = [s for s in scored if s.visit.location_id == location_id]
    report = wave_report([s for s in here if s.visit.wave == wave], bodies, language)
    means: dict[str, _Mean] = defaultdict(_Mean)
    for entry in here:
        # Waves are compared as text: "2026-11" < "2026-12", as every wave name sorts by date.
        if entry.score.total is not None and entry.visit.wave <= wave:
            means[entry.visit.wave].add(entry.score.total)
    trend = {w: means[w].value for w in sorted(means)[-TREND_WAVES:]}
    return LocationReport(
        location_id=location_id,
        wave=wave,
        result=report.locations[0] if report.locations else None,
        trend=trend,
        titles=_titles(bodies, language),
        language=language,
    )
