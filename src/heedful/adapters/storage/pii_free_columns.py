"""The text and JSON columns that can never name or describe a customer, each with the reason.

The other half of the erasure registry (``erasure_registry.py``, ADR 0026): a column is either
cleared when a customer is erased, or listed here.
"""

from __future__ import annotations

_IDS = "an id"
_CODE = "a code from a fixed list"
_STAFF = "staff's or the business's own data, never a customer's"
_FIGURE = "an aggregate over many customers"

# Service audits (ADR 0039): evaluators are staff, and a visit names no customer; a scenario's
# promise is named by its id, and the promise itself is erased with its customer.
_AUDIT = "an audit's set-up or an evaluator's own words about the service, never a customer's"
_EVALUATOR = "an evaluator's own profile: personal data of staff, never a customer's"

PII_FREE: dict[str, dict[str, str]] = {
    "audit_questionnaires": {"id": _IDS, "source": _AUDIT, "created_by": _STAFF},
    "audit_programmes": {
        "id": _IDS,
        "name": _AUDIT,
        "questionnaire_id": _IDS,
        "rules": _AUDIT,
        "created_by": _STAFF,
    },
    "audit_evaluators": {
        "id": _IDS,
        "staff_id": _IDS,
        **dict.fromkeys(
            (
                "display_name",
                "segments",
                "languages",
                "cities",
                "age_band",
                "gender",
                "contacts",
                "works_at",
            ),
            _EVALUATOR,
        ),
    },
    "audit_assignments": {
        **dict.fromkeys(
            ("id", "programme_id", "evaluator_id", "location_id", "questionnaire_id", "promise_id"),
            _IDS,
        ),
        "wave": _AUDIT,
        "scenario": _AUDIT,
        "created_by": _STAFF,
    },
    "audit_visits": {
        **dict.fromkeys(("assignment_id", "evaluator_id", "location_id", "questionnaire_id"), _IDS),
        "wave": _AUDIT,
        "state": _CODE,
        "answers": _AUDIT,
        "attachments": "attachment ids and content hashes",
        "reviewed_by": _STAFF,
        "review_comment": _STAFF,
        "flags": _AUDIT,
    },
    "audit_attachments": {
        "assignment_id": _IDS,
        "attachment_id": _IDS,
        "sha256": "a content hash",
        "kind": _CODE,
    },
    "api_tokens": dict.fromkeys(
        ("id", "name", "token_hash", "prefix", "role", "location_ids", "created_by"), _STAFF
    ),
    "audit_log": {
        "id": _IDS,
        "actor_id": _IDS,
        "actor_label": "the staff member or token who acted",
        "action": _CODE,
        "customer_id": _IDS,
        "entity": _CODE,
        "entity_id": _IDS,
    },
    "canned_replies": dict.fromkeys(
        ("id", "title", "texts", "location_id", "updated_by_label"), _STAFF
    ),
    "churn_risks": {"customer_id": _IDS, "formula_version": _CODE},
    "consents": {"id": _IDS, "customer_id": _IDS, "channel": _CODE, "purpose": _CODE},
    "customer_locations": {"customer_id": _IDS, "location_id": _IDS},
    "customers": {
        "id": _IDS,
        "language": "kept for the figures by language",
        "time_zone": "kept with the location's history",
        "segment": "kept for the figures by segment",
        "home_location_id": _IDS,
        "status": _CODE,
        "merged_into_id": _IDS,
    },
    "cx_index_values": dict.fromkeys(
        ("id", "touchpoint", "location_id", "segment", "formula_version", "inputs"), _FIGURE
    ),
    "erasures": {
        "id": _IDS,
        "customer_id": _IDS,
        "erased_by": _IDS,
        "erased_by_label": _STAFF,
        "reason": "staff's words, with her name and identities taken out as it is written",
        "removed": "counts",
    },
    "dead_letters": {
        "kind": _CODE,
        "ref": _IDS,
        "what": "the record's type and ids (an event's type and source/id, a message's template)",
        "state": _CODE,
        "payload": "a timer's kind and subject id",
        "closed_by": _STAFF,
    },
    "events": {
        "source": _STAFF,
        "event_id": _IDS,
        "type": _CODE,
        "dataschema": _STAFF,
        "sender_locations": "the sending token's location ids (ADR 0029)",
    },
    "feedback_rollups": dict.fromkeys(
        ("grain", "touchpoint", "segment", "location_id", "kind"), _FIGURE
    ),
    "feedback_topic_rollups": dict.fromkeys(
        ("grain", "touchpoint", "segment", "location_id", "facet", "name"), _FIGURE
    ),
    "goodwill_allowances": dict.fromkeys(
        (
            "id",
            "location_id",
            "staff_id",
            "role",
            "kind",
            "label",
            "currency",
            "period",
            "set_by_label",
        ),
        _STAFF,
    ),
    "goodwill_spends": {
        "id": _IDS,
        "customer_id": _IDS,
        "location_id": _IDS,
        "allowance_id": _IDS,
        "task_id": _IDS,
        "kind": _CODE,
        "currency": _CODE,
        "staff_id": _IDS,
        "staff_label": "the staff member who gave it",
        "state": _CODE,
        "decided_by_label": "the manager who decided",
    },
    "history": {
        "id": _IDS,
        "customer_id": _IDS,
        "kind": _CODE,
        "location_id": _IDS,
        "currency": _CODE,
        "external_ref": "the till's receipt or booking number, kept so a repeat is recognised",
    },
    "idempotency_customers": {"scope": _IDS, "key": _IDS, "customer_id": _IDS},
    "idempotency_keys": {
        "scope": _IDS,
        "key": "the integrator's random key (the API reference asks for a UUID)",
    },
    "identities": {"id": _IDS, "customer_id": _IDS, "kind": _CODE},
    "location_calendar_days": dict.fromkeys(("location_id", "hours", "reason"), _STAFF),
    "locations": dict.fromkeys(
        (
            "id",
            "name",
            "kind",
            "city",
            "country",
            "time_zone",
            "opening_hours",
            "subdivision",
            "code",
            "address",
        ),
        _STAFF,
    ),
    "contact_rules": dict.fromkeys(("purpose", "quiet_from", "quiet_until"), _STAFF),
    "message_templates": dict.fromkeys(
        ("key", "language", "subject", "text", "changed_by"), _STAFF
    ),
    "merges": {
        "id": _IDS,
        "survivor_id": _IDS,
        "absorbed_id": _IDS,
        "merged_by": _IDS,
        "merged_by_label": _STAFF,
        "undone_by": _IDS,
    },
    "messages": {
        "id": _IDS,
        "customer_id": _IDS,
        "location_id": _IDS,
        "promise_id": _IDS,
        "template_key": _CODE,
        "purpose": _CODE,
        "status": _CODE,
        "channel": _CODE,
        "language": _CODE,
        "provider_ref": "the mail server's id for the message",
        "reason_key": _CODE,
    },
    "name_terms": {"customer_id": _IDS},
    "playbook_firings": {
        "id": _IDS,
        "playbook_id": _IDS,
        "customer_id": _IDS,
        "once_key": "'ever', a time bucket or a hash of the event's id",
        "event_ref": _IDS,
        "event_type": _CODE,
        "done": "ids of the tasks and messages made",
    },
    "playbook_versions": dict.fromkeys(("playbook_id", "source", "created_by_label"), _STAFF),
    "playbooks": dict.fromkeys(
        ("id", "name", "event_type", "created_by_label", "updated_by_label"), _STAFF
    ),
    "preferences": {
        "id": _IDS,
        "customer_id": _IDS,
        "polarity": _CODE,
        "category": _CODE,
        "source": _CODE,
        "location_id": _IDS,
        "recorded_by": _IDS,
        "retracted_by": _IDS,
    },
    "promises": {
        "id": _IDS,
        "customer_id": _IDS,
        "location_id": _IDS,
        "kind": _CODE,
        "made_by": _IDS,
        "made_by_label": _STAFF,
        "state": _CODE,
        "owner_id": _IDS,
        "text_key": _CODE,
        "item_product": "the catalogue's product, kept for the restock figures",
        "item_variant": "likewise",
        "item_size": "likewise",
        "closed_by_label": _STAFF,
        "notice_message_id": _IDS,
    },
    "recovery_loops": {
        "id": _IDS,
        "answer_id": _IDS,
        "customer_id": _IDS,
        "location_id": _IDS,
        "promise_id": _IDS,
        "reasons": _CODE,
        "state": _CODE,
        "root_cause": _CODE,
        "closed_by_label": _STAFF,
    },
    "recovery_rollups": dict.fromkeys(("grain", "touchpoint", "segment", "location_id"), _FIGURE),
    "root_cause_rollups": dict.fromkeys(
        ("grain", "touchpoint", "segment", "location_id", "root_cause"), _FIGURE
    ),
    "scheduled_runs": dict.fromkeys(("name", "last_result"), "a job's name and counts"),
    "sla_clocks": dict.fromkeys(
        ("id", "thread_id", "location_id", "kind", "policy_id", "state", "warning_task_id"),
        _IDS,
    ),
    "sla_policies": dict.fromkeys(("id", "name", "channel", "priority", "segment"), _STAFF),
    "login_throttles": {"key": "a staff login name or a client address that failed to log in"},
    "rate_limit_windows": {"key": "a rule's name and a hash of the address or visitor it counts"},
    "security_events": dict.fromkeys(
        ("id", "kind", "login", "staff_id", "address", "actor_id", "actor_label", "detail"),
        "staff logins and where they came from; never a customer's data",
    ),
    "staff": dict.fromkeys(
        ("id", "login", "full_name", "role", "language", "password_hash", "location_ids"), _STAFF
    ),
    "stock_levels": dict.fromkeys(("product", "variant", "size", "location_id"), _STAFF),
    "event_types": dict.fromkeys(
        ("name", "description", "schema", "acts_as", "changed_by_label"), _STAFF
    ),
    "catalog_items": dict.fromkeys(
        (
            "code",
            "kind",
            "shown_code",
            "parent_code",
            "names",
            "brand",
            "size",
            "colour",
            "attributes",
            "search_text",
        ),
        _STAFF,
    ),
    "catalog_stock": dict.fromkeys(("code", "location_id"), _STAFF),
    "catalog_stock_moves": dict.fromkeys(("code", "location_id", "key"), _STAFF),
    "survey_answers": {
        "id": _IDS,
        "invitation_id": _IDS,
        "survey_id": _IDS,
        "kind": _CODE,
        "customer_id": _IDS,
        "location_id": _IDS,
        "staff_id": _IDS,
        "staff_label": _STAFF,
        "touchpoint": _CODE,
        "segment": _CODE,
        "language": _CODE,
        "choices": "keys of the survey's own choices",
        "sentiment": "the text model's label, kept for the figures",
        "emotions": "the text model's labels, kept for the CX index",
        "reading_model": "the text model's version",
    },
    "survey_caps": {"customer_id": _IDS},
    "survey_invitations": {
        "id": _IDS,
        "survey_id": _IDS,
        "customer_id": _IDS,
        "location_id": _IDS,
        "staff_id": _IDS,
        "touchpoint": _CODE,
        "cause": "'api' or the event's source and id",
        "message_id": _IDS,
    },
    "surveys": dict.fromkeys(
        ("id", "name", "kind", "touchpoint", "texts", "choices", "location_id", "created_by_label"),
        _STAFF,
    ),
    # Tonight's book (ADR 0051): a location's capacity and the tables a host holds, with the host's
    # own reason ("peak: walk-ins"); a hold names no customer.
    "capacity_holds": {
        **dict.fromkeys(("id", "location_id", "playbook_id"), _IDS),
        **dict.fromkeys(("kind", "state"), _CODE),
        **dict.fromkeys(("reason", "created_by_label", "ended_by_label", "service"), _STAFF),
    },
    "location_capacities": {"location_id": _IDS, "changed_by_label": _STAFF},
    # A location's services and room types with their numbers (ADR 0055): the business's own.
    "capacity_services": {
        "location_id": _IDS,
        "kind": _CODE,
        **dict.fromkeys(("name", "starts", "ends"), _STAFF),
    },
    "tasks": {
        "id": _IDS,
        "kind": _CODE,
        "location_id": _IDS,
        "customer_id": _IDS,
        "promise_id": _IDS,
        "assignee_id": _IDS,
        "assignee_role": _CODE,
        "team_id": _IDS,
        "goodwill_currency": _CODE,
        "title_key": _CODE,
        "note_key": _CODE,
        "created_by_label": _STAFF,
        "done_by_label": _STAFF,
    },
    "teams": dict.fromkeys(("id", "name", "location_id", "member_ids"), _STAFF),
    "thread_messages": {
        "id": _IDS,
        "thread_id": _IDS,
        "direction": _CODE,
        "channel": _CODE,
        "author_id": _IDS,
        "outbox_message_id": _IDS,
    },
    "thread_notes": {
        "id": _IDS,
        "thread_id": _IDS,
        "author_id": _IDS,
        "author_label": _STAFF,
    },
    "stream_positions": {"stream": "the JetStream stream's name, set by the operator"},
    "threads": {
        "sender_proof": _CODE,
        "id": _IDS,
        "customer_id": _IDS,
        "location_id": _IDS,
        "channel": _CODE,
        "status": _CODE,
        "priority": _CODE,
        "language": _CODE,
        "segment": _CODE,
        "assignee_id": _IDS,
        "team_id": _IDS,
        "next_due_kind": _CODE,
        "reply_promise_id": _IDS,
    },
    "timers": dict.fromkeys(("id", "kind", "subject_id"), _IDS),
}
