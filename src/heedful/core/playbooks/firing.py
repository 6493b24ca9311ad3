"""Running the enabled playbooks on one business event, and who an event concerns.

The engine builds a ``PlaybookIndex`` once per batch of events; each event then costs one look-up
per trigger shape (the interest index), not a pass over every playbook. Each playbook fires for
each customer in its own savepoint: one that cannot be done (a task for a customer known at no
location) is reported and does not undo the others.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from heedful.core.customers import Customer
from heedful.core.events import (
    OUTSIDE_SCOPE,
    BusinessEvent,
    StoredEvent,
    customer_named,
    sender_may_name,
)
from heedful.core.interests import InterestIndex
from heedful.core.playbooks import actions
from heedful.core.playbooks.audience import (
    audience_pages,
    audience_subject,
    event_location,
    member_pages,
)
from heedful.core.playbooks.bulk_firing import Chosen, fire_many
from heedful.core.playbooks.conditions import (
    MISSING,
    Place,
    customer_reasons,
    event_reasons,
    flatten,
    interest_of,
    liked_reason,
    preference_met,
    preference_reason,
    value_at,
)
from heedful.core.playbooks.liking import Member, answered_by_store, confirms
from heedful.core.playbooks.model import (
    Action,
    CreateTask,
    Playbook,
    PlaybookBody,
    Said,
    SendMessage,
    Subject,
)
from heedful.core.preferences import Preference
from heedful.core.shared.phrases import Phrase
from heedful.core.unit_of_work import UnitOfWork

Triggered = list[tuple[Playbook, list[Said]]]  # the playbooks whose trigger holds, with why


class PlaybookIndex:
    """The enabled playbooks, answered by event through the interest index."""

    def __init__(self, playbooks: Iterable[Playbook]) -> None:
        every = list(playbooks)
        # Look-ahead playbooks read the state, not events: kept aside for the dealings' changes.
        self._by_id = {p.id: p for p in every if p.body.look_ahead is None}
        self._looking_ahead = [p for p in every if p.body.look_ahead is not None]
        self._index = InterestIndex(
            interest_of(playbook, order) for order, playbook in enumerate(self._by_id.values())
        )
        self._zones: dict[str, str | None] = {}
        # Each event's answer, kept for the index's life (one batch): the batch's lock asks
        # whether any playbook may act (``may_act_on``) and its reaction which do
        # (``triggered``), and flattening the event and matching it twice was a tenth of the
        # worker's CPU per stock report (issue 18's profile, ADR 77). The trigger reads only
        # the event, so the answer cannot change within the batch.
        self._triggered: dict[tuple[str, str, str], tuple[BusinessEvent, Triggered]] = {}

    def __len__(self) -> int:
        return len(self._by_id)

    def matching(self, event: BusinessEvent) -> list[Playbook]:
        """Playbooks whose constant conditions the event meets; the rest is checked by caller."""
        if not self._by_id:
            return []
        found = self._index.match(event.type, flatten(event))
        return [self._by_id[interest.id] for interest in found]

    def triggered(self, event: BusinessEvent) -> Triggered:
        """The playbooks whose whole trigger holds for the event, with why (no audience read)."""
        key = (event.source, event.id, event.type)
        known = self._triggered.get(key)
        if known is not None and known[0] is event:
            return known[1]
        found = []
        for playbook in self.matching(event):
            why = event_reasons(playbook.body.where, event)
            if why is not None:
                found.append((playbook, why))
        self._triggered[key] = (event, found)
        return found

    def may_act_on(self, event: BusinessEvent) -> bool:
        """Whether any playbook's trigger holds for the event (its audience not yet asked)."""
        return bool(self.triggered(event))

    def zone_of(self, uow: UnitOfWork, location_id: str) -> str | None:
        """The location's time zone, read once per index (a batch of events), not per change.

        A change weighed alone should cost its own record and keys: a round trip per change
        for a zone that is the same for the whole batch was the commonest query left.
        """
        if location_id not in self._zones:
            place = uow.locations.get(location_id)
            self._zones[location_id] = None if place is None else place.time_zone
        return self._zones[location_id]

    def looking_ahead(self, subject: Subject) -> list[Playbook]:
        """The enabled look-ahead playbooks reading this kind of state."""
        return [
            p
            for p in self._looking_ahead
            if p.body.look_ahead is not None and p.body.look_ahead.subject is subject
        ]


Concerned = tuple[Customer, Place, list[Said], list[Preference] | None]


def concerned(
    uow: UnitOfWork,
    body: PlaybookBody,
    event: BusinessEvent,
    at: datetime,
    passed_over: list[str] | None = None,
) -> Iterator[tuple[Customer, Place, list[Said]]]:
    """Each active customer the event concerns and meets the customer conditions, with why.

    A scoped sender's event concerns only customers known at its locations: one it names
    elsewhere is passed over (why, into ``passed_over``), an audience is cut to them silently.
    """
    for page in concerned_pages(uow, body, event, at, passed_over):
        for customer, place, because, _ in page:
            yield customer, place, because


