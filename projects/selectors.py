"""Reads on life projects, envelopes and follow-up, with their joins made, through the scopes."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from beneficiaries.choices import CaseStatus
from beneficiaries.models import Beneficiary
from projects.choices import CommitmentStatus, ProjectStatus
from projects.models import (
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


def project_get_for_user(user: User, pk: int, *, write: bool = False) -> LifeProject:
    queryset = LifeProject.objects.select_related("beneficiary__centre", "trade__sector", "province__region")
    return get_for_user(queryset, user, pk, write=write)


def project_detail(user: User, pk: int) -> LifeProject:
    """The project with everything its page shows, in a fixed number of queries."""
    queryset = LifeProject.objects.select_related(
        "beneficiary__centre", "beneficiary__province", "trade__sector", "province__region", "created_by"
    ).prefetch_related(
        "lines",
        Prefetch("planned_actions", queryset=PlannedAction.objects.select_related("done_as")),
        Prefetch("transitions", queryset=ProjectTransition.objects.select_related("by")),
        "visits",
        Prefetch("commitments", queryset=Commitment.objects.select_related("envelope", "created_by")),
    )
    return get_for_user(queryset, user, pk)


def envelopes_for(project: LifeProject) -> QuerySet[Envelope]:
    """Open envelopes that cover the project's province, those with money left first."""
    if project.province_id is None:
        return Envelope.objects.none()
    return (
        Envelope.objects.filter(is_active=True)
        .covering(project.province)
        .select_related("region", "province", "program")
        .order_by((F("amount") - F("committed")).desc(), "name")
    )


def envelope_list(*, user: User) -> QuerySet[Envelope]:
    return Envelope.objects.visible_to(user).select_related("program", "region", "province")


def envelope_get_for_user(user: User, pk: int) -> Envelope:
    queryset = Envelope.objects.select_related("program", "region", "province", "agreement_partner")
    return get_for_user(queryset.prefetch_related("funders__partner"), user, pk)


def envelope_commitments(envelope: Envelope) -> QuerySet[Commitment]:
    return (
        envelope.commitments.exclude(status=CommitmentStatus.CANCELLED)
        .select_related("project__beneficiary__centre", "project__trade", "project__province")
        .order_by("-created_at", "-id")
    )


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
    return project_list(user=user).filter(status=status).order_by("updated_at", "id")


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
