"""Standing interests: what someone is waiting for, said as conditions on a business event.

An open promise ("tell her when the black handbag, size M, is back at the Kyiv store"), a
preference that asks for something, a watch rule ("price of P at L at or below 1200") and a
playbook trigger all become one `Interest`: an event type, attributes that must be equal, and
numeric bounds. `Interest.matches` is the definition of a match; the index only finds the same
answers faster.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal, TypeGuard, get_args

from heedful.core.shared.errors import InvalidInput

Operator = Literal["<", "<=", ">", ">="]
OPERATORS: frozenset[str] = frozenset(get_args(Operator))
UPPER_BOUNDS: frozenset[str] = frozenset({"<", "<="})

_COMPARE: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def is_number(value: object) -> TypeGuard[int | float]:
    """Whether a bound can be tested on this event attribute.

    A bool is an int to Python, but "in_stock": true is not a quantity; NaN compares false with
    everything, so no bound can be said to hold for it (and it would break the sorted index).
    """
    if type(value) is int:
        return True
    return type(value) is float and not math.isnan(value)


@dataclass(frozen=True, slots=True)
class Bound:
    """A numeric condition on one event attribute: ``price <= 1200``."""

    field: str
    op: Operator
    value: int | float

    def __post_init__(self) -> None:
        if not self.field:
            raise InvalidInput("A bound needs the name of an attribute.", field="ranges")
        if self.op not in OPERATORS:
            raise InvalidInput(
                f"A bound compares with one of {', '.join(sorted(OPERATORS))}.", field="ranges"
            )
        if not is_number(self.value):
            raise InvalidInput("A bound's value must be a number.", field="ranges")

    @property
    def is_upper(self) -> bool:
        """``<`` and ``<=`` are met by values below the bound; ``>`` and ``>=`` by values above."""
        return self.op in UPPER_BOUNDS

    def holds(self, value: object) -> bool:
        """Missing, non-numeric and NaN values never satisfy a bound."""
        return is_number(value) and _COMPARE[self.op](value, self.value)


@dataclass(frozen=True, slots=True)
class Interest:
    """Someone waiting for an event: every `equals` attribute equal and every bound holding.

    Attributes the interest does not name are wildcards: "brand X in size M at this store"
    matches any product and colour. `created_seq` is the order of asking, so that the first
    to ask is the first told.
    """

    id: str
    event_type: str
    owner: str  # who is waiting: "promise:prm_123", "preference:prf_1", "playbook:pbk_1"
    created_seq: int
    equals: Mapping[str, str | int] = field(default_factory=dict)
    ranges: tuple[Bound, ...] = ()

    def __post_init__(self) -> None:
        for name, text in (("id", self.id), ("event_type", self.event_type), ("owner", self.owner)):
            if not text:
                raise InvalidInput(f"An interest needs its {name}.", field=name)
        if type(self.created_seq) is not int:
            raise InvalidInput("The order of asking must be a whole number.", field="created_seq")
        for key, value in self.equals.items():
            if not key:
                raise InvalidInput("Attribute names must be non-empty text.", field="equals")
            # bool is excluded because True == 1 would make "flag: true" equal "quantity: 1".
            if type(value) is not str and type(value) is not int:
                raise InvalidInput(
                    f"The value of {key!r} must be text or a whole number.", field="equals"
                )
        if not all(isinstance(bound, Bound) for bound in self.ranges):
            raise InvalidInput("Ranges must be bounds.", field="ranges")
        # A private read-only copy: a caller changing its dict must not move the interest
        # to another bucket of the index behind the index's back.
        object.__setattr__(self, "equals", MappingProxyType(dict(self.equals)))
        object.__setattr__(self, "ranges", tuple(self.ranges))

    def __hash__(self) -> int:
        # Equal interests have equal ids, so hashing the id alone is consistent with ==.
        return hash(self.id)

    def matches(self, event_type: str, attributes: Mapping[str, object]) -> bool:
        """The rule itself, one interest at a time (the index must agree with it)."""
        if event_type != self.event_type:
            return False
        for key, wanted in self.equals.items():
            if key not in attributes or attributes[key] != wanted:
                return False
        return all(bound.holds(attributes.get(bound.field)) for bound in self.ranges)


def arrival(interest: Interest) -> tuple[int, str]:
    """First come, first served; the id settles ties so that the order never depends on luck."""
    return (interest.created_seq, interest.id)
