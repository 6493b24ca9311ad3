"""A small questionnaire whose scores are worked out by hand in the tests."""

from __future__ import annotations

from typing import Any

from heedful.core.audits import Answer, QuestionnaireBody, read_questionnaire

FORM: dict[str, Any] = {
    "titles": {"en": "Boutique visit", "uk": "Візит до бутика"},
    "sections": [
        {
            "key": "welcome",
            "titles": {"en": "Welcome"},
            "weight": 2,
            "items": [
                {
                    "key": "greeted",
                    "kind": "yes_no",
                    "titles": {"en": "Greeted within a minute?", "uk": "Привітали за хвилину?"},
                    "weight": 3,
                    "knockout_cap": 40,
                    "guidance": {"en": "Greet every guest within a minute.", "uk": "Вітайте."},
                },
                {
                    "key": "smile",
                    "kind": "scale",
                    "titles": {"en": "Warmth"},
                    "scale_min": 1,
                    "scale_max": 5,
                },
                {
                    "key": "bar",
                    "kind": "yes_no",
                    "titles": {"en": "Offered a drink at the bar?"},
                    "may_be_not_applicable": True,
                },
            ],
        },
        {
            "key": "atmosphere",
            "titles": {"en": "Atmosphere"},
            "items": [
                {
                    "key": "scent",
                    "kind": "single_choice",
                    "titles": {"en": "Scent"},
                    "choices": [
                        {"key": "pleasant", "titles": {"en": "Pleasant"}, "points": 1},
                        {"key": "none", "titles": {"en": "None"}, "points": 0.5},
                        {"key": "unpleasant", "titles": {"en": "Unpleasant"}, "points": 0},
                    ],
                },
                {
                    "key": "music",
                    "kind": "multiple_choice",
                    "titles": {"en": "Music"},
                    "choices": [
                        {"key": "volume_ok", "titles": {"en": "Quiet enough"}, "points": 0.5},
                        {"key": "genre_ok", "titles": {"en": "Fits the brand"}, "points": 0.5},
                        {"key": "too_loud", "titles": {"en": "Too loud"}, "points": 0},
                    ],
                },
                {
                    "key": "wait",
                    "kind": "number",
                    "titles": {"en": "Minutes waited"},
                    "weight": 2,
                    "good_to": 5,
                },
                {"key": "notes", "kind": "free_text", "titles": {"en": "Anything else"}},
                {"key": "window", "kind": "photo", "titles": {"en": "The window display"}},
            ],
        },
    ],
}


def form() -> QuestionnaireBody:
    return read_questionnaire(FORM)


def answers(**values: Any) -> dict[str, Answer]:
    """Answers by item key; the string "n/a" marks an item not applicable."""
    return {
        key: Answer(None, not_applicable=True) if value == "n/a" else Answer(value)
        for key, value in values.items()
    }


GOOD_VISIT = {
    "greeted": True,
    "smile": 4,
    "bar": "n/a",
    "scent": "none",
    "music": ["volume_ok"],
    "wait": 3,
}
