"""Words staff read for the core's stored values: enums, habit attributes and audit actions.

The core stores stable English codes ("never", "at_risk"); staff read them in their own language.
Each msgid is marked with ``N_`` so that ``pybabel extract`` finds it; translation happens when a
page is rendered, in the reader's language.
"""

from __future__ import annotations

from enum import StrEnum

from heedful.core.access.model import Role
from heedful.core.customers.channels import Channel
from heedful.core.customers.consent import Purpose
from heedful.core.customers.duplicates import Likeness
from heedful.core.customers.identities import IdentityKind
from heedful.core.customers.model import Segment
from heedful.core.dead_letters.model import LetterKind, LetterState
from heedful.core.history.model import HistoryKind
from heedful.core.outreach.outbox import MessageStatus
from heedful.core.preferences.model import Category, Polarity, Source
from heedful.core.promises.model import EvidenceKind, PromiseKind, PromiseState
from heedful.core.staff.model import LocationKind, SecurityEventKind
from heedful.core.tasks.model import TaskKind


def N_(message: str) -> str:  # noqa: N802 - the gettext convention pybabel looks for
    """Mark a string for extraction without translating it yet."""
    return message


POLARITY: dict[str, str] = {
    Polarity.NEVER: N_("Never"),
    Polarity.DISLIKE: N_("Dislikes"),
    Polarity.LIKE: N_("Likes"),
}
SOURCE: dict[str, str] = {
    Source.SAID: N_("Said by the customer"),
    Source.OBSERVED: N_("Observed by staff"),
    Source.INFERRED: N_("Inferred from history"),
}
# Categories are plural ("Drinks") and habit attributes singular ("Drink: espresso"): in Russian
# and Ukrainian they are different words, so they must be different msgids.
CATEGORY: dict[str, str] = {
    Category.DRINK: N_("Drinks"),
    Category.FOOD: N_("Food"),
    Category.ROOM: N_("Room"),
    Category.SIZE: N_("Sizes"),
    Category.BRAND: N_("Brands"),
    Category.PRODUCT: N_("Products"),
    Category.SEATING: N_("Seating"),
    Category.COMMUNICATION: N_("Communication"),
    Category.SERVICE: N_("Service"),
    Category.OTHER: N_("Other"),
}
CHANNEL: dict[str, str] = {
    Channel.EMAIL: N_("E-mail"),
    Channel.SMS: N_("SMS"),
    Channel.MESSENGER: N_("Messenger"),
    Channel.PHONE: N_("Phone calls"),
}
CHANNEL_IN_TEXT: dict[str, str] = {
    Channel.EMAIL: N_("e-mail"),
    Channel.SMS: N_("SMS"),
    Channel.MESSENGER: N_("messenger"),
    Channel.PHONE: N_("phone calls"),
}
PURPOSE: dict[str, str] = {
    Purpose.SERVICE: N_("Service messages"),
    Purpose.MARKETING: N_("Marketing"),
    Purpose.SURVEYS: N_("Surveys"),
}
SEGMENT: dict[str, str] = {
    Segment.NEW: N_("New"),
    Segment.REGULAR: N_("Regular"),
    Segment.VIP: N_("VIP"),
    Segment.AT_RISK: N_("At risk"),
}
ROLE: dict[str, str] = {
    Role.ADMIN: N_("Administrator"),
    Role.MANAGER: N_("Manager"),
    Role.AGENT: N_("Front-line staff"),
    Role.EVALUATOR: N_("Mystery shopper"),
}
IDENTITY_KIND: dict[str, str] = {
    IdentityKind.EMAIL: N_("E-mail"),
    IdentityKind.PHONE: N_("Phone"),
    IdentityKind.LOYALTY_CARD: N_("Loyalty card"),
    IdentityKind.MESSENGER: N_("Messenger"),
    IdentityKind.EXTERNAL: N_("External ID"),
}
HISTORY_KIND: dict[str, str] = {
    HistoryKind.PURCHASE: N_("Purchase"),
    HistoryKind.VISIT: N_("Visit"),
}
PROMISE_KIND: dict[str, str] = {
    PromiseKind.TELL_WHEN_AVAILABLE: N_("Tell when available"),
    PromiseKind.CALL_BACK: N_("Call back"),
    PromiseKind.REPLY_BY: N_("Reply by a deadline"),
    PromiseKind.REFUND_BY: N_("Refund by a deadline"),
    PromiseKind.DELIVER_BY: N_("Deliver by a deadline"),
    PromiseKind.OTHER: N_("Another promise"),
    PromiseKind.RECOVER: N_("Win the customer back"),
}
PROMISE_STATE: dict[str, str] = {
    PromiseState.OPEN: N_("Open"),
    PromiseState.KEPT: N_("Kept"),
    PromiseState.KEPT_LATE: N_("Kept late"),
    PromiseState.BROKEN: N_("Broken"),
    PromiseState.CANCELLED: N_("Cancelled"),
    PromiseState.WITHDRAWN: N_("Withdrawn by the customer"),
}
EVIDENCE_KIND: dict[str, str] = {
    EvidenceKind.MADE: N_("Promise made"),
    EvidenceKind.MESSAGE_QUEUED: N_("Message queued"),
    EvidenceKind.MESSAGE_SENT: N_("Message sent"),
    EvidenceKind.MESSAGE_NOT_SENT: N_("Message not sent"),
    EvidenceKind.STAFF_ACTION: N_("Done by staff"),
    EvidenceKind.EVENT: N_("Event"),
    EvidenceKind.REMINDER: N_("Reminder"),
    EvidenceKind.DEADLINE_PASSED: N_("Deadline passed"),
    EvidenceKind.STATE_CHANGED: N_("Closed"),
}
MESSAGE_STATUS: dict[str, str] = {
    MessageStatus.QUEUED: N_("Queued"),
    MessageStatus.HELD: N_("Held"),
    MessageStatus.RETRYING: N_("Retrying"),
    MessageStatus.SENT: N_("Sent"),
    MessageStatus.SUPPRESSED: N_("Suppressed"),
    MessageStatus.CAPPED: N_("Frequency cap reached"),
    MessageStatus.DEAD: N_("Dead"),
}
TASK_KIND: dict[str, str] = {
    TaskKind.PROMISE_REMINDER: N_("Promise due soon"),
    TaskKind.PROMISE_ESCALATION: N_("Broken promise"),
    TaskKind.CALL_CUSTOMER: N_("Call the customer"),
    TaskKind.FOLLOW_UP: N_("Follow up"),
    TaskKind.BY_HAND: N_("Task"),
}

