"""The worker: the engine, the timers and the outbox relay, plus housekeeping on a slower beat.

The same loop runs in-process beside the web server (``heedful serve``, ``make demo``) and as any
number of ``heedful worker`` processes on PostgreSQL: every job claims its rows with
``FOR UPDATE SKIP LOCKED``, so workers share the work without doing anything twice.

The prompt jobs poll every ``worker_poll_seconds`` while idle and go again at once while there
is work, so a restock reaches the waiting customers' inboxes in well under a second; a pass
that caught up is followed by the next only once ``worker_gather_ms`` have passed
(``gathering``), so that a trickle is handled in batches.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta

import structlog

from heedful.adapters.audit_photos import PhotoStore, photos_directory
from heedful.bootstrap import Container
from heedful.core.audits import SWEEP_GRACE, SweepReport, sweep_photos
from heedful.core.dead_letters.handlers import purge_discarded
from heedful.core.dead_letters.model import DeadLetter, LetterKind, RetryPolicy
from heedful.core.dealings.holds import release_due_holds
from heedful.core.engine.reactions import process_events
from heedful.core.engine.timers import fire_due_timers
from heedful.core.engine.write_budget import (
    DEFAULT_WRITE_BUDGET_S,
    WriteBudget,
    next_claim,
)
from heedful.core.events.handlers import accept_from_stream, purge_events, stream_position
from heedful.core.feedback.recompute import recompute_when_due
from heedful.core.playbooks import evaluate_all
from heedful.core.promises import close_tasks_of_ended_promises
from heedful.core.staff.logins import forget_old_failures
from heedful.entrypoints.observability import DEAD_LETTERS, DEAD_LETTERS_WAITING
from heedful.entrypoints.worker.gathering import gathering_rest

log = structlog.get_logger("heedful.worker")

Job = Callable[[Container], int]


def purge_idempotency_keys(container: Container) -> int:
    """Keys are kept long enough for any sane client retry, then dropped to keep the table small."""
    cutoff = container.clock.now() - timedelta(hours=container.settings.idempotency_retention_hours)
    with container.uow() as uow:
        purged = uow.idempotency.purge_older_than(cutoff)
        uow.commit()
    return purged


def _retry(container: Container) -> RetryPolicy:
    return RetryPolicy(tries=container.settings.dead_letter_tries)


def tell_failures(letters: Sequence[DeadLetter]) -> None:
    """One warning per failed try and one error when a record is set aside: never a traceback
    per pass, and the counter moves once per dead letter."""
    for letter in letters:
        fields = {
            "kind": letter.kind.value,
            "ref": letter.ref,
            "what": letter.what,
            "error": letter.error,
            "attempts": letter.attempts,
        }
        if letter.is_dead:
            DEAD_LETTERS.labels(letter.kind.value).inc()
            log.error("record set aside as a dead letter", **fields)
        else:
            log.warning("record failed; tried again later", next_try=letter.next_try_at, **fields)


def write_budget(container: Container) -> WriteBudget:
    """A batch commits once it has held the write lock this long (ADR 60): a POST of events
    on the embedded default waits for at most one such batch (the turns of write_turns.py)."""
    budget_ms = container.settings.worker_write_budget_ms or DEFAULT_WRITE_BUDGET_S * 1000
    return WriteBudget(budget_ms / 1000, time.monotonic)


# A batch of events on PostgreSQL when the operator set no budget (ADR 71): long enough for a
# whole batch of stock reports (0.2 s for 200 at load 8), short enough that a batch of firings
# (20 ms an event and more) does not hold the firing turn, or a restock's e-mail, for seconds.
POSTGRES_EVENT_BUDGET_S = 1.0


def event_budget(container: Container) -> WriteBudget:
    """The write budget of a batch of events: ADR 60's, unless the store is PostgreSQL and the
    operator set none (ADR 71). There no POST waits for the batch's transaction, and cut at
    100 ms a batch reached 30 to 90 events of its 200, each paying its share of the claim, the
    read-ahead and the bulk writes."""
    postgres = container.engine.dialect.name == "postgresql"
    if postgres and container.settings.worker_write_budget_ms is None:
        return WriteBudget(POSTGRES_EVENT_BUDGET_S, time.monotonic)
    return write_budget(container)


# The most a pass fires or sends before the loop's other jobs get their turn; a pass that
# reaches it leaves work behind, and the loop goes again without gathering (ADR 85).
TIMERS_A_PASS = 500
MESSAGES_A_PASS = 100


def fell_behind(container: Container, queue: str) -> None:
    """A pass left work in ``queue`` ("events", "messages"): on PostgreSQL its statistics are
    read again, at most once a minute, so that kept plans know of the backlog (ADR 86)."""
    statistics = container.queue_statistics
    if statistics is not None and statistics.behind(queue):
        log.info("queue statistics read again", queue=queue)


def react_to_events(container: Container) -> int:
    container.know_event_types()  # which of the business's types update which state
    most = container.settings.worker_event_batch  # the most a batch claims (ADR 61)
    batch = min(container.event_claim, most)
    report = process_events(
        container.uow,
        container.clock,
        batch=batch,
        retry=_retry(container),
        budget=event_budget(container),
    )
    container.event_claim = next_claim(report.events, container.event_claim, most)
    # A full claim, or one the budget cut short: more wait now, so the loop goes at once.
    if report.claimed >= batch or report.events < report.claimed:
        container.work_left = True
        fell_behind(container, "events")
    for skipped in report.skipped:
        log.warning("event passed over", reason=skipped)
    tell_failures(report.failed)
    return report.events


def fire_timers(container: Container) -> int:
    report = fire_due_timers(
        container.uow, container.clock, limit=TIMERS_A_PASS, retry=_retry(container)
    )
    tell_failures(report.failed)
    fired = report.reminded + report.broken + report.sla + len(report.failed)
    if fired + report.stale >= TIMERS_A_PASS:
        container.work_left = True
    return fired


def relay_budget(container: Container) -> WriteBudget:
    """The write budget of a batch of messages: ADR 60's, unless the store is PostgreSQL and
    the operator set none (ADR 76). There no POST waits for the relay's transaction, and a
    batch of 100 notices whose reads took longer than 100 ms (beside a busy inbox) sent one
    e-mail and left the rest to be read and decided again; ``KNOWN_FOR`` still bounds how long
    its sends go on after its reads."""
    postgres = container.engine.dialect.name == "postgresql"
    if postgres and container.settings.worker_write_budget_ms is None:
        return WriteBudget(POSTGRES_EVENT_BUDGET_S, time.monotonic)
    return write_budget(container)


def relay_messages(container: Container) -> int:
    report = container.relay.run(
        container.uow,
        container.clock,
        retry=_retry(container),
        budget=relay_budget(container),
        limit=MESSAGES_A_PASS,
        first_batch=container.relay_claim,
    )
    container.relay_claim = report.next_batch
    if report.total >= MESSAGES_A_PASS:
        container.work_left = True
        fell_behind(container, "messages")
    tell_failures(report.failed)
    return report.total


# In this order: an event's messages and a timer's escalations go out in the same pass.
PROMPT_JOBS: dict[str, Job] = {
    "react_to_events": react_to_events,
    "fire_timers": fire_timers,
    "relay_messages": relay_messages,
}

# The work an operator can give a worker process (`heedful worker --only`), in her words.
WORK: dict[str, str] = {
    "events": "react_to_events",
    "timers": "fire_timers",
    "messages": "relay_messages",
}


def prompt_jobs_for(work: Iterable[str]) -> dict[str, Job]:
    """The prompt jobs of the named work, in PROMPT_JOBS' order; all of them when none is named.

    One process runs its jobs one after another, so on a busy inbox the e-mails an event woke
    wait for the next batch of events to be handled first, and the two share one core. An
    operator who needs more gives the relay a process of its own (ADR 81).
    """
    names = {WORK[kind] for kind in work}
    if not names:
        return dict(PROMPT_JOBS)
    return {name: job for name, job in PROMPT_JOBS.items() if name in names}


def recompute_feedback(container: Container) -> int:
    """Once a day, by whichever worker claims it first: the CX index and churn risk."""
    report = recompute_when_due(container.uow, container.clock, _retry(container))
    if isinstance(report, DeadLetter):
        tell_failures([report])
        return 0
    return 0 if report is None else report.values + report.churn_scored


def look_ahead(container: Container) -> int:
    """Each location's look-ahead playbooks at the top of its local hour (ADR 0040)."""
    report = evaluate_all(container.uow, container.clock, only_when_due=True)
    for skipped in report.skipped:
        log.warning("look-ahead passed over", reason=skipped)
    return report.fired


