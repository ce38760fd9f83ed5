"""The benchmark cases: the pages users open, through the test client, on the generated data."""

from django.test import Client, override_settings
from django.urls import resolve, reverse

from bench.runner import Case
from beneficiaries.services import duplicates_scan
from jobs.choices import JobStatus
from jobs.models import Job
from reintegration.models import User

# Jobs run inside the request that starts them, once it commits: the case times the whole job.
IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _client(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def _get(client: Client, url: str, params: dict | None = None, *, method: str = "get"):
    def run():
        response = getattr(client, method)(url, params or {})
        if response.status_code != 200:  # not an assert: `python -O` would time error pages
            raise RuntimeError(f"{url} answered {response.status_code}")

    return run


def _job(client: Client, url: str):
    """A POST that starts a job (an event's receipts past ``RECEIPTS_INLINE_MAX``), the job run
    to its end in the request: what the person waits for before the file is ready."""

    def run():
        with override_settings(TASKS=IMMEDIATE_TASKS):
            response = client.post(url)
        if response.status_code != 302:
            raise RuntimeError(f"{url} answered {response.status_code}")
        job = Job.objects.get(pk=resolve(response["Location"]).kwargs["pk"])
        if job.status != JobStatus.SUCCEEDED:
            raise RuntimeError(f"{url}: job {job.pk} {job.status} {job.error}")

    return run


def home_cases(data) -> list[Case]:
    return [
        Case(f"home_{role}", data.case_files, _get(_client(username), reverse("home")))
        for role, username in [
            ("coordinator", "coord.meknes"),
            ("officer", "officer"),
            ("analyst", "analyst"),
            ("admin", "admin"),
        ]
    ]


# The name searched by ``beneficiary_search`` and by its twin on the Django admin.
SEARCH = {"q": "Mohammed El Alaoui"}


def beneficiary_cases(data) -> list[Case]:
    officer = _client("officer")
    coordinator = _client("coord.meknes")
    administrator = _client("admin")  # the only role the admin site lets in (reintegration.admin_site)
    ours, admins = reverse("beneficiaries:list"), reverse("admin:beneficiaries_beneficiary_changelist")
    return [
        # Each of our lists beside the Django admin's change list of the same rows (``ADMIN_PAIRS``).
        Case("beneficiary_list", data.case_files, _get(officer, ours)),
        Case("beneficiary_list_admin", data.case_files, _get(administrator, admins)),
        Case("beneficiary_list_centre", data.case_files, _get(coordinator, ours)),
        Case("beneficiary_search", data.case_files, _get(officer, ours, SEARCH)),
        Case("beneficiary_search_admin", data.case_files, _get(administrator, admins, SEARCH)),
        Case("beneficiary_search_centre", data.case_files, _get(coordinator, ours, SEARCH)),
        Case(
            "beneficiary_search_ar",
            data.case_files,
            _get(officer, reverse("beneficiaries:list"), {"q": "يوسف بناني"}),
        ),
        Case(
            "beneficiary_search_particles",
            data.case_files,
            _get(officer, reverse("beneficiaries:list"), {"q": "Al Amrani"}),
        ),
        Case(
            "beneficiary_detail",
            data.case_files,
            _get(coordinator, reverse("beneficiaries:detail", args=[data.detail_case_pk])),
        ),
        # Every two files of people born the same day, compared by name (the nightly scan); after
        # the first run, nothing new to flag: the comparisons alone.
        Case("duplicate_scan", data.case_files, duplicates_scan, repeat=3, warmup=1),
        Case("duplicate_flags_page", data.case_files, _get(officer, reverse("beneficiaries:duplicate_flags"))),
    ]


# (label, our case, the admin's case): the ratio lines under the table.
ADMIN_PAIRS = [
    ("plain list", "beneficiary_list", "beneficiary_list_admin"),
    ("name search", "beneficiary_search", "beneficiary_search_admin"),
]


def money_cases(data) -> list[Case]:
    extras = data.extras
    officer, coordinator = _client("officer"), _client("coord.meknes")
    return [
        Case(
            "envelope_detail",
            extras["envelope_projects"],
            _get(officer, reverse("envelopes:detail", args=[extras["envelope_pk"]])),
        ),
        Case(
            "project_detail",
            extras["plan_lines"],
            _get(coordinator, reverse("projects:detail", args=[extras["project_pk"]])),
        ),
        Case(
            "receipt_pdf",
            1,
            _get(coordinator, reverse("distributions:receipt", args=[extras["handover_pk"]]), method="post"),
            repeat=30,
        ),
        Case(
            "event_receipts_pdf_50",
            50,
            _job(coordinator, reverse("distributions:event_receipts", args=[extras["event_pk"]])),
            repeat=5,
            warmup=1,
        ),
    ]


def _uncached(run):
    """The same request with the dashboards' cache off: every figure computed from the database."""

    def wrapped():
        with override_settings(DASHBOARD_CACHE_SECONDS=0):
            run()

    return wrapped


def dashboard_cases(data) -> list[Case]:
    """The national dashboard, filtered, a centre's, its map and its PDF report, on the national data set:
    as served (figures cached until the data changes) and computed afresh (``_cold``)."""
    index, map_url, report = (reverse(f"dashboard:{name}") for name in ("index", "map", "report"))
    extras = data.extras
    officer, coordinator = _client("officer"), _client(extras["dashboard_coordinator"])
    filtered = {"region": extras["dashboard_region"], "year": extras["dashboard_year"]}
    pages = [
        ("dashboard_national", data.case_files, _get(officer, index)),
        ("dashboard_filtered", extras["dashboard_region_cases"], _get(officer, index, filtered)),
        ("dashboard_centre", extras["dashboard_centre_cases"], _get(coordinator, index)),
        ("dashboard_map", extras["dashboard_funded"], _get(officer, map_url, {"measure": "committed"})),
    ]
    cases = [Case(name, rows, run) for name, rows, run in pages]
    cases += [Case(f"{name}_cold", rows, _uncached(run), repeat=10, warmup=1) for name, rows, run in pages]
    cases.append(Case("dashboard_pdf", data.case_files, _get(officer, report), repeat=5, warmup=1))
    cases.append(Case("dashboard_pdf_cold", data.case_files, _uncached(_get(officer, report)), repeat=5, warmup=1))
    return cases


def all_cases(data) -> list[Case]:
    return [*home_cases(data), *beneficiary_cases(data), *money_cases(data), *dashboard_cases(data)]
