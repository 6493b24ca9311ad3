"""Staff and locations: who works where, their logins, tokens and the security log."""

from heedful.core.staff.model import Location, StaffMember
from heedful.core.staff.owners import (
    Owner,
    OwnerRepository,
    OwnersFollowMerge,
    assign_owner,
    owners_of,
    remove_owner,
    set_owner,
)
from heedful.core.staff.ports import LocationRepository, StaffRepository, TokenRepository

__all__ = [
    "Location",
    "LocationRepository",
    "Owner",
    "OwnerRepository",
    "OwnersFollowMerge",
    "StaffMember",
    "StaffRepository",
    "TokenRepository",
    "assign_owner",
    "owners_of",
    "remove_owner",
    "set_owner",
]
