"""Playbooks: declarative, versioned rules the engine runs on every business event."""

from heedful.core.playbooks.firing import PlaybookIndex, fire_playbooks

__all__ = ["PlaybookIndex", "fire_playbooks"]
