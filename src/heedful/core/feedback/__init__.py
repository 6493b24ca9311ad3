"""Measuring the experience: surveys and their maths, free text read, the CX index, the loop."""

from heedful.core.feedback.customer_records import feedback_export
from heedful.core.feedback.cx_index import HistoryLine, answer_emotion
from heedful.core.feedback.handlers import Invite, invite
from heedful.core.feedback.model import SCALE, SurveyAnswer, Touchpoint
from heedful.core.feedback.ports import AnswerFilter

__all__ = [
    "SCALE",
    "AnswerFilter",
    "HistoryLine",
    "Invite",
    "SurveyAnswer",
    "Touchpoint",
    "answer_emotion",
    "feedback_export",
    "invite",
]
