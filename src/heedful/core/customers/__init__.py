"""Customers: one record per person, her identities, consents, merges and the audit of changes.

Other rooms use only the names exported here (ADR 0031).
"""

from heedful.core.customers.audit import AuditEntry, audit
from heedful.core.customers.channels import SENT_TO, Channel
from heedful.core.customers.commands import CreateCustomer, IdentifyCustomer, NewIdentity
from heedful.core.customers.consent import ConsentDecision, Purpose, current_consents, may_contact
from heedful.core.customers.file_names import FindsCustomers, customer_in_file
from heedful.core.customers.handlers import create_customer, note_location
from heedful.core.customers.identities import Identity, IdentityKind, guess_kind, normalise_identity
from heedful.core.customers.merge import MergeRecord
from heedful.core.customers.merging import identify_customer
from heedful.core.customers.model import (
    LANGUAGES,
    Customer,
    CustomerStatus,
    Segment,
    check_language,
    check_time_zone,
    fold,
)
from heedful.core.customers.redaction import ERASED_NAME, needles, redact_within

__all__ = [
    "ERASED_NAME",
    "LANGUAGES",
    "SENT_TO",
    "AuditEntry",
    "Channel",
    "ConsentDecision",
    "CreateCustomer",
    "Customer",
    "CustomerStatus",
    "FindsCustomers",
    "IdentifyCustomer",
    "Identity",
    "IdentityKind",
    "MergeRecord",
    "NewIdentity",
    "Purpose",
    "Segment",
    "audit",
    "check_language",
    "check_time_zone",
    "create_customer",
    "current_consents",
    "customer_in_file",
    "fold",
    "guess_kind",
    "identify_customer",
    "may_contact",
    "needles",
    "normalise_identity",
    "note_location",
    "redact_within",
]
