"""A business's own wording of a message per language, over the built-in one (ADR 0043)."""

from __future__ import annotations

import pytest
from builders import Shop

from heedful.adapters.channels.composer import JinjaComposer
from heedful.adapters.channels.rendering import JinjaTemplateChecker
from heedful.core.outreach import DEFAULT_TEMPLATES, MessageTemplate
from heedful.core.outreach.own_templates import (
    remove_template,
    save_template,
    templates_in_use,
    variables_of,
)
from heedful.core.shared.errors import InvalidInput, NotFound

CHECKER = JinjaTemplateChecker()
MINE = MessageTemplate(
    "back_in_stock",
    "uk",
    "Є! {{ item.product }}",
    "{{ customer.first_name }}, {{ item.product }} чекає на вас.",
)


def test_the_variables_of_a_key_are_those_its_built_in_templates_and_every_message_use() -> None:
    names = variables_of("back_in_stock", DEFAULT_TEMPLATES, CHECKER)
    assert {"item.product", "item.size", "customer.first_name", "location.name"} <= set(names)
    assert "promise.text" not in names


def test_an_own_template_replaces_the_built_in_one_of_its_language_only(shop: Shop) -> None:
    save_template(MINE, DEFAULT_TEMPLATES, CHECKER, shop.uow, shop.clock, shop.admin)

    in_use = templates_in_use("back_in_stock", DEFAULT_TEMPLATES, shop.uow)
    assert in_use["uk"] == (MINE, True)
    assert in_use["en"][1] is False
    composer = JinjaComposer(DEFAULT_TEMPLATES)
    own = shop.uow.message_templates.for_key("back_in_stock")
    context = {"item": {"product": "сумка"}, "customer": {"first_name": "Олена"}}
    assert composer.compose("back_in_stock", ["uk"], context, own).subject == "Є! сумка"
    assert composer.compose("back_in_stock", ["en"], context, own).subject.startswith("Good news")
    [entry] = [e for e in shop.uow.audit_entries() if e.action == "message_template.saved"]
    assert entry.entity_id == "back_in_stock:uk"


def test_removing_it_brings_the_built_in_one_back(shop: Shop) -> None:
    save_template(MINE, DEFAULT_TEMPLATES, CHECKER, shop.uow, shop.clock, shop.admin)
    remove_template("back_in_stock", "uk", shop.uow, shop.clock, shop.admin)

    assert templates_in_use("back_in_stock", DEFAULT_TEMPLATES, shop.uow)["uk"][1] is False
    with pytest.raises(NotFound):
        remove_template("back_in_stock", "uk", shop.uow, shop.clock, shop.admin)


def test_an_unknown_variable_is_refused_naming_it(shop: Shop) -> None:
    typo = MessageTemplate("back_in_stock", "ru", "Снова есть", "{{ item.prodcut }} ждёт вас")
    with pytest.raises(InvalidInput) as refused:
        save_template(typo, DEFAULT_TEMPLATES, CHECKER, shop.uow, shop.clock, shop.admin)
    assert refused.value.field == "text"
    assert "item.prodcut" in refused.value.message
    assert shop.uow.message_templates.for_key("back_in_stock") == []


def test_a_template_that_cannot_be_read_is_refused_naming_the_part(shop: Shop) -> None:
    broken = MessageTemplate("back_in_stock", "en", "{% if %}", "text")
    with pytest.raises(InvalidInput) as refused:
        save_template(broken, DEFAULT_TEMPLATES, CHECKER, shop.uow, shop.clock, shop.admin)
    assert refused.value.field == "subject"


def test_only_known_keys_and_languages_are_kept(shop: Shop) -> None:
    with pytest.raises(NotFound):
        save_template(
            MessageTemplate("no_such", "en", "s", "t"),
            DEFAULT_TEMPLATES,
            CHECKER,
            shop.uow,
            shop.clock,
            shop.admin,
        )
    with pytest.raises(InvalidInput):
        save_template(
            MessageTemplate("back_in_stock", "de", "s", "t"),
            DEFAULT_TEMPLATES,
            CHECKER,
            shop.uow,
            shop.clock,
            shop.admin,
        )
