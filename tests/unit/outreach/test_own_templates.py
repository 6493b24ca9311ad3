"""A business's own wording of a message per language, over the built-in one (ADR 0043)."""

from __future__ import annotations

import pytest
from builders import Shop
from unit.ledger_world import Mailbox

from heedful.adapters.channels.composer import JinjaComposer
from heedful.adapters.channels.rendering import JinjaTemplateChecker
from heedful.core.outreach import DEFAULT_TEMPLATES, MessageTemplate
from heedful.core.outreach.envelope import Composed
from heedful.core.outreach.own_templates import (
    preview_context,
    remove_template,
    save_template,
    send_test,
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


def test_a_test_goes_to_the_address_given_now_and_is_audited(shop: Shop) -> None:
    mailbox = Mailbox()
    composed = Composed("uk", "Є! сумка", "Олена, сумка чекає.", None)

    send_test(composed, "olena@lypky.example", mailbox, shop.uow, shop.clock, shop.admin, key="k")

    [sent] = mailbox.received
    assert (sent.to, sent.subject, sent.customer_id) == ("olena@lypky.example", "Є! сумка", "")
    [entry] = [e for e in shop.uow.audit_entries() if e.action == "message_template.test_sent"]
    assert entry.after == {"to": "olena@lypky.example"}
    with pytest.raises(InvalidInput) as refused:
        send_test(composed, "olena", mailbox, shop.uow, shop.clock, shop.admin, key="k")
    assert refused.value.field == "to"


def test_a_preview_is_filled_in_with_a_real_customer(shop: Shop) -> None:
    anna = shop.customer("Anna Kovalenko", at=shop.kyiv)

    context = preview_context(anna.id, shop.uow, shop.admin)

    assert context["customer"] == {
        "name": "Anna Kovalenko",
        "first_name": "Anna",
        "language": anna.language,
        "preferences": {"likes": [], "dislikes": [], "never": []},  # she told us none yet
    }
    assert context["location"] == {"name": shop.kyiv.name}


# --- state a template may quote (ADR 0049) ---


def test_a_template_may_quote_her_never_and_her_place_but_not_a_misspelt_one(shop: Shop) -> None:
    quoting = MessageTemplate(
        "waiting_line_moved",
        "en",
        "You are {{ line.place }}",
        "Nothing with {{ customer.preferences.never | join(', ') }}; place {{ line.position }}",
    )
    save_template(quoting, DEFAULT_TEMPLATES, CHECKER, shop.uow, shop.clock, shop.admin)
    names = variables_of("waiting_line_moved", DEFAULT_TEMPLATES, CHECKER)
    assert {"customer.preferences.never", "line.position", "line.item"} <= set(names)

    for typo, wrong in (
        ("{{ customer.preferences.nevr }}", "customer.preferences.nevr"),
        ("{{ line.postion }}", "line.postion"),
        ("{{ booking.room }}", "booking.room"),  # no booking behind a message about a line
    ):
        with pytest.raises(InvalidInput) as refused:
            save_template(
                MessageTemplate("waiting_line_moved", "uk", "Черга", typo),
                DEFAULT_TEMPLATES,
                CHECKER,
                shop.uow,
                shop.clock,
                shop.admin,
            )
        assert (refused.value.field, wrong in refused.value.message) == ("text", True)
