"""The national data set the dashboards are timed on, generated in bulk on top of the case files.

60,000 life projects on distinct people, their status spread over the workflow and every step
dated by its milestone (``LifeProject.*_on``) consistently with it; 600,000 equipment lines;
envelopes per region and fiscal year (and national ones) with their funders; 2,000 distribution
events, some grouped into operations, holding the handovers; 100,000 follow-up visits.

Everything is drawn from seeded generators (the same data on every machine) and written with
``bulk_create`` or one SQL statement per batch: no service, no per-row query. Dates are in order:
release < registration (``Beneficiary.created_at``) <= submitted <= approved <= funded <=
handed over (the event's day) <= closed, spread over 2013..today, the last two years the fullest.
"""

from __future__ import annotations

import bisect
import datetime
import random
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal

from django.db import connection, transaction
from django.utils import timezone

from beneficiaries.choices import CaseStatus
from beneficiaries.models import AccompanimentAction, Beneficiary
from distributions.choices import EventStatus, HandoverStatus
from distributions.models import Event, Handover, HandoverItem, Operation
from projects.choices import CLOSED_STATUSES, ActivityRunning, CommitmentStatus, ProjectStatus
from projects.item_names import arabic_item_name
from projects.models import (
    Commitment,
    Envelope,
    EnvelopeFunder,
    EquipmentLine,
    FollowUpVisit,
    KitLine,
    LifeProject,
    Trade,
)
from projects.plan import add_months, line_amount
from reintegration.choices import PartnerKind, ProvinceKind
from reintegration.models import Partner, Program, Province, Region, User

S = ProjectStatus
BATCH = 5_000
DAY = datetime.timedelta(days=1)

TOTAL_PROJECTS = 60_000
TOTAL_LINES = 600_000
TOTAL_EVENTS = 2_000
OPERATIONS = 100
TOTAL_VISITS = 100_000
# The share of each status among all the projects (the bench's funded ones included).
STATUS_SHARES = {
    S.DRAFT: 0.10,
    S.SUBMITTED: 0.05,
    S.RETURNED: 0.03,
    S.APPROVED: 0.05,
    S.FUNDED: 0.10,
    S.DELIVERED: 0.15,
    S.FOLLOW_UP: 0.35,
    S.SUCCEEDED: 0.12,
    S.ABANDONED: 0.05,
}
ABANDONED_AFTER_HANDOVER = 0.7  # the others are given up before funding
RESIDENCE_SPREAD = 0.45  # the share of case files living outside their centre's provinces
FIRST_RELEASE = datetime.date(2013, 1, 1)
REGISTRATION_DELAY = (3, 60)  # days from release to registration
FIRST_SUBMISSION = datetime.date(2013, 4, 1)
FIRST_EVENT = datetime.date(2016, 1, 15)
REGIONAL_YEARS = range(2018, 2027)
REGIONAL_SHARE = 0.8  # of the projects funded in those years, on their region's envelope
FOLLOW_UP_MONTHS = (3, 6, 12, 24)

FILLERS = [
    ("Petit outillage", "set", 250, 900),
    ("Stock initial de marchandises", "lot", 800, 3500),
    ("Étagère de rangement", "piece", 300, 1200),
    ("Enseigne", "piece", 400, 1500),
    ("Extincteur", "piece", 250, 450),
    ("Tiroir-caisse", "piece", 300, 900),
    ("Chaise", "piece", 120, 350),
    ("Tenue de travail", "set", 150, 400),
    ("Trousse de premiers secours", "piece", 80, 200),
    ("Rallonge et multiprise", "piece", 60, 180),
    ("Chariot de transport", "piece", 500, 1800),
    ("Bâche de protection", "piece", 90, 300),
]
VENUES = ["Salle communale", "Siège de la province", "Maison des jeunes", "Complexe culturel", "Salle des fêtes"]


# --- Bulk updates ----------------------------------------------------------------------


