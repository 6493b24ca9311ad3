"""Playbooks: declarative, versioned rules the engine runs on every business event."""