def release_holds(container: Container) -> int:
    """Tables held for walk-ins are free for bookings at their set time (ADR 0051)."""
    return release_due_holds(container.uow(), container.clock)


def close_stale_tasks(container: Container) -> int:
    """Tasks about promises that ended another way close themselves (the task list shows them
    under "done today", closed by Heedful)."""
    return close_tasks_of_ended_promises(container.uow(), container.clock)


def count_dead_letters(container: Container) -> int:
    """The gauge of dead letters waiting for an operator, set on the housekeeping beat."""
    with container.uow() as uow:
        counts = uow.dead_letters.count_dead()
    for kind in LetterKind:
        DEAD_LETTERS_WAITING.labels(kind.value).set(counts.get(kind, 0))
    return 0


def purge_discarded_letters(container: Container) -> int:
    days = container.settings.discarded_retention_days
    return purge_discarded(container.uow(), container.clock, days)


def purge_old_events(container: Container) -> int:
    """Processed events past their retention go; set-aside ones wait for an operator."""
    return purge_events(container.uow(), container.clock, container.settings.event_retention_days)


def forget_login_failures(container: Container) -> int:
    return forget_old_failures(container.uow(), container.clock)


def forget_rate_limit_windows(container: Container) -> int:
    """Ended rate-limit windows say nothing any more: dropped, so the table holds only the hour."""
    return container.rate_limits().forget_ended(container.clock.now())