def set_rows(model, fields: list[str], rows: list[tuple]) -> None:
    """Set ``fields`` of many rows by primary key; each row is ``(pk, value, ...)``.

    One ``UPDATE ... FROM (VALUES ...)`` per batch on PostgreSQL; ``executemany`` elsewhere.
    """
    if not rows:
        return
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    qn = connection.ops.quote_name
    table, pk = qn(meta.db_table), qn(meta.pk.column)

    def prepared(row):
        return [
            row[0],
            *(column.get_db_prep_save(value, connection) for column, value in zip(columns, row[1:], strict=True)),
        ]

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sets = ", ".join(
                f"{qn(column.column)} = v.c{i}::{column.db_type(connection)}" for i, column in enumerate(columns)
            )
            names = ", ".join(f"c{i}" for i in range(len(columns)))
            one = "(" + ", ".join(["%s"] * (len(columns) + 1)) + ")"
            for start in range(0, len(rows), BATCH):
                chunk = rows[start : start + BATCH]
                # Table and columns quoted from the model's metadata; the values are parameters.
                cursor.execute(
                    f"UPDATE {table} SET {sets} FROM (VALUES {', '.join([one] * len(chunk))}) AS v(id, {names}) "
                    f"WHERE {table}.{pk} = v.id",  # nosec B608
                    [value for row in chunk for value in prepared(row)],
                )
        else:
            sets = ", ".join(f"{qn(column.column)} = %s" for column in columns)
            cursor.executemany(  # table and columns quoted from the model's metadata; the values are parameters
                f"UPDATE {table} SET {sets} WHERE {pk} = %s",  # nosec B608
                [[*prepared(row)[1:], row[0]] for row in rows],
            )


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    """A moment on ``day``, local time: its local date is ``day`` whatever the time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _say(stdout, text: str) -> None:
    if stdout is not None:
        stdout.write(text)


# --- Case files: release and registration dates -------------------------------------------


def case_dates(stdout=None) -> bool:
    """Registration dates (``created_at``) a few weeks after release, and releases spread up to
    last month, growing over the years, so that registrations have monthly trends to today.

    Generated case files are all registered the day the bench ran; this is done once (the first
    case file tells), before any project is dated. Case files already holding a project or an
    accompaniment log keep their release date (their dates hang on it).
    """
    first = Beneficiary.objects.order_by("pk").values("created_at", "release_date").first()
    if first is None:
        return False
    low, high = REGISTRATION_DELAY
    if (timezone.localdate(first["created_at"]) - first["release_date"]).days <= high:
        return False
    _say(stdout, "Dating releases and registrations...")
    start = time.perf_counter()
    today = timezone.localdate()
    rng = random.Random(2013)  # nosec B311 # seeded: the same data every run, nothing secret drawn
    fixed = set(LifeProject.objects.values_list("beneficiary_id", flat=True))
    fixed |= set(AccompanimentAction.objects.values_list("beneficiary_id", flat=True))
    span = (today - datetime.timedelta(days=high + 5) - FIRST_RELEASE).days
    rows = []
    for pk, release in Beneficiary.objects.order_by("pk").values_list("pk", "release_date"):
        if pk not in fixed:
            release = FIRST_RELEASE + datetime.timedelta(days=int(span * rng.random() ** 0.75))
        registered = min(release + datetime.timedelta(days=rng.randint(low, high)), today - DAY)
        rows.append((pk, release, release, release, at(registered)))
    with transaction.atomic():
        set_rows(Beneficiary, ["release_date", "notice_given_on", "consent_signed_on", "created_at"], rows)
    _say(stdout, f"  {len(rows)} case files dated in {time.perf_counter() - start:.0f} s")
    return True


# --- The bench envelope's funded projects ----------------------------------------------------


def bench_milestones(envelope: Envelope) -> bool:
    """Milestones for the projects funded on the bench envelope (made without them): submitted,
    approved and funded in the envelope's fiscal year, after the person's registration and before
    any handover; their commitments dated the funding day."""
    rows = list(
        LifeProject.objects.filter(commitments__envelope=envelope, submitted_on__isnull=True)
        .order_by("pk")
        .values_list("pk", "beneficiary__created_at", "handed_over_on")
    )
    if not rows:
        return False
    rng = random.Random(5_000)  # nosec B311 # seeded: the same data every run, nothing secret drawn
    year_start = datetime.date(envelope.fiscal_year, 1, 1)
    projects, funded_on = [], {}
    for pk, registered_at, handed in rows:
        registered = timezone.localdate(registered_at)
        funded = year_start + datetime.timedelta(days=4 + rng.randrange(110))
        approved = funded - datetime.timedelta(days=rng.randint(3, 25))
        submitted = approved - datetime.timedelta(days=rng.randint(5, 40))
        if submitted <= registered:
            submitted = registered + datetime.timedelta(days=rng.randint(1, 5))
            approved = max(approved, submitted + datetime.timedelta(days=rng.randint(1, 5)))
            funded = max(funded, approved + datetime.timedelta(days=rng.randint(1, 5)), year_start)
        if handed is not None:
            funded = min(funded, handed - DAY)
            approved, submitted = min(approved, funded), min(submitted, approved)
        if not (registered <= submitted <= approved <= funded and funded.year == envelope.fiscal_year):
            raise RuntimeError(f"project {pk}: its dates are out of order")  # not an assert: kept under -O
        projects.append((pk, submitted, approved, funded))
        funded_on[pk] = funded
    commitments = [
        (pk, at(funded_on[project_id]))
        for pk, project_id in Commitment.objects.filter(envelope=envelope, project_id__in=funded_on).values_list(
            "pk", "project_id"
        )
    ]
    with transaction.atomic():
        set_rows(LifeProject, ["submitted_on", "approved_on", "funded_on"], projects)
        set_rows(Commitment, ["created_at"], commitments)
    return True


# --- The national data set ---------------------------------------------------------------------


@dataclass(slots=True)
class _Plan:
    """One project to generate: its status, its days, its person, its event and visits."""

    status: str
    late: bool = False  # abandoned after the handover
    opened: datetime.date | None = None  # a draft's day
    submitted: datetime.date | None = None
    approved: datetime.date | None = None
    funded: datetime.date | None = None
    handed: datetime.date | None = None
    closed: datetime.date | None = None
    target: datetime.date | None = None  # the handover day aimed at
    window: tuple[datetime.date, datetime.date] | None = None
    event: int = -1
    region: int | None = None
    case: int = -1
    visits: list = field(default_factory=list)  # (months, due, done, running, income, jobs, equipment)
    upcoming: list = field(default_factory=list)  # (months, due) of visits not due yet
    project_id: int = 0
    total: Decimal = Decimal("0.00")
    cash: Decimal = Decimal("0.00")

    @property
    def handed_over(self) -> bool:
        return self.window is not None


class _People:
    """The case files without a project, by region, activity and month of registration; a pick
    takes a person registered on or before a day, preferring the few months before it."""

    def __init__(self, cases: list[tuple], rng: random.Random):
        self.cases = cases  # (pk, province_id, region_id, centre_id, active, registered)
        self.rng = rng
        months = _month(timezone.localdate()) + 2
        self.buckets: dict[tuple[int, bool], list[list[int]]] = defaultdict(lambda: [[] for _ in range(months)])
        for index, (_pk, _province, region, _centre, active, registered) in enumerate(cases):
            self.buckets[region, active][_month(registered)].append(index)
        for months in self.buckets.values():
            for bucket in months:
                rng.shuffle(bucket)

    def size(self, region: int) -> int:
        return sum(len(bucket) for active in (True, False) for bucket in self.buckets[region, active])

    def pick(self, region: int, latest: datetime.date, active: bool) -> int | None:
        months = self.buckets.get((region, active))
        if not months:
            return None
        top = min(_month(latest), len(months) - 1)
        start = max(top - int(self.rng.expovariate(1 / 3)), 0)
        for month in [*range(start, -1, -1), *range(start + 1, top + 1)]:
            bucket = months[month]
            if month == top:  # the last month: only those registered by ``latest``
                for position in range(len(bucket) - 1, -1, -1):
                    if self.cases[bucket[position]][5] <= latest:
                        bucket[position], bucket[-1] = bucket[-1], bucket[position]
                        return bucket.pop()
            elif bucket:
                return bucket.pop()
        return None


def _month(day: datetime.date) -> int:
    return (day.year - 2000) * 12 + day.month - 1


def national(stdout=None) -> bool:
    """Generate the national data set, once (all of it in one transaction)."""
    if LifeProject.objects.count() >= TOTAL_PROJECTS:
        return False
    start = time.perf_counter()
    with transaction.atomic():
        _National(stdout).run()
    _say(stdout, f"  national data set generated in {time.perf_counter() - start:.0f} s")
    return True


def national_extras() -> dict:
    """What the dashboard cases need: the counts, a region and a year to filter on, a centre."""
    region, year, centre = "07", 2024, "meknes"
    return {
        "dashboard_projects": LifeProject.objects.count(),
        "dashboard_lines": EquipmentLine.objects.count(),
        "dashboard_events": Event.objects.count(),
        "dashboard_visits": FollowUpVisit.objects.count(),
        "dashboard_funded": Commitment.objects.exclude(status=CommitmentStatus.CANCELLED).count(),
        "dashboard_region": region,
        "dashboard_year": year,
        "dashboard_region_cases": Beneficiary.objects.filter(province__region__code=region).count(),
        "dashboard_centre": centre,
        "dashboard_coordinator": f"coord.{centre}",
        "dashboard_centre_cases": Beneficiary.objects.filter(centre__code=centre).count(),
    }


class _National:
    def __init__(self, stdout):
        self.stdout = stdout
        self.rng = random.Random(60_000)  # nosec B311 # seeded: the same data every run, nothing secret drawn
        self.today = timezone.localdate()
        self.provinces = {p.pk: p for p in Province.objects.all()}
        self.regions = {r.pk: r for r in Region.objects.all()}
        self.officer = User.objects.get(username="officer")
        self.coordinators = {
            centre_id: pk for pk, centre_id in User.objects.filter(centre__isnull=False).values_list("pk", "centre_id")
        }
        self.trades = list(Trade.objects.order_by("code").values_list("pk", flat=True))
        self.cases: list[tuple] = []
        self.plan_envelopes: dict[int, Envelope] = {}
        self.kits: dict[int, list[tuple]] = defaultdict(list)
        for trade_id, *line in KitLine.objects.order_by("kit__trades", "id").values_list(
            "kit__trades", "item_fr", "item_ar", "quantity", "unit", "unit_price"
        ):
            self.kits[trade_id].append(tuple(line))

    def say(self, text: str) -> None:
        _say(self.stdout, text)

    def days_ago(self, days: int) -> datetime.date:
        return self.today - datetime.timedelta(days=days)

    def delay(self, low: int, mean: int, high: int) -> datetime.timedelta:
        return datetime.timedelta(days=min(high, low + int(self.rng.expovariate(1 / mean))))

    # --- Run ---------------------------------------------------------------------------------

    def run(self) -> None:
        cases = self.cases = self.case_files()
        plans = self.plans()
        self.say(f"Generating {len(plans)} life projects and their plans, envelopes, events and visits...")
        events = self.events(plans, cases)
        days = [event["date"] for event in events]
        for plan in plans:
            if plan.handed_over:
                self.hand_over(plan, events, days)
        people = _People(cases, self.rng)
        self.match(plans, people, events)
        visits = self.choose_visits(plans)
        event_pks = self.write_events(events, {plan.event for plan in plans})
        envelopes = self.write_envelopes(plans)
        self.write_projects(plans, cases)
        self.write_money(plans, cases, envelopes, event_pks)
        self.write_visits(plans, cases, visits)
        self.write_envelope_totals(plans, envelopes)

    # --- Case files ----------------------------------------------------------------------------

    def case_files(self) -> list[tuple]:
        """The case files without a project, a share of them moved to live anywhere in the country."""
        taken = set(LifeProject.objects.values_list("beneficiary_id", flat=True))
        taken |= set(AccompanimentAction.objects.values_list("beneficiary_id", flat=True))  # the detail case
        anywhere = list(self.provinces.values())
        weights = [
            3
            if p.kind == ProvinceKind.PREFECTURE
            else 1.5
            if p.kind == ProvinceKind.PREFECTURE_OF_ARRONDISSEMENTS
            else 1
            for p in anywhere
        ]
        rng = random.Random(75)  # nosec B311 # seeded: the same data every run, nothing secret drawn
        cases, moved = [], []
        rows = Beneficiary.objects.order_by("pk").values_list("pk", "province_id", "centre_id", "status", "created_at")
        for pk, province_id, centre_id, status, created_at in rows:
            if pk in taken:
                continue
            if rng.random() < RESIDENCE_SPREAD:
                province_id = rng.choices(anywhere, weights)[0].pk
                moved.append((pk, province_id))
            region = self.provinces[province_id].region_id
            active = status == CaseStatus.ACTIVE
            cases.append((pk, province_id, region, centre_id, active, timezone.localdate(created_at)))
        self.say(f"  {len(moved)} case files living outside their centre's provinces")
        set_rows(Beneficiary, ["province"], moved)
        return cases

    # --- Timelines -------------------------------------------------------------------------------

    def plans(self) -> list[_Plan]:
        existing = Counter(LifeProject.objects.values_list("status", flat=True))
        wanted = {
            status: max(0, round(TOTAL_PROJECTS * share) - existing[status]) for status, share in STATUS_SHARES.items()
        }
        wanted[S.FOLLOW_UP] += TOTAL_PROJECTS - existing.total() - sum(wanted.values())
        statuses = [status for status, count in wanted.items() for _ in range(count)]
        self.rng.shuffle(statuses)
        return [self.plan(status) for status in statuses]

    def plan(self, status: str) -> _Plan:
        rng, plan, u = self.rng, _Plan(status), self.rng.random()
        if status == S.DRAFT:
            plan.opened = self.days_ago(1 + int(330 * u**1.4))
        elif status == S.SUBMITTED:
            plan.submitted = self.days_ago(1 + int(60 * u))
        elif status == S.RETURNED:
            plan.submitted = self.days_ago(10 + int(160 * u))
        elif status == S.APPROVED:
            plan.approved = self.days_ago(1 + int(150 * u))
            plan.submitted = plan.approved - self.delay(5, 20, 150)
        elif status == S.FUNDED:
            plan.funded = self.days_ago(1 + int(210 * u**1.2))
            plan.approved = plan.funded - self.delay(5, 30, 250)
            plan.submitted = plan.approved - self.delay(5, 20, 150)
        elif status == S.DELIVERED:  # no visit recorded yet
            plan.window = (self.days_ago(250), self.days_ago(3))
            plan.target = self.days_ago(3 + int(247 * u**1.8))
        elif status == S.FOLLOW_UP:
            plan.window = (self.days_ago(930), self.days_ago(100))
            plan.target = self.days_ago(100 + int(830 * u**1.5))
        elif status == S.SUCCEEDED:  # closed after the 24-month visit
            plan.window = (FIRST_EVENT, self.days_ago(800))
            plan.target = FIRST_EVENT + datetime.timedelta(days=int((plan.window[1] - FIRST_EVENT).days * u**0.7))
        elif rng.random() < ABANDONED_AFTER_HANDOVER:
            plan.late = True
            plan.window = (FIRST_EVENT, self.days_ago(130))
            plan.target = FIRST_EVENT + datetime.timedelta(days=int((plan.window[1] - FIRST_EVENT).days * u**0.6))
        else:  # given up while being prepared, sometimes once approved
            span = (self.days_ago(90) - FIRST_SUBMISSION).days
            plan.submitted = FIRST_SUBMISSION + datetime.timedelta(days=int(span * u**0.8))
            if rng.random() < 0.5:
                plan.approved = min(plan.submitted + self.delay(5, 20, 150), self.days_ago(2))
            plan.closed = min((plan.approved or plan.submitted) + self.delay(20, 90, 400), self.days_ago(1))
        return plan

    # --- Events and handovers --------------------------------------------------------------------

    def events(self, plans: list[_Plan], cases: list[tuple]) -> list[dict]:
        """Events on the handover days aimed at (so they follow the projects over time), in the
        regions and provinces where people live."""
        targets = sorted(plan.target for plan in plans if plan.handed_over)
        count = TOTAL_EVENTS - Event.objects.count()
        by_province = Counter(case[1] for case in cases)
        by_region: dict[int, Counter] = defaultdict(Counter)
        for province_id, n in by_province.items():
            province = self.provinces[province_id]
            # The events of Casablanca's prefectures of arrondissements are held at the prefecture.
            by_region[province.region_id][province.parent_id or province_id] += n
        regions = sorted(by_region)
        region_weights = [by_region[r].total() for r in regions]
        events = []
        for i in range(count):
            day = targets[min(len(targets) - 1, int((i + self.rng.random()) * len(targets) / count))]
            region = self.rng.choices(regions, region_weights)[0]
            provinces = by_region[region]
            province = self.rng.choices(list(provinces), list(provinces.values()))[0]
            events.append({"date": day, "region": region, "province": province, "operation": None})
        return events

    def hand_over(self, plan: _Plan, events: list[dict], days: list[datetime.date]) -> None:
        """The event near the day aimed at, within the status's window; then the steps before it."""
        low, high = plan.window
        i = bisect.bisect_left(days, plan.target)
        near = [j for j in range(i - 6, i + 6) if 0 <= j < len(days) and low <= days[j] <= high]
        if not near:
            near = list(range(bisect.bisect_left(days, low), bisect.bisect_right(days, high)))
        plan.event = self.rng.choice(near)
        plan.region = events[plan.event]["region"]
        plan.handed = days[plan.event]
        plan.funded = plan.handed - self.delay(10, 45, 300)
        plan.approved = plan.funded - self.delay(5, 30, 250)
        plan.submitted = plan.approved - self.delay(5, 20, 150)

    # --- People ------------------------------------------------------------------------------------

    def match(self, plans: list[_Plan], people: _People, events: list[dict]) -> None:
        """Each project on a person registered before its first step (a handed-over one in its
        event's region), the earliest steps first; a person has one project."""
        regions = sorted({case[2] for case in people.cases})
        weights = [people.size(region) for region in regions]
        squeezed = 0
        for plan in sorted(plans, key=lambda p: p.submitted or p.opened):
            first = plan.submitted or plan.opened
            closed = plan.status in CLOSED_STATUSES
            kinds = ([False, True] if self.rng.random() < 0.6 else [True, False]) if closed else [True]
            if plan.region is not None:
                order = [plan.region]
            else:
                order = [self.rng.choices(regions, weights)[0], *self.rng.sample(regions, len(regions))]
            index = self.pick(people, order, kinds, first - DAY)
            if index is None and plan.handed_over:  # nobody registered so early here: steps closer together
                index = self.pick(people, order, kinds, plan.handed - 4 * DAY)
                if index is not None:
                    squeezed += 1
                    registered = people.cases[index][5]
                    plan.submitted = max(plan.submitted, registered + DAY)
                    plan.approved = max(plan.approved, plan.submitted + DAY)
                    plan.funded = max(plan.funded, plan.approved + DAY)
            if index is None:
                raise RuntimeError(f"No case file left for a {plan.status} project in region {order[0]}")
            plan.case = index
        if squeezed:
            self.say(f"  {squeezed} projects with their steps brought closer (few registrations that early)")

    @staticmethod
    def pick(people: _People, regions: list[int], kinds: list[bool], latest: datetime.date) -> int | None:
        for region in regions:
            for active in kinds:
                index = people.pick(region, latest, active)
                if index is not None:
                    return index
        return None

    # --- Follow-up visits -----------------------------------------------------------------------

    def answer(self, running: str | None = None) -> tuple:
        rng = self.rng
        running = (
            running or rng.choices([ActivityRunning.YES, ActivityRunning.PARTLY, ActivityRunning.NO], [62, 23, 15])[0]
        )
        income = {
            ActivityRunning.YES: rng.randrange(2500, 7000, 50),
            ActivityRunning.PARTLY: rng.randrange(800, 3000, 50),
            ActivityRunning.NO: 0,
        }[running]
        jobs = {ActivityRunning.YES: rng.choice([0, 0, 1, 1, 2, 3]), ActivityRunning.PARTLY: rng.choice([0, 0, 1])}
        equipment = running if rng.random() < 0.85 else rng.choice(list(ActivityRunning.values))
        return running, Decimal(income), jobs.get(running, 0), equipment

    def visit(self, plan: _Plan, months: int, due: datetime.date, running: str | None = None) -> tuple:
        done = due + datetime.timedelta(days=self.rng.randint(-7, 25))
        done = max(min(done, self.today - DAY), plan.handed + DAY)
        return (months, due, done, *self.answer(running))

    def schedule(self, plan: _Plan) -> None:
        """The visits made and missed so far, the next ones, and the day a closed project closed."""
        today, rng = self.today, self.rng
        dues = [(months, add_months(plan.handed, months)) for months in FOLLOW_UP_MONTHS]
        past = [(months, due) for months, due in dues if due < today]
        if plan.status == S.SUCCEEDED:
            plan.visits = [
                self.visit(plan, months, due, rng.choice([ActivityRunning.YES, ActivityRunning.PARTLY]))
                if months == 24
                else self.visit(plan, months, due)
                for months, due in dues
            ]
            plan.closed = min(plan.visits[-1][2] + datetime.timedelta(days=rng.randint(1, 60)), today - DAY)
        elif plan.status == S.ABANDONED:
            made = 0 if rng.random() < 0.15 else rng.randint(1, min(3, len(past)))
            plan.visits = [self.visit(plan, months, due) for months, due in past[:made]]
            if plan.visits:
                last = plan.visits[-1]
                plan.visits[-1] = (*last[:3], ActivityRunning.NO, Decimal(0), 0, ActivityRunning.NO)
            after = plan.visits[-1][2] if plan.visits else plan.handed
            plan.closed = min(after + datetime.timedelta(days=rng.randint(5, 60)), today - DAY)
        elif plan.status == S.FOLLOW_UP:  # the first visit made (it started the follow-up), most others
            plan.visits = [
                self.visit(plan, months, due) if n == 0 or rng.random() < 0.92 else (months, due, None)
                for n, (months, due) in enumerate(past)
            ]
            plan.upcoming = [(months, due) for months, due in dues if due >= today]
        else:  # delivered: no visit recorded yet, those due are overdue
            plan.visits = [(months, due, None) for months, due in past]
            plan.upcoming = [(months, due) for months, due in dues if due >= today]

    def choose_visits(self, plans: list[_Plan]) -> set[tuple[int, int]]:
        """The visits due so far, then the next ones (soonest first) up to the total wanted."""
        for plan in plans:
            if plan.handed_over:
                self.schedule(plan)
        wanted = TOTAL_VISITS - FollowUpVisit.objects.count() - sum(len(plan.visits) for plan in plans)
        upcoming = sorted(
            ((due, n, months) for n, plan in enumerate(plans) for months, due in plan.upcoming), key=lambda v: v[:2]
        )
        return {(n, months) for _due, n, months in upcoming[: max(0, wanted)]}

    # --- Writing -----------------------------------------------------------------------------------

    def write_events(self, events: list[dict], used: set[int]) -> list[int]:
        """The events, held or closed, about half of them under an operation of their year; those
        no project was handed over at are coming up (planned in the next weeks)."""
        programs = {p.code: p for p in Program.objects.all()}
        for n, event in enumerate(events):
            if n not in used:
                event["date"] = self.today + datetime.timedelta(days=self.rng.randint(3, 28))
        by_year: dict[int, list[dict]] = defaultdict(list)
        for event in events:
            by_year[event["date"].year].append(event)
        names = {
            "moussalaha-7": ("Moussalaha", "مصالحة"),
            "agr-2019-2020": ("Activités génératrices de revenus", "الأنشطة المدرة للدخل"),
        }
        operations = []
        for year, year_events in sorted(by_year.items()):
            count = max(2, round(OPERATIONS * len(year_events) / len(events)))
            program = self.program_for(year, programs, len(operations))
            name_fr, name_ar = names.get(program.code, ("Remise des équipements", "تسليم التجهيزات"))
            held = [
                Operation(
                    name_fr=f"{name_fr} {year} — vague {n + 1}",
                    name_ar=f"{name_ar} {year} — الدفعة {n + 1}",
                    program=program,
                    year=year,
                )
                for n in range(count)
            ]
            operations.extend(held)
            for event in year_events:
                if self.rng.random() < 0.45:
                    event["operation"] = self.rng.choice(held)
        Operation.objects.bulk_create(operations, batch_size=BATCH)
        rows = []
        for event in events:
            province = self.provinces[event["province"]]
            if province.kind == ProvinceKind.PREFECTURE:
                title_ar, title_fr = (
                    f"عامل عمالة {province.name_ar}",
                    f"Gouverneur de la préfecture de {province.name_fr}",
                )
            else:
                title_ar, title_fr = (
                    f"عامل إقليم {province.name_ar}",
                    f"Gouverneur de la province de {province.name_fr}",
                )
            rows.append(
                Event(
                    operation=event["operation"],
                    date=event["date"],
                    province=province,
                    venue_fr=f"{self.rng.choice(VENUES)} de {province.name_fr}",
                    presiding_title_ar=title_ar,
                    presiding_title_fr=title_fr,
                    status=self.event_status(event["date"]),
                    created_by=self.officer,
                )
            )
        Event.objects.bulk_create(rows, batch_size=BATCH)
        self.say(f"  {len(operations)} operations, {len(rows)} events")
        return [row.pk for row in rows]

    def event_status(self, day: datetime.date) -> str:
        if day >= self.today:
            return EventStatus.PLANNED
        return EventStatus.CLOSED if day < self.days_ago(60) else EventStatus.HELD

    def program_for(self, year: int, programs: dict, n: int) -> Program:
        if year in (2019, 2020) and "agr-2019-2020" in programs:
            return programs["agr-2019-2020"]
        if year == 2021 and "moussalaha-7" in programs:
            return programs["moussalaha-7"]
        ordered = [programs[code] for code in sorted(programs)]
        return ordered[(year + n) % len(ordered)]

    def write_envelopes(self, plans: list[_Plan]) -> dict:
        """One envelope per region and fiscal year (2018..), one national per fiscal year funded;
        each funded plan gets one covering its place, of its funding year (``self.plan_envelopes``)."""
        programs = {p.code: p for p in Program.objects.all()}
        years = sorted({plan.funded.year for plan in plans if plan.funded})
        keys: dict[tuple[int, int | None], Envelope] = {}
        for year in years:
            keys[year, None] = Envelope(
                name=f"Enveloppe nationale {year}",
                program=self.program_for(year, programs, 0),
                fiscal_year=year,
                amount=Decimal("1.00"),
                is_active=year >= self.today.year,
            )
        for year in REGIONAL_YEARS:
            for region in sorted(self.regions.values(), key=lambda r: r.code):
                keys[year, region.pk] = Envelope(
                    name=f"Enveloppe {region.name_fr} {year}",
                    program=self.program_for(year, programs, int(region.code)),
                    fiscal_year=year,
                    region=region,
                    amount=Decimal("1.00"),
                    is_active=year >= self.today.year,
                )
        Envelope.objects.bulk_create(keys.values(), batch_size=BATCH)
        for n, plan in enumerate(plans):
            if plan.funded:
                year = plan.funded.year
                regional = year in REGIONAL_YEARS and self.rng.random() < REGIONAL_SHARE
                region = self.provinces[self.case_province(plan)].region_id if regional else None
                self.plan_envelopes[n] = keys[year, region]
        return keys

    def case_province(self, plan: _Plan) -> int:
        return self.cases[plan.case][1]

    def write_projects(self, plans: list[_Plan], cases: list[tuple]) -> None:
        """The projects and their equipment plans (10 or 11 lines: the trade's kit, then more)."""
        remaining = TOTAL_LINES - EquipmentLine.objects.count()
        base, extra = divmod(max(remaining, 0), len(plans))
        longer = set(self.rng.sample(range(len(plans)), extra))
        created = []
        for start in range(0, len(plans), BATCH):
            chunk = plans[start : start + BATCH]
            projects, plans_lines = [], []
            for n, plan in enumerate(chunk, start=start):
                trade = self.rng.choice(self.trades)
                lines = self.lines(trade, base + (n in longer))
                equipment = sum((line.amount for line in lines), Decimal("0.00"))
                cash = Decimal(self.rng.choice([0, 1000, 2000, 3000, 3000, 5000])).quantize(Decimal("0.01"))
                pk, province_id, _region, _centre, _active, registered = cases[plan.case]
                projects.append(
                    LifeProject(
                        beneficiary_id=pk,
                        status=plan.status,
                        trade_id=trade,
                        province_id=province_id,
                        description="Projet d'activité génératrice de revenus",
                        professional_needs=["equipment"],
                        cash_aid=cash,
                        equipment_total=equipment,
                        total=equipment + cash,
                        created_by=self.officer,
                        submitted_on=plan.submitted,
                        approved_on=plan.approved,
                        funded_on=plan.funded,
                        handed_over_on=plan.handed,
                        closed_on=plan.closed,
                    )
                )
                plans_lines.append(lines)
                first = plan.opened or plan.submitted
                opened = max(registered, first - datetime.timedelta(days=self.rng.randint(0, 20)))
                created.append(opened)
            LifeProject.objects.bulk_create(projects, batch_size=BATCH)
            for plan, project, lines in zip(chunk, projects, plans_lines, strict=True):
                plan.project_id = project.pk
                plan.total, plan.cash = project.total, project.cash_aid
                for line in lines:
                    line.project_id = project.pk
            EquipmentLine.objects.bulk_create([line for lines in plans_lines for line in lines], batch_size=BATCH)
            self.say(f"  {start + len(chunk)} / {len(plans)} projects")
        set_rows(
            LifeProject,
            ["created_at"],
            [(plan.project_id, at(day, 9)) for plan, day in zip(plans, created, strict=True)],
        )

    def lines(self, trade: int, count: int) -> list[EquipmentLine]:
        rng, lines = self.rng, []
        for french, arabic, quantity, unit, price in self.kits.get(trade, [])[:count]:
            unit_price = Decimal(int(float(price) * rng.uniform(0.9, 1.2) / 10) * 10)
            lines.append(
                EquipmentLine(item_fr=french, item_ar=arabic, quantity=quantity, unit=unit, unit_price=unit_price)
            )
        for french, unit, low, high in rng.sample(FILLERS, count - len(lines)):
            lines.append(
                EquipmentLine(
                    item_fr=french,
                    item_ar=arabic_item_name(french),
                    quantity=Decimal(rng.choice([1, 1, 1, 2, 3])),
                    unit=unit,
                    unit_price=Decimal(rng.randrange(low, high, 10)),
                )
            )
        for line in lines:
            line.amount = line_amount(line.quantity, line.unit_price)
        return lines

    def write_money(self, plans: list[_Plan], cases: list[tuple], envelopes: dict, event_pks: list[int]) -> None:
        """Commitments (delivered once handed over), handovers with their items, the case files'
        program (their envelope's)."""
        commitments, handovers, programs, dates = [], [], [], []
        for n, plan in enumerate(plans):
            if not plan.funded:
                continue
            envelope = self.plan_envelopes[n]
            delivered = plan.handed is not None
            commitments.append(
                Commitment(
                    envelope=envelope,
                    project_id=plan.project_id,
                    amount=plan.total,
                    delivered_amount=plan.total if delivered else None,
                    status=CommitmentStatus.DELIVERED if delivered else CommitmentStatus.ACTIVE,
                    created_by=self.officer,
                    closed_by=self.officer if delivered else None,
                    closed_at=at(plan.handed, 16) if delivered else None,
                )
            )
            dates.append(plan.funded)
            programs.append((cases[plan.case][0], envelope.program_id))
            if delivered:
                centre = cases[plan.case][3]
                handovers.append(
                    Handover(
                        event_id=event_pks[plan.event],
                        project_id=plan.project_id,
                        status=HandoverStatus.DELIVERED,
                        cash_aid_delivered=plan.cash,
                        delivered_on=plan.handed,
                        recorded_by_id=self.coordinators.get(centre, self.officer.pk),
                    )
                )
        Commitment.objects.bulk_create(commitments, batch_size=BATCH)
        set_rows(Commitment, ["created_at"], [(c.pk, at(day, 11)) for c, day in zip(commitments, dates, strict=True)])
        Handover.objects.bulk_create(handovers, batch_size=BATCH)
        set_rows(Beneficiary, ["program"], programs)
        self.say(f"  {len(commitments)} commitments, {len(handovers)} handovers")
        # The items handed over: each line of the plan, as planned.
        item, line, handover = (
            connection.ops.quote_name(m._meta.db_table) for m in (HandoverItem, EquipmentLine, Handover)
        )
        with connection.cursor() as cursor:
            cursor.execute(  # the tables' names quoted from the models' metadata; no input at all
                f"INSERT INTO {item} (handover_id, equipment_line_id, item_fr, item_ar, unit, planned_quantity, "
                "quantity, unit_price, brand, serial_number, amount) "
                "SELECT h.id, l.id, l.item_fr, l.item_ar, l.unit, l.quantity, l.quantity, l.unit_price, '', '', "
                "l.amount "
                f"FROM {handover} h JOIN {line} l ON l.project_id = h.project_id "
                "WHERE h.id >= %s ORDER BY h.id, l.id",  # nosec B608
                [min(h.pk for h in handovers)],
            )

    def write_visits(self, plans: list[_Plan], cases: list[tuple], upcoming: set) -> None:
        rows = []
        for n, plan in enumerate(plans):
            recorder = self.coordinators.get(cases[plan.case][3], self.officer.pk)
            for visit in plan.visits:
                months, due, done = visit[:3]
                if done is None:
                    rows.append(FollowUpVisit(project_id=plan.project_id, months_after=months, due_on=due))
                    continue
                running, income, jobs, equipment = visit[3:]
                rows.append(
                    FollowUpVisit(
                        project_id=plan.project_id,
                        months_after=months,
                        due_on=due,
                        done_on=done,
                        activity_running=running,
                        monthly_income=income,
                        jobs_created=jobs,
                        equipment_in_use=equipment,
                        recorded_by_id=recorder,
                    )
                )
            for months, due in plan.upcoming:
                if (n, months) in upcoming:
                    rows.append(FollowUpVisit(project_id=plan.project_id, months_after=months, due_on=due))
        FollowUpVisit.objects.bulk_create(rows, batch_size=BATCH)
        done = sum(1 for row in rows if row.done_on)
        overdue = sum(1 for row in rows if row.done_on is None and row.due_on < self.today)
        self.say(f"  {len(rows)} follow-up visits ({done} done, {overdue} overdue)")

    def write_envelope_totals(self, plans: list[_Plan], envelopes: dict) -> None:
        """Each envelope's committed and delivered amounts, an amount above them, its funders."""
        committed: Counter = Counter()
        delivered: Counter = Counter()
        for n, plan in enumerate(plans):
            if plan.funded:
                envelope = self.plan_envelopes[n]
                committed[envelope.pk] += plan.total  # a delivered commitment counts what was delivered: all of it
                if plan.handed:
                    delivered[envelope.pk] += plan.total
        partners = {p.name_fr: p for p in Partner.objects.select_related("province")}
        foundation = next(p for p in partners.values() if p.kind == PartnerKind.FOUNDATION)
        national = [p for p in partners.values() if p.province_id is None and p.pk != foundation.pk]
        rows, funders = [], []
        for envelope in envelopes.values():
            spent = committed[envelope.pk]
            margin = Decimal(str(round(self.rng.uniform(1.08, 1.6), 2)))
            amount = (spent * margin / 100_000).to_integral_value(ROUND_CEILING) * 100_000 or Decimal(1_000_000)
            rows.append((envelope.pk, amount, spent, delivered[envelope.pk]))
            local = [p for p in partners.values() if p.province_id and p.province.region_id == envelope.region_id]
            others = local or national
            signed = datetime.date(envelope.fiscal_year, 1, 1) + datetime.timedelta(days=self.rng.randint(10, 60))
            envelope.agreement_partner, envelope.agreement_signed_on = foundation, min(signed, self.today)
            if others and self.rng.random() < 0.6:
                main = (amount * Decimal(self.rng.choice(["0.6", "0.7", "0.8"]))).quantize(Decimal("1"))
                second = self.rng.choice(others)
                funders += [
                    EnvelopeFunder(envelope=envelope, partner=foundation, share=main),
                    EnvelopeFunder(envelope=envelope, partner=second, share=amount - main),
                ]
            else:
                funders.append(EnvelopeFunder(envelope=envelope, partner=foundation, share=amount))
        set_rows(Envelope, ["amount", "committed", "delivered"], rows)
        Envelope.objects.bulk_update(envelopes.values(), ["agreement_partner", "agreement_signed_on"])
        EnvelopeFunder.objects.bulk_create(funders, batch_size=BATCH)
        self.say(f"  {len(rows)} envelopes, {len(funders)} funders' shares")
