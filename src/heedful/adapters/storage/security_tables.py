"""Login throttles and the security events log (staff logins, lockouts, unlocks, deactivations)."""

from __future__ import annotations

import sqlalchemy as sa

from heedful.adapters.storage.tables import Id, UtcDateTime, metadata

# One row per login name ("login:anna") and per client address ("address:203.0.113.7") that has
# failed lately; a success deletes the account's and the address's rows.
login_throttles = sa.Table(
    "login_throttles",
    metadata,
    sa.Column("key", sa.String(200), primary_key=True),
    sa.Column("failures", sa.Integer, nullable=False),
    sa.Column("last_failure_at", UtcDateTime, nullable=False),
    sa.Column("retry_after", UtcDateTime, nullable=False),
    sa.Column("locked_at", UtcDateTime, nullable=True),
)

# Never a password: the login name as typed, the address, what happened and who did it.
security_events = sa.Table(
    "security_events",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("at", UtcDateTime, nullable=False, index=True),
    sa.Column("kind", sa.String(40), nullable=False),
    sa.Column("login", sa.String(100), nullable=False),
    sa.Column("staff_id", Id, nullable=True, index=True),
    sa.Column("address", sa.String(64), nullable=False),
    sa.Column("actor_id", Id, nullable=True),
    sa.Column("actor_label", sa.String(200), nullable=False),
    sa.Column("detail", sa.String(300), nullable=False),
)
