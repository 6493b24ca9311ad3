"""Where service fails: touchpoints x failure kinds, and what became of each failure (ADR 0050)."""

from heedful.core.failures.model import (
    Case,
    Cell,
    Failure,
    FailureKind,
    FailureMap,
    Firing,
    Gesture,
    Outcome,
    Touchpoint,
)
from heedful.core.failures.ports import FailureReads, FailureWork
from heedful.core.failures.report import FailureAsk, decide, failure_map, tally
from heedful.core.failures.spreadsheet import map_csv

__all__ = [
    "Case",
    "Cell",
    "Failure",
    "FailureAsk",
    "FailureKind",
    "FailureMap",
    "FailureReads",
    "FailureWork",
    "Firing",
    "Gesture",
    "Outcome",
    "Touchpoint",
    "decide",
    "failure_map",
    "map_csv",
    "tally",
]