_BY_ENUM: dict[type[StrEnum], dict[str, str]] = {
    Polarity: POLARITY,
    Source: SOURCE,
    Category: CATEGORY,
    Channel: CHANNEL,
    Purpose: PURPOSE,
    Segment: SEGMENT,
    Role: ROLE,
    IdentityKind: IDENTITY_KIND,
    HistoryKind: HISTORY_KIND,
    PromiseKind: PROMISE_KIND,
    PromiseState: PROMISE_STATE,
    EvidenceKind: EVIDENCE_KIND,
    MessageStatus: MESSAGE_STATUS,
    TaskKind: TASK_KIND,
    LocationKind: {
        LocationKind.BOUTIQUE: N_("Boutique"),
        LocationKind.SHOP: N_("Shop"),
        LocationKind.HOTEL: N_("Hotel"),
        LocationKind.RESTAURANT: N_("Restaurant"),
        LocationKind.BANK_BRANCH: N_("Bank branch"),
    },
    LetterKind: {
        LetterKind.EVENT: N_("Business event"),
        LetterKind.MESSAGE: N_("Outbox message"),
        LetterKind.TIMER: N_("Timer"),
        LetterKind.JOB: N_("Scheduled job"),
    },
    LetterState: {
        LetterState.RETRYING: N_("Retrying"),
        LetterState.DEAD: N_("Set aside"),
        LetterState.DISCARDED: N_("Discarded"),
    },
    Likeness: {
        Likeness.SAME_PHONE: N_("Same phone in another form"),
        Likeness.SAME_NAME_AND_BIRTHDAY: N_("Same name and birthday"),
    },
    SecurityEventKind: {
        SecurityEventKind.LOGIN_SUCCEEDED: N_("Logged in"),
        SecurityEventKind.LOGIN_FAILED: N_("Wrong login or password"),
        SecurityEventKind.LOGIN_REFUSED: N_("Login refused"),
        SecurityEventKind.ACCOUNT_LOCKED: N_("Account locked"),
        SecurityEventKind.ACCOUNT_UNLOCKED: N_("Account unlocked"),
        SecurityEventKind.LOGGED_OUT: N_("Logged out"),
        SecurityEventKind.STAFF_DEACTIVATED: N_("Account deactivated"),
    },
}

