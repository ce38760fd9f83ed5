"""Figures and work queues for the home pages (and, later, the national dashboards).

Analysts see only what ``national_figures`` returns (through the dashboards' indicator
catalogue): counts and sums, never a row that names a person. Work queues are scoped like every other read of case data.
"""

from django.conf import settings
from django.db.models import Count, Q

from beneficiaries.choices import CaseStatus, DuplicateDecision
from beneficiaries.models import Beneficiary, DuplicateFlag, Transfer
from projects.choices import ProjectStatus
from projects.models import LifeProject
from projects.selectors import (
    cases_without_project,
    envelopes_near_exhaustion,
    followups_due,
    projects_in_status,
)
from reintegration.models import Centre, User
from reports import indicators, tables
from reports.cache import FigureCache
from reports.filters import DashboardFilters

QUEUE_LENGTH = 8


def _queue(queryset, length: int = QUEUE_LENGTH) -> dict:
    """The first items of a queue and how many there are in all."""
    items = list(queryset[: length + 1])
    return {"items": items[:length], "more": len(items) > length}


def coordinator_home(user: User) -> dict:
    visits = followups_due(user=user)
    return {
        "centre": user.centre,
        "active_cases": Beneficiary.objects.visible_to(user).filter(status=CaseStatus.ACTIVE).count(),
        "projects_in_progress": LifeProject.objects.visible_to(user).active().count(),
        "without_project": _queue(cases_without_project(user=user).select_related("province")),
        "returned": _queue(projects_in_status(user=user, status=ProjectStatus.RETURNED)),
        "visits": _queue(visits, 10),
        "transfers_waiting": Transfer.objects.awaiting_decision_by(user).count(),
    }


def hq_queues(user: User) -> dict:
    """What waits for HQ: projects to approve and to fund, envelopes running out, possible duplicates."""
    return {
        "awaiting_approval": _queue(projects_in_status(user=user, status=ProjectStatus.SUBMITTED), 10),
        "awaiting_funding": _queue(projects_in_status(user=user, status=ProjectStatus.APPROVED), 10),
        "envelopes_alert": list(envelopes_near_exhaustion()[:10]),
        "duplicates_waiting": DuplicateFlag.objects.filter(decision=DuplicateDecision.PENDING).count(),
        "alert_threshold": settings.ENVELOPE_ALERT_THRESHOLD,
    }


def officer_home(user: User) -> dict:
    return {**hq_queues(user), "figures": national_figures()}


HOME_FIGURES = ("people_registered", "women", "projects_handed_over", "amount_committed")


def national_figures() -> list:
    """HQ's four national figures, from the indicator catalogue (the dashboard's definitions)."""
    filters = DashboardFilters()
    board_figures = FigureCache(filters).get("home", lambda: indicators.compute(filters, HOME_FIGURES))
    return [
        {
            "indicator": indicators.CATALOGUE[key],
            "display": tables.display_indicator(indicators.CATALOGUE[key], board_figures[key]),
        }
        for key in HOME_FIGURES
    ]


def projects_by_status() -> list[dict]:
    """Counts in the workflow's order, from draft to closed."""
    counts = dict(LifeProject.objects.values_list("status").annotate(total=Count("id")))
    return [{"label": label, "total": counts[status]} for status, label in ProjectStatus.choices if status in counts]


def cases_by_centre() -> list[Centre]:
    return list(
        Centre.objects.annotate(
            active_cases=Count("cases", filter=Q(cases__status=CaseStatus.ACTIVE)),
        ).order_by("name_fr")
    )


def accounts_by_role() -> list[dict]:
    labels = dict(User._meta.get_field("role").choices)
    rows = User.objects.filter(is_active=True).values("role").annotate(total=Count("id")).order_by("role")
    return [{"label": labels[row["role"]], "total": row["total"]} for row in rows]
