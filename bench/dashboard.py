"""dashboard: every dashboard query over 10,000,000 feedback answers, on SQLite and PostgreSQL.

The answers (two years, 24 locations on four clocks, five touchpoints, four segments, NPS, CSAT
and CES, a third with a read comment, themes and emotions) and 5 % of them with a recovery loop
are bulk-loaded: executemany in big transactions on SQLite, COPY on PostgreSQL with the indexes
put back afterwards. The rollups are then built in SQL from the raw rows by the same
``rebuild_rollups`` the CLI runs. Each dashboard query (``SqlDashboardReads``: the one the
console and the API call) is timed for several periods and filters, median of ``--dashboard-runs``;
the whole ``experience_report`` too. For comparison, the headline figures straight from the raw
answers (what the dashboard would cost without rollups).

Loaded databases are kept under bench/.cache (SQLite file) and as a named PostgreSQL database, so
a second run skips the load; ``--dashboard-reload`` loads again.

Target (the issue): every dashboard query under 500 ms on both (``max_query_ms``).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import sqlalchemy as sa
from psycopg import sql
from tqdm import tqdm

from bench.bulk_load import drop_keys_and_indexes, read_keys_and_indexes, restore_keys_and_indexes
from bench.support import libpq_url, step
from heedful.adapters.clock import SystemClock
from heedful.adapters.storage.dashboard_rebuild import STEPS, rebuild_rollups
from heedful.adapters.storage.dashboard_rows import SqlAnswerRollups, SqlDashboardReads
from heedful.adapters.storage.dashboard_tables import ROLLUP_TABLES
from heedful.adapters.storage.engine import make_engine
from heedful.adapters.storage.migrate import downgrade, upgrade
from heedful.adapters.storage.unit_of_work import SqlUnitOfWork
from heedful.core.access.model import SYSTEM
from heedful.core.feedback.blocks import Block, buckets, cover, step_for
from heedful.core.feedback.dashboard import DashboardAsk, experience_report
from heedful.core.feedback.dashboard_ports import RollupFilter
from heedful.core.feedback.model import SurveyAnswer, SurveyKind, Touchpoint
from heedful.core.feedback.reading import Sentiment, ThemeReading
from heedful.core.shared.clock import FrozenClock

NAME = "dashboard"
TARGET_MS = 500.0
CACHE = Path(__file__).parent / ".cache"
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
DAYS = 730
CHUNK = 100_000
ZONES = ("Europe/Kyiv", "Europe/Moscow", "Europe/London", "Europe/Warsaw")
LOCATIONS = tuple((f"loc_dash_{i:02d}", f"Shop {i:02d}", ZONES[i % len(ZONES)]) for i in range(24))
TOUCHPOINTS = ("purchase", "stay", "visit", "delivery", "conversation")
SEGMENTS = ("new", "regular", "vip", "at_risk")
THEMES = ("staff", "waiting", "cleanliness", "price", "product_quality", "atmosphere")
EMOTIONS = ("joy", "gratitude", "disappointment", "annoyance", "anger", "surprise")
ROOT_CAUSES = ("staff_behaviour", "waiting_time", "product_quality", "price", "process", "other")
KINDS = (("nps", 0, 10), ("csat", 1, 5), ("ces", 1, 7))
COLUMNS = (
    "id, invitation_id, survey_id, kind, customer_id, location_id, staff_id, staff_label, "
    "touchpoint, segment, language, score, comment, choices, answered_at, sentiment, "
    "sentiment_score, emotions, themes, reading_model"
)
LOOP_COLUMNS = (
    "id, answer_id, customer_id, location_id, promise_id, reasons, opened_at, due_at, state, "
    "closed_at, closed_in_time, root_cause, root_cause_note, action_taken, closed_by_label"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(NAME)
    group.add_argument("--dashboard-answers", type=int, default=10_000_000)
    group.add_argument("--dashboard-runs", type=int, default=7, help="timed runs per query")
    group.add_argument("--dashboard-raw-runs", type=int, default=3)
    group.add_argument("--dashboard-reload", action="store_true", help="load again")
    group.add_argument(
        "--dashboard-rebuild",
        action="store_true",
        help="keep the loaded answers, make the rollup tables again and rebuild them",
    )
    group.add_argument("--dashboard-backends", default="sqlite,postgres", help="comma-separated")


# --- the data ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    values: tuple[Any, ...]  # in COLUMNS order; answered_at as an aware datetime
    loop: tuple[Any, ...] | None


def _answers(count: int, seed: int) -> Iterator[Answer]:
    rng = random.Random(seed)
    first = NOW - timedelta(days=DAYS)
    span = DAYS * 86400
    themes_pool = []
    for _ in range(500):
        chosen = rng.sample(THEMES, rng.choice((1, 1, 2)))
        themes_pool.append(chosen)
    for index in range(count):
        kind, low, high = KINDS[rng.choice((0, 0, 1, 1, 2))]
        # Mostly content customers, a tail of unhappy ones: scores skewed to the top.
        score = max(low, high - int(rng.expovariate(0.6)))
        location_id = LOCATIONS[rng.randrange(len(LOCATIONS))][0]
        at = first + timedelta(seconds=rng.randrange(span))
        sentiment = None
        sentiment_score = None
        themes = "[]"
        emotions = "{}"
        if rng.random() < 0.33:
            share = (score - low) / (high - low)
            sentiment_score = round(max(-1.0, min(1.0, 2 * share - 1 + rng.gauss(0, 0.3))), 4)
            sentiment = (
                "positive"
                if sentiment_score > 0.3
                else "negative"
                if sentiment_score < -0.3
                else rng.choice(("neutral", "mixed"))
            )
            said = [
                {"theme": t, "sentiment": sentiment, "score": sentiment_score, "excerpt": ""}
                for t in themes_pool[rng.randrange(500)]
            ]
            themes = json.dumps(said)
            emotions = json.dumps({rng.choice(EMOTIONS): 0.7})
        answer_id = f"ans_dash_{index:012d}"
        values = (
            answer_id,
            f"inv_dash_{index:012d}",
            "srv_dash",
            kind,
            f"cus_dash_{rng.randrange(count // 5 + 1):09d}",
            location_id,
            None,
            "",
            TOUCHPOINTS[rng.randrange(len(TOUCHPOINTS))],
            SEGMENTS[rng.randrange(len(SEGMENTS))],
            "uk",
            score,
            "..." if sentiment else "",
            "[]",
            at,
            sentiment,
            sentiment_score,
            emotions,
            themes,
            "bench" if sentiment else "",
        )
        loop = None
        if rng.random() < 0.05:
            due = at + timedelta(days=2)
            if due < NOW - timedelta(days=3) or rng.random() < 0.5:
                closed = at + timedelta(hours=rng.randint(1, 96))
                loop = (f"rcl_dash_{index:012d}", answer_id, values[4], location_id, "prm_dash",
                        "detractor", at, due, "closed", closed, closed <= due,
                        rng.choice(ROOT_CAUSES), "", "called", "bench")  # fmt: skip
            else:
                loop = (f"rcl_dash_{index:012d}", answer_id, values[4], location_id, "prm_dash",
                        "detractor", at, due, "open", None, None, "", "", "", "")  # fmt: skip
        yield Answer(values, loop)


def _sqlite_stamp(at: datetime | None) -> str | None:
    return None if at is None else at.strftime("%Y-%m-%d %H:%M:%S.%f")


def _load_sqlite(path: Path, count: int, seed: int) -> None:
    upgrade(f"sqlite:///{path}")
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=OFF")  # a benchmark load, not a customer's write
    db.executemany(
        "INSERT INTO locations (id, name, kind, city, country, time_zone, created_at, "
        "subdivision) VALUES (?, ?, 'boutique', 'City', 'UA', ?, '2020-01-01 00:00:00.000000', '')",
        LOCATIONS,
    )
    indexes = db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        "AND tbl_name IN ('survey_answers', 'recovery_loops')"
    ).fetchall()
    for name, _ in indexes:
        db.execute(f'DROP INDEX "{name}"')
    insert_answer = f"INSERT INTO survey_answers ({COLUMNS}) VALUES ({', '.join('?' * 20)})"
    insert_loop = f"INSERT INTO recovery_loops ({LOOP_COLUMNS}) VALUES ({', '.join('?' * 15)})"
    answers: list[tuple[Any, ...]] = []
    loops: list[tuple[Any, ...]] = []
    with tqdm(total=count, desc="sqlite answers", unit="row", unit_scale=True) as bar:
        for answer in _answers(count, seed):
            row = list(answer.values)
            row[14] = _sqlite_stamp(row[14])
            answers.append(tuple(row))
            if answer.loop:
                loop = list(answer.loop)
                for i in (6, 7, 9):
                    loop[i] = _sqlite_stamp(loop[i])
                loops.append(tuple(loop))
            if len(answers) == CHUNK:
                db.executemany(insert_answer, answers)
                db.executemany(insert_loop, loops)
                db.commit()
                bar.update(len(answers))
                answers, loops = [], []
        db.executemany(insert_answer, answers)
        db.executemany(insert_loop, loops)
        db.commit()
        bar.update(len(answers))
    for _, ddl in tqdm(indexes, desc="indexes", unit="index"):
        db.execute(ddl)
    db.commit()
    db.close()


def _copy_text(value: Any) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, bool):
        return "t" if value else "f"
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def _load_postgres(url: str, count: int, seed: int) -> None:
    upgrade(url)
    with psycopg.connect(libpq_url(url)) as conn:
        conn.execute("SET synchronous_commit = off")
        conn.cursor().executemany(
            "INSERT INTO locations (id, name, kind, city, country, time_zone, created_at, "
            "subdivision) VALUES (%s, %s, 'boutique', 'City', 'UA', %s, '2020-01-01', '')",
            LOCATIONS,
        )
        schema = read_keys_and_indexes(conn, ("survey_answers", "recovery_loops"))
        drop_keys_and_indexes(conn, schema)
        conn.commit()
        lines: list[str] = []
        loops: list[str] = []
        with tqdm(total=count, desc="postgres answers", unit="row", unit_scale=True) as bar:
            for answer in _answers(count, seed):
                lines.append("\t".join(map(_copy_text, answer.values)) + "\n")
                if answer.loop:
                    loops.append("\t".join(map(_copy_text, answer.loop)) + "\n")
                if len(lines) == CHUNK:
                    _copy(conn, "survey_answers", COLUMNS, lines)
                    _copy(conn, "recovery_loops", LOOP_COLUMNS, loops)
                    bar.update(len(lines))
                    lines, loops = [], []
            _copy(conn, "survey_answers", COLUMNS, lines)
            _copy(conn, "recovery_loops", LOOP_COLUMNS, loops)
            bar.update(len(lines))
        conn.commit()
        restore_keys_and_indexes(conn, schema)
        conn.commit()


def _copy(conn: psycopg.Connection[Any], table: str, columns: str, lines: list[str]) -> None:
    if not lines:
        return
    with conn.cursor() as cur, cur.copy(f"COPY {table} ({columns}) FROM STDIN") as out:
        out.write("".join(lines))


def _remake_rollup_tables(url: str) -> None:
    """The rollups' migration down and up again: the answers stay, the rollups start empty."""
    downgrade(url, "0006")
    upgrade(url)


