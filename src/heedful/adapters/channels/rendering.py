"""Filling in message templates with Jinja2, safely and loudly.

Templates are written by staff in the console, so they run in Jinja's sandbox (no reaching into
Python internals from "{{ customer.__class__ }}"), and StrictUndefined makes a misspelt name an
error at validation time instead of a blank in a customer's message. Only the HTML part is
autoescaped: a customer called "<script>" must stay text in HTML, while plain text and SMS are
sent as typed.

Every documented key below exists in every context, blank when unknown, so a template can say
``{% if item.size %}`` for an optional part; only names nobody documented fail.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from jinja2 import (
    StrictUndefined,
    Template,
    TemplateError,
    TemplateSyntaxError,
    UndefinedError,
    meta,
    nodes,
)
from jinja2.sandbox import SandboxedEnvironment

from heedful.core.outreach.templates import MessageTemplate, choose_template
from heedful.core.shared.errors import InvalidInput
from heedful.core.shared.phrases import Phrase

# What every template may use; the caller's values are laid over these, key by key.
BLANK_CONTEXT: Mapping[str, object] = {
    "customer": {
        "first_name": "",
        "name": "",
        "language": "",
        "preferences": {"likes": [], "dislikes": [], "never": []},
    },
    "location": {"name": ""},
    "item": {"product": "", "variant": "", "size": ""},
    "promise": {"text": "", "due": ""},
    "preferences": {"likes": []},
    "line": {"position": "", "place": "", "item": ""},
    "unsubscribe_url": "",
}

# What validation renders against: every documented key filled, so both branches of an
# "{% if %}" that tests a documented key are at least compiled and the filled one is run.
SAMPLE_CONTEXT: Mapping[str, object] = {
    "customer": {
        "first_name": "Олена",
        "name": "Олена Коваль",
        "language": "uk",
        "preferences": {
            "likes": ["шкіряні сумки"],
            "dislikes": ["яскраві кольори"],
            "never": ["газована вода"],
        },
    },
    "location": {"name": "Крамниця на Подолі"},
    "item": {"product": "чорна сумка", "variant": "чорна", "size": "M"},
    "promise": {"text": "передзвонити щодо повернення", "due": "5 березня"},
    "preferences": {"likes": ["шкіряні сумки", "чорний колір"]},
    "line": {"position": 3, "place": "3rd", "item": "Selene, чорна"},
    # Only in the messages of look-ahead playbooks on bookings and orders: never blank-filled,
    # so a template quoting them elsewhere fails its check instead of saying nothing.
    "booking": {
        "reference": "B-512",
        "room": "512",
        "room_type": "Deluxe",
        "table": "",
        "guests": "2",
        "nights": "2",
        "starts_at": "2026-03-03 14:00",
        "starts_on": "2026-03-03",
        "ends_on": "2026-03-05",
    },
    "order": {
        "reference": "1042",
        "status": "shipped",
        "promised_date": "2026-03-04",
        "expected_date": "2026-03-06",
        "carrier": "Nova Poshta",
        "tracking_number": "20450000000000",
    },
    "unsubscribe_url": "https://heedful.example/u/sample",
}


class Rendered(NamedTuple):
    subject: str
    text: str
    html: str | None


_TEXT = SandboxedEnvironment(
    autoescape=False, undefined=StrictUndefined, keep_trailing_newline=True
)
_HTML = SandboxedEnvironment(autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True)


def render(template: MessageTemplate, context: Mapping[str, object]) -> Rendered:
    """Subject, text and HTML of ``template`` for this customer; InvalidInput names a bad part."""
    values = _with_blanks(context)
    subject = _render_part(_TEXT, "subject", template.subject, values)
    # A header is one line: a newline from a template or a product name must not start another.
    subject = " ".join(subject.split())
    text = _render_part(_TEXT, "text", template.text, values).strip()
    html = None
    if template.html is not None:
        html = _render_part(_HTML, "html", template.html, values)
    return Rendered(subject, text, html)


def validate(template: MessageTemplate, sample: Mapping[str, object] | None = None) -> None:
    """Raise InvalidInput(field="subject" | "text" | "html") if the template cannot be filled in.

    ``sample`` adds example values for names a caller passes beyond the documented ones (an
    offer, a survey link), so a template using them can be checked too.
    """
    if not template.text.strip():
        raise InvalidInput("A message needs some text.", field="text")
    render(template, {**SAMPLE_CONTEXT, **(sample or {})})


class TemplateComposer:
    """Chooses a template by language and fills it in: what the relay asks of a composer."""

    def __init__(self, templates: Iterable[MessageTemplate]) -> None:
        self._templates = tuple(templates)

    def render(
        self, template_key: str, languages: Sequence[str], context: Mapping[str, object]
    ) -> tuple[MessageTemplate, Rendered]:
        template = choose_template(self._templates, template_key, languages)
        return template, render(template, context)


def _with_blanks(context: Mapping[str, object]) -> dict[str, object]:
    values: dict[str, object] = dict(BLANK_CONTEXT)
    for key, value in context.items():
        blank = BLANK_CONTEXT.get(key)
        if isinstance(blank, Mapping) and isinstance(value, Mapping):
            values[key] = {**blank, **value}
        else:
            values[key] = value
    return values


def _render_part(
    environment: SandboxedEnvironment, field: str, source: str, values: Mapping[str, Any]
) -> str:
    try:
        return _compiled(environment, source).render(values)
    except TemplateSyntaxError as error:
        raise InvalidInput(
            f"The {field} cannot be read, line {error.lineno}: {error.message}",
            said=Phrase("refusal.template_syntax"),
            field=field,
        ) from error
    except UndefinedError as error:
        raise InvalidInput(
            f"The {field} uses something a message does not have ({error.message}). "
            "Check the spelling against the list of names a template may use.",
            said=Phrase("refusal.template_unknown_name"),
            field=field,
        ) from error
    except TemplateError as error:  # the sandbox refusing an attribute, an unknown filter...
        raise InvalidInput(
            f"The {field} cannot be filled in: {error.message}", field=field
        ) from error
    except (TypeError, ValueError, ArithmeticError, LookupError) as error:  # "{{ 1 / 0 }}"
        raise InvalidInput(f"The {field} cannot be filled in: {error}", field=field) from error


# Compiling is most of the cost of rendering, and the relay renders the same few templates over
# and over; the cache is keyed by source, so an edited template is simply a new entry.
@functools.lru_cache(maxsize=512)
def _compiled(environment: SandboxedEnvironment, source: str) -> Template:
    return environment.from_string(source)


class JinjaTemplateChecker:
    """The names a template reads, and whether it fills in: for the console's template editor."""

    def names_in(self, source: str) -> set[str]:
        try:
            parsed = _TEXT.parse(source)
        except TemplateSyntaxError:
            return set()  # check() names the syntax error, with its line
        free = meta.find_undeclared_variables(parsed)
        names: set[str] = set()
        with_attributes: set[str] = set()
        getattrs = list(parsed.find_all(nodes.Getattr))
        inner = {id(node.node) for node in getattrs if isinstance(node.node, nodes.Getattr)}
        for node in getattrs:
            if id(node) in inner:
                continue  # part of a longer name: "customer.preferences" in ".never"
            path, base = [node.attr], node.node
            while isinstance(base, nodes.Getattr):
                path.insert(0, base.attr)
                base = base.node
            if isinstance(base, nodes.Name) and base.name in free:
                names.add(".".join([base.name, *path]))
                with_attributes.add(base.name)
        bare = {
            node.name
            for node in parsed.find_all(nodes.Name)
            if node.name in free and node.ctx == "load"
        }
        # "customer" read whole only where it never has an attribute read ("{{ customer }}").
        return names | (bare - with_attributes)

    def check(self, template: MessageTemplate, names: Iterable[str]) -> None:
        validate(template, sample_for(names))


def sample_for(names: Iterable[str]) -> dict[str, object]:
    """Example values for names beyond the documented ones ("survey.url", "offer.text")."""
    sample: dict[str, dict[str, object]] = {}
    plain: dict[str, object] = {}
    for name in names:
        root, _, attribute = name.partition(".")
        if root in SAMPLE_CONTEXT:
            continue
        if attribute:
            sample.setdefault(root, {})[attribute] = "…"
        else:
            plain[root] = "…"
    return {**plain, **sample}
