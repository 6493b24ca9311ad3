"""A guest answers her survey on a phone: big buttons, her language, once and only once."""

from __future__ import annotations

import pytest
from console_world import World
from playwright.async_api import ViewportSize, expect
from pytest_playwright_asyncio import CreateContextCallback
from test_console_promises import boutique

from heedful.bootstrap import Container
from heedful.core.access.model import SYSTEM
from heedful.core.customers.channels import Channel
from heedful.core.customers.commands import NewIdentity, RecordConsent
from heedful.core.customers.consent import Purpose
from heedful.core.customers.handlers import add_identity, record_consent
from heedful.core.customers.identities import IdentityKind
from heedful.core.feedback.handlers import Invite, invite
from heedful.core.feedback.model import Choice, SurveyKind, SurveyText, Touchpoint
from heedful.core.feedback.ports import AnswerFilter
from heedful.core.feedback.surveys import DefineSurvey, define_survey
from heedful.core.shared.clock import FrozenClock

PHONE: ViewportSize = {"width": 390, "height": 844}


@pytest.mark.browser
async def test_a_guest_answers_on_her_phone_in_ukrainian_and_cannot_answer_twice(
    live_server: str,
    world: World,
    container: Container,
    clock: FrozenClock,
    new_context: CreateContextCallback,
) -> None:
    shop = boutique(world)
    vika = world.customer("Вікторія Мороз", at=shop, language="uk")
    add_identity(
        vika.id, NewIdentity(IdentityKind.EMAIL, "vika@example.com"), container.uow(), clock, SYSTEM
    )
    record_consent(
        RecordConsent(vika.id, Channel.EMAIL, Purpose.SURVEYS, True, "loyalty form"),
        container.uow(),
        clock,
        SYSTEM,
    )
    survey = define_survey(
        DefineSurvey(
            name="Після покупки",
            kind=SurveyKind.NPS,
            touchpoint=Touchpoint.PURCHASE,
            texts={
                "uk": SurveyText(
                    "Наскільки ймовірно, що ви порадите нас друзям?",
                    "Що нам варто покращити?",
                    "Що вам сподобалося?",
                    "Дякуємо, Вікторіє!",
                ),
                "en": SurveyText("How likely are you to recommend us?"),
            },
            choices=(
                Choice("staff", {"uk": "Консультанти", "en": "Staff"}),
                Choice("range", {"uk": "Асортимент", "en": "Range"}),
            ),
        ),
        container.uow(),
        clock,
        SYSTEM,
    )
    made = invite(
        Invite(survey.id, vika.id, location_id=shop.id), container.uow(), clock, SYSTEM
    ).invitation
    assert made is not None
    link = container.survey_links.link(made.id).replace(container.settings.public_url, live_server)

    phone = await new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="uk-UA")
    page = await phone.new_page()
    await page.goto(link)
    await expect(page.locator("#question")).to_have_text(
        "Наскільки ймовірно, що ви порадите нас друзям?"
    )
    # Nothing wider than the phone, and every score is a thumb-sized target.
    assert await page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    nine = page.locator("label:has(input[value='9']) span")
    box = await nine.bounding_box()
    assert box is not None
    assert box["height"] >= 44
    assert box["width"] >= 44

    await nine.tap()
    await page.get_by_label("Консультанти").check()
    await page.get_by_label("Що нам варто покращити?").fill(
        "Усе чудово, трохи довго чекали на примірку"
    )
    await page.get_by_role("button", name="Надіслати").click()
    await expect(page.locator("#message")).to_have_text("Дякуємо, Вікторіє!")

    await page.goto(link)
    await expect(page.locator("#message")).to_contain_text("вже відповіли")
    with container.uow() as uow:
        [answer] = uow.feedback.answers.find(AnswerFilter(customer_id=vika.id), 5)
    assert (answer.score, answer.choices, answer.location_id) == (9, ("staff",), shop.id)