# Free-form codes: history item attributes that "the usual" forms on, and audit-log actions.
_BY_KIND: dict[str, dict[str, str]] = {
    "attribute": {
        "item": N_("Item"),
        "size": N_("Size"),
        "brand": N_("Brand"),
        "drink": N_("Drink"),
        "dish": N_("Dish"),
        "room_type": N_("Room type"),
        "table": N_("Table"),
        "colour": N_("Colour"),
    },
    "action": {
        "customer.created": N_("Customer created"),
        "customer.updated": N_("Profile changed"),
        "customer.location_linked": N_("Linked to a location"),
        "customer.exported": N_("Data exported"),
        "customer.erased": N_("Personal data erased"),
        "identity.added": N_("Contact added"),
        "identity.removed": N_("Contact removed"),
        "consent.granted": N_("Consent given"),
        "consent.withdrawn": N_("Consent withdrawn"),
        "preference.recorded": N_("Preference recorded"),
        "preference.retracted": N_("Preference retracted"),
        "customers.merged": N_("Records merged"),
        "customers.merge_undone": N_("Merge undone"),
        "purchase.recorded": N_("Purchase recorded"),
        "visit.recorded": N_("Visit recorded"),
        "promise.made": N_("Promise made"),
        "promise.kept": N_("Promise kept"),
        "promise.cancelled": N_("Promise cancelled"),
        "promise.withdrawn": N_("Promise withdrawn by the customer"),
        "task.done": N_("Task done"),
        "recovery.opened": N_("Recovery opened"),
        "recovery.closed": N_("Recovery closed"),
        "message.requeued": N_("Message sent again"),
        "dead_letter.retried": N_("Failed record put back in the queue"),
        "dead_letter.discarded": N_("Failed record discarded"),
        "customer.contact_rules": N_("Her own quiet hours or channels changed"),
        # What an admin set up (the setup checklist's recent changes).
        "staff.created": N_("Staff member invited"),
        "staff.access_changed": N_("Role or locations changed"),
        "staff.password_reset": N_("Password reset"),
        "location.created": N_("Location added"),
        "location.changed": N_("Location details changed"),
        "location.hours_changed": N_("Opening hours changed"),
        "location.day_set": N_("Own date set"),
        "location.day_removed": N_("Own date removed"),
        "team.created": N_("Team created"),
        "team.members_changed": N_("Team members changed"),
        "sla_policy.created": N_("SLA policy created"),
        "sla_policy.changed": N_("SLA policy changed"),
        "sla_policy.deactivated": N_("SLA policy switched off"),
        "contact_rules.changed": N_("Quiet hours or caps changed"),
        "message_template.saved": N_("Message template saved"),
        "message_template.removed": N_("Own message template removed"),
        "message_template.test_sent": N_("Message template sent as a test"),
    },
    # What each message template is for (the outbox's template key).
    "template": {
        "back_in_stock": N_("Back in stock"),
        "card_expiring": N_("The card expires before the next charge"),
        "charge_will_fail": N_("Tomorrow's charge will not go through"),
        "delivery_late": N_("The delivery is late"),
        "parcel_waiting": N_("The parcel waits at the pick-up point"),
        "conversation_reply": N_("Reply in a conversation"),
        "liked_item_in_stock": N_("Something she likes is in stock"),
        "offer_at_favourite_place": N_("Offer at her favourite place"),
        "promise_reminder": N_("Promise reminder"),
        "survey_invitation": N_("Survey invitation"),
        "wait_expired": N_("The wait is over"),
        "waiting_line_joined": N_("Her place in line"),
        "waiting_line_moved": N_("Her place in line moved"),
    },
    "weekday": {
        "mon": N_("Monday"),
        "tue": N_("Tuesday"),
        "wed": N_("Wednesday"),
        "thu": N_("Thursday"),
        "fri": N_("Friday"),
        "sat": N_("Saturday"),
        "sun": N_("Sunday"),
    },
    # The outbox's channel, as the relay records it.
    "channel": {**CHANNEL, "webhook": N_("Webhook")},
    # A channel inside a sentence ("Stop marketing messages by e-mail?"): the unsubscribe page.
    "channel_in_text": CHANNEL_IN_TEXT,
    # A promise's evidence notes that are the core's own words, not what staff typed.
    "evidence": {
        PromiseState.KEPT: N_("Kept"),
        PromiseState.KEPT_LATE: N_("Kept late"),
        PromiseState.BROKEN: N_("Broken"),
        PromiseState.CANCELLED: N_("Cancelled"),
        PromiseState.WITHDRAWN: N_("Withdrawn by the customer"),
        "done": N_("done"),
        "the customer no longer wants it": N_("the customer no longer wants it"),
        "owner reminded": N_("the owner was reminded"),
        "customer to be told": N_("the customer is to be told"),
        "the customer was told": N_("the customer was told"),
        "wait expired": N_("the wait expired"),
        "the wait expired before the item came back": N_(
            "the wait expired before the item came back"
        ),
        "deadline passed": N_("the deadline passed"),
        "the deadline passed": N_("the deadline passed"),
        "the stock went before the customer could be told": N_(
            "the stock went before the customer could be told"
        ),
    },
    # Why a login was refused without checking the password (core/staff/logins.py).
    "security_detail": {
        "locked": N_("the account is locked"),
        "throttled": N_("too many failed tries: waiting"),
    },
    # What an erasure reports it removed (heedful.core.privacy.erase_customer).
    "removed": {
        "identity": N_("Contacts removed"),
        "preference": N_("Preferences removed"),
        "consent": N_("Consent decisions removed"),
        "history_notes": N_("Notes cleared from purchases and visits"),
        "audit_values": N_("Audit entries stripped of personal values"),
        "merge_snapshots": N_("Merge snapshots cleared"),
        "merge_records": N_("Merge records cleared"),
        "promise_texts": N_("Promise texts cleared"),
        "message_contents": N_("Message contents cleared"),
        "task_notes": N_("Task notes cleared"),
        "survey_comments": N_("Survey comments cleared"),
        "contact_rules": N_("Her own quiet hours and channel order removed"),
    },
}


def msgid_for(value: object, kind: str | None = None) -> str:
    """The untranslated label of a stored value; an unknown code is shown as it is."""
    if kind is not None:
        return _BY_KIND.get(kind, {}).get(str(value), str(value))
    if isinstance(value, StrEnum):
        return _BY_ENUM.get(type(value), {}).get(value.value, value.value)
    return str(value)
