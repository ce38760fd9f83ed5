"""The dashboards' selectors: every figure HQ and the centres steer by, computed in the database.

Each function takes a ``DashboardFilters`` (scope and filters, see ``reports.filters``) and
returns plain values, never a row naming a person: analysts read these, and only these. They read
beyond ``visible_to`` on purpose (analysts see no case file), so each applies the dashboard's own
scope, ``filters.case_q``: a coordinator's figures are their centre's and nothing else.

Definitions are in the catalogue (``reports.indicators``); the bases below are shared:

- people: case files registered in the period (anonymised ones count: they keep what figures need);
- projects: life projects, each step dated by its milestone (``LifeProject.*_on``);
- money: the one live commitment of each funded project (cancelled ones count for nothing),
  worth what it takes from its envelope (``Commitment.counted``);
- follow-up: the visits, and for "still running" the answer given at the 6, 12 or 24-month visit.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import (
    Avg,
    Case,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate, TruncMonth
from django.db.models.lookups import GreaterThanOrEqual

from beneficiaries.choices import CaseStatus, Sex
from beneficiaries.models import Beneficiary
from projects.choices import ActivityRunning, CommitmentStatus, ProjectStatus
from projects.models import Commitment, Envelope, EnvelopeFunder, FollowUpVisit, LifeProject
from reintegration.money import to_amount
from reports.filters import DashboardFilters
from reports.sql import AgeAt, DaysBetween, Median, grouped_sums

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=20, decimal_places=2)
RUNNING = (ActivityRunning.YES, ActivityRunning.PARTLY)
ASSESSED_AT = (6, 12, 24)
# Age at release: (code, first age of the band); the last band is open.
AGE_BANDS = ((0, 0), (1, 25), (2, 35), (3, 45), (4, 55))


def _amount(value) -> Decimal:
    return ZERO if value is None else to_amount(value)


def _days(value) -> int | None:
    return None if value is None else round(value)


def _share(part: int, whole: int) -> Decimal | None:
    """A percentage with one decimal, or None when there is nothing to divide by."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


def _counted(path: str = "") -> Case:
    """What a live commitment takes from its envelope: the delivered amount once delivered."""
    return Case(
        When(**{f"{path}status": CommitmentStatus.DELIVERED}, then=F(f"{path}delivered_amount")),
        default=F(f"{path}amount"),
        output_field=MONEY,
    )


def live_commitments(filters: DashboardFilters):
    """One per funded project: the active or delivered commitment, with the project filters."""
    return Commitment.objects.exclude(status=CommitmentStatus.CANCELLED).filter(filters.projects_q("project__"))


def _funded(filters: DashboardFilters, path: str = "project__") -> Q:
    return Q(**{f"{path}funded_on__isnull": False}) & filters.in_period(f"{path}funded_on")


def _handed_over(filters: DashboardFilters, path: str = "project__") -> Q:
    return Q(**{f"{path}handed_over_on__isnull": False}) & filters.in_period(f"{path}handed_over_on")


# --- Headline figures ---------------------------------------------------------------


def people_figures(filters: DashboardFilters) -> dict:
    """People registered in the period, how many are active, women, with a life project, and the
    median days from release to registration."""
    cases = Beneficiary.objects.filter(filters.people_q(), filters.in_period("created_at", moment=True))
    row = cases.aggregate(
        people_registered=Count("pk"),
        cases_active=Count("pk", filter=Q(status=CaseStatus.ACTIVE)),
        women=Count("pk", filter=Q(sex=Sex.FEMALE)),
        people_with_project=Count("pk", filter=Exists(LifeProject.objects.filter(beneficiary=OuterRef("pk")))),
        days_release_to_registration=Median(DaysBetween(TruncDate("created_at"), "release_date")),
    )
    row["women_share"] = _share(row["women"], row["people_registered"])
    row["days_release_to_registration"] = _days(row["days_release_to_registration"])
    return row


