"""The outbox template of an agent's e-mail reply: her words as written, signed by the location.

Nothing is added before the agent's text (she greets the customer herself); the subject is the
thread's with one "Re:". The same in every language, since the words are the agent's.
"""

from __future__ import annotations

from heedful.core.outreach import MessageTemplate

_TEXT = (
    "{{ reply.body }}{% if location.name %}\n\n{{ reply.author }}\n{{ location.name }}{% endif %}"
)

REPLY_TEMPLATES = tuple(
    MessageTemplate(
        key="conversation_reply", language=language, subject="{{ reply.subject }}", text=_TEXT
    )
    for language in ("uk", "ru", "en")
)
