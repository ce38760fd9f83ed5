"""Dashboard figures cached under the version of the data they were computed on.

Computing a national dashboard scans every case file and project; reading it again and again
should not. Each computed result is cached under ``(data version, what it is, the filters and
scope)``. The data version (``FiguresVersion``) is bumped *after* every commit that saves or
deletes a record the figures read (signals below, ``transaction.on_commit``), so:

- a page read once a committed change has bumped the version computes anew;
- a result computed while a change was committing is stored under the old version, which no
  later read asks for.

Between a commit and its bump (the time of one UPDATE) a page may still show the figures of
just before the change.

The version lives in the database, shared by every process; results may live in any cache
(each process's memory by default, Redis in production). With a streaming replica
(``DATABASE_REPLICA_URL``) a result is computed there when the replica has replayed the version
read on the primary — so it holds every change that version stands for — and on the primary
otherwise (the replica is behind, or unreachable): a result is never stored under a version whose
changes it has not seen. ``DASHBOARD_CACHE_SECONDS`` bounds
how long a result is kept (0 turns caching off), which also covers a process that died
between a commit and its bump.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.db.models import F
from django.db.models.signals import post_delete, post_migrate, post_save

from reintegration.replica import REPLICA, replica_configured, replica_reads
from reports.filters import DashboardFilters
from reports.models import FiguresVersion

# The models the figures read (labels excepted: they are read afresh on every page).
WATCHED = (
    "beneficiaries.Beneficiary",
    "projects.LifeProject",
    "projects.Commitment",
    "projects.FollowUpVisit",
    "projects.Envelope",
    "projects.EnvelopeFunder",
    "projects.Trade",
    "distributions.Handover",
    "distributions.Event",
    "distributions.Operation",
    "reintegration.Province",
)
# Part of every key: a release that changes what the figures mean never reads older ones.
SCHEMA = 1


def current_version() -> int:
    row = FiguresVersion.objects.filter(pk=1).values_list("version", flat=True).first()
    return row or 0


def replica_caught_up(version: int) -> bool:
    """Whether the replica holds every change up to the figures' ``version`` (read on the primary)."""
    if not replica_configured():
        return False
    try:
        replayed = FiguresVersion.objects.using(REPLICA).filter(pk=1).values_list("version", flat=True).first()
    except DatabaseError:
        return False
    return (replayed or 0) >= version


def _bump_now() -> None:
    if not FiguresVersion.objects.filter(pk=1).update(version=F("version") + 1):
        FiguresVersion.objects.get_or_create(pk=1, defaults={"version": 1})


def bump() -> None:
    """Bump the version once the current transaction commits (at once outside one). ``robust``:
    a failed bump is logged, never turned into an error for a change already committed."""
    transaction.on_commit(_bump_now, robust=True)


def _changed(sender, **kwargs) -> None:
    if kwargs.get("raw"):
        return  # fixtures being loaded
    bump()


def connect() -> None:
    """Watch every model the figures read (called from ``ReportsConfig.ready``). Bulk writes
    (``update``, ``bulk_create``: the demo, the bench, migrations) call ``bump`` themselves."""
    for label in WATCHED:
        model = apps.get_model(label)
        uid = f"reports.cache:{label}"
        post_save.connect(_changed, sender=model, dispatch_uid=f"{uid}:save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}:delete")
    post_migrate.connect(_changed, dispatch_uid="reports.cache:migrate")


class FigureCache:
    """The cached results of one page: read the version once, then ``get(name, compute)``
    (or ``peek(name)``: what is there, without computing)."""

    def __init__(self, filters: DashboardFilters):
        self.seconds = settings.DASHBOARD_CACHE_SECONDS
        self.version = current_version() if self.seconds else 0
        scope = filters.scope_centre.pk if filters.scope_centre else "national"
        # Publication hides cells after the figures are computed: both read the same figures.
        params = "&".join(f"{k}={v}" for k, v in sorted(filters.params().items()) if k != "publication")
        digest = hashlib.sha256(f"{scope}|{params}|{filters.today.isoformat()}".encode()).hexdigest()[:32]
        self.prefix = f"reports:{SCHEMA}:{self.version}:{digest}"
        self._on_replica: bool | None = None  # decided at the first computation

    def _compute(self, compute: Callable[[], object]):
        if self._on_replica is None:
            self._on_replica = replica_caught_up(self.version) if self.seconds else replica_configured()
        with replica_reads(self._on_replica):
            return compute()

    def peek(self, name: str):
        return cache.get(f"{self.prefix}:{name}") if self.seconds else None

    def get(self, name: str, compute: Callable[[], object]):
        if not self.seconds:
            return self._compute(compute)
        key = f"{self.prefix}:{name}"
        value = cache.get(key)
        if value is None:
            value = self._compute(compute)
            cache.set(key, value, self.seconds)
        return value
