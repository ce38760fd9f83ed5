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
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    FilteredRelation,
    IntegerField,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate, TruncMonth
from django.db.models.lookups import GreaterThanOrEqual

from beneficiaries.choices import CaseStatus, Sex
from beneficiaries.models import Beneficiary
from distributions.models import Event, Operation
from projects.choices import ActivityRunning, CommitmentStatus, ProjectStatus
from projects.models import Commitment, Envelope, EnvelopeFunder, FollowUpVisit, LifeProject, Sector, Trade
from reintegration.models import Centre, Program, Province, Region
from reintegration.money import to_amount
from reports.filters import DashboardFilters
from reports.sql import AgeAt, DaysBetween, grouped_sums

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=20, decimal_places=2)
RUNNING = (ActivityRunning.YES, ActivityRunning.PARTLY)
FOLLOWED = (ProjectStatus.DELIVERED, ProjectStatus.FOLLOW_UP)
ASSESSED_AT = (6, 12, 24)
# Age at release: (code, first age of the band); the last band is open.
AGE_BANDS = ((0, 0), (1, 25), (2, 35), (3, 45), (4, 55))


def amount(value) -> Decimal:
    return ZERO if value is None else to_amount(value)


def share(part: int, whole: int) -> Decimal | None:
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


def live_commitments(*, filters: DashboardFilters):
    """One per funded project: the active or delivered commitment, with the project filters."""
    return Commitment.objects.exclude(status=CommitmentStatus.CANCELLED).filter(filters.projects_q("project__"))


def _funded(filters: DashboardFilters, path: str = "project__") -> Q:
    return Q(**{f"{path}funded_on__isnull": False}) & filters.in_period(f"{path}funded_on")


def _handed_over(filters: DashboardFilters, path: str = "project__") -> Q:
    return Q(**{f"{path}handed_over_on__isnull": False}) & filters.in_period(f"{path}handed_over_on")


# --- Scans -----------------------------------------------------------------------------------
#
# Each base (case files, projects, live commitments, visits) is read in one query that computes
# its headline figures, its breakdowns and its monthly series together (``grouped_sums``: one
# scan, many groupings); median delays come from the same scan, as exact medians of histograms
# of day counts. Two small queries stand beside: the people with a life project (a distinct
# count) and the median cost (two middle amounts). A dashboard runs each scan once, whatever
# the number of records.


@dataclass
class Scan:
    """What one base gives: headline ``figures``, breakdowns ``by`` dimension, monthly series."""

    figures: dict
    by: dict = field(default_factory=dict)
    months: dict = field(default_factory=dict)


def _flag(condition: Q) -> Case | Value:
    """1 where ``condition`` holds, else 0 (an empty condition always holds)."""
    if not condition:
        return Value(1)
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def _money_if(condition: Q, amount) -> Case:
    if not condition:
        condition = Q(pk__isnull=False)
    return Case(When(condition, then=amount), default=Value(ZERO), output_field=MONEY)


def _days_if(condition: Q, later, earlier) -> Case:
    """Days between two dates where ``condition`` holds, else NULL (left out of the median)."""
    if not condition:
        condition = Q(pk__isnull=False)
    return Case(When(condition, then=DaysBetween(later, earlier)), default=None, output_field=IntegerField())