def _build_rollups(url: str) -> float:
    engine = make_engine(url)
    try:
        started = time.perf_counter()
        with engine.begin() as conn:
            bar = tqdm(total=len(STEPS), desc="rollups", unit="step")
            rebuild_rollups(conn, lambda _: bar.update())
            bar.close()
        seconds = time.perf_counter() - started
        if engine.dialect.name == "postgresql":
            # Autovacuum would otherwise start in the middle of a timing.
            with psycopg.connect(libpq_url(url), autocommit=True) as conn:
                conn.execute("VACUUM ANALYZE")
        else:
            db = sqlite3.connect(url.removeprefix("sqlite:///"))
            db.execute("ANALYZE")
            db.close()
    finally:
        engine.dispose()
    return seconds


# --- where the data lives ----------------------------------------------------------------------


def _marker(name: str) -> Path:
    return CACHE / f"{name}.loaded.json"


def _remember_rebuild(name: str, seconds: float) -> None:
    loaded = json.loads(_marker(name).read_text())
    _marker(name).write_text(json.dumps({**loaded, "rollup_build_s": round(seconds, 1)}))


def _sqlite_database(args: argparse.Namespace, metrics: dict[str, Any]) -> str:
    CACHE.mkdir(exist_ok=True)
    name = f"dashboard-{args.dashboard_answers}-{args.seed}"
    path = CACHE / f"{name}.db"
    if args.dashboard_reload or not _marker(name).exists() or not path.exists():
        for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            leftover.unlink(missing_ok=True)
        with step("sqlite: load") as load:
            _load_sqlite(path, args.dashboard_answers, args.seed)
        with step("sqlite: build the rollups in SQL"):
            rollup_s = _build_rollups(f"sqlite:///{path}")
        _marker(name).write_text(
            json.dumps({"load_s": round(load.seconds, 1), "rollup_build_s": round(rollup_s, 1)})
        )
    elif args.dashboard_rebuild:
        _remake_rollup_tables(f"sqlite:///{path}")
        with step("sqlite: build the rollups in SQL"):
            rollup_s = _build_rollups(f"sqlite:///{path}")
        _remember_rebuild(name, rollup_s)
    metrics |= {f"sqlite_{k}": v for k, v in json.loads(_marker(name).read_text()).items()}
    metrics["sqlite_file_mb"] = round(path.stat().st_size / 1e6)
    return f"sqlite:///{path}"


