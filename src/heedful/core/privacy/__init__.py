"""A customer's rights over her data: the export of everything kept on her, and erasure.

Both reach into every room that keeps her records, so this room sits above them all.
"""

from heedful.core.privacy.erasure import erase_customer, export_customer

__all__ = ["erase_customer", "export_customer"]
