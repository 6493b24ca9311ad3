"""Who is acting, and what their role and locations let them see and change."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from heedful.core.shared.errors import Forbidden


class Role(StrEnum):
    ADMIN = "admin"
    MANAGER = "manager"
    AGENT = "agent"
    # Mystery shoppers audit the service; they must never see who the customers are.
    EVALUATOR = "evaluator"


class Permission(StrEnum):
    VIEW_CUSTOMERS = "view_customers"
    EDIT_CUSTOMERS = "edit_customers"
    MERGE_CUSTOMERS = "merge_customers"
    UNDO_MERGE = "undo_merge"
    EXPORT_CUSTOMER = "export_customer"
    ERASE_CUSTOMER = "erase_customer"
    MANAGE_TOKENS = "manage_tokens"
    MANAGE_STAFF = "manage_staff"
    VIEW_AUDIT_LOG = "view_audit_log"
    IMPORT_DATA = "import_data"
    MAKE_PROMISES = "make_promises"
    SEND_EVENTS = "send_events"
    MANAGE_PLAYBOOKS = "manage_playbooks"
    MANAGE_OUTBOX = "manage_outbox"
    VIEW_REPORTS = "view_reports"
    ANSWER_CONVERSATIONS = "answer_conversations"
    MANAGE_SLA = "manage_sla"
    MANAGE_DEAD_LETTERS = "manage_dead_letters"  # admins only: records across every location
    MANAGE_EVENT_TYPES = "manage_event_types"  # admins only: what every sender may send
    GIVE_GOODWILL = "give_goodwill"  # a dessert on the house, from one's own allowance
    APPROVE_GOODWILL = "approve_goodwill"  # a spend above the threshold waits for a manager
    MANAGE_GOODWILL = "manage_goodwill"  # set who may give what, where, per week or month
    # Service audits (ADR 0039): managers run programmes and review visits; evaluators fill theirs.
    MANAGE_AUDITS = "manage_audits"
    DO_AUDITS = "do_audits"


_GRANTS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.MANAGER: frozenset(
        {
            Permission.VIEW_CUSTOMERS,
            Permission.EDIT_CUSTOMERS,
            Permission.MERGE_CUSTOMERS,
            Permission.VIEW_AUDIT_LOG,
            Permission.IMPORT_DATA,
            Permission.MAKE_PROMISES,
            Permission.SEND_EVENTS,
            Permission.MANAGE_PLAYBOOKS,
            Permission.MANAGE_OUTBOX,
            Permission.VIEW_REPORTS,
            Permission.ANSWER_CONVERSATIONS,
            Permission.MANAGE_SLA,
            Permission.GIVE_GOODWILL,
            Permission.APPROVE_GOODWILL,
            Permission.MANAGE_GOODWILL,
            Permission.MANAGE_AUDITS,
        }
    ),
    Role.AGENT: frozenset(
        {
            Permission.VIEW_CUSTOMERS,
            Permission.EDIT_CUSTOMERS,
            Permission.MAKE_PROMISES,
            Permission.ANSWER_CONVERSATIONS,
            Permission.GIVE_GOODWILL,
        }
    ),
    Role.EVALUATOR: frozenset({Permission.DO_AUDITS}),
}


@dataclass(frozen=True)
class Actor:
    """A staff member, an API token or the system itself, as the rules see it.

    ``location_ids`` is None for actors who see every location (admins, the system);
    managers and agents carry the set of locations they work at.
    """

    id: str
    label: str
    role: Role
    location_ids: frozenset[str] | None = None

    def may(self, permission: Permission) -> bool:
        return permission in _GRANTS[self.role]

    def require(self, permission: Permission) -> None:
        if not self.may(permission):
            raise Forbidden(
                f"the {self.role.value} role may not {permission.value.replace('_', ' ')}"
            )

    @property
    def sees_every_location(self) -> bool:
        return self.role is Role.ADMIN or self.location_ids is None

    def may_see_customer_at(self, customer_location_ids: Iterable[str]) -> bool:
        if not self.may(Permission.VIEW_CUSTOMERS):
            return False
        if self.sees_every_location:
            return True
        assert self.location_ids is not None
        return not self.location_ids.isdisjoint(customer_location_ids)

    def may_act_at(self, location_id: str | None) -> bool:
        if self.sees_every_location or location_id is None:
            return True
        assert self.location_ids is not None
        return location_id in self.location_ids

    @property
    def scope(self) -> frozenset[str] | None:
        """The locations this actor's acts are bounded by; None: every location."""
        return None if self.sees_every_location else self.location_ids


SYSTEM = Actor(id="system", label="Heedful", role=Role.ADMIN, location_ids=None)
