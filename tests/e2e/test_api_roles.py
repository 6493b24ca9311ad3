"""Who may do what through the API: roles x endpoints as one table (healthchecks ``hc/test.py``).

Personas: an admin; a manager and an agent at location A; an agent and a manager at location B;
an evaluator (a mystery shopper, who must never see customers). Anna, Boris and the rest are
known only at A. Staff of another location get 404, not 403: they must not learn that a guest of
another shop exists.

Every operation of the OpenAPI document (and of the lean paths) has at least one row: a test walks
the document and names each `METHOD path` that has none. A new endpoint adds its row here, with a
placeholder method on ``Targets`` (``_name``) when it needs something made first: a real one at
location A wherever location scope decides (a task, a dead message, a recovery loop), so that
B's staff are seen to get 404 for it, not only for an id that does not exist.
"""

from __future__ import annotations

import itertools
import re
import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pytest
from api_personas import API, world_for_a_module
from scope_world import dead_message_at, recovery_at, task_at

from heedful.bootstrap import build
from heedful.config import Settings
from heedful.core.access import SYSTEM
from heedful.core.access.model import Actor, Role
from heedful.core.catalog import CatalogItem, ItemKind, upsert_item
from heedful.core.engine.reactions import process_events
from heedful.core.events.model import BusinessEvent
from heedful.core.goodwill import GiveGoodwill, Period, SetAllowance, give_goodwill, set_allowance
from heedful.core.shared.ids import new_id
from heedful.core.staff.handlers import NewStaffMember, create_staff_member
from heedful.entrypoints.fast_ingest import EVENTS_PATH
from heedful.entrypoints.fast_lookup import LOOKUP_PATH
from heedful.entrypoints.web import create_app

if TYPE_CHECKING:
    from api_personas import Api, ApiWorld, Persona

pytest_plugins = ["api_personas"]

START = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)
NOW = START.isoformat()

LATER = (START + timedelta(days=1)).isoformat()

PERSONAS = ("admin", "manager_a", "agent_a", "agent_b", "manager_b", "evaluator")

PROMISE = {
    "kind": "call_back",
    "location_id": "{loc_a}",
    "text": "Call Anna back about the alteration",
    "due_at": (START + timedelta(hours=3)).isoformat(),
}
EVENT = {
    "specversion": "1.0",
    "id": "{unique}",
    "source": "urn:shop:podil-stock",
    "type": "heedful.stock.changed",
    "data": {"product": "bag-noir", "size": "M", "location": "{loc_a}", "quantity": 2},
}
EVENT_TYPE = {
    "name": "acme.t{unique}.turned",
    "schema": {"type": "object", "properties": {"table": {"type": "string"}}},
}
PLAYBOOK = {
    "name": "VIP: call before a decline",
    "trigger": {
        "event": "heedful.charge.scheduled",
        "where": [{"field": "data.amount", "op": ">", "value_of": "data.balance"}],
    },
    "customer": {"segment": ["vip"]},
    "actions": [
        {
            "do": "create_task",
            "kind": "call_customer",
            "title": "Call the customer",
            "assign_to": "role:manager",
        }
    ],
}
ALLOWANCE = {
    "location_id": "{loc_a}",
    "kind": "dessert",
    "amount": "5",
    "period": "month",
    "role": "agent",
    "approval_above": "2",
}
HOLD = {"location_id": "{loc_a}", "count": 2, "from": "19:00", "until": "20:30"}
GESTURE = {
    "location_id": "{loc_a}",
    "kind": "gesture",
    "reason": "a hand-written card for her anniversary",
    "surprise": True,
}
SURVEY = {
    "name": "After the visit",
    "kind": "nps",
    "touchpoint": "visit",
    "texts": {"en": {"question": "Would you recommend us to a friend?"}},
    "location_id": "{loc_a}",
}

AUDIT_FORM = {
    "titles": {"en": "Boutique visit"},
    "sections": [
        {
            "key": "welcome",
            "titles": {"en": "Welcome"},
            "items": [{"key": "greeted", "kind": "yes_no", "titles": {"en": "Greeted?"}}],
        }
    ],
}
AUDIT_PROGRAMME = {
    "name": "Boutiques",
    "questionnaire_id": "{questionnaire}",
    "rules": [{"location_ids": ["{loc_a}"], "segments": ["vip"]}],
    "lockout_days": 0,
}

