"""Staff discretion: goodwill allowances, the spends drawn on them, approvals and their effect."""

from heedful.core.goodwill.handlers import (
    GiveGoodwill,
    Remaining,
    SetAllowance,
    awaiting_approval,
    customer_spends,
    decide_spend,
    give_goodwill,
    list_allowances,
    my_allowances,
    remove_allowance,
    set_allowance,
)
from heedful.core.goodwill.model import (
    BUILT_IN_KINDS,
    GESTURE,
    MONEY,
    Allowance,
    Period,
    Spend,
    SpendState,
)
from heedful.core.goodwill.ports import GoodwillRepository, GoodwillWork
from heedful.core.goodwill.report import Effect, GoodwillReport, goodwill_report

__all__ = [
    "BUILT_IN_KINDS",
    "GESTURE",
    "MONEY",
    "Allowance",
    "Effect",
    "GiveGoodwill",
    "GoodwillReport",
    "GoodwillRepository",
    "GoodwillWork",
    "Period",
    "Remaining",
    "SetAllowance",
    "Spend",
    "SpendState",
    "awaiting_approval",
    "customer_spends",
    "decide_spend",
    "give_goodwill",
    "goodwill_report",
    "list_allowances",
    "my_allowances",
    "remove_allowance",
    "set_allowance",
]