def median_of(histogram: dict, measure: str) -> int | None:
    """The exact median of values counted in a histogram ``{value: {measure: count}}`` (the mean of
    the two middle values for an even count, as ``percentile_cont(0.5)``), rounded to a whole day."""
    counts = sorted((key, totals[measure]) for key, totals in histogram.items() if key is not None and totals[measure])
    total = sum(count for _key, count in counts)
    if not total:
        return None
    middle = [(total - 1) // 2, total // 2]  # the 0-based ranks of the middle value(s)
    found, seen = [], 0
    for key, count in counts:
        while middle and middle[0] < seen + count:
            found.append(key)
            middle.pop(0)
        seen += count
    return int((Decimal(sum(found)) / len(found)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _by(result: dict, dimensions, measures) -> dict:
    return {d: {k: {m: v[m] for m in measures} for k, v in result[_alias(d)].items()} for d in dimensions}


def people_scan(*, filters: DashboardFilters) -> Scan:
    """Case files: registered in the period (and women, active), by each dimension; registrations
    by month (all time, for the trends); the median days from release to registration."""
    registered = filters.in_period("created_at", moment=True)
    base = Beneficiary.objects.filter(filters.people_q()).annotate(
        **_aliases({**_dimensions(""), "month": TruncMonth("created_at")}),
        d_wait=_days_if(registered, TruncDate("created_at"), "release_date"),
        people=_flag(registered),
        women=_flag(registered & Q(sex=Sex.FEMALE)),
        active=_flag(registered & Q(status=CaseStatus.ACTIVE)),
        registrations=Value(1),
    )
    dimensions = (*PEOPLE_DIMENSIONS, "month")
    result = grouped_sums(base, (*_names(dimensions), "d_wait"), ("people", "women", "active", "registrations"))
    total = result[""].get(None) or {"people": 0, "women": 0, "active": 0}
    with_project = (
        LifeProject.objects.filter(
            beneficiary__in=Beneficiary.objects.filter(filters.people_q(), registered).values("pk")
        )
        .values("beneficiary")
        .distinct()
        .count()
    )
    figures = {
        "people_registered": total["people"],
        "cases_active": total["active"],
        "women": total["women"],
        "women_share": share(total["women"], total["people"]),
        "people_with_project": with_project,
        "days_release_to_registration": median_of(result["d_wait"], "people"),
    }
    months = {_month(k): v["registrations"] for k, v in result[_alias("month")].items() if k is not None}
    return Scan(figures, _by(result, PEOPLE_DIMENSIONS, ("people", "women")), {"registrations": months})


# (histogram, later date, earlier date, the step that dates it)
DELAYS = {
    "days_registration_to_submission": ("submitted_on", "registered", "submitted"),
    "days_submission_to_approval": ("approved_on", "submitted_on", "approved"),
    "days_approval_to_funding": ("funded_on", "approved_on", "funded"),
    "days_funding_to_handover": ("handed_over_on", "funded_on", "handed_over"),
    "days_release_to_approval": ("approved_on", "beneficiary__release_date", "approved"),
    "days_release_to_handover": ("handed_over_on", "beneficiary__release_date", "handed_over"),
}


def project_scan(*, filters: DashboardFilters) -> Scan:
    """Projects that reached each step in the period; the median days between steps; approvals by month."""
    p = filters.in_period
    reached = {
        "submitted": Q(submitted_on__isnull=False) & p("submitted_on"),
        "approved": Q(approved_on__isnull=False) & p("approved_on"),
        "funded": _funded(filters, ""),
        "handed_over": _handed_over(filters, ""),
    }
    registered = TruncDate("beneficiary__created_at")
    delays = {
        f"d_{key}": _days_if(reached[step], later, registered if earlier == "registered" else earlier)
        for key, (later, earlier, step) in DELAYS.items()
    }
    base = LifeProject.objects.filter(filters.projects_q()).annotate(
        d_month=TruncMonth("approved_on"),
        **delays,
        **{step: _flag(q) for step, q in reached.items()},
        in_follow_up=_flag(Q(status=ProjectStatus.FOLLOW_UP) & reached["handed_over"]),
        succeeded=_flag(Q(status=ProjectStatus.SUCCEEDED) & p("closed_on")),
        abandoned=_flag(Q(status=ProjectStatus.ABANDONED) & p("closed_on")),
        approvals=_flag(Q(approved_on__isnull=False)),
    )
    steps = (*reached, "in_follow_up", "succeeded", "abandoned")
    result = grouped_sums(base, ("d_month", *delays), (*steps, "approvals"))
    total = result[""].get(None) or dict.fromkeys(steps, 0)
    figures = {f"projects_{step}": total[step] for step in steps}
    for key, (_later, _earlier, step) in DELAYS.items():
        figures[key] = median_of(result[f"d_{key}"], step)
    months = {_month(k): v["approvals"] for k, v in result["d_month"].items() if k is not None}
    return Scan(figures, months={"approvals": months})


def commitment_scan(*, filters: DashboardFilters) -> Scan:
    """Money: committed to the projects funded in the period, delivered to those handed over in
    it (equipment and cash aid apart), by each dimension and by month; the events held."""
    funded = _funded(filters)
    handed = _handed_over(filters) & Q(status=CommitmentStatus.DELIVERED)
    ever_funded = Q(project__funded_on__isnull=False)
    ever_handed = Q(project__handed_over_on__isnull=False, status=CommitmentStatus.DELIVERED)
    base = live_commitments(filters=filters).annotate(
        **_aliases(
            {
                **_dimensions("project__beneficiary__"),
                **_project_dimensions("project__"),
                "funded_month": TruncMonth("project__funded_on"),
                "handed_month": TruncMonth("project__handed_over_on"),
            }
        ),
        funded=_flag(funded),
        handed_over=_flag(handed),
        committed=_money_if(funded, _counted()),
        delivered=_money_if(handed, F("delivered_amount")),
        cash=_money_if(handed, F("project__handover__cash_aid_delivered")),
        fundings=_flag(ever_funded),
        committed_all=_money_if(ever_funded, _counted()),
        handovers=_flag(ever_handed),
        delivered_all=_money_if(ever_handed, F("delivered_amount")),
    )
    dimensions = (*PROJECT_DIMENSIONS, "event", "funded_month", "handed_month")
    measures = ("funded", "handed_over", "committed", "delivered", "cash")
    trends = ("fundings", "committed_all", "handovers", "delivered_all")
    result = grouped_sums(base, _names(dimensions), (*measures, *trends))
    total = result[""].get(None) or dict.fromkeys(measures, 0)
    committed, delivered, cash = (amount(total[key]) for key in ("committed", "delivered", "cash"))
    median = _median_amount(live_commitments(filters=filters).filter(funded), total["funded"])
    figures = {
        "amount_committed": committed,
        "amount_delivered": delivered,
        "amount_delivered_cash": cash,
        # What a handover records is its items plus its cash (``handover_record``): the rest is equipment.
        "amount_delivered_equipment": delivered - cash,
        "cost_average": to_amount(committed / total["funded"]) if total["funded"] else None,
        "cost_median": median,
        "events_held": sum(1 for key, row in result[_alias("event")].items() if key is not None and row["handed_over"]),
    }
    by = _by(result, (*PROJECT_DIMENSIONS, "event"), ("funded", "handed_over", "committed", "delivered"))
    for rows in by.values():
        for row in rows.values():
            row["committed"], row["delivered"] = amount(row["committed"]), amount(row["delivered"])
    by[""] = {None: {**total, "committed": committed, "delivered": delivered}}
    months = {
        "fundings": {
            _month(k): {"count": v["fundings"], "amount": amount(v["committed_all"])}
            for k, v in result[_alias("funded_month")].items()
            if k is not None
        },
        "handovers": {
            _month(k): {"count": v["handovers"], "amount": amount(v["delivered_all"])}
            for k, v in result[_alias("handed_month")].items()
            if k is not None
        },
    }
    return Scan(figures, by, months)


# --- Envelopes -----------------------------------------------------------------------------


def envelopes_for(*, filters: DashboardFilters):
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


def envelope_figures(*, filters: DashboardFilters) -> dict:
    row = envelopes_for(filters=filters).aggregate(
        envelope_amount=Sum("amount"), envelope_committed=Sum("committed"), envelope_delivered=Sum("delivered")
    )
    row = {key: amount(value) for key, value in row.items()}
    row["envelope_available"] = row["envelope_amount"] - row["envelope_committed"]
    row["envelope_consumed"] = share(row["envelope_committed"], row["envelope_amount"])
    return row


def _median_amount(commitments, count: int) -> Decimal | None:
    """The exact median amount (to the centime, half up): the middle one or two of the sorted
    amounts, read from the database without a float in between."""
    if not count:
        return None
    middle = list(
        commitments.annotate(counted=_counted())
        .order_by("counted")
        .values_list("counted", flat=True)[(count - 1) // 2 : count // 2 + 1]
    )
    return to_amount(sum(Decimal(str(value)) for value in middle) / len(middle))


def visit_scan(*, filters: DashboardFilters) -> Scan:
    """Visits done and overdue; of the projects handed over in the period, how many were assessed
    at 6, 12 and 24 months and how many still ran (by dimension at 12); the cost per project
    still running at 12 months."""
    handed = _handed_over(filters)
    answered = Q(done_on__isnull=False) & ~Q(activity_running="") & handed
    running = Q(activity_running__in=RUNNING)
    measures = {
        "visits_done": _flag(Q(done_on__isnull=False) & filters.in_period("done_on")),
        # As on the coordinators' queue: visits still to make, of projects still followed.
        "visits_overdue": _flag(
            Q(done_on__isnull=True, due_on__lt=filters.today, project__status__in=FOLLOWED)
            & filters.in_period("due_on")
        ),
    }
    for months in ASSESSED_AT:
        measures[f"assessed_{months}"] = _flag(answered & Q(months_after=months))
        measures[f"running_{months}"] = _flag(answered & running & Q(months_after=months))
    base = (
        FollowUpVisit.objects.filter(filters.projects_q("project__"))
        # The project's delivered commitment (one at most: the live one), for what the project cost.
        .annotate(
            delivered=FilteredRelation(
                "project__commitments", condition=Q(project__commitments__status=CommitmentStatus.DELIVERED)
            )
        )
        .annotate(
            **_aliases({**_dimensions("project__beneficiary__"), **_project_dimensions("project__")}),
            **measures,
            spent_12=_money_if(answered & Q(months_after=12), F("delivered__delivered_amount")),
        )
    )
    result = grouped_sums(base, _names(PROJECT_DIMENSIONS), (*measures, "spent_12"))
    total = result[""].get(None) or dict.fromkeys((*measures, "spent_12"), 0)
    figures = {key: total[key] for key in measures}
    for months in ASSESSED_AT:
        figures[f"running_{months}_share"] = share(total[f"running_{months}"], total[f"assessed_{months}"])
    still = total["running_12"]
    figures["cost_per_running_12"] = to_amount(amount(total["spent_12"]) / still) if still else None
    by = {
        d: {k: {"assessed": v["assessed_12"], "running": v["running_12"]} for k, v in result[_alias(d)].items()}
        for d in PROJECT_DIMENSIONS
    }
    by[""] = {None: {"assessed": total["assessed_12"], "running": total["running_12"]}}
    return Scan(figures, by)


def envelope_scan(*, filters: DashboardFilters) -> Scan:
    return Scan(envelope_figures(filters=filters), by={"envelope": projects_by_envelope(filters=filters)})


SCANS = (people_scan, project_scan, commitment_scan, visit_scan, envelope_scan)


def run_scans(*, filters: DashboardFilters) -> dict[str, Scan]:
    """Every scan of a dashboard, by name (each run once)."""
    return {scan.__name__: scan(filters=filters) for scan in SCANS}


def breakdowns(scans: dict[str, Scan]) -> dict[str, dict]:
    """Every breakdown: ``{dimension: {key: measures}}`` (``""`` for the whole), the scans merged.

    Measures: people registered and women (by registration date); projects funded and committed
    amounts (by funding date); handed over and delivered amounts (by handover date); projects
    assessed at 12 months and still running.
    """
    people, money, visits = scans["people_scan"], scans["commitment_scan"], scans["visit_scan"]
    people_total = {"people": people.figures["people_registered"], "women": people.figures["women"]}
    merged: dict[str, dict] = {}
    for dimension in ("", *PROJECT_DIMENSIONS, "event"):
        rows: dict = {}
        sources = [money.by.get(dimension, {}), visits.by.get(dimension, {})]
        sources.insert(0, {None: people_total} if dimension == "" else people.by.get(dimension, {}))
        for source in sources:
            for key, measures in source.items():
                rows.setdefault(key, {}).update(measures)
        merged[dimension] = rows
    return merged


def monthly(scans: dict[str, Scan]) -> dict[str, dict[datetime.date, dict]]:
    """Per calendar month, all time: registrations, approvals, fundings (and amounts), handovers
    (and amounts). The page takes the last 24 months; the yearly table sums the period's months."""
    people, projects, money = scans["people_scan"], scans["project_scan"], scans["commitment_scan"]
    return {
        "registrations": {m: {"count": n} for m, n in people.months["registrations"].items()},
        "approvals": {m: {"count": n} for m, n in projects.months["approvals"].items()},
        "fundings": money.months["fundings"],
        "handovers": money.months["handovers"],
    }


def _month(value) -> datetime.date:
    """A month's first day, from what the database gives (a date, a date-time, or SQLite's text)."""
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value[:10])
    day = value.date() if isinstance(value, datetime.datetime) else value
    return day.replace(day=1)


def dimension_objects(data: dict, *, with_events: bool) -> dict[str, dict]:
    """The regions, provinces, centres... named in the breakdowns, by key (one query each; events
    only when asked: within one operation)."""
    models = {
        "region": Region.objects,
        "province": Province.objects,
        "centre": Centre.objects,
        "program": Program.objects,
        "sector": Sector.objects,
        "trade": Trade.objects,
        "operation": Operation.objects,
        "event": Event.objects.select_related("province") if with_events else None,
    }
    return {
        name: manager.in_bulk([key for key in data.get(name, {}) if key is not None]) if manager is not None else {}
        for name, manager in models.items()
    }


# --- Dimensions -----------------------------------------------------------------------------

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


# --- Budget execution ----------------------------------------------------------------------


def envelope_rows(*, filters: DashboardFilters):
    return (
        envelopes_for(filters=filters).select_related("program", "region", "province").order_by("-fiscal_year", "name")
    )


def projects_by_envelope(*, filters: DashboardFilters) -> dict[int, int]:
    """How many projects each envelope funds (its live commitments), by envelope id."""
    rows = (
        Commitment.objects.exclude(status=CommitmentStatus.CANCELLED)
        .filter(envelope__in=envelopes_for(filters=filters))
        .values("envelope_id")
        .annotate(projects=Count("pk"))
    )
    return {row["envelope_id"]: row["projects"] for row in rows}


def funder_rows(*, filters: DashboardFilters) -> list[dict]:
    """Each funder's shares of the envelopes, and of what they committed and delivered, pro rata."""
    share_of = ExpressionWrapper(
        F("share") / F("envelope__amount"), output_field=DecimalField(max_digits=30, decimal_places=12)
    )
    return list(
        EnvelopeFunder.objects.filter(envelope__in=envelopes_for(filters=filters))
        .values("partner_id", "partner__name_ar", "partner__name_fr")
        .annotate(
            share_total=Sum("share"),
            committed=Sum(ExpressionWrapper(share_of * F("envelope__committed"), output_field=MONEY)),
            delivered=Sum(ExpressionWrapper(share_of * F("envelope__delivered"), output_field=MONEY)),
        )
        .order_by("-share_total", "partner__name_fr")
    )


def budget_by_region(*, filters: DashboardFilters) -> list[dict]:
    """Envelopes by their territory's region; national envelopes under ``region=None``."""
    return list(
        envelopes_for(filters=filters)
        .annotate(territory_region=Coalesce("region_id", "province__region_id"))
        .values("territory_region")
        .annotate(amount_total=Sum("amount"), committed_total=Sum("committed"), delivered_total=Sum("delivered"))
        .order_by("territory_region")
    )


# --- The map -------------------------------------------------------------------------------


def by_province(*, filters: DashboardFilters, measure: str) -> dict[int, object]:
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
            live_commitments(filters=filters)
            .filter(_funded(filters))
            .values("project__beneficiary__province_id")
            .annotate(funded=Count("pk"), committed=Sum(_counted()))
        )
        key = "project__beneficiary__province_id"
        if measure == "funded":
            return {row[key]: row["funded"] for row in rows}
        return {row[key]: (row["funded"], amount(row["committed"])) for row in rows}
    rows = (
        FollowUpVisit.objects.filter(
            filters.projects_q("project__"), _handed_over(filters), months_after=12, done_on__isnull=False
        )
        .exclude(activity_running="")
        .values("project__beneficiary__province_id")
        .annotate(assessed=Count("pk"), running=Count("pk", filter=Q(activity_running__in=RUNNING)))
    )
    return {row["project__beneficiary__province_id"]: (row["running"], row["assessed"]) for row in rows}
