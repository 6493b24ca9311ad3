"""Who may see and change what: actors, roles, permissions, and the customer access check."""

from heedful.core.access.model import SYSTEM, Actor, Permission, Role
from heedful.core.access.visibility import VisibleCustomer, load_customer, scope_of

__all__ = ["SYSTEM", "Actor", "Permission", "Role", "VisibleCustomer", "load_customer", "scope_of"]
