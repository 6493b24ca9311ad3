"""Refusals say their own words (ADR 0054): every key is translated, and the console says it.

The console once matched the English of older refusals against a table of patterns; they now
carry ``said=`` phrases whose English is the table's old msgid, so the catalogs' ru and uk
words carry over. These tests keep it so: a key without a translation fails here, before a
Russian or Ukrainian reader meets English.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from babel.support import Translations
from builders import a_manager, a_shop, an_agent

from heedful.core.access.model import Role
from heedful.core.customers.identities import IdentityKind, normalise_identity
from heedful.core.customers.model import check_time_zone
from heedful.core.goodwill import GiveGoodwill, Period, SetAllowance, give_goodwill, set_allowance
from heedful.core.shared.errors import Forbidden, HeedfulError, InvalidInput, NotFound
from heedful.core.shared.refusals import REFUSALS
from heedful.entrypoints.console.i18n import TRANSLATIONS_DIR
from heedful.entrypoints.console.messages import translated

PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _catalog(language: str) -> Catalog:
    path = Path(TRANSLATIONS_DIR) / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as po_file:
        return read_po(po_file, locale=language)


def _ru(exc: HeedfulError) -> str:
    catalog = Translations.load(str(TRANSLATIONS_DIR), ["ru"])
    return translated(exc, catalog.gettext)


@pytest.mark.parametrize("language", ["ru", "uk"])
def test_every_refusal_has_words_in_russian_and_ukrainian_with_the_same_values(
    language: str,
) -> None:
    catalog = _catalog(language)
    missing = []
    for key, english in REFUSALS.items():
        message = catalog.get(english)
        if message is None or message.fuzzy or not message.string:
            missing.append(key)
        elif set(PLACEHOLDER.findall(str(message.string))) != set(PLACEHOLDER.findall(english)):
            missing.append(f"{key} (its values differ)")
    assert missing == []


def test_an_e_mail_address_and_a_time_zone_are_refused_in_russian_naming_the_value() -> None:
    with pytest.raises(InvalidInput) as not_an_address:
        normalise_identity(IdentityKind.EMAIL, "anna@")
    with pytest.raises(InvalidInput) as not_a_zone:
        check_time_zone("Mars/Olympus")

    assert not_an_address.value.message == "'anna@' is not an e-mail address"  # for programs
    assert _ru(not_an_address.value) == "anna@ — не адрес эл. почты."
    assert _ru(not_a_zone.value) == (
        "Mars/Olympus — не часовой пояс. Укажите, например, Europe/Moscow или Europe/Kyiv."
    )


def test_a_spend_beyond_the_allowance_says_in_russian_what_is_left_this_week() -> None:
    shop = a_shop()
    anna = shop.customer(at=shop.kyiv)
    waiter = an_agent(shop.kyiv)
    set_allowance(
        SetAllowance(
            location_id=shop.kyiv.id,
            kind="dessert",
            amount=Decimal(3),
            period=Period.WEEK,
            role=Role.AGENT,
        ),
        shop.uow,
        shop.clock,
        a_manager(shop.kyiv),
    )

    def give(amount: int) -> None:
        cmd = GiveGoodwill(anna.id, shop.kyiv.id, "dessert", Decimal(amount), "waited long")
        give_goodwill(cmd, shop.uow, shop.clock, waiter)

    give(2)
    with pytest.raises(InvalidInput) as refused:
        give(2)

    assert refused.value.message == "your allowance has 1 × dessert left this week"
    assert _ru(refused.value) == "В вашем лимите на эту неделю осталось 1 × dessert."


def test_a_refusal_without_words_falls_back_by_its_kind_or_shows_its_english() -> None:
    assert _ru(Forbidden("only an admin may")) == "Ваша роль этого не позволяет."
    assert _ru(NotFound("no widget w_1")) == _ru(NotFound("no gadget g_2"))
    assert _ru(InvalidInput("something new")) == "something new"