def _postgres_database(args: argparse.Namespace, metrics: dict[str, Any]) -> str:
    CACHE.mkdir(exist_ok=True)
    name = f"heedful_bench_dashboard_{args.dashboard_answers}_{args.seed}"
    url = sa.make_url(args.postgres_url).set(database=name).render_as_string(False)
    with psycopg.connect(libpq_url(args.postgres_url), autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if args.dashboard_reload or not exists or not _marker(name).exists():
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            with step("postgres: load") as load:
                _load_postgres(url, args.dashboard_answers, args.seed)
            with step("postgres: build the rollups in SQL"):
                rollup_s = _build_rollups(url)
            _marker(name).write_text(
                json.dumps({"load_s": round(load.seconds, 1), "rollup_build_s": round(rollup_s, 1)})
            )
        elif args.dashboard_rebuild:
            _remake_rollup_tables(url)
            with step("postgres: build the rollups in SQL"):
                rollup_s = _build_rollups(url)
            _remember_rebuild(name, rollup_s)
    metrics |= {f"postgres_{k}": v for k, v in json.loads(_marker(name).read_text()).items()}
    return url


# --- the timings -------------------------------------------------------------------------------

ASKS: dict[str, DashboardAsk] = {
    "last_12_weeks": DashboardAsk(),
    "two_years": DashboardAsk(since=date(2024, 11, 25), until=date(2026, 11, 23)),
    "half_year_one_shop_vip": DashboardAsk(
        since=date(2026, 5, 26), until=date(2026, 11, 23), location_id="loc_dash_03", segment="vip"
    ),
    "two_years_vip": DashboardAsk(
        since=date(2024, 11, 25), until=date(2026, 11, 23), segment="vip"
    ),
    "year_stays": DashboardAsk(
        since=date(2025, 11, 24), until=date(2026, 11, 23), touchpoint=Touchpoint.STAY
    ),
}


def _median_ms(call: Callable[[], object], runs: int) -> float:
    call()  # warm: plans cached, pages in memory
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(samples), 2)


