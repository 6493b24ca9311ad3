"""The promise ledger: every promise made to a customer, kept or not, with its evidence."""

from heedful.core.promises.back_in_stock import (
    DEFAULT_TELL_PER_UNIT,
    notice_item,
    still_wanted,
    stock_changed,
)
from heedful.core.promises.deadlines import (
    close_tasks_of_ended_promises,
    fire_promise_timer,
    settle_tasks,
)
from heedful.core.promises.handlers import MakePromise, make_promise
from heedful.core.promises.in_bulk import NewPromise, prepare_promise, store_promises
from heedful.core.promises.line_messages import JOINED, LINE_MESSAGES, MOVED
from heedful.core.promises.model import (
    Evidence,
    EvidenceKind,
    Promise,
    PromiseKind,
    PromiseState,
    WantedItem,
)
from heedful.core.promises.ports import (
    PromiseFilter,
    PromiseRepository,
    TaskRepository,
    TimerRepository,
)
from heedful.core.promises.waiting_book import WaitingBook, read_book

__all__ = [
    "DEFAULT_TELL_PER_UNIT",
    "JOINED",
    "LINE_MESSAGES",
    "MOVED",
    "Evidence",
    "EvidenceKind",
    "MakePromise",
    "NewPromise",
    "Promise",
    "PromiseFilter",
    "PromiseKind",
    "PromiseRepository",
    "PromiseState",
    "TaskRepository",
    "TimerRepository",
    "WaitingBook",
    "WantedItem",
    "close_tasks_of_ended_promises",
    "fire_promise_timer",
    "make_promise",
    "notice_item",
    "prepare_promise",
    "read_book",
    "settle_tasks",
    "still_wanted",
    "stock_changed",
    "store_promises",
]
