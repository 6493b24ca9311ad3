"""Staff and locations: who works where, their logins, tokens and the security log."""

from heedful.core.staff.model import Location, StaffMember
from heedful.core.staff.ports import LocationRepository, StaffRepository, TokenRepository

__all__ = ["Location", "LocationRepository", "StaffMember", "StaffRepository", "TokenRepository"]
