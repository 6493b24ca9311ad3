"""A phrase is said in the reader's language, nested values too, and never fails a page."""

from __future__ import annotations

from heedful.core.shared.phrases import Phrase, params_json

UKRAINIAN = {
    "Due soon: %(promise)s": "Незабаром термін: %(promise)s",
    "Call the customer back": "Передзвонити клієнту",
}


def _ukrainian(message: str) -> str:
    return UKRAINIAN.get(message, message)


def test_a_phrase_inside_a_phrase_is_said_in_the_same_language() -> None:
    due_soon = Phrase("task.due_soon", {"promise": Phrase("promise.call_back")})

    assert due_soon.english() == "Due soon: Call the customer back"
    assert due_soon.say(_ukrainian) == "Незабаром термін: Передзвонити клієнту"


def test_what_is_stored_reads_back_as_the_same_phrase() -> None:
    due_soon = Phrase("task.due_soon", {"promise": Phrase("promise.call_back")})
    stored = params_json(due_soon)

    assert stored == {"promise": {"": "promise.call_back"}}
    assert Phrase.from_json("task.due_soon", stored) == due_soon


def test_an_unknown_key_or_a_missing_value_shows_what_there_is_instead_of_failing() -> None:
    assert Phrase("task.from_a_newer_release", {"subject": "Late order"}).english() == "Late order"
    assert Phrase("task.due_soon").english() == "Due soon: …"