def project_figures(filters: DashboardFilters) -> dict:
    """Projects that reached each step in the period, and the median days between steps."""
    p = filters.in_period
    reached = {
        "submitted": Q(submitted_on__isnull=False) & p("submitted_on"),
        "approved": Q(approved_on__isnull=False) & p("approved_on"),
        "funded": _funded(filters, ""),
        "handed_over": _handed_over(filters, ""),
    }
    registered = TruncDate("beneficiary__created_at")
    row = LifeProject.objects.filter(filters.projects_q()).aggregate(
        **{f"projects_{step}": Count("pk", filter=q) for step, q in reached.items()},
        projects_in_follow_up=Count("pk", filter=Q(status=ProjectStatus.FOLLOW_UP) & reached["handed_over"]),
        events_held=Count("handover__event", distinct=True, filter=reached["handed_over"]),
        projects_succeeded=Count("pk", filter=Q(status=ProjectStatus.SUCCEEDED) & p("closed_on")),
        projects_abandoned=Count("pk", filter=Q(status=ProjectStatus.ABANDONED) & p("closed_on")),
        days_registration_to_submission=Median(DaysBetween("submitted_on", registered), filter=reached["submitted"]),
        days_submission_to_approval=Median(DaysBetween("approved_on", "submitted_on"), filter=reached["approved"]),
        days_approval_to_funding=Median(DaysBetween("funded_on", "approved_on"), filter=reached["funded"]),
        days_funding_to_handover=Median(DaysBetween("handed_over_on", "funded_on"), filter=reached["handed_over"]),
        days_release_to_approval=Median(
            DaysBetween("approved_on", "beneficiary__release_date"), filter=reached["approved"]
        ),
        days_release_to_handover=Median(
            DaysBetween("handed_over_on", "beneficiary__release_date"), filter=reached["handed_over"]
        ),
    )
    return {key: _days(value) if key.startswith("days_") else value for key, value in row.items()}


def money_figures(filters: DashboardFilters) -> dict:
    """Amounts committed to the projects funded in the period and delivered to those handed over
    in it (equipment and cash aid apart), and the average and median cost per funded project."""
    funded, handed = _funded(filters), _handed_over(filters)
    delivered = handed & Q(status=CommitmentStatus.DELIVERED)
    row = live_commitments(filters).aggregate(
        amount_committed=Sum(_counted(), filter=funded),
        cost_average=Avg(_counted(), filter=funded),
        cost_median=Median(_counted(), filter=funded),
        amount_delivered=Sum("delivered_amount", filter=delivered),
        amount_delivered_cash=Sum("project__handover__cash_aid_delivered", filter=delivered),
    )
    row = {key: _amount(value) for key, value in row.items()}
    # What a handover records is its items plus its cash (``handover_record``): the rest is equipment.
    row["amount_delivered_equipment"] = row["amount_delivered"] - row["amount_delivered_cash"]
    return row


def envelopes_for(filters: DashboardFilters):
    """The envelopes a dashboard reports on: by program, fiscal years of the period and territory.
    Envelopes are HQ's: a centre's dashboard has none."""
    if filters.scope_centre is not None:
        return Envelope.objects.none()
    envelopes = Envelope.objects.all()
    first, last = filters.period
    if first:
        envelopes = envelopes.filter(fiscal_year__gte=first.year)
    if last:
        envelopes = envelopes.filter(fiscal_year__lte=last.year)
    program = filters.program or (filters.operation and filters.operation.program)
    if program:  # an operation's envelopes are its program's
        envelopes = envelopes.filter(program=program)
    if filters.province is not None:
        province = filters.province
        envelopes = envelopes.filter(Q(province=province) | Q(province_id=province.parent_id or 0))
    elif filters.region is not None:
        envelopes = envelopes.filter(Q(region=filters.region) | Q(province__region=filters.region))
    return envelopes


def envelope_figures(filters: DashboardFilters) -> dict:
    row = envelopes_for(filters).aggregate(
        envelope_amount=Sum("amount"), envelope_committed=Sum("committed"), envelope_delivered=Sum("delivered")
    )
    row = {key: _amount(value) for key, value in row.items()}
    row["envelope_available"] = row["envelope_amount"] - row["envelope_committed"]
    row["envelope_consumed"] = _share(row["envelope_committed"], row["envelope_amount"])
    return row


def follow_up_figures(filters: DashboardFilters) -> dict:
    """Visits done and overdue; of the projects handed over in the period, how many were assessed
    at 6, 12 and 24 months and how many still ran; the cost per project still running at 12 months."""
    visits = FollowUpVisit.objects.filter(filters.projects_q("project__"))
    handed = _handed_over(filters)
    answered = Q(done_on__isnull=False) & ~Q(activity_running="") & handed
    counts = {
        "visits_done": Count("pk", filter=Q(done_on__isnull=False) & filters.in_period("done_on")),
        "visits_overdue": Count(
            "pk", filter=Q(done_on__isnull=True, due_on__lt=filters.today) & filters.in_period("due_on")
        ),
    }
    for months in ASSESSED_AT:
        counts[f"assessed_{months}"] = Count("pk", filter=answered & Q(months_after=months))
        counts[f"running_{months}"] = Count(
            "pk", filter=answered & Q(months_after=months, activity_running__in=RUNNING)
        )
    row = visits.aggregate(**counts)
    for months in ASSESSED_AT:
        row[f"running_{months}_share"] = _share(row[f"running_{months}"], row[f"assessed_{months}"])
    assessed_12 = FollowUpVisit.objects.filter(
        project=OuterRef("project"), months_after=12, done_on__isnull=False
    ).exclude(activity_running="")
    spent = (
        live_commitments(filters)
        .filter(handed, Exists(assessed_12), status=CommitmentStatus.DELIVERED)
        .aggregate(total=Sum("delivered_amount"))["total"]
    )
    running = row["running_12"]
    row["cost_per_running_12"] = to_amount(_amount(spent) / running) if running else None
    return row