# fmt: off
# Placeholders in braces are made on demand for each row: {anna} {phone} {email} {boris}
# {merge} {preference} {identity} {token} {loc_a} {loc_b}.
TABLE: list[tuple[str, str, dict[str, Any] | None, tuple[int, int, int, int, int, int]]] = [
    # method, path, body                          admin mgr@A agt@A agt@B mgr@B evaluator
    ("GET", "/me", None,                            (200, 200, 200, 200, 200, 200)),
    ("GET", "/locations", None,                     (200, 200, 200, 200, 200, 200)),
    ("POST", "/locations",
     {"name": "Hotel", "kind": "hotel", "country": "UA", "time_zone": "Europe/Kyiv"},
                                                    (201, 403, 403, 403, 403, 403)),
    ("GET", "/customers", None,                     (200, 200, 200, 200, 200, 403)),
    ("GET", "/customers/search?q=Anna", None,       (200, 200, 200, 200, 200, 403)),
    ("GET", "/customers/lookup?kind=phone&value={phone}", None,
                                                    (200, 200, 200, 404, 404, 403)),
    ("GET", "/customers/{anna}", None,              (200, 200, 200, 404, 404, 403)),
    ("GET", "/customers/{anna}/card", None,         (200, 200, 200, 404, 404, 403)),
    ("POST", "/customers", {"full_name": "Vera", "home_location_id": "{loc_a}"},
                                                    (201, 201, 201, 403, 403, 403)),
    ("POST", "/customers", {"full_name": "Vera"},   (201, 422, 422, 422, 422, 403)),
    ("POST", "/customers/identify",
     {"identities": [{"kind": "email", "value": "vera@example.com"}], "location_id": "{loc_a}"},
                                                    (200, 200, 200, 403, 403, 403)),
    ("PATCH", "/customers/{anna}", {"segment": "vip"},
                                                    (200, 200, 200, 404, 404, 403)),
    ("PATCH", "/customers/{anna}", {"home_location_id": "{loc_b}"},
                                                    (200, 403, 403, 404, 404, 403)),
    ("POST", "/customers/{anna}/identities", {"kind": "email", "value": "{email}"},
                                                    (201, 201, 201, 404, 404, 403)),
    ("DELETE", "/customers/{anna}/identities/{identity}", None,
                                                    (204, 204, 204, 404, 404, 403)),
    ("GET", "/customers/{anna}/preferences", None,  (200, 200, 200, 404, 404, 403)),
    ("POST", "/customers/{anna}/preferences", {"polarity": "never", "subject": "peanuts"},
                                                    (201, 201, 201, 404, 404, 403)),
    ("DELETE", "/customers/{anna}/preferences/{preference}", None,
                                                    (200, 200, 200, 404, 404, 403)),
    ("GET", "/customers/{anna}/consents", None,     (200, 200, 200, 404, 404, 403)),
    ("POST", "/customers/{anna}/consents",
     {"channel": "sms", "purpose": "marketing", "granted": True, "how": "at the till"},
                                                    (201, 201, 201, 404, 404, 403)),
    ("POST", "/customers/{anna}/purchases", {"occurred_at": NOW, "location_id": "{loc_a}"},
                                                    (201, 201, 201, 404, 404, 403)),
    ("POST", "/customers/{anna}/purchases", {"occurred_at": NOW, "location_id": "{loc_b}"},
                                                    (201, 403, 403, 404, 404, 403)),
    ("POST", "/customers/{anna}/visits", {"occurred_at": NOW},
                                                    (201, 201, 201, 404, 404, 403)),
    ("GET", "/customers/{anna}/history", None,      (200, 200, 200, 404, 404, 403)),
    ("GET", "/customers/{anna}/audit", None,        (200, 200, 403, 403, 404, 403)),
    ("POST", "/merges", {"survivor_id": "{anna}", "absorbed_id": "{boris}"},
                                                    (201, 201, 403, 403, 404, 403)),
    ("GET", "/merges/{merge}", None,                (200, 200, 403, 403, 404, 403)),
    ("POST", "/merges/{merge}/undo", None,          (200, 403, 403, 403, 403, 403)),
    ("GET", "/customers/{anna}/export", None,       (200, 403, 403, 403, 403, 403)),
    ("POST", "/customers/{anna}/erasure", {"reason": "her request"},
                                                    (200, 403, 403, 403, 403, 403)),
    ("GET", "/tokens", None,                        (200, 403, 403, 403, 403, 403)),
    ("POST", "/tokens", {"name": "till 2", "role": "agent", "location_ids": ["{loc_a}"]},
                                                    (201, 403, 403, 403, 403, 403)),
    ("DELETE", "/tokens/{token}", None,             (200, 403, 403, 403, 403, 403)),
    # ---- scope on the identity paths (ADR 0024) ----
    # Anna is known at A: B's staff get the answer any taken identity gets, never her record.
    ("POST", "/customers/identify",
     {"identities": [{"kind": "phone", "value": "{phone}"}], "location_id": "{loc_b}"},
                                                    (200, 403, 403, 409, 409, 403)),
    ("POST", "/customers",
     {"full_name": "Vera", "home_location_id": "{loc_b}",
      "identities": [{"kind": "phone", "value": "{phone}"}]},
                                                    (409, 403, 403, 409, 409, 403)),
    ("POST", "/customers/{anna}/locations", {"location_id": "{loc_a}"},
                                                    (200, 200, 200, 404, 404, 403)),
    ("POST", "/customers/{anna}/locations", {"location_id": "{loc_b}", "reason": "moved"},
                                                    (200, 403, 403, 404, 404, 403)),
    # ---- promises, tasks, messages ----
    ("POST", "/customers/{anna}/promises", PROMISE, (201, 201, 201, 404, 404, 403)),
    ("GET", "/customers/{anna}/promises", None,     (200, 200, 200, 404, 404, 403)),
    ("GET", "/promises", None,                      (200, 200, 200, 200, 200, 403)),
    ("GET", "/promises/{promise}", None,            (200, 200, 200, 404, 404, 403)),
    ("POST", "/promises/{promise}/keep", {"note": "called"},
                                                    (200, 200, 200, 404, 404, 403)),
    ("POST", "/promises/{promise}/cancel", {"reason": "tailor ill"},
                                                    (200, 200, 200, 404, 404, 403)),
    ("POST", "/promises/{promise}/withdraw", {"note": "she came in"},
                                                    (200, 200, 200, 404, 404, 403)),
    ("GET", "/tasks", None,                         (200, 200, 200, 200, 200, 403)),
    ("POST", "/tasks/{missing}/done", None,         (404, 404, 404, 404, 404, 403)),
    # A task for everyone at A: B's staff cannot reach it (ADR 0029)
    ("POST", "/tasks/{task}/done", None,            (200, 200, 200, 404, 404, 403)),
    ("POST", "/tasks/{task}/done", {"outcome": "called, she comes Friday"},
                                                    (200, 200, 200, 404, 404, 403)),
    ("POST", "/tasks", {"title": "Set the birthday table", "location_id": "{loc_a}"},
                                                    (201, 201, 201, 403, 403, 403)),
    ("POST", "/tasks/{task}/assignment", {"assignee_role": "manager"},
                                                    (200, 200, 200, 404, 404, 403)),
    ("GET", "/customers/{anna}/messages", None,     (200, 200, 200, 404, 404, 403)),
    ("GET", "/messages", None,                      (200, 200, 403, 403, 200, 403)),
    ("POST", "/messages/{missing}/retry", None,     (404, 404, 403, 403, 404, 403)),
    ("POST", "/messages/{dead_message}/retry", None,
                                                    (200, 200, 403, 403, 404, 403)),
    ("GET", "/reports/promises", None,              (200, 200, 403, 403, 200, 403)),
    # ---- the catalog and wishes bound to it ----
    ("GET", "/items?q=selene", None,                (200, 200, 200, 200, 200, 403)),
    ("GET", "/items/{item}", None,                  (200, 200, 200, 200, 200, 403)),
    ("GET", "/items/{missing}", None,               (404, 404, 404, 404, 404, 403)),
    ("GET", "/wishes/unlinked", None,               (200, 200, 200, 200, 200, 403)),
    # A wish at A for an item the catalog did not know: B's staff cannot reach it
    ("POST", "/promises/{wish}/link", {"code": "{item}"},
                                                    (200, 200, 200, 404, 404, 403)),
    # ---- the event vocabulary: read by every token, a business's own types by admins ----
    ("GET", "/event-types", None,                   (200, 200, 200, 200, 200, 200)),
    ("GET", "/event-types/heedful.stock.changed", None,
                                                    (200, 200, 200, 200, 200, 200)),
    ("POST", "/event-types", EVENT_TYPE,            (201, 403, 403, 403, 403, 403)),
    ("PUT", "/event-types/{event_type}", {"schema": {"type": "object"}},
                                                    (200, 403, 403, 403, 403, 403)),
    ("DELETE", "/event-types/{event_type}", None,   (204, 403, 403, 403, 403, 403)),
    # ---- staff accounts and their security events (admins only) ----
    ("GET", "/staff", None,                         (200, 403, 403, 403, 403, 403)),
    ("POST", "/staff/{missing}/deactivate", None,   (404, 403, 403, 403, 403, 403)),
    ("POST", "/staff/{missing}/unlock", None,       (404, 403, 403, 403, 403, 403)),
    ("GET", "/security-events", None,               (200, 403, 403, 403, 403, 403)),
    # ---- dead letters: records the worker set aside (admins only) ----
    ("GET", "/dead-letters", None,                  (200, 403, 403, 403, 403, 403)),
    ("POST", "/dead-letters/event/{missing}/retry", None,
                                                    (404, 403, 403, 403, 403, 403)),
    ("POST", "/dead-letters/event/{missing}/discard", None,
                                                    (404, 403, 403, 403, 403, 403)),
    ("POST", "/dead-letters/event/{dead_event}/retry", None,
                                                    (200, 403, 403, 403, 403, 403)),
    ("POST", "/dead-letters/event/{dead_event}/discard", None,
                                                    (200, 403, 403, 403, 403, 403)),
    # ---- events: the lean ingest path and the route ----
    ("POST", "/events", EVENT,                      (202, 202, 403, 403, 202, 403)),
    # ---- playbooks ----
    ("GET", "/playbooks", None,                     (200, 200, 403, 403, 200, 403)),
    ("POST", "/playbooks", PLAYBOOK,                (201, 201, 403, 403, 201, 403)),
    ("POST", "/playbooks/dry-run", {"since": NOW, "until": LATER, "playbook": PLAYBOOK},
                                                    (200, 200, 403, 403, 200, 403)),
    ("GET", "/playbooks/{playbook}", None,          (200, 200, 403, 403, 200, 403)),
    ("PUT", "/playbooks/{playbook}", PLAYBOOK,      (200, 200, 403, 403, 200, 403)),
    ("POST", "/playbooks/{playbook}/enable", None,  (200, 200, 403, 403, 200, 403)),
    ("POST", "/playbooks/{playbook}/disable", None, (200, 200, 403, 403, 200, 403)),
    ("GET", "/playbooks/{playbook}/versions/1", None,
                                                    (200, 200, 403, 403, 200, 403)),
    ("POST", "/playbooks/{playbook}/dry-run", {"since": NOW, "until": LATER},
                                                    (200, 200, 403, 403, 200, 403)),
    ("GET", "/playbooks/{playbook}/firings", None,  (200, 200, 403, 403, 200, 403)),
    # ---- conversations (the thread is a chat at A) ----
    ("GET", "/conversations", None,                 (200, 200, 200, 200, 200, 403)),
    ("GET", "/conversations/{thread}", None,        (200, 200, 200, 404, 404, 403)),
    ("POST", "/conversations/{thread}/replies", {"body": "Yes, size 38."},
                                                    (201, 201, 201, 404, 404, 403)),
    ("POST", "/conversations/{thread}/notes", {"body": "VIP"},
                                                    (201, 201, 201, 404, 404, 403)),
    ("POST", "/conversations/{thread}/assignment", {},
                                                    (200, 200, 200, 404, 404, 403)),
    ("POST", "/conversations/{thread}/status", {"status": "waiting_on_customer"},
                                                    (200, 200, 200, 404, 404, 403)),
    ("POST", "/conversations/{thread}/accept-sender", None,
                                                    (200, 200, 200, 404, 404, 403)),
    ("POST", "/conversations/{thread}/priority", {"priority": "high"},
                                                    (200, 200, 200, 404, 404, 403)),
    ("GET", "/customers/{anna}/conversations", None,
                                                    (200, 200, 200, 404, 404, 403)),
    # The public chat and the mail webhook ignore the bearer: a visitor and a signed relay.
    ("POST", "/conversations/chat", {"text": "Is size 38 in?", "location_id": "{loc_a}"},
                                                    (201, 201, 201, 201, 201, 201)),
    ("GET", "/conversations/chat/{visitor}/messages", None,
                                                    (200, 200, 200, 200, 200, 200)),
    ("POST", "/inbound/email", {"from": "x@example.com", "text": "hi"},
                                                    (401, 401, 401, 401, 401, 401)),
    # ---- SLA policies, teams, calendars ----
    ("GET", "/sla-policies", None,                  (200, 200, 200, 200, 200, 403)),
    ("POST", "/sla-policies", {"name": "Chat", "first_response_minutes": 5},
                                                    (201, 201, 403, 403, 201, 403)),
    ("GET", "/sla-policies/{policy}", None,         (200, 200, 200, 200, 200, 403)),
    ("PUT", "/sla-policies/{policy}", {"name": "Chat", "first_response_minutes": 10},
                                                    (200, 200, 403, 403, 200, 403)),
    ("DELETE", "/sla-policies/{policy}", None,      (200, 200, 403, 403, 200, 403)),
    ("GET", "/teams", None,                         (200, 200, 200, 200, 200, 403)),
    ("POST", "/teams", {"name": "Returns", "location_id": "{loc_a}"},
                                                    (201, 201, 403, 403, 403, 403)),
    ("PUT", "/teams/{team}/members", {"member_ids": []},
                                                    (200, 200, 403, 403, 404, 403)),
    ("PUT", "/locations/{loc_a}/hours", {"opening_hours": {"mon-fri": ["09:00-18:00"]}},
                                                    (200, 403, 403, 403, 403, 403)),
    ("GET", "/locations/{loc_a}/calendar/2026", None,
                                                    (200, 200, 200, 404, 404, 403)),
    ("PUT", "/locations/{loc_a}/calendar-days/2026-12-31", {"hours": [], "reason": "holiday"},
                                                    (200, 200, 403, 403, 404, 403)),
    ("DELETE", "/locations/{loc_a}/calendar-days/{closed_day}", None,
                                                    (204, 204, 403, 403, 404, 403)),
    ("GET", "/reports/responsiveness", None,        (200, 200, 403, 403, 200, 403)),
    # ---- surveys, answers, recoveries, CX index, churn ----
    ("GET", "/surveys", None,                       (200, 200, 200, 200, 200, 403)),
    ("POST", "/surveys", SURVEY,                    (201, 201, 403, 403, 403, 403)),
    ("PUT", "/surveys/{survey}", SURVEY,            (200, 200, 403, 403, 404, 403)),
    ("POST", "/surveys/{survey}/invitations", {"customer_id": "{anna}"},
                                                    (200, 200, 403, 403, 404, 403)),
    ("GET", "/answers", None,                       (200, 200, 403, 403, 200, 403)),
    ("GET", "/answers/figures?kind=nps", None,      (200, 200, 403, 403, 200, 403)),
    ("GET", "/recoveries", None,                    (200, 200, 200, 200, 200, 403)),
    ("POST", "/recoveries/{missing}/close", {"root_cause": "waiting_time"},
                                                    (404, 404, 404, 404, 404, 403)),
    ("POST", "/recoveries/{recovery}/close",
     {"root_cause": "waiting_time", "action_taken": "called and apologised"},
                                                    (200, 200, 200, 404, 404, 403)),
    ("POST", "/cx-index", {"period_start": NOW, "period_end": LATER},
                                                    (201, 403, 403, 403, 403, 403)),
    ("POST", "/cx-index", {"period_start": NOW, "period_end": LATER, "location_id": "{loc_a}"},
                                                    (201, 201, 403, 403, 403, 403)),
    ("GET", "/cx-index", None,                      (200, 200, 403, 403, 200, 403)),
    ("GET", "/cx-index/{cx_value}/recomputed", None,
                                                    (200, 200, 403, 403, 403, 403)),
    ("GET", "/churn", None,                         (200, 200, 200, 200, 200, 403)),
    ("POST", "/churn/assessments", None,            (200, 200, 403, 403, 200, 403)),
    ("GET", "/reports/experience", None,            (200, 200, 403, 403, 200, 403)),
    ("GET", "/bookings?arriving=tomorrow", None,    (200, 200, 200, 200, 200, 403)),
    ("GET", "/bookings?arriving=today&kind=table&location_id={loc_a}", None,
                                                    (200, 200, 200, 404, 404, 403)),
    ("GET", "/orders?late=true", None,              (200, 200, 200, 200, 200, 403)),
    ("GET", "/customers/{anna}/dealings", None,     (200, 200, 200, 404, 404, 403)),
    # ---- relationship owners (ADR 0040): a staff member at A looks after Anna there ----
    ("GET", "/customers/{anna}/owners", None,       (200, 200, 200, 404, 404, 403)),
    ("PUT", "/customers/{anna}/owners/{loc_a}", {"staff_id": "{owner_a}"},
                                                    (200, 200, 200, 404, 404, 403)),
    ("PUT", "/customers/{anna}/owners/{loc_a}", {"staff_id": "{missing}"},
                                                    (422, 422, 422, 404, 404, 403)),
    ("DELETE", "/customers/{anna}/owners/{loc_a}", None,
                                                    (204, 204, 204, 404, 404, 403)),
    # ---- capacity and walk-in holds (ADR 0051): a hold at A is A's business ----
    ("GET", "/locations/{loc_a}/capacity", None,    (200, 200, 200, 404, 404, 403)),
    ("PUT", "/locations/{loc_a}/capacity", {"tables": 12, "covers": 40},
                                                    (200, 403, 403, 403, 403, 403)),
    ("GET", "/locations/{loc_a}/tonight", None,     (200, 200, 200, 404, 404, 403)),
    ("POST", "/holds", HOLD,                        (201, 201, 201, 404, 404, 403)),
    ("POST", "/holds/{hold}/release", None,         (200, 200, 200, 404, 404, 403)),
    ("POST", "/holds/{hold}/seat", None,            (200, 200, 200, 404, 404, 403)),
    # ---- goodwill: allowances, spends, approvals (ADR 0041) ----
    ("GET", "/goodwill/allowances", None,           (200, 200, 200, 200, 200, 403)),
    ("POST", "/goodwill/allowances", ALLOWANCE,     (201, 201, 403, 403, 403, 403)),
    ("DELETE", "/goodwill/allowances/{allowance}", None,
                                                    (204, 204, 403, 403, 404, 403)),
    ("GET", "/goodwill/allowances/mine?location_id={loc_a}", None,
                                                    (200, 200, 200, 200, 200, 403)),
    # A gesture costs nothing and needs no allowance: what decides here is who sees Anna.
    ("POST", "/customers/{anna}/goodwill", GESTURE, (201, 201, 201, 404, 404, 403)),
    ("GET", "/customers/{anna}/goodwill", None,     (200, 200, 200, 404, 404, 403)),
    ("GET", "/goodwill/approvals", None,            (200, 200, 403, 403, 200, 403)),
    # An agent's spend at A above the threshold: B's manager cannot reach it.
    ("POST", "/goodwill/spends/{waiting_spend}/approve", {"note": "yes"},
                                                    (200, 200, 403, 403, 404, 403)),
    ("POST", "/goodwill/spends/{waiting_spend}/decline", None,
                                                    (200, 200, 403, 403, 404, 403)),
    ("GET", "/reports/goodwill", None,              (200, 200, 403, 403, 200, 403)),
    ("GET", "/reports/failure-map", None,           (200, 200, 403, 403, 200, 403)),
    # ---- service audits: managers set up and review; an evaluator sees her own visits only ----
    ("GET", "/audits/questionnaires", None,         (200, 200, 403, 403, 200, 403)),
    ("POST", "/audits/questionnaires", AUDIT_FORM,  (201, 201, 403, 403, 201, 403)),
    ("GET", "/audits/questionnaires/{questionnaire}", None,
                                                    (200, 200, 403, 403, 200, 200)),
    ("POST", "/audits/questionnaires/{questionnaire}/versions", AUDIT_FORM,
                                                    (201, 201, 403, 403, 201, 403)),
    ("POST", "/audits/programmes", AUDIT_PROGRAMME, (201, 201, 403, 403, 422, 403)),
    ("GET", "/audits/programmes/{programme}", None, (200, 200, 403, 403, 404, 403)),
    ("GET", "/audits/programmes/{programme}/proposals?location_id={loc_a}", None,
                                                    (200, 200, 403, 403, 404, 403)),
    ("GET", "/audits/evaluators", None,             (200, 200, 403, 403, 200, 403)),
    ("POST", "/audits/evaluators",
     {"staff_id": "{missing}", "display_name": "Iryna", "segments": ["vip"], "languages": ["uk"],
      "cities": ["Kyiv"]},                          (422, 422, 403, 403, 422, 403)),
    ("POST", "/audits/assignments",
     {"programme_id": "{programme}", "evaluator_id": "{missing}", "location_id": "{loc_a}",
      "wave": "2026-03", "window_start": NOW, "window_end": LATER},
                                                    (422, 422, 403, 403, 422, 403)),
    ("POST", "/audits/assignments/{assignment}/promise", {"promise_id": "{promise}"},
                                                    (200, 200, 403, 403, 404, 403)),
    # The panel is shared: any audit manager takes an evaluator off it (or back). Handing on an
    # assignment is the location's business: B's manager does not find A's.
    ("POST", "/audits/evaluators/{spare_evaluator}/deactivate", None,
                                                    (200, 200, 403, 403, 200, 403)),
    ("POST", "/audits/evaluators/{spare_evaluator}/activate", None,
                                                    (200, 200, 403, 403, 200, 403)),
    ("POST", "/audits/assignments/{assignment}/reassign", {"evaluator_id": "{spare_evaluator}"},
                                                    (200, 200, 403, 403, 404, 403)),
    ("GET", "/audits/my-assignments", None,         (200, 403, 403, 403, 403, 200)),
    ("GET", "/audits/visits/{assignment}", None,    (200, 200, 403, 403, 404, 200)),
    # Answers are the evaluator's alone: the reviewer may not write them.
    ("PUT", "/audits/visits/{assignment}", {"answers": {"greeted": {"value": True}}},
                                                    (403, 403, 403, 403, 404, 200)),
    ("POST", "/audits/visits/{drafted}/submit", None,
                                                    (403, 403, 403, 403, 404, 200)),
    ("POST", "/audits/visits/{submitted}/validate", {},
                                                    (200, 200, 403, 403, 404, 403)),
    ("POST", "/audits/visits/{submitted}/return", {"comment": "Add the receipt"},
                                                    (200, 200, 403, 403, 404, 403)),
    ("GET", "/audits/results", None,                (200, 200, 403, 403, 200, 403)),
    ("PUT", "/audits/locations/{loc_a}/position", {"latitude": 50.46, "longitude": 30.51},
                                                    (200, 200, 403, 403, 404, 403)),
    ("GET", "/audits/results?format=csv", None,     (200, 200, 403, 403, 200, 403)),
    # One location's PDF: only a manager (or admin) of that location; B's manager learns nothing.
    ("GET", "/audits/waves/2026-03/report.pdf?location_id={loc_a}", None,
                                                    (200, 200, 403, 403, 404, 403)),
]
# fmt: on

