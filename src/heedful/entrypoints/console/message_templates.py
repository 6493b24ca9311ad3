"""/admin/templates: the business's own wording of each message, per language (ADR 0043).

The list of messages Heedful sends, each language marked built-in or the business's own; a
message's page shows the names a template may use, a live preview filled in with a real
customer's data (htmx, as the admin types), saving (an unknown name is refused, named), going
back to the built-in text, and a test sent to the admin's own address.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from heedful.adapters.channels.rendering import JinjaTemplateChecker, render, sample_for
from heedful.core.access.model import Permission
from heedful.core.customers.handlers import search_customers
from heedful.core.customers.model import LANGUAGES
from heedful.core.outreach import MessageTemplate
from heedful.core.outreach.envelope import Composed, SendFailed
from heedful.core.outreach.own_templates import (
    preview_context,
    remove_template,
    save_template,
    send_test,
    template_keys,
    templates_in_use,
    variables_of,
)
from heedful.core.shared.errors import HeedfulError, InvalidInput
from heedful.core.shared.phrases import Phrase
from heedful.entrypoints.console.context import Console, ConsoleRoute, FormState, Staff, blank_form
from heedful.entrypoints.console.forms import Text

router = APIRouter(prefix="/admin", route_class=ConsoleRoute, include_in_schema=False)
PAGE = "/admin/templates"
CHECKER = JinjaTemplateChecker()


def _built_in(console: Console) -> tuple[MessageTemplate, ...]:
    return console.container.built_in_templates


@router.get("/templates")
def templates(console: Staff) -> Response:
    console.actor.require(Permission.MANAGE_PLAYBOOKS)
    built_in = _built_in(console)
    rows = [
        (key, templates_in_use(key, built_in, console.container.uow(read_only=True)))
        for key in template_keys(built_in)
    ]
    return console.render("admin/templates.html", rows=rows, languages=LANGUAGES)


def _language(language: str) -> str:
    return language if language in LANGUAGES else LANGUAGES[0]


def _customer_options(console: Console, q: str) -> list[tuple[str, str]]:
    if len(q.strip()) < 2:
        return []
    found = search_customers(q, console.container.uow(read_only=True), console.actor, limit=10)
    return [(c.id, c.full_name) for c in found]


def _preview(
    console: Console, template: MessageTemplate, customer_id: str
) -> tuple[Composed | None, str]:
    """The template filled in with the customer's data (or examples); or what is wrong."""
    names = variables_of(template.key, _built_in(console), CHECKER)
    context: dict[str, object] = dict(sample_for(names))
    if customer_id:
        context.update(
            preview_context(customer_id, console.container.uow(read_only=True), console.actor)
        )
    try:
        rendered = render(template, context)
    except InvalidInput as bad:
        return None, console.ui.error(bad)
    return Composed(template.language, rendered.subject, rendered.text, None), ""


def _page(
    console: Console,
    key: str,
    language: str,
    *,
    form: FormState | None = None,
    customer_id: str = "",
    q: str = "",
    notice: str = "",
    status: int = 200,
) -> Response:
    console.actor.require(Permission.MANAGE_PLAYBOOKS)
    built_in = _built_in(console)
    in_use = templates_in_use(key, built_in, console.container.uow(read_only=True))
    if not in_use:
        return console.redirect(PAGE)
    current, own = in_use.get(language) or in_use.get("en") or next(iter(in_use.values()))
    if form is None:
        form = blank_form(subject=current.subject, text=current.text, to="")
    template = MessageTemplate(key, language, form.value("subject"), form.value("text"))
    composed, problem = _preview(console, template, customer_id)
    return console.render(
        "admin/template.html",
        status=status,
        key=key,
        language=language,
        languages=LANGUAGES,
        own=own and language in in_use and in_use[language][1],
        form=form,
        variables=variables_of(key, built_in, CHECKER),
        composed=composed,
        problem=problem,
        customer_id=customer_id,
        customers=_customer_options(console, q),
        q=q,
        notice=notice,
    )


@router.get("/templates/{key}")
def template_page(
    console: Staff, key: str, language: str = "", customer_id: str = "", q: str = ""
) -> Response:
    return _page(
        console, key, _language(language or console.ui.language), customer_id=customer_id, q=q
    )


@router.post("/templates/{key}/preview")
def preview(
    console: Staff,
    key: str,
    language: Text = "",
    subject: Text = "",
    text: Text = "",
    customer_id: Text = "",
) -> Response:
    """The preview alone (htmx, as the admin types)."""
    console.actor.require(Permission.MANAGE_PLAYBOOKS)
    template = MessageTemplate(key, _language(language), subject, text)
    composed, problem = _preview(console, template, customer_id)
    return console.render("admin/_template_preview.html", composed=composed, problem=problem)


@router.post("/templates/{key}")
def save(
    console: Staff,
    key: str,
    language: Text = "",
    subject: Text = "",
    text: Text = "",
    customer_id: Text = "",
) -> Response:
    language = _language(language)
    form = blank_form(subject=subject, text=text, to="")
    try:
        save_template(
            MessageTemplate(key, language, subject, text),
            _built_in(console),
            CHECKER,
            console.container.uow(),
            console.container.clock,
            console.actor,
        )
    except HeedfulError as exc:
        return _page(
            console,
            key,
            language,
            form=console.failed(exc, form),
            customer_id=customer_id,
            status=422,
        )
    return console.redirect(f"{PAGE}/{key}?language={language}&customer_id={customer_id}")


@router.post("/templates/{key}/remove")
def back_to_built_in(console: Staff, key: str, language: Text = "") -> Response:
    language = _language(language)
    remove_template(key, language, console.container.uow(), console.container.clock, console.actor)
    return console.redirect(f"{PAGE}/{key}?language={language}")


@router.post("/templates/{key}/test")
def send_a_test(
    console: Staff,
    key: str,
    language: Text = "",
    subject: Text = "",
    text: Text = "",
    customer_id: Text = "",
    to: Text = "",
) -> Response:
    language = _language(language)
    form = blank_form(subject=subject, text=text, to=to)
    composed, problem = _preview(
        console, MessageTemplate(key, language, subject, text), customer_id
    )
    sender = console.container.relay.senders.get("email")
    notice = ""
    try:
        if composed is None:
            raise InvalidInput(problem, field="text")
        if sender is None:
            raise InvalidInput(
                "no e-mail channel is set up", said=Phrase("refusal.no_email_channel"), field="to"
            )
        send_test(
            composed,
            to,
            sender,
            console.container.uow(),
            console.container.clock,
            console.actor,
            key=key,
        )
        notice = console.ui.gettext("The test was sent to %(to)s.") % {"to": to.strip()}
    except HeedfulError as exc:
        form = console.failed(exc, form)
    except SendFailed as failed:
        form = FormState(values=form.values, errors={"to": failed.reason})
    return _page(
        console,
        key,
        language,
        form=form,
        customer_id=customer_id,
        notice=notice,
        status=200 if notice else 422,
    )
