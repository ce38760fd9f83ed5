"""The operators' two addresses, ``/healthz`` and ``/metrics`` (``reintegration.metrics``),
answered before any other middleware — before the host check, the HTTPS redirect, the sessions
and the request log — because a load balancer and a scraper ask by address, over plain HTTP,
many times a minute.

``/healthz`` says whether this application server can serve:

- **database** (the primary) and **cache** (Redis in production: the sessions live there): if
  either fails, this server cannot serve and answers 503, so the balancer takes it out;
- **replica** (when ``DATABASE_REPLICA_URL`` is set): its lag; behind by more than
  ``HEALTH_REPLICA_MAX_LAG`` seconds, or unreachable, is *degraded* (the dashboards then read the
  primary: ``reports.cache``), not a reason to stop serving;
- **worker**: how many jobs' workers reported lately (``jobs.Worker``); none is *degraded* — the
  jobs wait in their queue, the pages still work.

The answer names no person and no setting; it is never cached.
"""

from __future__ import annotations

import json
import logging
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.http import HttpResponse

from jobs.services import workers_alive
from reintegration.metrics import metrics_view
from reintegration.replica import REPLICA, replica_configured, replica_lag_seconds

logger = logging.getLogger(__name__)


def _timed(check) -> dict:
    start = time.perf_counter()
    try:
        result = check() or {}
        result.setdefault("ok", True)
    except Exception as error:  # any failure is the answer, never a 500
        logger.warning("health check %s failed: %s", check.__name__, type(error).__name__)
        result = {"ok": False, "error": type(error).__name__}
    result["ms"] = round((time.perf_counter() - start) * 1000, 1)
    return result


def _database() -> None:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache() -> None:
    key, value = f"healthz:{uuid.uuid4().hex}", "1"
    cache.set(key, value, 10)
    try:
        if cache.get(key) != value:
            raise RuntimeError("the cache did not keep a value")
    finally:
        cache.delete(key)


def _replica() -> dict:
    lag = replica_lag_seconds()
    return {"ok": lag <= settings.HEALTH_REPLICA_MAX_LAG, "lag_seconds": round(lag, 2)}


def _worker() -> dict:
    alive = workers_alive()
    return {"ok": alive > 0, "alive": alive}


def health() -> tuple[int, dict]:
    checks = {"database": _timed(_database), "cache": _timed(_cache)}
    if replica_configured():
        checks["replica"] = _timed(_replica)
    checks["worker"] = _timed(_worker)
    # A connection that failed is not kept for the next request.
    for alias, name in (("default", "database"), (REPLICA, "replica")):
        if "error" in checks.get(name, {}):
            connections[alias].close()
    serving = checks["database"]["ok"] and checks["cache"]["ok"]
    status = "ok" if all(check["ok"] for check in checks.values()) else ("degraded" if serving else "failing")
    return (200 if serving else 503), {"status": status, "checks": checks}


def health_view(request) -> HttpResponse:
    code, body = health()
    response = HttpResponse(json.dumps(body), status=code, content_type="application/json")
    response["Cache-Control"] = "no-store"
    return response


class OperatorEndpointsMiddleware:
    VIEWS = {"/healthz": health_view, "/metrics": metrics_view}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        view = self.VIEWS.get(request.path)
        if view is None or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        return view(request)