def sweep_audit_photos(container: Container, grace: timedelta = SWEEP_GRACE) -> SweepReport:
    """Photo files no visit names any more, written longer than ``grace`` ago, are deleted."""
    settings = container.settings
    directory = photos_directory(
        settings.audit_photos_dir, settings.data_dir, settings.database_url
    )
    store = PhotoStore(directory, container.clock)
    return sweep_photos(container.uow(), store, container.clock, grace)


class EveryHour:
    """A housekeeping job that needs no minute beat: run at most once an hour by this process.

    Several workers may each run it in the same hour; the job must not mind (the sweep does not:
    a file already removed frees 0 bytes).
    """

    def __init__(self, job: Job) -> None:
        self.job = job
        self.next_at: datetime | None = None

    def __call__(self, container: Container) -> int:
        now = container.clock.now()
        if self.next_at is not None and now < self.next_at:
            return 0
        self.next_at = now + timedelta(hours=1)
        return self.job(container)


JOBS: dict[str, Job] = {
    "sweep_audit_photos": EveryHour(lambda container: sweep_audit_photos(container).removed),
    "purge_idempotency_keys": purge_idempotency_keys,
    "recompute_feedback": recompute_feedback,
    "look_ahead": look_ahead,
    "release_holds": release_holds,
    "close_stale_tasks": close_stale_tasks,
    "count_dead_letters": count_dead_letters,
    "forget_login_failures": forget_login_failures,
    "forget_rate_limit_windows": forget_rate_limit_windows,
    "purge_discarded_letters": purge_discarded_letters,
    "purge_old_events": purge_old_events,
}


