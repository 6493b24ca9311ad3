"""The interest index: which standing interests an event meets, without looking at the others.

Interests are grouped by *shape*: the event type, the set of attributes that must be equal and,
for interests with bounds, the attribute and direction of their first bound. A shape keeps a dict
from the equal values to a bucket, so an event costs one hash look-up per shape of its event type
(a handful, however many interests there are) plus the interests it actually meets. Inside a
bucket, interests with bounds are sorted by the bound, so "price at or below my threshold" is a
bisection, not a scan. Why this structure and what it costs: docs/decisions/0012.

The index is plain memory and not thread-safe: one consumer owns it and feeds it add, remove and
match in order.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Hashable, Iterable, Mapping
from operator import attrgetter, itemgetter
from typing import Any, Protocol

from sortedcontainers import SortedList  # type: ignore[import-untyped]

from heedful.core.interests.model import Interest, arrival, is_number
from heedful.core.shared.errors import Conflict, NotFound

# Where a bound equal to the event's value sorts: among upper bounds "<" (0) is not met by it
# and "<=" (1) is; among lower bounds ">=" (0) is and ">" (1) is not. So in both directions the
# interests met are on one side of the position of (value, 1).
_RANK = {"<": 0, "<=": 1, ">=": 0, ">": 1}
_MET_AT_EQUAL = 1

_Attributes = Mapping[str, object]
_KeyOf = Callable[[_Attributes], Hashable]
# (bound value, rank, interest id): the id is unique, so comparisons never reach further.
_SortKey = tuple[int | float, int, str]
_SPLIT = 2_000
_ARRIVAL_SEQ = attrgetter("created_seq")
_ShapeKey = tuple[tuple[str, ...], str | None, bool]


class _Bucket(Protocol):
    def add(self, interest: Interest) -> None: ...

    def discard(self, interest: Interest) -> None: ...

    def __len__(self) -> int: ...

    def collect(self, attributes: _Attributes, found: list[Interest]) -> None: ...


class _Plain:
    """Interests with no bounds: everyone here is met once the equal values are."""

    __slots__ = ("members",)

    def __init__(self) -> None:
        self.members: dict[str, Interest] = {}

    def add(self, interest: Interest) -> None:
        self.members[interest.id] = interest

    def discard(self, interest: Interest) -> None:
        del self.members[interest.id]

    def __len__(self) -> int:
        return len(self.members)

    def collect(self, attributes: _Attributes, found: list[Interest]) -> None:  # noqa: ARG002
        found.extend(self.members.values())


class _Sorted:
    """Interests sorted by their first bound, all on one attribute and in one direction.

    Small buckets (nearly all: a product's watchers at one store) are two aligned plain lists,
    bisected in C and sliced without a Python loop. Past `_SPLIT` entries, inserting into and
    deleting from a plain list moves too much memory, so the bucket becomes a SortedList.
    """

    __slots__ = ("big", "field", "keys", "members", "several", "upper")

    def __init__(self, field: str, upper: bool) -> None:
        self.field = field
        self.upper = upper
        self.keys: list[_SortKey] = []
        self.members: list[Interest] = []  # aligned with keys
        self.several = 0  # members with more than one bound, which need checking one by one
        self.big: Any = None  # SortedList of (*key, interest); sortedcontainers has no hints

    def add(self, interest: Interest) -> None:
        key = _sort_key(interest)
        self.several += len(interest.ranges) > 1
        if self.big is not None:
            self.big.add((*key, interest))
            return
        at = bisect_left(self.keys, key)
        self.keys.insert(at, key)
        self.members.insert(at, interest)
        if len(self.keys) > _SPLIT:
            self.big = SortedList(
                (*key, member) for key, member in zip(self.keys, self.members, strict=True)
            )
            self.keys, self.members = [], []

    def discard(self, interest: Interest) -> None:
        key = _sort_key(interest)
        self.several -= len(interest.ranges) > 1
        if self.big is not None:
            self.big.remove((*key, interest))
            return
        at = bisect_left(self.keys, key)
        del self.keys[at]
        del self.members[at]

    def __len__(self) -> int:
        return len(self.keys) if self.big is None else len(self.big)

    def collect(self, attributes: _Attributes, found: list[Interest]) -> None:
        value = attributes.get(self.field)
        if not is_number(value):
            return
        probe = (value, _MET_AT_EQUAL)
        met: list[Interest]
        if self.big is None:
            cut = bisect_left(self.keys, probe)
            met = self.members[cut:] if self.upper else self.members[:cut]
        else:
            cut = self.big.bisect_left(probe)
            entries = self.big.islice(cut) if self.upper else self.big.islice(0, cut)
            met = [entry[-1] for entry in entries]
        if self.several:
            found.extend(interest for interest in met if _other_bounds_hold(interest, attributes))
        else:
            found.extend(met)


def _sort_key(interest: Interest) -> _SortKey:
    first = interest.ranges[0]
    return (first.value, _RANK[first.op], interest.id)


def _other_bounds_hold(interest: Interest, attributes: _Attributes) -> bool:
    return all(bound.holds(attributes.get(bound.field)) for bound in interest.ranges[1:])


class _Shape:
    """All interests of one event type that name the same equal attributes (and first bound)."""

    __slots__ = ("buckets", "key_of", "make_bucket")

    def __init__(self, key: _ShapeKey) -> None:
        fields, bound_field, upper = key
        self.key_of = _key_getter(fields)
        self.buckets: dict[Hashable, _Bucket] = {}
        self.make_bucket: Callable[[], _Bucket] = (
            _Plain if bound_field is None else lambda: _Sorted(bound_field, upper)
        )


def _key_getter(fields: tuple[str, ...]) -> _KeyOf:
    """The equal values of an event or interest, as the dict key of a bucket.

    itemgetter raises KeyError when an event lacks one of the fields: the shape cannot match.
    """
    if not fields:
        return lambda _attributes: ()
    getter: _KeyOf = itemgetter(*fields)  # one field: the bare value; several: a tuple
    return getter


def _shape_key(interest: Interest) -> _ShapeKey:
    fields = tuple(sorted(interest.equals))
    if not interest.ranges:
        return (fields, None, False)
    first = interest.ranges[0]
    return (fields, first.field, first.is_upper)


class InterestIndex:
    """Standing interests, answered by event: `match` costs the shapes plus what it finds."""

    def __init__(self, interests: Iterable[Interest] = ()) -> None:
        self._by_id: dict[str, Interest] = {}
        # How many interests share each arrival number, and how many numbers are shared: while
        # none is, the answer is sorted on the number alone and the id is never looked at.
        self._arrivals: dict[int, int] = {}
        self._shared_arrivals = 0
        self._shapes: dict[str, dict[_ShapeKey, _Shape]] = {}
        for interest in interests:
            self.add(interest)

    def __len__(self) -> int:
        return len(self._by_id)

    def __contains__(self, interest_id: object) -> bool:
        return interest_id in self._by_id

    def add(self, interest: Interest) -> None:
        if interest.id in self._by_id:
            raise Conflict("This interest is already registered.", existing_id=interest.id)
        shapes = self._shapes.setdefault(interest.event_type, {})
        key = _shape_key(interest)
        shape = shapes.get(key)
        if shape is None:
            shape = shapes[key] = _Shape(key)
        values = shape.key_of(interest.equals)
        bucket = shape.buckets.get(values)
        if bucket is None:
            bucket = shape.buckets[values] = shape.make_bucket()
        bucket.add(interest)
        self._by_id[interest.id] = interest
        sharing = self._arrivals.get(interest.created_seq, 0)
        self._arrivals[interest.created_seq] = sharing + 1
        self._shared_arrivals += sharing == 1

    def remove(self, interest_id: str) -> Interest:
        """Forgets an interest (the promise was kept or cancelled) and returns it."""
        interest = self._by_id.pop(interest_id, None)
        if interest is None:
            raise NotFound("No such interest.", field="interest_id")
        sharing = self._arrivals.pop(interest.created_seq)
        if sharing > 1:
            self._arrivals[interest.created_seq] = sharing - 1
        self._shared_arrivals -= sharing == 2
        shapes = self._shapes[interest.event_type]
        key = _shape_key(interest)
        shape = shapes[key]
        values = shape.key_of(interest.equals)
        bucket = shape.buckets[values]
        bucket.discard(interest)
        # Empty buckets and shapes go at once, so that churn leaves no shapes to look up.
        if not bucket:
            del shape.buckets[values]
            if not shape.buckets:
                del shapes[key]
                if not shapes:
                    del self._shapes[interest.event_type]
        return interest

    def match(self, event_type: str, attributes: _Attributes) -> list[Interest]:
        """The interests this event meets, first come first served."""
        shapes = self._shapes.get(event_type)
        if shapes is None:
            return []
        found: list[Interest] = []
        for shape in shapes.values():
            try:
                bucket = shape.buckets.get(shape.key_of(attributes))
            except (KeyError, TypeError):
                # The event lacks one of the shape's fields, or its value cannot be a key
                # (a list): nobody of this shape asked for it.
                continue
            if bucket is not None:
                bucket.collect(attributes, found)
        if len(found) > 1:
            # The number alone sorts in C without building a tuple per interest; the id is
            # needed only to settle ties, which one sequence handing out numbers never makes.
            found.sort(key=arrival if self._shared_arrivals else _ARRIVAL_SEQ)
        return found

    def shapes_watching(self, event_type: str) -> int:
        """How many hash look-ups an event of this type costs before it finds anyone."""
        return len(self._shapes.get(event_type, ()))


def naive_match(
    interests: Iterable[Interest], event_type: str, attributes: _Attributes
) -> list[Interest]:
    """Every interest checked one by one: the oracle for the index, and what it is measured
    against. Never use it on the event path."""
    return sorted(
        (interest for interest in interests if interest.matches(event_type, attributes)),
        key=arrival,
    )