# Operations answered ahead of FastAPI's routing (entrypoints/fast_*.py). They are in the OpenAPI
# document through their routes too; naming them here keeps the walk honest if one ever is not.
FAST_PATH_OPERATIONS = {("POST", EVENTS_PATH), ("GET", LOOKUP_PATH)}

CASES = [
    pytest.param(persona, method, path, body, status, id=f"{persona} {method} {path}")
    for method, path, body, statuses in TABLE
    for persona, status in zip(PERSONAS, statuses, strict=True)
]


# Each Anna's number is the next one. Drawn at random, some hundreds of them in one database met
# another's now and then, and her creation failed: "this phone already belongs to another customer".
_PHONE_NUMBERS = itertools.count(1_000_000)


def _new_phone() -> str:
    return f"067{next(_PHONE_NUMBERS):07d}"


class Targets(dict[str, str]):
    """The ids a row names, each made (through the API, as the admin) the first time it is asked."""

    def __init__(self, world: ApiWorld) -> None:
        super().__init__(loc_a=world.location_a.id, loc_b=world.location_b.id)
        self.world = world
        self.admin: Api = world.api(world.admin)

    def __missing__(self, name: str) -> str:
        made: str = getattr(self, f"_{name}")()
        self[name] = made
        return made

    def _customer(self, name: str, **fields: Any) -> str:
        customer = self.admin.create_customer(name, home_location_id=self["loc_a"], **fields)
        return str(customer["id"])

    def _anna(self) -> str:
        # Every row's Anna has her own number and e-mail: the rows share one database.
        self["phone"] = _new_phone()
        self["email"] = f"anna.{uuid.uuid4().hex[:8]}@example.com"
        return self._customer(
            "Anna Kovalenko", identities=[{"kind": "phone", "value": self["phone"]}]
        )

    def _phone(self) -> str:
        self["anna"]
        return self["phone"]

    def _email(self) -> str:
        self["anna"]
        return self["email"]

    def _boris(self) -> str:
        return self._customer("Boris Orlov")

    def _identity(self) -> str:
        return str(self.admin.get(f"/customers/{self['anna']}").json()["identities"][0]["id"])

    def _preference(self) -> str:
        made = self.admin.post(
            f"/customers/{self['anna']}/preferences", json={"polarity": "like", "subject": "tea"}
        )
        return str(made.json()["id"])

    def _merge(self) -> str:
        merged = self.admin.post(
            "/merges",
            json={"survivor_id": self._customer("Dora"), "absorbed_id": self._customer("Dasha")},
        )
        assert merged.status_code == 201, merged.text
        return str(merged.json()["id"])

    def _token(self) -> str:
        till = self.world.new_token("till", Role.AGENT, self.world.location_a)
        return till.token_id

    def _unique(self) -> str:
        return uuid.uuid4().hex

    def _missing(self) -> str:
        return "nothing_here"

    def _made(self, path: str, body: dict[str, Any], field: str = "id") -> str:
        response = self.admin.post(path, json=_filled(body, self))
        assert response.status_code in (200, 201), f"{path}: {response.text}"
        return str(response.json()[field])

    def _promise(self) -> str:
        return self._made(f"/customers/{self['anna']}/promises", PROMISE)

    def _item(self) -> str:
        code = f"selene-{uuid.uuid4().hex[:8]}"
        item = CatalogItem(code, ItemKind.PRODUCT, START, names={"en": "Selene"})
        upsert_item(self.world.container.uow(), item)
        return code

    def _wish(self) -> str:
        wish = {
            "kind": "tell_when_available",
            "location_id": "{loc_a}",
            "item": {"product": f"the bag she saw {uuid.uuid4().hex[:6]}"},
        }
        return self._made(f"/customers/{self['anna']}/promises", wish)

    def _chat(self) -> dict[str, Any]:
        started = self.world.api().post(
            "/conversations/chat", json={"text": "Is size 38 in?", "location_id": self["loc_a"]}
        )
        assert started.status_code == 201, started.text
        body: dict[str, Any] = started.json()
        return body

    def _thread(self) -> str:
        chat = self._chat()
        self["visitor"] = chat["visitor_token"]
        return str(chat["thread_id"])

    def _visitor(self) -> str:
        self["thread"]
        return self["visitor"]

    def _policy(self) -> str:
        return self._made("/sla-policies", {"name": "Everyone", "first_response_minutes": 60})

    def _team(self) -> str:
        return self._made("/teams", {"name": "Returns", "location_id": "{loc_a}"})

    def _event_type(self) -> str:
        return self._made("/event-types", EVENT_TYPE, field="name")

    def _playbook(self) -> str:
        return self._made("/playbooks", PLAYBOOK)

    def _owner_a(self) -> str:
        member = create_staff_member(
            NewStaffMember(
                login=f"olena.{uuid.uuid4().hex[:8]}",
                full_name="Olena Shevchenko",
                role=Role.MANAGER,
                password=uuid.uuid4().hex,
                location_ids=frozenset({self["loc_a"]}),
            ),
            self.world.container.uow(),
            self.world.clock,
            SYSTEM,
        )
        return member.id

    def _hold(self) -> str:
        return self._made("/holds", HOLD)

    def _survey(self) -> str:
        return self._made("/surveys", SURVEY)

    def _cx_value(self) -> str:
        cell = {"period_start": NOW, "period_end": LATER, "location_id": "{loc_a}"}
        return self._made("/cx-index", cell)

    # ---- things the engine, the relay or a customer make: through the core, as the system ----

    def _task(self) -> str:
        return task_at(self.world.container, self.world.clock, self["loc_a"], self["anna"])

    def _allowance(self) -> str:
        return self._made("/goodwill/allowances", ALLOWANCE)

    def _waiting_spend(self) -> str:
        """Two desserts by an agent of A whose allowance asks a manager above one."""
        world = self.world
        cmd = SetAllowance(self["loc_a"], "dessert", Decimal(5), Period.MONTH, role=Role.AGENT)
        set_allowance(
            replace(cmd, approval_above=Decimal(1)), world.container.uow(), world.clock, SYSTEM
        )
        agent = Actor(new_id("stf_"), "Iryna", Role.AGENT, frozenset({self["loc_a"]}))
        spend = give_goodwill(
            GiveGoodwill(self["anna"], self["loc_a"], "dessert", Decimal(2), "a long wait"),
            world.container.uow(),
            world.clock,
            agent,
        )
        return spend.id

    def _dead_message(self) -> str:
        world = self.world
        return dead_message_at(world.container, world.clock, self["loc_a"], self["anna"])

    def _recovery(self) -> str:
        rita = self._customer("Rita", identities=[{"kind": "email", "value": self["email"]}])
        return recovery_at(self.world.container, self.world.clock, self["loc_a"], rita)

    def _dead_event(self) -> str:
        """A stock event an older Heedful accepted: 10**20 units overflow the stock level."""
        event = BusinessEvent(
            source="urn:shop:podil-stock",
            id=uuid.uuid4().hex,
            type="heedful.stock.changed",
            data={"product": "bag-noir", "location": self["loc_a"], "quantity": 10**20},
        )
        container, clock = self.world.container, self.world.clock
        with container.uow() as uow:
            uow.events.accept([event], received_at=clock.now())
            uow.commit()
        failed = []
        while (report := process_events(container.uow, clock)).events:
            failed += report.failed  # every waiting event of the shared database is done
        [letter] = [letter for letter in failed if event.id in letter.what]
        assert letter.is_dead
        return letter.ref

    def _questionnaire(self) -> str:
        return self._made("/audits/questionnaires", AUDIT_FORM)

    def _programme(self) -> str:
        return self._made("/audits/programmes", AUDIT_PROGRAMME)

    def _evaluator_profile(self) -> str:
        """The evaluator persona on the panel (once: the rows share one database)."""
        token_id = self.world.evaluator.token_id
        panel = self.admin.get("/audits/evaluators").json()
        mine = [p["id"] for p in panel if p["staff_id"] == token_id]
        if mine:
            return str(mine[0])
        profile = {
            "staff_id": token_id,
            "display_name": "Mystery shopper 7",
            "segments": ["vip"],
            "languages": ["uk"],
            "cities": ["Kyiv"],
        }
        return self._made("/audits/evaluators", profile)

    def _spare_evaluator(self) -> str:
        """Another evaluator who fits location A, new each time (rows take her off the panel)."""
        token = self.world.new_token(f"spare-{uuid.uuid4().hex[:8]}", Role.EVALUATOR)
        profile = {
            "staff_id": token.token_id,
            "display_name": "Mystery shopper 8",
            "segments": ["vip"],
            "languages": ["uk"],
            "cities": ["Kyiv"],
        }
        return self._made("/audits/evaluators", profile)

    def _assignment(self) -> str:
        assignment = {
            "programme_id": "{programme}",
            "evaluator_id": "{evaluator_profile}",
            "location_id": "{loc_a}",
            "wave": "2026-03",
            "window_start": NOW,
            "window_end": LATER,
            "scenario": "Ask to be told when the sold-out bag is back",
        }
        return self._made("/audits/assignments", assignment)

    def _drafted(self) -> str:
        assignment = self._assignment()
        evaluator = self.world.api(self.world.evaluator)
        saved = evaluator.request(
            "PUT",
            f"/audits/visits/{assignment}",
            json={"answers": {"greeted": {"value": True}}, "check_in": {"at": NOW}},
        )
        assert saved.status_code == 200, saved.text
        return assignment

    def _submitted(self) -> str:
        assignment = self._drafted()
        submitted = self.world.api(self.world.evaluator).post(f"/audits/visits/{assignment}/submit")
        assert submitted.status_code == 200, submitted.text
        return assignment

    def _closed_day(self) -> str:
        day = "2026-12-30"
        closed = self.admin.request(
            "PUT", f"/locations/{self['loc_a']}/calendar-days/{day}", json={"hours": []}
        )
        assert closed.status_code == 200, closed.text
        return day


