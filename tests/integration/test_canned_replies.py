"""Canned replies on SQLite and PostgreSQL: who keeps them, where they are offered, which words."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from builders import a_location

from heedful.bootstrap import Container
from heedful.core.access.model import SYSTEM, Actor, Role
from heedful.core.conversations.canned_replies import CannedReply
from heedful.core.conversations.canned_reply_handlers import (
    CannedReplyIn,
    list_canned_replies,
    retire_canned_reply,
    save_canned_reply,
)
from heedful.core.shared.clock import FrozenClock
from heedful.core.shared.errors import Forbidden, InvalidInput, NotFound
from heedful.core.staff.model import Location


@pytest.fixture
def shops(container: Container) -> tuple[Location, Location]:
    kyiv, lviv = a_location("Kyiv"), a_location("Lviv")
    with container.uow() as uow:
        uow.locations.add(kyiv)
        uow.locations.add(lviv)
        uow.commit()
    return kyiv, lviv


def manager_of(*locations: Location) -> Actor:
    return Actor("stf_olena", "Olena", Role.MANAGER, frozenset(loc.id for loc in locations))


def agent_of(location: Location) -> Actor:
    return Actor("stf_iryna", "Iryna", Role.AGENT, frozenset({location.id}))


def test_a_reply_is_offered_in_her_language_else_english_else_any() -> None:
    at = datetime(2026, 3, 2, tzinfo=UTC)
    reply = CannedReply("cnr_1", "Hi", {"uk": "Вітаємо!", "en": "Hello!"}, at, at, "Olena")
    russian_only = CannedReply("cnr_2", "Hi", {"ru": "Здравствуйте!"}, at, at, "Olena")

    assert reply.text_for("uk") == ("uk", "Вітаємо!")
    assert reply.text_for("ru") == ("en", "Hello!")
    assert russian_only.text_for("uk") == ("ru", "Здравствуйте!")


def test_managers_keep_replies_for_their_shops_and_agents_see_those_of_theirs(
    container: Container, clock: FrozenClock, shops: tuple[Location, Location]
) -> None:
    kyiv, lviv = shops
    olena = manager_of(kyiv)
    for_kyiv = save_canned_reply(
        CannedReplyIn("Доставка", {"uk": "Сьогодні.", "ru": ""}, kyiv.id),
        container.uow(),
        clock,
        olena,
    )
    everywhere = save_canned_reply(
        CannedReplyIn("Вітання", {"en": "Hello!"}), container.uow(), clock, SYSTEM
    )
    save_canned_reply(
        CannedReplyIn("Львів", {"uk": "Привіт зі Львова"}, lviv.id), container.uow(), clock, SYSTEM
    )

    assert for_kyiv.texts == {"uk": "Сьогодні."}  # an empty language is no text
    offered = list_canned_replies(container.uow(), agent_of(kyiv), location_id=kyiv.id)
    assert [r.id for r in offered] == [everywhere.id, for_kyiv.id]  # by title
    with pytest.raises(Forbidden):  # not her shop
        save_canned_reply(CannedReplyIn("x", {"uk": "x"}, lviv.id), container.uow(), clock, olena)
    with pytest.raises(Forbidden):  # every shop is the administrator's to word
        save_canned_reply(CannedReplyIn("x", {"uk": "x"}), container.uow(), clock, olena)
    with pytest.raises(Forbidden):
        save_canned_reply(
            CannedReplyIn("x", {"uk": "x"}, kyiv.id), container.uow(), clock, agent_of(kyiv)
        )


def test_new_words_and_retiring_keep_the_reply_for_the_record(
    container: Container, clock: FrozenClock, shops: tuple[Location, Location]
) -> None:
    kyiv, lviv = shops
    olena = manager_of(kyiv)
    reply = save_canned_reply(
        CannedReplyIn("Доставка", {"uk": "Сьогодні."}, kyiv.id), container.uow(), clock, olena
    )

    changed = save_canned_reply(
        CannedReplyIn("Доставка", {"uk": "Завтра.", "en": "Tomorrow."}, kyiv.id),
        container.uow(),
        clock,
        olena,
        reply_id=reply.id,
    )
    with pytest.raises(NotFound):  # Lviv's manager does not see Kyiv's replies
        retire_canned_reply(reply.id, container.uow(), clock, manager_of(lviv))
    retire_canned_reply(reply.id, container.uow(), clock, olena)

    assert changed.texts == {"uk": "Завтра.", "en": "Tomorrow."}
    assert list_canned_replies(container.uow(), olena) == []
    with container.uow() as uow:
        kept = uow.canned_replies.get(reply.id)
    assert kept is not None
    assert not kept.active
    assert kept.texts["uk"] == "Завтра."


@pytest.mark.parametrize(
    ("title", "texts", "field"),
    [
        ("", {"uk": "x"}, "title"),
        ("x" * 201, {"uk": "x"}, "title"),
        ("Hi", {"uk": "  ", "en": ""}, "text_en"),
        ("Hi", {"de": "Hallo"}, "texts"),
        ("Hi", {"uk": "x" * 5001}, "text_uk"),
    ],
)
def test_a_reply_needs_a_title_and_words_in_a_language_the_console_speaks(
    container: Container,
    clock: FrozenClock,
    title: str,
    texts: dict[str, str],
    field: str,
) -> None:
    with pytest.raises(InvalidInput) as refused:
        save_canned_reply(CannedReplyIn(title, texts), container.uow(), clock, SYSTEM)
    assert refused.value.field == field
