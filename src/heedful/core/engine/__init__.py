"""The proactive engine: reacts to each stored business event, in order (``reactions.py``)."""