def concerned_pages(
    uow: UnitOfWork,
    body: PlaybookBody,
    event: BusinessEvent,
    at: datetime,
    passed_over: list[str] | None = None,
    once: tuple[str, str] | None = None,
) -> Iterator[list[Concerned]]:
    """As ``concerned``, a page of the audience at a time, with each one's standing preferences.

    An audience is read a page at a time, each page's customers and preferences in one read
    each (a preference audience the store can check: all in one, ADR 78), so that a page is
    also fired at once (``fire_playbooks``); a named customer is a page of one, her preferences
    read only if a condition asks. ``once``: (playbook id, once key): those of a page the
    playbook already fired for under the key need nothing more and are never loaded.
    """
    place = Place(event_location(uow, event), at)
    if body.audience is None:
        named = customer_named(uow, event.data.get("customer"))
        if named is not None and not sender_may_name(event, named):
            if passed_over is not None:
                passed_over.append(OUTSIDE_SCOPE)
            named = None
        if named is not None:
            yield list(_chosen(uow, body, [named], event, place, None))
        return
    if answered_by_store(body):
        for members in member_pages(uow, body, event, passed_over, once):
            yield list(_members_chosen(uow, body, members, event, place))
        return
    for ids in audience_pages(uow, body, event, at, passed_over):
        done = set() if once is None else _already_fired(uow, *once, ids)
        page = [customer_id for customer_id in ids if customer_id not in done]
        if not page:
            continue
        standing = uow.preferences.standing_for_many(page)
        yield list(_chosen(uow, body, uow.customers.get_many(page), event, place, standing))


def _members_chosen(
    uow: UnitOfWork,
    body: PlaybookBody,
    members: list[Member],
    event: BusinessEvent,
    place: Place,
) -> Iterator[Concerned]:
    """A page of a preference audience whose checks the store answered: the store loaded only
    the members who hold every preference asked and are not done already (``Member.customer``);
    each is confirmed here as the rule folds case."""
    audience = body.audience
    assert audience is not None
    assert audience.preference is not None
    rule, wanted = audience.preference, audience_subject(body, event)
    for member in members:
        customer = member.customer
        if customer is None or not confirms(rule, member.liked, wanted):
            continue
        if not all(liked is not None for liked in member.held):
            continue
        if not customer.is_active or not sender_may_name(event, customer):
            continue
        rule_of = body.customer
        reasons = customer_reasons(uow, rule_of, customer, event, place, held=member.held)
        if reasons is not None:
            yield customer, place, [liked_reason(member.liked), *reasons], None


def _chosen(
    uow: UnitOfWork,
    body: PlaybookBody,
    customers: Iterable[Customer],
    event: BusinessEvent,
    place: Place,
    standing: Mapping[str, list[Preference]] | None,
) -> Iterator[Concerned]:
    for customer in customers:
        if not customer.is_active or not sender_may_name(event, customer):
            continue
        held = None if standing is None else standing.get(customer.id, [])
        chosen = _why_chosen(uow, body, customer, event, held)
        if chosen is None:
            continue
        reasons = customer_reasons(uow, body.customer, customer, event, place, held)
        if reasons is not None:
            yield customer, place, [*chosen, *reasons], held


def _why_chosen(
    uow: UnitOfWork,
    body: PlaybookBody,
    customer: Customer,
    event: BusinessEvent,
    standing: list[Preference] | None,
) -> list[Said] | None:
    audience = body.audience
    if audience is None:
        return [Phrase("why.named")]
    if audience.preference is None:
        where = value_at(event, audience.history_at or "")
        location = str(audience.history_at if where is MISSING else where)
        return [Phrase("why.bought_at", {"location": location, "days": audience.within_days})]
    # The query folds case only roughly (SQLite's lower() is ASCII): the rule decides here.
    if standing is None:
        standing = uow.preferences.list_for(customer.id)
    found = preference_met(audience.preference, standing, event)
    if found is None:
        return None
    return [preference_reason(found)]


def happened_at(stored: StoredEvent) -> datetime:
    return stored.event.time or stored.received_at


