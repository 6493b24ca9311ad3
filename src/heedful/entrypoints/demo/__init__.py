"""Demo data: four businesses, their staff and a few hundred customers with eighteen months of
history, loaded through the core's handlers. ``heedful demo`` calls ``load_demo``.

The seeds' stories are named customers (``stories.STORIES``): the guest who never wants sparkling
water in his minibar, the regular whose "as usual!" is inferred, the client waiting for a sold-out
handbag, the bank VIP who is called before a decline, and one person held as two records
(Анастасія Коваленко and Настя Коваленко) for the merge-and-undo walk-through.
"""

from heedful.entrypoints.demo.load import DemoLogin, demo_logins, is_loaded, load_demo
from heedful.entrypoints.demo.stories import STORIES, StoryCustomer

__all__ = ["STORIES", "DemoLogin", "StoryCustomer", "demo_logins", "is_loaded", "load_demo"]