def _filled(value: Any, targets: Targets) -> Any:
    if isinstance(value, str):
        return value.format_map(targets)
    if isinstance(value, list):
        return [_filled(v, targets) for v in value]
    if isinstance(value, dict):
        return {k: _filled(v, targets) for k, v in value.items()}
    return value


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def roles_world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ApiWorld]:
    """One database per backend for the whole table: every row makes its own targets."""
    # Every row's chat comes from the one test client's address: the public faces' rate limits
    # (tested in test_public_limits.py) are off here, so the table tests roles, not floods.
    no_limits: dict[str, Any] = {
        "chats_per_address_per_hour": 0,
        "chats_per_identity_per_hour": 0,
        "chat_messages_per_address_per_minute": 0,
        "chat_reads_per_address_per_minute": 0,
    }
    with world_for_a_module(request, tmp_path_factory, **no_limits) as world:
        yield world


@pytest.mark.parametrize(("persona", "method", "path", "body", "status"), CASES)
def test_each_role_may_do_only_what_its_table_row_says(
    roles_world: ApiWorld,
    persona: str,
    method: str,
    path: str,
    body: dict[str, Any] | None,
    status: int,
) -> None:
    targets = Targets(roles_world)
    url = _filled(path, targets)
    payload = _filled(body, targets)
    who: Persona = getattr(roles_world, persona)

    response = roles_world.api(who).request(method, url, json=payload)

    assert response.status_code == status, f"{persona} {method} {url}: {response.text}"
    if status >= 400:
        assert response.headers["content-type"] == "application/problem+json"


