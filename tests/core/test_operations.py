"""What the operators rely on: /healthz for the load balancer, /metrics for the scraper, one log
line per request with its id and the user's id (never a query string), the client's address
behind the proxy, the jobs' workers heard from, and reads sent to the replica only where asked."""

import datetime
import json
import logging
import re

import pytest
from django.db import connections, transaction
from django.test import Client
from django.utils import timezone

from beneficiaries.models import Beneficiary
from jobs.choices import JobStatus
from jobs.models import Job, Worker
from jobs.services import worker_beat, worker_leave, workers_alive
from reintegration import replica
from reintegration.logs import JsonFormatter, RequestContextFilter
from reintegration.replica import ReplicaRouter, replica_reads
from reports import cache as figures_cache
from reports.filters import DashboardFilters
from tests.factories import BeneficiaryFactory

pytestmark = pytest.mark.django_db


def _health(client=None, **extra):
    response = (client or Client()).get("/healthz", **extra)
    return response, json.loads(response.content)


# --- /healthz ------------------------------------------------------------------------------


def test_health_answers_before_the_host_check_and_the_https_redirect(settings):
    """A load balancer asks by address over plain HTTP: neither may turn it away."""
    settings.ALLOWED_HOSTS = ["reintegration.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    worker_beat("host-a:1", started_at=timezone.now())
    response, body = _health(HTTP_HOST="10.0.0.12:8001")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] and body["checks"]["cache"]["ok"]
    assert body["checks"]["worker"] == {"ok": True, "alive": 1, "ms": body["checks"]["worker"]["ms"]}
    assert "replica" not in body["checks"]  # none configured
    # The same address elsewhere is an ordinary page, refused for its host.
    assert Client().get("/healthz/", HTTP_HOST="10.0.0.12:8001").status_code == 400


def test_health_is_degraded_not_failing_without_a_worker():
    """No worker: jobs wait, pages still work; the balancer keeps the server."""
    worker_beat("host-a:1", started_at=timezone.now())
    Worker.objects.update(beat_at=timezone.now() - datetime.timedelta(minutes=5))
    response, body = _health()
    assert response.status_code == 200
    assert body["status"] == "degraded"
    assert body["checks"]["worker"]["ok"] is False and body["checks"]["worker"]["alive"] == 0


