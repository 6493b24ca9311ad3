"""The proactive engine: standing interests and the index that matches events against them."""

from heedful.core.engine.index import InterestIndex, naive_match
from heedful.core.engine.interests import Bound, Interest

__all__ = ["Bound", "Interest", "InterestIndex", "naive_match"]
