"""The relay's composer: templates chosen by language and filled in by the Jinja2 renderer."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from heedful.adapters.channels.rendering import TemplateComposer
from heedful.core.outreach.envelope import Composed
from heedful.core.outreach.templates import MessageTemplate


class JinjaComposer:
    def __init__(self, templates: Iterable[MessageTemplate]) -> None:
        self._templates = TemplateComposer(templates)

    def compose(
        self, template_key: str, languages: Sequence[str], context: Mapping[str, object]
    ) -> Composed:
        template, rendered = self._templates.render(template_key, languages, context)
        return Composed(template.language, rendered.subject, rendered.text, rendered.html)