def test_health_fails_when_the_cache_keeps_nothing(settings):
    """The sessions live in the cache: a server that cannot reach it cannot serve."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    response, body = _health()
    assert response.status_code == 503
    assert body["status"] == "failing"
    assert body["checks"]["cache"] == {"ok": False, "error": "RuntimeError", "ms": body["checks"]["cache"]["ms"]}


def test_health_fails_when_the_database_does_not_answer(monkeypatch):
    def broken(*args, **kwargs):
        raise connections["default"].Database.OperationalError("gone")

    monkeypatch.setattr("reintegration.health._database", broken)
    response, body = _health()
    assert response.status_code == 503
    assert body["checks"]["database"]["ok"] is False
    assert body["checks"]["database"]["error"] == "OperationalError"


def test_health_reports_the_replicas_lag(monkeypatch, settings):
    settings.HEALTH_REPLICA_MAX_LAG = 30
    worker_beat("host-a:1", started_at=timezone.now())
    monkeypatch.setattr("reintegration.health.replica_configured", lambda: True)
    monkeypatch.setattr("reintegration.health.replica_lag_seconds", lambda: 2.5)
    response, body = _health()
    assert (response.status_code, body["status"], body["checks"]["replica"]["lag_seconds"]) == (200, "ok", 2.5)
    monkeypatch.setattr("reintegration.health.replica_lag_seconds", lambda: 95.0)
    response, body = _health()
    assert (response.status_code, body["status"], body["checks"]["replica"]["ok"]) == (200, "degraded", False)


# --- the jobs' workers ------------------------------------------------------------------------


def test_a_worker_beats_and_leaves(settings):
    settings.JOB_WORKER_SILENT_AFTER = 60
    started = timezone.now()
    worker_beat("host-a:1", started_at=started)
    worker_beat("host-a:1", started_at=started)
    worker_beat("host-b:7", started_at=started)
    assert workers_alive() == 2 and Worker.objects.count() == 2
    worker_leave("host-b:7")
    assert workers_alive() == 1
    # One silent for more than a day is forgotten at the next beat of any worker.
    Worker.objects.filter(name="host-a:1").update(beat_at=started - datetime.timedelta(days=2))
    assert workers_alive() == 0
    worker_beat("host-c:3", started_at=started)
    assert list(Worker.objects.values_list("name", flat=True)) == ["host-c:3"]


# --- /metrics -----------------------------------------------------------------------------------


def test_metrics_are_read_on_this_host_only_or_with_the_token(settings, officer):
    settings.METRICS_TOKEN = ""
    assert Client().get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 200
    assert Client().get("/metrics", REMOTE_ADDR="192.0.2.7").status_code == 403
    # Through a proxy (nginx refuses it too): a forwarded request is never "this host".
    assert Client().get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.7").status_code == 403
    settings.METRICS_TOKEN = "s3cret-token"
    assert Client().get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 403
    assert Client().get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    assert Client().get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token").status_code == 200


def _metric(text: str, name: str, **labels) -> float:
    wanted = ",".join(f'{key}="{value}"' for key, value in sorted(labels.items()))  # as the text sorts them
    pattern = re.escape(name) + (r"\{" + re.escape(wanted) + r"\}" if wanted else "") + r" (\S+)$"
    found = re.search(pattern, text, re.MULTILINE)
    assert found, f"{name} {labels} not in the metrics"
    return float(found.group(1))


def test_metrics_give_request_times_by_view_and_the_jobs(officer, admin_user):
    client = Client()
    client.force_login(officer)
    before = Client().get("/metrics", REMOTE_ADDR="127.0.0.1").content.decode()
    count = "reintegration_request_seconds_count"
    labels = {"view": "beneficiaries:list", "method": "GET", "status": "2xx"}
    previous = _metric(before, count, **labels) if 'view="beneficiaries:list"' in before else 0
    client.get("/cases/", {"q": "Amina"})
    client.get("/cases/")
    now = timezone.now()
    Job.objects.create(kind="full_export", started_by=admin_user)  # queued
    for seconds, status in ((3, JobStatus.SUCCEEDED), (40, JobStatus.SUCCEEDED), (2, JobStatus.FAILED)):
        Job.objects.create(
            kind="full_export",
            started_by=admin_user,
            status=status,
            started_at=now - datetime.timedelta(seconds=seconds),
            finished_at=now,
        )
    text = Client().get("/metrics", REMOTE_ADDR="127.0.0.1").content.decode()
    # Grouped by the URL's name: neither the search term nor any id becomes a label.
    assert _metric(text, count, **labels) == previous + 2
    assert "Amina" not in text
    assert _metric(text, "reintegration_jobs", status="queued") == 1
    assert _metric(text, "reintegration_jobs", status="running") == 0
    ok = {"kind": "full_export", "status": "succeeded"}
    assert _metric(text, "reintegration_job_seconds_bucket", **ok, le="1.0") == 0
    assert _metric(text, "reintegration_job_seconds_bucket", **ok, le="5.0") == 1
    assert _metric(text, "reintegration_job_seconds_bucket", **ok, le="60.0") == 2
    assert _metric(text, "reintegration_job_seconds_count", **ok) == 2
    assert _metric(text, "reintegration_job_seconds_sum", **ok) == pytest.approx(43, abs=0.01)
    assert _metric(text, "reintegration_job_seconds_count", kind="full_export", status="failed") == 1


# --- the request log ----------------------------------------------------------------------------


@pytest.fixture
def request_lines(caplog):
    caplog.set_level(logging.INFO, logger="reintegration.requests")
    return lambda: [record for record in caplog.records if record.name == "reintegration.requests"]


def test_each_request_is_one_line_with_its_id_and_the_users_id_never_the_query(request_lines, coordinator_a):
    case = BeneficiaryFactory(centre=coordinator_a.centre)
    client = Client()
    client.force_login(coordinator_a)
    response = client.get("/cases/", {"q": case.cin, "page": "1"}, HTTP_X_REQUEST_ID="a1b2c3d4e5f60718293a4b5c6d7e8f90")
    [line] = request_lines()
    assert response["X-Request-ID"] == "a1b2c3d4e5f60718293a4b5c6d7e8f90"  # nginx's, kept
    assert (line.request_id, line.user_id, line.view, line.status) == (
        "a1b2c3d4e5f60718293a4b5c6d7e8f90",
        coordinator_a.pk,
        "beneficiaries:list",
        200,
    )
    formatted = JsonFormatter().format(line)
    entry = json.loads(formatted)
    assert entry["path"] == "/cases/" and entry["duration_ms"] > 0 and entry["user_id"] == coordinator_a.pk
    assert case.cin not in formatted and "?" not in formatted and case.last_name_latin not in formatted


def test_a_request_id_that_is_not_one_is_replaced(request_lines):
    response = Client().get("/accounts/login/", HTTP_X_REQUEST_ID="<script>alert(1)</script>")
    [line] = request_lines()
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])
    assert line.request_id == response["X-Request-ID"] and line.user_id is None


def test_every_log_line_inside_a_request_carries_its_ids(caplog, officer):
    """A warning logged by a view is tied to its request and user (RequestContextFilter)."""
    seen = []

    class Keep(logging.Handler):
        def emit(self, record):
            seen.append(record)

    handler = Keep()
    handler.addFilter(RequestContextFilter())
    logging.getLogger("django.request").addHandler(handler)
    try:
        client = Client()
        client.force_login(officer)
        response = client.get("/cases/999999999/")
    finally:
        logging.getLogger("django.request").removeHandler(handler)
    assert response.status_code == 404
    [record] = [r for r in seen if r.levelno == logging.WARNING]
    assert record.request_id == response["X-Request-ID"] and record.user_id == officer.pk


# --- the client's address behind the proxy -------------------------------------------------------


def test_behind_the_proxy_every_part_sees_the_clients_address(settings, request_lines):
    settings.TRUSTED_PROXY_COUNT = 1
    Client().get("/accounts/login/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.23")
    settings.TRUSTED_PROXY_COUNT = 0  # reached directly: a client's header is not believed
    Client().get("/accounts/login/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.23")
    assert [line.client for line in request_lines()] == ["198.51.100.23", "203.0.113.9"]


def test_a_failed_sign_in_behind_the_proxy_is_recorded_from_the_client(settings, coordinator_a):
    from reintegration.models import AuthEvent

    settings.TRUSTED_PROXY_COUNT = 1
    Client().post(
        "/accounts/login/",
        {"username": coordinator_a.username, "password": "wrong"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.23",
    )
    assert AuthEvent.objects.latest("pk").ip_address == "198.51.100.23"


# --- reads on the replica ------------------------------------------------------------------------


# Outside the test's own transaction, as a request is (the router keeps reads inside one on the primary).
outside_a_transaction = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def with_replica(monkeypatch):
    """A replica in the settings."""
    monkeypatch.setattr(replica, "replica_configured", lambda: True)


@outside_a_transaction
def test_reads_go_to_the_replica_only_where_asked_and_never_inside_a_transaction(with_replica):
    router = ReplicaRouter()
    assert router.db_for_read(Beneficiary) == "default"
    with replica_reads():
        assert router.db_for_read(Beneficiary) == "replica"
        assert router.db_for_write(Beneficiary) == "default"
        with transaction.atomic():
            assert router.db_for_read(Beneficiary) == "default"  # read to be written on
    with replica_reads(enabled=False):
        assert router.db_for_read(Beneficiary) == "default"
    assert router.db_for_read(Beneficiary) == "default"
    assert router.allow_migrate("replica", "beneficiaries") is False
    assert router.allow_migrate("default", "beneficiaries") is True


@outside_a_transaction
def test_without_a_replica_nothing_is_routed_there():
    with replica_reads():
        assert ReplicaRouter().db_for_read(Beneficiary) == "default"


@outside_a_transaction
@pytest.mark.parametrize("caught_up, expected", [(True, "replica"), (False, "default")])
def test_dashboard_figures_are_computed_on_the_replica_only_once_it_holds_their_version(
    with_replica, monkeypatch, settings, caught_up, expected
):
    settings.DASHBOARD_CACHE_SECONDS = 600
    asked = []
    monkeypatch.setattr(figures_cache, "replica_caught_up", lambda version: asked.append(version) or caught_up)
    store = figures_cache.FigureCache(DashboardFilters())
    assert store.get("people", lambda: ReplicaRouter().db_for_read(Beneficiary)) == expected
    assert store.get("money", lambda: ReplicaRouter().db_for_read(Beneficiary)) == expected
    assert asked == [store.version]  # decided once for the page


def test_a_replica_that_cannot_be_reached_is_not_caught_up(with_replica, monkeypatch):
    def unreachable(*args, **kwargs):
        raise figures_cache.DatabaseError("could not connect")

    monkeypatch.setattr(figures_cache.FiguresVersion.objects, "using", unreachable)
    assert figures_cache.replica_caught_up(1) is False
