"""Standing interests and the index that matches business events against them.

Pure matching, below every room that states an interest (promises, preferences, playbook
triggers) and below the engine that reacts to what matched.
"""

from heedful.core.interests.index import InterestIndex, naive_match
from heedful.core.interests.model import Bound, Interest, is_number

__all__ = ["Bound", "Interest", "InterestIndex", "is_number", "naive_match"]