def test_an_evaluator_learns_nothing_about_customers(roles_world: ApiWorld) -> None:
    targets = Targets(roles_world)
    anna, phone = targets["anna"], targets["phone"]
    evaluator = roles_world.api(roles_world.evaluator)
    for path in (
        f"/customers/{anna}",
        "/customers",
        f"/customers/{anna}/card",
        f"/customers/search?q={phone}",
        f"/customers/lookup?kind=phone&value={phone}",
    ):
        response = evaluator.get(path)
        assert response.status_code == 403
        assert "Anna" not in response.text
        assert phone not in response.text


def test_lists_and_search_show_each_agent_only_customers_of_their_locations(
    roles_world: ApiWorld,
) -> None:
    # Other rows move their Annas to B; this one has a name of her own.
    name = f"Zlata {uuid.uuid4().hex[:8]}"
    phone = _new_phone()
    zlata = Targets(roles_world)._customer(name, identities=[{"kind": "phone", "value": phone}])
    agent_a, agent_b = roles_world.api(roles_world.agent_a), roles_world.api(roles_world.agent_b)

    assert zlata in agent_a.all_customer_ids()
    assert zlata not in agent_b.all_customer_ids()
    for query in (name, phone):
        found = agent_a.get("/customers/search", params={"q": query}).json()
        assert [c["id"] for c in found] == [zlata]
        assert agent_b.get("/customers/search", params={"q": query}).json() == []


