"""Reads that may go to a PostgreSQL streaming replica (``DATABASE_REPLICA_URL``).

Only code that asks for it reads from the replica: the dashboards' figures and the exports,
which scan the national data and can be a few seconds behind. Everything else — every write,
every page a coordinator works in, and anything read inside a transaction on the primary —
stays on the primary, so that a person always sees what they have just saved.

::

    with replica_reads():
        figures = compute()  # its queries go to the replica when one is configured

``ReplicaRouter`` (``DATABASE_ROUTERS``) reads the choice made here; without a replica in the
settings it routes nothing and ``replica_reads`` changes nothing.
"""

from __future__ import annotations

import contextlib
from contextvars import ContextVar

from django.conf import settings
from django.db import connections

from reintegration.metrics import REPLICA_READS

REPLICA = "replica"

_reading_replica: ContextVar[bool] = ContextVar("reading_replica", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextlib.contextmanager
def replica_reads(enabled: bool = True):
    """Inside this block, reads may go to the replica (``enabled`` False keeps them on the
    primary: the caller found the replica behind)."""
    token = _reading_replica.set(enabled and replica_configured())
    try:
        yield
    finally:
        _reading_replica.reset(token)


def replica_lag_seconds() -> float | None:
    """How far behind the primary the replica is, in seconds (0 when it has replayed all it has
    received); None without a replica. Raises the database's error when it cannot be reached."""
    if not replica_configured():
        return None
    with connections[REPLICA].cursor() as cursor:
        cursor.execute(
            "SELECT CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0"
            " ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) END"
        )
        (lag,) = cursor.fetchone()
    return float(lag or 0)


class ReplicaRouter:
    """Send a read to the replica only inside ``replica_reads()`` and never while the primary
    is inside a transaction (what it read there must be what it is about to write on)."""

    def db_for_read(self, model, **hints):
        if _reading_replica.get() and not connections["default"].in_atomic_block:
            REPLICA_READS.inc()
            return REPLICA
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same data on both

    def allow_migrate(self, db, app_label, **hints):
        return db == "default"  # the replica follows the primary: nothing is migrated on it