def run_once(container: Container, jobs: dict[str, Job] | None = None) -> dict[str, int]:
    done: dict[str, int] = {}
    for name, job in (JOBS if jobs is None else jobs).items():
        try:
            done[name] = job(container)
        except Exception:  # a failing job must not stop the others or the loop
            log.exception("job failed", job=name)
            done[name] = -1
    return done


def run_prompt_jobs(container: Container, jobs: dict[str, Job] | None = None) -> dict[str, int]:
    """One pass of the engine, the timers and the relay (or of ``jobs``); repeated by the loop
    while busy."""
    return run_once(container, PROMPT_JOBS if jobs is None else jobs)


def set_aside_startup_heap() -> None:
    """The objects alive once the worker is built are left out of every later collection.

    Measured (issue 18, docs/benchmarks.md "playbook_audience_p99_ms"): the slowest of a hundred
    events was not a big audience nor a cold read but Python's full collection, which walks
    every object alive, the application's modules and SQLAlchemy's tables included (about
    150,000): 50 ms of CPU landing on whichever event was running, eight times its own cost.
    What the worker builds at startup lives as long as the process, so it need never be walked
    again; what each batch makes is still collected as before.
    """
    gc.collect()
    gc.freeze()


def run_forever(
    container: Container, stop: threading.Event, prompt: dict[str, Job] | None = None
) -> None:
    """The worker's loop: housekeeping on its beat, the prompt jobs (all, or ``prompt``) as
    long as they find work, then a pause until woken or the poll comes round."""
    set_aside_startup_heap()
    prompt = PROMPT_JOBS if prompt is None else prompt
    interval = container.settings.worker_interval_seconds
    poll = container.settings.worker_poll_seconds
    gather = container.settings.worker_gather_ms / 1000
    log.info(
        "worker started",
        interval_s=interval,
        poll_s=poll,
        gather_s=gather,
        jobs=sorted(JOBS | prompt),
    )
    next_housekeeping = 0.0
    while not stop.is_set():
        if time.monotonic() >= next_housekeeping:
            results = run_once(container)
            if any(results.values()):
                log.info("housekeeping", **results)
            next_housekeeping = time.monotonic() + interval
        began = time.monotonic()
        # Whatever wakes it from here on is seen by this pass's claims or by the next pass.
        container.wake.clear()
        container.work_left = False
        results = run_prompt_jobs(container, prompt)
        if any(n > 0 for n in results.values()):
            log.info("worker pass", **results)
            if not container.work_left:
                # Caught up: what arrives next joins one batch instead of many (ADR 85).
                stop.wait(gathering_rest(gather, began, time.monotonic()))
            continue  # more may be waiting: go again without a pause
        # Wakes early when events arrive (the API or the stream sets it) or on shutdown.
        container.wake.wait(poll)
    log.info("worker stopped")


class StreamedEvents:
    """What a worker's JetStream intake stores into: the inbox, single-file in the stream's order
    (ADR 68). Wakes the worker's loop when new events are in."""

    def __init__(self, container: Container, stream: str) -> None:
        self.container, self.stream = container, stream

    def position(self, start_after: int) -> int:
        return stream_position(self.container.uow(), self.stream, start_after)

    def store(self, messages: Sequence[tuple[int, object]], read_from: int) -> int:
        container = self.container
        container.know_event_types()
        position, report = accept_from_stream(
            container.uow(), container.clock, self.stream, messages, read_from=read_from
        )
        if report.accepted:
            container.wake.set()
        for refused in report.rejected:
            log.warning("stream event refused", index=refused.index, reason=refused.reason)
        return position


def store_streamed_events(container: Container, stream: str) -> StreamedEvents:
    return StreamedEvents(container, stream)


def start_in_background(container: Container) -> tuple[threading.Thread, threading.Event]:
    stop = threading.Event()
    thread = threading.Thread(
        target=run_forever, args=(container, stop), name="heedful-worker", daemon=True
    )
    thread.start()
    return thread, stop
