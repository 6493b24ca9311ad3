"""Reports drawn for people to keep: the audit report PDF (ADR 0046)."""
