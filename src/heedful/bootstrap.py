"""The composition root: builds adapters from Settings and hands them to the entry points."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy.engine import Engine

from heedful.adapters.clock import SystemClock
from heedful.adapters.storage.engine import make_engine
from heedful.adapters.storage.migrate import upgrade
from heedful.adapters.storage.unit_of_work import SqlUnitOfWork
from heedful.config import Settings
from heedful.core.shared.clock import Clock
from heedful.core.shared.ports import UnitOfWork


@dataclass
class Container:
    settings: Settings
    engine: Engine
    clock: Clock
    uow_factory: Callable[[], UnitOfWork] = field(repr=False)

    def uow(self) -> UnitOfWork:
        return self.uow_factory()

    def close(self) -> None:
        self.engine.dispose()


def build(
    settings: Settings | None = None, *, clock: Clock | None = None, migrate: bool = False
) -> Container:
    settings = settings or Settings()
    if migrate:
        upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    return Container(
        settings=settings,
        engine=engine,
        clock=clock or SystemClock(),
        uow_factory=lambda: SqlUnitOfWork(engine),
    )