def _operation(
    documented: dict[str, dict[str, Any]], method: str, path: str
) -> tuple[str, str] | None:
    """The documented operation a row reaches, as (METHOD, /api/v1/template).

    The document lists paths in the order FastAPI tries them, so the first template that fits is
    the one routed to (`/customers/search` before `/customers/{customer_id}`).
    """
    concrete = API + re.sub(r"\{\w+\}", "x1", path.split("?", 1)[0])
    for template, operations in documented.items():
        pattern = re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(template))
        if method.lower() in operations and re.fullmatch(pattern, concrete):
            return method, template
    return None


def test_every_operation_in_the_openapi_document_has_a_row_in_the_table() -> None:
    """A new endpoint is not done until the table says who may call it (issue 11).

    Other branches add operations; their rows come with them. The message names each missing
    operation as `METHOD path`, ready to copy into TABLE.
    """
    app = create_app(build(Settings(database_url="sqlite://", log_format="console")))
    paths: dict[str, dict[str, Any]] = app.openapi()["paths"]
    documented = {
        (method.upper(), path) for path, operations in paths.items() for method in operations
    } | FAST_PATH_OPERATIONS
    rows = {(method, path): _operation(paths, method, path) for method, path, *_ in TABLE}

    unrouted = sorted(f"{method} {path}" for (method, path), op in rows.items() if op is None)
    missing = sorted(f"{m} {p}" for m, p in documented - set(rows.values()))

    assert not unrouted, f"rows that reach no operation: {unrouted}"
    assert not missing, "operations without a row in TABLE:\n" + "\n".join(missing)