# --- Breakdowns ---------------------------------------------------------------------------

PEOPLE_DIMENSIONS = ("region", "province", "centre", "sex", "age_band", "release_type", "program")
PROJECT_DIMENSIONS = (*PEOPLE_DIMENSIONS, "sector", "trade", "operation")


def _dimensions(path: str) -> dict:
    """The dimensions of a case file at ``path``, as annotations."""
    age = AgeAt(f"{path}release_date", f"{path}birth_date")
    return {
        "region": F(f"{path}province__region_id"),
        "province": F(f"{path}province_id"),
        "centre": F(f"{path}centre_id"),
        "sex": F(f"{path}sex"),
        "age_band": _age_band(age),
        "release_type": F(f"{path}release_type"),
        "program": F(f"{path}program_id"),
    }


def _age_band(age) -> Case:
    whens = [When(GreaterThanOrEqual(age, start), then=Value(code)) for code, start in reversed(AGE_BANDS[1:])]
    return Case(*whens, default=Value(0), output_field=IntegerField())


def breakdowns(filters: DashboardFilters) -> dict[str, dict]:
    """Every breakdown at once: ``{dimension: {key: measures}}``, each base scanned once.

    Measures: people registered and women (by registration date); projects funded and committed
    amounts (by funding date); handed over and delivered amounts (by handover date); projects
    assessed at 12 months and still running.
    """
    people = (
        Beneficiary.objects.filter(filters.people_q(), filters.in_period("created_at", moment=True))
        .annotate(**_aliases(_dimensions("")))
        .annotate(
            people=Value(1),
            women=Case(When(sex=Sex.FEMALE, then=Value(1)), default=Value(0)),
        )
    )
    by_people = grouped_sums(people, _names(PEOPLE_DIMENSIONS), ("people", "women"))
    # By event only within one operation: nationally there are thousands.
    dimensions = (*PROJECT_DIMENSIONS, "event") if filters.operation else PROJECT_DIMENSIONS
    funded, handed = _funded(filters), _handed_over(filters) & Q(status=CommitmentStatus.DELIVERED)
    money = (
        live_commitments(filters)
        .filter(funded | handed)
        .annotate(**_aliases({**_dimensions("project__beneficiary__"), **_project_dimensions("project__")}))
        .annotate(
            funded=Case(When(funded, then=Value(1)), default=Value(0)),
            handed_over=Case(When(handed, then=Value(1)), default=Value(0)),
            committed=Case(When(funded, then=_counted()), default=Value(ZERO), output_field=MONEY),
            delivered=Case(When(handed, then=F("delivered_amount")), default=Value(ZERO), output_field=MONEY),
        )
    )
    by_money = grouped_sums(money, _names(dimensions), ("funded", "handed_over", "committed", "delivered"))
    visits = (
        FollowUpVisit.objects.filter(
            filters.projects_q("project__"), _handed_over(filters), months_after=12, done_on__isnull=False
        )
        .exclude(activity_running="")
        .annotate(**_aliases({**_dimensions("project__beneficiary__"), **_project_dimensions("project__")}))
        .annotate(
            assessed=Value(1),
            running=Case(When(activity_running__in=RUNNING, then=Value(1)), default=Value(0)),
        )
    )
    by_visits = grouped_sums(visits, _names(dimensions), ("assessed", "running"))
    merged: dict[str, dict] = {}
    for dimension in ("", *dimensions):
        name = _alias(dimension) if dimension else ""
        rows: dict = {}
        for source in (by_people, by_money, by_visits):
            for key, measures in source.get(name, {}).items():
                rows.setdefault(key, {}).update(measures)
        for measures in rows.values():
            for amount in ("committed", "delivered"):
                if amount in measures:
                    measures[amount] = _amount(measures[amount])
        merged[dimension] = rows
    return merged


def _project_dimensions(path: str) -> dict:
    return {
        "sector": F(f"{path}trade__sector_id"),
        "trade": F(f"{path}trade_id"),
        "operation": F(f"{path}handover__event__operation_id"),
        "event": F(f"{path}handover__event_id"),
    }


def _alias(name: str) -> str:
    return f"d_{name}"  # never clashes with a model field


