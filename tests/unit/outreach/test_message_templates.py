"""Choosing a message template by language, and filling it in safely."""

from __future__ import annotations

import pytest

from heedful.adapters.channels.rendering import TemplateComposer, render, validate
from heedful.core.outreach.default_templates import DEFAULT_TEMPLATES
from heedful.core.outreach.templates import MessageTemplate, choose_template
from heedful.core.shared.errors import InvalidInput, NotFound

BOOK = (
    MessageTemplate("back_in_stock", "uk", "Знову в наявності", "Вітаємо!"),
    MessageTemplate("back_in_stock", "en", "Back in stock", "Hello!"),
    MessageTemplate("back_in_stock", "ru", "Снова в наличии", "Здравствуйте!"),
    MessageTemplate("wait_expired", "ru", "Пока без новостей", "Простите."),
)

BAG = {"product": "чорна сумка", "variant": "чорна", "size": "M"}


def test_the_customers_language_comes_first() -> None:
    assert choose_template(BOOK, "back_in_stock", ["ru", "uk"]).language == "ru"


def test_the_locations_language_is_next_when_hers_has_no_template() -> None:
    assert choose_template(BOOK, "back_in_stock", ["pl", "uk"]).language == "uk"


def test_english_is_the_last_resort_even_when_not_asked_for() -> None:
    assert choose_template(BOOK, "back_in_stock", ["pl", "de"]).language == "en"


def test_a_regional_language_finds_its_language() -> None:
    assert choose_template(BOOK, "back_in_stock", ["uk-UA"]).language == "uk"


def test_a_template_only_some_languages_have_is_still_found() -> None:
    assert choose_template(BOOK, "wait_expired", ["uk", "ru"]).language == "ru"


def test_a_missing_template_is_named() -> None:
    with pytest.raises(NotFound, match="promise_reminder"):
        choose_template(BOOK, "promise_reminder", ["uk"])
    with pytest.raises(NotFound, match="wait_expired"):
        choose_template(BOOK, "wait_expired", ["uk"])


def test_a_misspelt_name_fails_validation_and_names_the_part_and_the_name() -> None:
    template = MessageTemplate("x", "en", "Hi", "Hello {{ customer.frist_name }}")
    with pytest.raises(InvalidInput, match="frist_name") as failure:
        validate(template)
    assert failure.value.field == "text"


def test_each_part_of_a_template_is_checked() -> None:
    subject = MessageTemplate("x", "en", "{{ item.prodcut }}", "Hello")
    html = MessageTemplate("x", "en", "Hi", "Hello", html="<p>{{ location.nmae }}</p>")
    broken = MessageTemplate("x", "en", "Hi", "Hello {% if customer.first_name %}")
    for template, field in ((subject, "subject"), (html, "html"), (broken, "text")):
        with pytest.raises(InvalidInput) as failure:
            validate(template)
        assert failure.value.field == field


def test_names_a_caller_adds_can_be_checked_with_a_sample() -> None:
    template = MessageTemplate("offer", "en", "Hi", "Your code: {{ offer.code }}")
    with pytest.raises(InvalidInput, match="offer"):
        validate(template)
    validate(template, sample={"offer": {"code": "SPRING10"}})


def test_templates_cannot_reach_into_python() -> None:
    template = MessageTemplate("x", "en", "Hi", "{{ customer.__class__.__mro__ }}")
    with pytest.raises(InvalidInput) as failure:
        validate(template)
    assert failure.value.field == "text"


def test_a_customer_name_is_escaped_in_html_and_kept_as_typed_in_text() -> None:
    template = MessageTemplate(
        "x",
        "en",
        "For {{ customer.name }}",
        "Hello {{ customer.name }}",
        html="<p>Hello {{ customer.name }}</p>",
    )
    subject, text, html = render(template, {"customer": {"name": "<script>alert(1)</script>"}})
    assert html == "<p>Hello &lt;script&gt;alert(1)&lt;/script&gt;</p>"
    assert text == "Hello <script>alert(1)</script>"
    assert subject == "For <script>alert(1)</script>"


def test_a_subject_stays_on_one_line() -> None:
    template = MessageTemplate("x", "en", "Back: {{ item.product }}", "Hi")
    subject, _, _ = render(template, {"item": {"product": "bag\r\nBcc: everyone@example.com"}})
    assert subject == "Back: bag Bcc: everyone@example.com"


def test_every_default_template_is_valid() -> None:
    for template in DEFAULT_TEMPLATES:
        validate(template)
    keys = {(template.key, template.language) for template in DEFAULT_TEMPLATES}
    for key in (
        "back_in_stock",
        "promise_reminder",
        "wait_expired",
        "waiting_line_joined",
        "waiting_line_moved",
    ):
        assert {(key, "uk"), (key, "ru"), (key, "en")} <= keys


def test_back_in_stock_in_ukrainian_reads_as_written_for_her() -> None:
    composer = TemplateComposer(DEFAULT_TEMPLATES)
    template, (subject, text, html) = composer.render(
        "back_in_stock",
        ["uk", "en"],
        {
            "customer": {"first_name": "Олена", "name": "Олена Коваль"},
            "item": BAG,
            "location": {"name": "Сумки на Подолі"},
            "unsubscribe_url": "https://shop.example/u/1",
        },
    )
    assert template.language == "uk"
    assert subject == "Знову в наявності: чорна сумка"
    assert text.startswith("Вітаємо, Олена!")
    assert "чорна сумка (чорна, розмір M) — знову в наявності" in text
    assert text.endswith("Сумки на Подолі\n\nВідписатися: https://shop.example/u/1")
    assert html is None


def test_a_wait_that_expired_without_a_known_item_still_reads_well() -> None:
    composer = TemplateComposer(DEFAULT_TEMPLATES)
    _, (subject, text, _) = composer.render("wait_expired", ["ru"], {"item": {}})
    assert subject == "К сожалению, пока без новостей"
    assert text.startswith("Здравствуйте!\n\nВы просили сообщить о поступлении.")
    assert "{" not in text


def test_optional_parts_are_left_out_when_blank() -> None:
    composer = TemplateComposer(DEFAULT_TEMPLATES)
    _, (subject, text, _) = composer.render(
        "back_in_stock", ["en"], {"customer": {"first_name": "Anna"}, "item": {"product": "bag"}}
    )
    assert subject == "Good news: bag is back in stock"
    assert text.startswith("Hello Anna,\n\nGood news: the bag you asked about is back in stock.")
    assert "Unsubscribe" not in text
    assert "()" not in text
