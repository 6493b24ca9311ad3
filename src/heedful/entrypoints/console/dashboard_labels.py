"""The words of the experience dashboard for what the core names by code: touchpoints, measures,
themes, emotions, sentiments and root causes, in the reader's language."""

from __future__ import annotations

from heedful.entrypoints.console.i18n import Ui
from heedful.entrypoints.console.labels import N_

NAMES = {
    "stay": N_("Stay"),
    "visit": N_("Visit"),
    "purchase": N_("Purchase"),
    "conversation": N_("Conversation"),
    "delivery": N_("Delivery"),
    "other": N_("Other"),
    "nps": N_("NPS"),
    "csat": N_("CSAT"),
    "ces": N_("CES"),
    "ces_easy": N_("CES, share easy"),
    "positive": N_("positive"),
    "neutral": N_("neutral"),
    "negative": N_("negative"),
    "mixed": N_("mixed"),
    "staff": N_("Staff"),
    "waiting": N_("Waiting"),
    "cleanliness": N_("Cleanliness"),
    "price": N_("Price"),
    "product_quality": N_("Product quality"),
    "atmosphere": N_("Atmosphere"),
    "food": N_("Food"),
    "room": N_("Room"),
    "communication": N_("Communication"),
    "joy": N_("Joy"),
    "sadness": N_("Sadness"),
    "anger": N_("Anger"),
    "fear": N_("Fear"),
    "surprise": N_("Surprise"),
    "gratitude": N_("Gratitude"),
    "disappointment": N_("Disappointment"),
    "annoyance": N_("Annoyance"),
    "staff_behaviour": N_("Staff behaviour"),
    "waiting_time": N_("Waiting time"),
    "process": N_("Process"),
}


def labels_for(ui: Ui) -> dict[str, str]:
    """Code -> words; a code with no words here (a new theme) shows as itself."""
    return {code: ui.gettext(words) for code, words in NAMES.items()}
