"""A manager edits a survey in the console: words per language, options, switched off and on."""

from __future__ import annotations

from console_world import World, log_in
from fastapi.testclient import TestClient
from test_console_promises import boutique

from heedful.bootstrap import Container
from heedful.core.access.model import SYSTEM, Role
from heedful.core.feedback.model import Choice, Survey, SurveyKind, SurveyText, Touchpoint
from heedful.core.feedback.surveys import DefineSurvey, define_survey, get_survey
from heedful.core.shared.clock import FrozenClock


def _after_a_purchase(container: Container, clock: FrozenClock, location_id: str) -> Survey:
    return define_survey(
        DefineSurvey(
            "Після покупки",
            SurveyKind.NPS,
            Touchpoint.PURCHASE,
            {"uk": SurveyText("Чи порадили б ви нас друзям?", "Чому?")},
            choices=(Choice("advice", {"uk": "Порада", "en": "Advice"}),),
            location_id=location_id,
        ),
        container.uow(),
        clock,
        SYSTEM,
    )


def _form(csrf: str, location_id: str, **changes: str) -> dict[str, str]:
    """The edit form as the page fills it for the survey above, with some fields changed."""
    form = {
        "csrf_token": csrf,
        "name": "Після покупки",
        "touchpoint": "purchase",
        "location_id": location_id,
        "valid_days": "7",
        "active": "on",
        "question_uk": "Чи порадили б ви нас друзям?",
        "comment_uk": "Чому?",
        "choice_rows": "3",
        "choice_key_0": "advice",
        "choice_uk_0": "Порада",
        "choice_en_0": "Advice",
    }
    return {key: value for key, value in (form | changes).items() if value != "-"}


def test_a_manager_rewords_a_survey_in_three_languages_and_edits_its_options(
    console_client: TestClient, world: World, container: Container, clock: FrozenClock
) -> None:
    shop = boutique(world)
    world.staff("oksana", "Оксана Мельник", Role.MANAGER, language="uk", at=[shop])
    survey = _after_a_purchase(container, clock, shop.id)
    csrf = log_in(console_client, "oksana")

    listed = console_client.get("/console/surveys")
    assert f'href="/console/surveys/{survey.id}"' in listed.text
    page = console_client.get(f"/console/surveys/{survey.id}")
    assert page.status_code == 200
    assert 'value="Чи порадили б ви нас друзям?"' in page.text
    assert 'name="choice_uk_2"' in page.text  # two empty rows to add options

    saved = console_client.post(
        f"/console/surveys/{survey.id}",
        data=_form(
            csrf,
            shop.id,
            question_ru="Порекомендуете ли вы нас друзьям?",
            question_en="Would you recommend us to a friend?",
            thanks_en="Thank you!",
            choices_prompt_uk="Що вплинуло на оцінку?",
            choice_ru_0="Совет",
            choice_uk_1="Ціна",
            choice_en_1="Price",
            choice_uk_2="Атмосфера",
        ),
    )
    assert saved.status_code == 200, saved.text

    changed = get_survey(survey.id, container.uow(), SYSTEM)
    assert set(changed.texts) == {"uk", "ru", "en"}
    assert changed.texts["en"] == SurveyText(
        "Would you recommend us to a friend?", "", "", "Thank you!"
    )
    assert changed.texts["uk"].choices_prompt == "Що вплинуло на оцінку?"
    assert [(c.key, c.labels) for c in changed.choices] == [
        ("advice", {"uk": "Порада", "ru": "Совет", "en": "Advice"}),  # answers keep their key
        ("price", {"uk": "Ціна", "en": "Price"}),
        (changed.choices[2].key, {"uk": "Атмосфера"}),
    ]
    assert changed.choices[2].key  # a key made from the label, unique among the options

    removed = console_client.post(
        f"/console/surveys/{survey.id}",
        data=_form(csrf, shop.id, choice_remove_0="on", choice_rows="1"),
    )
    assert removed.status_code == 200
    assert get_survey(survey.id, container.uow(), SYSTEM).choices == ()


def test_a_survey_is_switched_off_and_on_and_a_bad_edit_changes_nothing(
    console_client: TestClient, world: World, container: Container, clock: FrozenClock
) -> None:
    shop = boutique(world)
    world.staff("oksana", "Оксана Мельник", Role.MANAGER, language="uk", at=[shop])
    survey = _after_a_purchase(container, clock, shop.id)
    csrf = log_in(console_client, "oksana")

    off = console_client.post(f"/console/surveys/{survey.id}/switch", data={"csrf_token": csrf})
    assert off.status_code == 200
    assert not get_survey(survey.id, container.uow(), SYSTEM).active
    on = console_client.post(f"/console/surveys/{survey.id}/switch", data={"csrf_token": csrf})
    assert on.status_code == 200
    assert get_survey(survey.id, container.uow(), SYSTEM).active

    unticked = console_client.post(
        f"/console/surveys/{survey.id}", data=_form(csrf, shop.id, active="-")
    )
    assert unticked.status_code == 200
    assert not get_survey(survey.id, container.uow(), SYSTEM).active

    no_question = console_client.post(
        f"/console/surveys/{survey.id}", data=_form(csrf, shop.id, question_uk="", comment_uk="")
    )
    assert no_question.status_code == 422
    assert 'role="alert"' in no_question.text
    too_long = console_client.post(
        f"/console/surveys/{survey.id}", data=_form(csrf, shop.id, valid_days="365")
    )
    assert too_long.status_code == 422
    assert get_survey(survey.id, container.uow(), SYSTEM).texts["uk"].question == (
        "Чи порадили б ви нас друзям?"
    )


def test_an_agent_may_not_edit_a_survey(
    console_client: TestClient, world: World, container: Container, clock: FrozenClock
) -> None:
    shop = boutique(world)
    world.staff("daryna", "Дарина Коваль", Role.AGENT, language="uk", at=[shop])
    survey = _after_a_purchase(container, clock, shop.id)
    csrf = log_in(console_client, "daryna")

    assert f'href="/console/surveys/{survey.id}"' not in console_client.get("/console/surveys").text
    refused = console_client.post(
        f"/console/surveys/{survey.id}", data=_form(csrf, shop.id, name="Змінено")
    )
    assert refused.status_code == 403
    assert console_client.get(f"/console/surveys/{survey.id}").status_code == 403
    assert get_survey(survey.id, container.uow(), SYSTEM).name == "Після покупки"
