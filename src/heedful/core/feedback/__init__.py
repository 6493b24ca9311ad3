"""Measuring the experience: surveys and their maths, free text read, the CX index, the loop."""

from heedful.core.feedback.customer_records import feedback_export
from heedful.core.feedback.handlers import Invite, invite
from heedful.core.feedback.model import Touchpoint

__all__ = ["Invite", "Touchpoint", "feedback_export", "invite"]
