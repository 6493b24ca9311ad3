"""The relay's composer: templates chosen by language and filled in by the Jinja2 renderer."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from heedful.adapters.channels.rendering import TemplateComposer
from heedful.core.outreach.envelope import Composed
from heedful.core.outreach.own_templates import with_own
from heedful.core.outreach.templates import MessageTemplate


class JinjaComposer:
    def __init__(self, templates: Iterable[MessageTemplate]) -> None:
        self._built_in = tuple(templates)
        self._templates = TemplateComposer(self._built_in)

    def compose(
        self,
        template_key: str,
        languages: Sequence[str],
        context: Mapping[str, object],
        own: Sequence[MessageTemplate] = (),
    ) -> Composed:
        chooser = TemplateComposer(with_own(self._built_in, own)) if own else self._templates
        template, rendered = chooser.render(template_key, languages, context)
        return Composed(template.language, rendered.subject, rendered.text, rendered.html)