def once_key(body: PlaybookBody, stored: StoredEvent) -> str:
    """The once-per-customer key: forever, a fixed time bucket of the span, or this one event.

    Buckets are counted from the Unix epoch by the event's own time, so a replay or a dry-run
    lands in the bucket the live run used: "P30D" means once in each 30-day bucket, not in any
    sliding 30 days (a stored unique key cannot say "sliding").
    """
    if body.once_per_customer == "ever":
        return "ever"
    span = body.once_span
    if span is not None:
        bucket = int(happened_at(stored).timestamp() // span.total_seconds())
        return f"{body.once_per_customer}:{bucket}"
    event = stored.event
    digest = hashlib.sha256(f"{event.source}\n{event.id}".encode()).hexdigest()[:40]
    return f"event:{digest}"


def action_location(
    customer: Customer, place: Place, within: frozenset[str] | None = None
) -> str | None:
    """Where a playbook's task or message belongs; for a scoped sender, one of its locations."""
    if place.location_id is not None:
        return place.location_id
    if customer.home_location_id is not None and (
        within is None or customer.home_location_id in within
    ):
        return customer.home_location_id
    known = customer.location_ids if within is None else customer.location_ids & within
    return min(known) if known else None


def chosen_actions(
    uow: UnitOfWork,
    body: PlaybookBody,
    customer: Customer,
    event: BusinessEvent,
    place: Place,
    standing: list[Preference] | None = None,
) -> tuple[tuple[Action, ...], list[Said]] | None:
    """The first branch whose conditions hold, else the playbook's own actions; with why.

    None when no branch holds and the playbook has nothing else to do.
    """
    for number, branch in enumerate(body.branches, start=1):
        why = event_reasons(branch.where, event)
        if why is None:
            continue
        because = customer_reasons(uow, branch.customer, customer, event, place, standing)
        if because is None:
            continue
        named = Phrase("why.branch", {"name": branch.name or number})
        return branch.actions, [named, *why, *because]
    if not body.actions:
        return None
    return body.actions, ([Phrase("why.no_branch")] if body.branches else [])


@dataclass
class PlaybookOutcome:
    fired: int = 0
    skipped: list[str] = field(default_factory=list)
    # Firings whose actions may open or keep a promise: they may change a waiting line that the
    # batch read ahead (ADR 57); a message or a task changes nothing it read.
    promised: int = 0


def may_change_lines(actions_done: Iterable[Action]) -> bool:
    """Whether actions may add to or take from a waiting line: anything but a task or a message."""
    return any(not isinstance(action, CreateTask | SendMessage) for action in actions_done)


def fire_playbooks(
    uow: UnitOfWork,
    stored: StoredEvent,
    now: datetime,
    index: PlaybookIndex,
    triggered: list[tuple[Playbook, list[Said]]] | None = None,
) -> PlaybookOutcome:
    """Runs every enabled playbook the event triggers; call inside the event's savepoint.

    ``triggered``: ``index.triggered(event)`` when the caller has asked it already.

    A page of the audience is fired at once (``bulk_firing.fire_many``): the customers the
    playbook already fired for under this key are read in one query and left alone, the others'
    keys claimed in one statement and their messages and tasks written in one each. A customer
    whose action refuses (a task for a customer known at no location) is reported and does not
    stop the others; the unique key still decides under a race with another worker.
    """
    outcome = PlaybookOutcome()
    event = stored.event
    cause = f"{event.source}/{event.id}"
    for playbook, why in index.triggered(event) if triggered is None else triggered:
        key = once_key(playbook.body, stored)
        label = f"{cause}: playbook {playbook.id}"
        passed_over: list[str] = []
        # Those fired for under the key are never loaded (a read to spare loading and building
        # what the key would refuse): the claim decides.
        once = (playbook.id, key)
        for page in concerned_pages(uow, playbook.body, event, now, passed_over, once):
            chosen = _page_chosen(uow, playbook, page, event, cause, key, [*why])
            fired = fire_many([Chosen(*item, label) for item in chosen])
            outcome.fired += fired.fired
            outcome.skipped.extend(fired.set_aside)
            if fired.fired and any(may_change_lines(todo) for _, todo, _, _ in chosen):
                outcome.promised += fired.fired
        outcome.skipped.extend(f"{label}: {r}" for r in passed_over)
    return outcome


def _already_fired(uow: UnitOfWork, playbook_id: str, key: str, page: list[str]) -> set[str]:
    """Those of a page of the audience the playbook fired for under this key already."""
    taken = uow.playbooks.taken(playbook_id, [(customer_id, key) for customer_id in page])
    return {customer_id for customer_id, _ in taken}


def _page_chosen(
    uow: UnitOfWork,
    playbook: Playbook,
    page: list[Concerned],
    event: BusinessEvent,
    cause: str,
    key: str,
    why: list[Said],
) -> list[tuple[actions.Firing, tuple[Action, ...], str, tuple[Said, ...]]]:
    """What each customer of the page would have done, with why."""
    body = playbook.body
    found = []
    for customer, place, because, held in page:
        chosen = chosen_actions(uow, body, customer, event, place, held)
        if chosen is None:
            continue
        todo, branch = chosen
        where = action_location(customer, place, event.sender_locations)
        context = actions.Firing(uow, place.now, playbook, customer, event, cause, where)
        found.append((context, tuple(todo), key, (*why, *because, *branch)))
    return found
