"""Reads on life projects, envelopes and follow-up, with their joins made, through the scopes."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import Case, DateTimeField, Exists, F, OuterRef, Prefetch, QuerySet, Subquery, Sum, When
from django.db.models.functions import Cast, Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from beneficiaries.choices import CaseStatus
from beneficiaries.models import Beneficiary
from projects.choices import CommitmentStatus, ProjectStatus
from projects.models import (
    ZERO,
    Commitment,
    Envelope,
    FollowUpVisit,
    LifeProject,
    PlannedAction,
    ProjectTransition,
    VisitPhoto,
)
from reintegration.models import User
from reintegration.scoping import get_for_user

# The person's possible-duplicate flag rides along: lists and queues show it beside the project.
LIST_JOINS = ("beneficiary__centre", "beneficiary__duplicate_flag", "trade", "province")


def project_list(*, user: User) -> QuerySet[LifeProject]:
    return LifeProject.objects.visible_to(user).select_related(*LIST_JOINS)


def project_list_total(projects: QuerySet[LifeProject]) -> Decimal:
    """What the listed projects cost together, over the whole filtered set (one query)."""
    return projects.aggregate(sum=Coalesce(Sum("total"), ZERO))["sum"]


def project_get_for_user(user: User, pk: int, *, write: bool = False) -> LifeProject:
    queryset = LifeProject.objects.select_related("beneficiary__centre", "trade__sector", "province__region")
    return get_for_user(queryset, user, pk, write=write)


def project_detail(user: User, pk: int) -> LifeProject:
    """The project with everything its page shows, in a fixed number of queries."""
    queryset = LifeProject.objects.select_related(
        "beneficiary__centre",
        "beneficiary__province",
        "beneficiary__program",
        "trade__sector",
        "province__region",
        "created_by",
    ).prefetch_related(
        "lines",
        Prefetch("planned_actions", queryset=PlannedAction.objects.select_related("done_as")),
        Prefetch("transitions", queryset=ProjectTransition.objects.select_related("by")),
        "visits",
        Prefetch("commitments", queryset=Commitment.objects.select_related("envelope", "created_by")),
    )
    return get_for_user(queryset, user, pk)


def envelope_list(*, user: User) -> QuerySet[Envelope]:
    return (
        Envelope.objects.visible_to(user)
        .select_related("program", "region", "province")
        .annotate(left=F("amount") - F("committed"))
    )


def envelope_list_totals(envelopes: QuerySet[Envelope]) -> dict[str, Decimal]:
    """The amount, committed, delivered and available columns summed over the filtered set
    (one query), keyed by column."""
    sums = envelopes.aggregate(
        sum_amount=Coalesce(Sum("amount"), ZERO),
        sum_committed=Coalesce(Sum("committed"), ZERO),
        sum_delivered=Coalesce(Sum("delivered"), ZERO),
        sum_available=Coalesce(Sum("left"), ZERO),
    )
    return {key.removeprefix("sum_"): value for key, value in sums.items()}


def envelope_get_for_user(user: User, pk: int) -> Envelope:
    queryset = Envelope.objects.select_related("program", "region", "province", "agreement_partner")
    return get_for_user(queryset.prefetch_related("funders__partner"), user, pk)


# What a commitment takes from its envelope now (``Commitment.counted``), in SQL.
COUNTED = Case(When(status=CommitmentStatus.DELIVERED, then=F("delivered_amount")), default=F("amount"))


def envelope_commitments(envelope: Envelope) -> QuerySet[Commitment]:
    """The envelope's projects, with ``counted_amount`` (what each takes from it) for sorting."""
    return (
        envelope.commitments.exclude(status=CommitmentStatus.CANCELLED)
        .select_related("project__beneficiary__centre", "project__trade", "project__province")
        .annotate(counted_amount=COUNTED)
        .order_by("-created_at", "-id")
    )


def envelope_commitments_total(commitments: QuerySet[Commitment]) -> Decimal:
    return commitments.aggregate(sum=Coalesce(Sum(COUNTED), ZERO))["sum"]


def envelopes_near_exhaustion() -> QuerySet[Envelope]:
    threshold = settings.ENVELOPE_ALERT_THRESHOLD
    return (
        Envelope.objects.filter(is_active=True, committed__gte=F("amount") * threshold / 100)
        .select_related("region", "province")
        .order_by("-fiscal_year", "name")
    )


# --- Work queues ------------------------------------------------------------------------


def cases_without_project(*, user: User) -> QuerySet[Beneficiary]:
    """Active case files with no life project in progress."""
    in_progress = LifeProject.objects.active().filter(beneficiary=OuterRef("pk"))
    return (
        Beneficiary.objects.visible_to(user)
        .filter(status=CaseStatus.ACTIVE)
        .filter(~Exists(in_progress))
        .order_by("created_at", "id")
    )


def projects_in_status(*, user: User, status: str) -> QuerySet[LifeProject]:
    """The projects in ``status``, longest waiting first, each with ``waiting_since``: when it
    last entered that status (its latest workflow step there; for projects older than the
    workflow log, the milestone date, else the last change), read in the same query."""
    entered = ProjectTransition.objects.filter(project=OuterRef("pk"), target=status).order_by("-at", "-id")
    milestone = {ProjectStatus.SUBMITTED: "submitted_on", ProjectStatus.APPROVED: "approved_on"}.get(status)
    fallbacks = [Cast(milestone, DateTimeField())] if milestone else []
    waiting_since = Coalesce(Subquery(entered.values("at")[:1]), *fallbacks, "updated_at")
    return (
        project_list(user=user)
        .filter(status=status)
        .annotate(waiting_since=waiting_since)
        .order_by("waiting_since", "id")
    )


def followups_due(*, user: User, within_days: int = 30) -> QuerySet[FollowUpVisit]:
    """Visits not yet made, overdue or due soon, oldest first."""
    horizon = timezone.localdate() + datetime.timedelta(days=within_days)
    projects = LifeProject.objects.visible_to(user).filter(
        status__in=[ProjectStatus.DELIVERED, ProjectStatus.FOLLOW_UP]
    )
    return (
        FollowUpVisit.objects.filter(project__in=projects, done_on__isnull=True, due_on__lte=horizon)
        .select_related("project__beneficiary", "project__trade")
        .order_by("due_on", "id")
    )


def visit_get(project: LifeProject, pk: int) -> FollowUpVisit:
    return get_object_or_404(project.visits.prefetch_related("photos"), pk=pk)


def visit_photo_get(project: LifeProject, *, visit_pk: int, pk: int) -> VisitPhoto:
    """A visit's photo, only through a project the caller has already read through the user's scope."""
    return get_object_or_404(VisitPhoto.objects.filter(visit__project=project, visit_id=visit_pk), pk=pk)


def active_commitment_get(project: LifeProject) -> Commitment:
    return get_object_or_404(project.commitments.filter(status=CommitmentStatus.ACTIVE))


def open_planned_action_get(project: LifeProject, pk: int) -> PlannedAction:
    """A planned action not yet recorded as done."""
    return get_object_or_404(project.planned_actions.filter(done_as__isnull=True), pk=pk)


# --- HQ's batches -----------------------------------------------------------------------


def open_envelopes() -> QuerySet[Envelope]:
    """Envelopes open to new commitments, with what the funding pages show of them."""
    return Envelope.objects.filter(is_active=True).select_related("region", "province", "program")


def envelope_get(pk: int) -> Envelope:
    """An envelope as it is now (after a commitment, say); HQ's pages only."""
    return Envelope.objects.get(pk=pk)