def _calls(
    reads: SqlDashboardReads, whole: list[Block], trend: list[Block], where: RollupFilter
) -> dict[str, Callable[[], object]]:
    return {
        "figures": lambda: reads.scores(whole, where),
        "trend": lambda: reads.scores(trend, where, by_block=True),
        "heat_map": lambda: reads.scores(whole, where, by_place=True),
        "themes": lambda: reads.topics(trend, where),
        "loops": lambda: reads.loops(whole, where),
        "root_causes": lambda: reads.root_causes(trend, where),
        "overdue_loops": lambda: reads.overdue_loops(NOW, where),
    }


def _queries(url: str, runs: int) -> dict[str, float]:
    """Each query the dashboard sends, for each ask: the median in milliseconds."""
    engine = make_engine(url)
    timings: dict[str, float] = {}
    try:
        with engine.connect() as conn:
            reads = SqlDashboardReads(conn)
            for label, ask in ASKS.items():
                since = ask.since or (NOW.date() - timedelta(days=NOW.weekday() + 77))
                until = ask.until or NOW.date()
                whole = cover(since, until)
                trend = [
                    b
                    for bucket in buckets(since, until, step_for(since, until))
                    for b in bucket.blocks
                ]
                where = RollupFilter(
                    location_ids=frozenset({ask.location_id}) if ask.location_id else None,
                    segment=ask.segment,
                    touchpoint=ask.touchpoint.value if ask.touchpoint else None,
                )
                calls = _calls(reads, whole, trend, where)
                for query, call in calls.items():
                    timings[f"{label}.{query}_ms"] = _median_ms(call, runs)
            timings["segments_ms"] = _median_ms(reads.segments, runs)
    finally:
        engine.dispose()
    return timings


def _whole_report(url: str, runs: int) -> dict[str, float]:
    engine = make_engine(url)
    clock = FrozenClock(NOW)
    found = {}
    try:
        for label, ask in ASKS.items():
            found[f"{label}.report_ms"] = _median_ms(
                lambda ask=ask: experience_report(ask, SqlUnitOfWork(engine), clock, SYSTEM), runs
            )
    finally:
        engine.dispose()
    return found


