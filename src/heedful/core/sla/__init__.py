"""SLA policies and clocks: first response, next response and resolution in business time."""

from heedful.core.sla.clocks import ThreadClocks
from heedful.core.sla.kinds import Channel, Priority, ThreadStatus
from heedful.core.sla.model import ClockFact, ClockKind, ClockState, SlaClock
from heedful.core.sla.timers import fire_sla_timer, tell_breaches_on_acceptance

__all__ = [
    "Channel",
    "ClockFact",
    "ClockKind",
    "ClockState",
    "Priority",
    "SlaClock",
    "ThreadClocks",
    "ThreadStatus",
    "fire_sla_timer",
    "tell_breaches_on_acceptance",
]
