"""Figures and work queues for the home pages (and, later, the national dashboards).

Analysts see only what ``national_figures`` returns: counts and sums, never a row that
names a person. Work queues are scoped like every other read of case data.
"""

from django.conf import settings
from django.db.models import Count, Q, Sum

from beneficiaries.choices import CaseStatus, Sex
from beneficiaries.models import Beneficiary, Transfer
from projects.choices import CLOSED_STATUSES, CommitmentStatus, ProjectStatus
from projects.models import Commitment, Envelope, LifeProject
from projects.selectors import (
    cases_without_project,
    envelopes_near_exhaustion,
    followups_due,
    projects_in_status,
)
from reintegration.models import Centre, User

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
    """What waits for HQ: projects to approve and to fund, envelopes running out."""
    return {
        "awaiting_approval": _queue(projects_in_status(user=user, status=ProjectStatus.SUBMITTED), 10),
        "awaiting_funding": _queue(projects_in_status(user=user, status=ProjectStatus.APPROVED), 10),
        "envelopes_alert": list(envelopes_near_exhaustion()[:10]),
        "alert_threshold": settings.ENVELOPE_ALERT_THRESHOLD,
    }


def officer_home(user: User) -> dict:
    return {**hq_queues(user), "figures": national_figures()}


def national_figures() -> dict:
    """Aggregates only: how many people, how many projects, how much money."""
    cases = Beneficiary.objects.aggregate(
        total=Count("id"),
        active=Count("id", filter=Q(status=CaseStatus.ACTIVE)),
        women=Count("id", filter=Q(sex=Sex.FEMALE)),
    )
    projects = LifeProject.objects.aggregate(
        in_progress=Count("id", filter=~Q(status__in=CLOSED_STATUSES)),
        funded=Count(
            "id",
            filter=Q(
                status__in=[
                    ProjectStatus.FUNDED,
                    ProjectStatus.DELIVERED,
                    ProjectStatus.FOLLOW_UP,
                    ProjectStatus.SUCCEEDED,
                ]
            ),
        ),
    )
    money = Envelope.objects.aggregate(amount=Sum("amount"), committed=Sum("committed"), delivered=Sum("delivered"))
    delivered_projects = Commitment.objects.filter(status=CommitmentStatus.DELIVERED).count()
    return {**cases, **projects, **{k: v or 0 for k, v in money.items()}, "delivered_projects": delivered_projects}


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