def _aliases(dimensions: dict) -> dict:
    return {_alias(name): expression for name, expression in dimensions.items()}


def _names(dimensions) -> tuple[str, ...]:
    return tuple(_alias(name) for name in dimensions)


# --- Trends -------------------------------------------------------------------------------


def monthly(filters: DashboardFilters) -> dict[str, dict[datetime.date, dict]]:
    """Per calendar month, all time: registrations, approvals, fundings (and amounts), handovers
    (and amounts). The page takes the last 24 months; the yearly table sums the period's months."""
    registrations = (
        Beneficiary.objects.filter(filters.people_q())
        .annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(count=Count("pk"))
    )
    approvals = (
        LifeProject.objects.filter(filters.projects_q(), approved_on__isnull=False)
        .annotate(month=TruncMonth("approved_on"))
        .values("month")
        .annotate(count=Count("pk"))
    )
    fundings = (
        live_commitments(filters)
        .filter(project__funded_on__isnull=False)
        .annotate(month=TruncMonth("project__funded_on"))
        .values("month")
        .annotate(count=Count("pk"), amount=Sum(_counted()))
    )
    handovers = (
        live_commitments(filters)
        .filter(status=CommitmentStatus.DELIVERED, project__handed_over_on__isnull=False)
        .annotate(month=TruncMonth("project__handed_over_on"))
        .values("month")
        .annotate(count=Count("pk"), amount=Sum("delivered_amount"))
    )
    series = {"registrations": registrations, "approvals": approvals, "fundings": fundings, "handovers": handovers}
    return {name: {_month(row["month"]): row for row in rows} for name, rows in series.items()}


def _month(value) -> datetime.date:
    day = value.date() if isinstance(value, datetime.datetime) else value
    return day.replace(day=1)


# --- Budget execution ----------------------------------------------------------------------


def envelope_rows(filters: DashboardFilters):
    return envelopes_for(filters).select_related("program", "region", "province").order_by("-fiscal_year", "name")


def funder_rows(filters: DashboardFilters) -> list[dict]:
    """Each funder's shares of the envelopes, and of what they committed and delivered, pro rata."""
    share_of = ExpressionWrapper(
        F("share") / F("envelope__amount"), output_field=DecimalField(max_digits=30, decimal_places=12)
    )
    return list(
        EnvelopeFunder.objects.filter(envelope__in=envelopes_for(filters))
        .values("partner_id", "partner__name_ar", "partner__name_fr")
        .annotate(
            share_total=Sum("share"),
            committed=Sum(ExpressionWrapper(share_of * F("envelope__committed"), output_field=MONEY)),
            delivered=Sum(ExpressionWrapper(share_of * F("envelope__delivered"), output_field=MONEY)),
        )
        .order_by("-share_total", "partner__name_fr")
    )


def budget_by_region(filters: DashboardFilters) -> list[dict]:
    """Envelopes by their territory's region; national envelopes under ``region=None``."""
    return list(
        envelopes_for(filters)
        .annotate(territory_region=Coalesce("region_id", "province__region_id"))
        .values("territory_region")
        .annotate(amount_total=Sum("amount"), committed_total=Sum("committed"), delivered_total=Sum("delivered"))
        .order_by("territory_region")
    )


# --- The map -------------------------------------------------------------------------------

MAP_MEASURES = ("people", "funded", "committed", "running_share")


def by_province(filters: DashboardFilters, measure: str) -> dict[int, object]:
    """One measure per province of residence (for the map's own endpoint): a single query.
    Amounts come with their count of projects, shares as (running, assessed)."""
    if measure == "people":
        rows = (
            Beneficiary.objects.filter(filters.people_q(), filters.in_period("created_at", moment=True))
            .values("province_id")
            .annotate(value=Count("pk"))
        )
        return {row["province_id"]: row["value"] for row in rows}
    if measure in ("funded", "committed"):
        rows = (
            live_commitments(filters)
            .filter(_funded(filters))
            .values("project__beneficiary__province_id")
            .annotate(funded=Count("pk"), committed=Sum(_counted()))
        )
        key = "project__beneficiary__province_id"
        if measure == "funded":
            return {row[key]: row["funded"] for row in rows}
        return {row[key]: (row["funded"], _amount(row["committed"])) for row in rows}
    rows = (
        FollowUpVisit.objects.filter(
            filters.projects_q("project__"), _handed_over(filters), months_after=12, done_on__isnull=False
        )
        .exclude(activity_running="")
        .values("project__beneficiary__province_id")
        .annotate(assessed=Count("pk"), running=Count("pk", filter=Q(activity_running__in=RUNNING)))
    )
    return {row["project__beneficiary__province_id"]: (row["running"], row["assessed"]) for row in rows}
