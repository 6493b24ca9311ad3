"""An evaluator's visit on her phone: the questionnaire, check-in, photos, draft and submission.

The page only parses the form and calls the audits room (save_draft, submit_visit); who may see
and write a visit is the room's rule, so another evaluator's assignment is a 404 here as in the
API. Photos go to the photo store (ADR 0045) and only their id and SHA-256 reach the visit.
Nothing on these pages names a customer (ADR 0039).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from heedful.adapters.audit_photos import (
    MAX_PHOTO_BYTES,
    NotAPhoto,
    PhotoStore,
    photos_directory,
)
from heedful.core.access.model import Permission
from heedful.core.audits import (
    Attachment,
    CheckIn,
    ItemKind,
    VisitState,
    VisitView,
    save_draft,
    show_visit,
    submit_visit,
)
from heedful.core.shared.errors import InvalidInput, NotFound
from heedful.core.shared.phrases import Phrase
from heedful.core.staff.queries import all_locations
from heedful.entrypoints.console.context import Console, ConsoleRoute, Staff
from heedful.entrypoints.console.home import VISIT_STATES
from heedful.entrypoints.console.labels import N_

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)

# What the promise ledger said, as the evaluator reads it (ledger.py writes these values).
LEDGER_WORDS = {
    "kept": N_("Kept on time"),
    "kept_late": N_("Kept late"),
    "broken": N_("Broken"),
    "open": N_("Not kept yet"),
}
NOT_A_NUMBER = "must be a number"
# The machine's flags as the reviewer reads them (checks.py writes the codes and details).
FLAG_WORDS = {
    "no_check_in": N_("No check-in: the visit was never checked in at the location"),
    "outside_window": N_("Checked in (or submitted) outside the visit window"),
    "far_from_location": N_("Checked in %(metres)s m from the location (allowed: %(allowed)s m)"),
    "photo_reused": N_("A photo already sent with another visit, or twice in this one"),
    "same_answers_as_before": N_("The same answers as one of her earlier visits"),
}


def photo_store(console: Console) -> PhotoStore:
    settings = console.container.settings
    directory = photos_directory(
        settings.audit_photos_dir, settings.data_dir, settings.database_url
    )
    return PhotoStore(directory, console.container.clock)


def _number(raw: str, key: str) -> float | int:
    try:
        value = float(raw.replace(",", ".").replace("\u00a0", "").replace(" ", ""))
    except ValueError as exc:
        raise InvalidInput(
            NOT_A_NUMBER, said=Phrase("refusal.number"), field=f"answers.{key}.value"
        ) from exc
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


def _value(kind: ItemKind, form: FormData, key: str) -> Any:
    name = f"answer:{key}"
    raw = form.get(name)
    text = raw.strip() if isinstance(raw, str) else ""
    if kind is ItemKind.MULTIPLE_CHOICE:
        chosen = [v for v in form.getlist(name) if isinstance(v, str) and v]
        return chosen or None
    if kind is ItemKind.FREE_TEXT:
        return text or None
    if not text:
        return None
    if kind is ItemKind.YES_NO:
        return text == "yes"
    if kind is ItemKind.SCALE:
        try:
            return int(text)
        except ValueError as exc:
            raise InvalidInput(
                NOT_A_NUMBER, said=Phrase("refusal.number"), field=f"answers.{key}.value"
            ) from exc
    if kind is ItemKind.NUMBER:
        return _number(text, key)
    return text  # a single choice's key


def _files(form: FormData, name: str) -> list[UploadFile]:
    return [f for f in form.getlist(name) if isinstance(f, UploadFile) and f.filename]


def _keep(store: PhotoStore, upload: UploadFile, field: str) -> tuple[str, str]:
    content = upload.file.read(MAX_PHOTO_BYTES + 1)
    try:
        stored = store.keep(content)
    except NotAPhoto as exc:
        raise InvalidInput(str(exc), field=field, said=exc.said) from exc
    return stored.id, stored.sha256


def _read_form(
    console: Console, view: VisitView, form: FormData
) -> tuple[dict[str, Any], list[Attachment]]:
    """Answers and attachments as the audits room takes them; new photos are stored first."""
    store = photo_store(console)
    attachments = {a.id: a for a in view.visit.attachments}
    answers: dict[str, Any] = {}
    named: set[str] = set()
    for item in view.questionnaire.body.items():
        key = item.key
        if item.kind is ItemKind.PROMISE_KEPT:
            continue  # read from the ledger when she submits, never typed
        if item.may_be_not_applicable and form.get(f"na:{key}") == "on":
            answers[key] = {"not_applicable": True}
            continue
        if item.kind is ItemKind.PHOTO:
            ids = [v for v in form.getlist(f"keep:{key}") if isinstance(v, str) and v]
            for upload in _files(form, f"file:{key}"):
                photo_id, sha256 = _keep(store, upload, f"answers.{key}.value")
                attachments.setdefault(photo_id, Attachment(photo_id, sha256, "photo"))
                ids.append(photo_id)
            ids = [i for i in dict.fromkeys(ids) if i in attachments]
            named.update(ids)
            answers[key] = {"value": ids or None}
            continue
        answers[key] = {"value": _value(item.kind, form, key)}
    for upload in _files(form, "receipt"):
        photo_id, sha256 = _keep(store, upload, "receipt")
        attachments[photo_id] = Attachment(photo_id, sha256, "receipt")
    # A photo taken off its item is let go; the receipt stays until another replaces it.
    receipts = [a for a in attachments.values() if a.kind == "receipt"][-1:]
    return answers, [a for a in attachments.values() if a.id in named] + receipts


def _check_in(console: Console, form: FormData) -> CheckIn:
    def degrees(name: str, bound: float) -> float | None:
        raw = form.get(name)
        try:
            value = float(raw) if isinstance(raw, str) and raw else None
        except ValueError:
            return None
        return value if value is not None and -bound <= value <= bound else None

    latitude, longitude = degrees("latitude", 90), degrees("longitude", 180)
    if latitude is None or longitude is None:
        latitude = longitude = None  # a position is both or nothing
    return CheckIn(console.now(), latitude, longitude)


def flag_text(console: Console, code: str, detail: Mapping[str, str]) -> str:
    words = FLAG_WORDS.get(code)
    if words is None:
        return code
    try:
        return console.ui.gettext(words) % dict(detail)
    except (KeyError, TypeError, ValueError):
        return console.ui.gettext(words)


def visit_page(
    console: Console,
    view: VisitView,
    status: int = 200,
    error: Any = None,
    review_error: str = "",
) -> Response:
    """The visit: hers to fill, or read-only, with the flags and the verdict for a reviewer."""
    location = all_locations(console.container.uow(read_only=True)).get(view.assignment.location_id)
    message, at = "", ""
    if error is not None:
        message = console.ui.error(error)
        at = (error.field or "").removeprefix("answers.").split(".")[0]
    reviewer = console.actor.may(Permission.MANAGE_AUDITS)
    return console.render(
        "audits/visit.html",
        status=status,
        view=view,
        assignment=view.assignment,
        visit=view.visit,
        body=view.questionnaire.body,
        title=view.questionnaire.title(console.ui.language),
        place=location,
        zone=location.time_zone if location else "UTC",
        editable=view.visit.editable and console.actor.may(Permission.DO_AUDITS),
        visit_states=VISIT_STATES,
        ledger_words=LEDGER_WORDS,
        error=message,
        error_at=at,
        kinds=ItemKind,
        reviewer=reviewer,
        reviewing=reviewer and view.visit.state is VisitState.SUBMITTED,
        flags=[flag_text(console, f.code, f.detail) for f in view.visit.flags] if reviewer else [],
        review_error=review_error,
    )


@router.get("/audits/{assignment_id}")
def show(console: Staff, assignment_id: str) -> Response:
    return visit_page(
        console, show_visit(console.container.uow(read_only=True), console.actor, assignment_id)
    )


def _post(console: Console, assignment_id: str, form: FormData) -> Response:
    uow, clock, actor = console.container.uow, console.container.clock, console.actor
    view = show_visit(uow(), actor, assignment_id)
    action = form.get("action")
    if not view.visit.editable:
        return visit_page(console, view, 409)
    try:
        answers, attachments = _read_form(console, view, form)
        check_in = _check_in(console, form) if action == "check_in" else None
        view = save_draft(uow(), clock, actor, assignment_id, answers, attachments, check_in)
        if action == "submit":
            view = submit_visit(uow(), clock, actor, assignment_id)
    except InvalidInput as exc:
        return visit_page(console, show_visit(uow(), actor, assignment_id), 422, exc)
    return console.redirect(f"/audits/{assignment_id}")


@router.post("/audits/{assignment_id}")
async def save_visit(request: Request, console: Staff, assignment_id: str) -> Response:
    form = await request.form(max_files=40)
    return await run_in_threadpool(_post, console, assignment_id, form)


@router.get("/audits/{assignment_id}/photos/{photo_id}")
def photo(console: Staff, assignment_id: str, photo_id: str) -> Response:
    """A photo of a visit, for whoever may see the visit (its evaluator, its reviewer)."""
    view = show_visit(console.container.uow(read_only=True), console.actor, assignment_id)
    found = next((a for a in view.visit.attachments if a.id == photo_id), None)
    kept = photo_store(console).find(found.sha256) if found is not None else None
    if kept is None:
        raise NotFound(f"no photo {photo_id}")
    path, media_type = kept
    # The console's own headers follow (no-store): a shared phone keeps no copy of the photo.
    return FileResponse(path, media_type=media_type)