def _raw(url: str, runs: int) -> dict[str, float]:
    """The headline (score histograms per kind) straight from the answers, no rollups."""
    engine = make_engine(url)
    found = {}
    try:
        with engine.connect() as conn:
            for label, since in (
                ("last_12_weeks", NOW - timedelta(weeks=12)),
                ("two_years", NOW - timedelta(days=DAYS)),
            ):
                bound = _sqlite_stamp(since) if conn.dialect.name == "sqlite" else since
                query = sa.text(
                    "SELECT kind, score, count(*) FROM survey_answers "
                    "WHERE answered_at >= :since GROUP BY kind, score"
                )
                found[f"raw_{label}.figures_ms"] = _median_ms(
                    lambda q=query, b=bound: conn.execute(q, {"since": b}).all(), runs
                )
    finally:
        engine.dispose()
    return found


def _hook_ms(url: str, count: int = 200) -> float:
    """What keeping the rollups adds to storing one answer (with a theme and an emotion): the
    hook's upserts, in a transaction rolled back so the cached database stays as loaded."""
    engine = make_engine(url)
    samples = []
    try:
        with engine.connect() as conn, conn.begin() as transaction:
            hook = SqlAnswerRollups(conn)
            for index, answer in enumerate(_answers(count, 7)):
                stored = _as_answer(answer.values, index)
                started = time.perf_counter()
                hook.add(stored)
                samples.append((time.perf_counter() - started) * 1000)
            transaction.rollback()
    finally:
        engine.dispose()
    return round(statistics.median(samples), 2)


def _as_answer(values: tuple[Any, ...], index: int) -> SurveyAnswer:
    return SurveyAnswer(
        id=f"ans_hook_{index}",
        invitation_id=f"inv_hook_{index}",
        survey_id="srv_dash",
        kind=SurveyKind(values[3]),
        customer_id=values[4],
        score=values[11],
        answered_at=NOW - timedelta(days=1),
        touchpoint=Touchpoint(values[8]),
        location_id=values[5],
        segment=values[9],
        sentiment=Sentiment.NEGATIVE,
        sentiment_score=-0.5,
        emotions={"annoyance": 0.8},
        themes=(ThemeReading("waiting", Sentiment.NEGATIVE, -0.5),),
    )


def _rollup_rows(url: str) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return sum(
                int(conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one())
                for t in ROLLUP_TABLES
            )
    finally:
        engine.dispose()


def _measure(backend: str, url: str, args: argparse.Namespace) -> dict[str, Any]:
    metrics: dict[str, Any] = {f"{backend}_rollup_rows": _rollup_rows(url)}
    metrics[f"{backend}_rollup_upserts_per_answer_ms"] = _hook_ms(url)
    with step(f"{backend}: dashboard queries, median of {args.dashboard_runs}"):
        queries = _queries(url, args.dashboard_runs)
    with step(f"{backend}: whole dashboard (experience_report)"):
        reports = _whole_report(url, args.dashboard_runs)
    raw: dict[str, float] = {}
    if args.dashboard_raw_runs:  # 0: keep the raw figures of an earlier run (minutes on SQLite)
        with step(f"{backend}: the headline from raw answers"):
            raw = _raw(url, args.dashboard_raw_runs)
    for name, ms in {**queries, **reports, **raw}.items():
        metrics[f"{backend}.{name}"] = ms
    metrics[f"{backend}_max_query_ms"] = max(queries.values())
    slowest = max(queries, key=lambda k: queries[k])
    metrics[f"{backend}_slowest_query"] = slowest
    metrics[f"{backend}_max_report_ms"] = max(reports.values())
    print(f"{backend}: slowest query {slowest} {queries[slowest]} ms; whole report at most "
          f"{max(reports.values())} ms; raw headline {raw}")  # fmt: skip
    return metrics


def run(args: argparse.Namespace) -> dict[str, Any]:
    metrics: dict[str, Any] = {
        "answers": args.dashboard_answers,
        "locations": len(LOCATIONS),
        "days": DAYS,
        "load_average_1m_at_start": round(os.getloadavg()[0], 2),
    }
    backends = [b.strip() for b in args.dashboard_backends.split(",") if b.strip()]
    worst = []
    for backend in backends:
        url = (_sqlite_database if backend == "sqlite" else _postgres_database)(args, metrics)
        metrics |= _measure(backend, url, args)
        worst.append(metrics[f"{backend}_max_query_ms"])
    metrics["max_query_ms"] = max(worst)
    metrics["load_average_1m_at_end"] = round(os.getloadavg()[0], 2)
    metrics["measured_at"] = SystemClock().now().isoformat(timespec="seconds")
    verdict = "met" if metrics["max_query_ms"] < TARGET_MS else "MISSED"
    print(f"target max_query_ms < {TARGET_MS} ms: {metrics['max_query_ms']} ms, {verdict}")
    return metrics
