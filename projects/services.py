"""Writes on life projects, envelopes and commitments. Money moves only here, in transactions,
under row locks, so that an envelope is never overspent however many people click at once."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from beneficiaries.models import Beneficiary, DuplicateFlag
from beneficiaries.services import action_record
from projects import funding
from projects.choices import CommitmentStatus, ProjectStatus
from projects.models import (
    Commitment,
    Envelope,
    EnvelopeFunder,
    EquipmentLine,
    FollowUpVisit,
    LifeProject,
    PlannedAction,
    ProjectTransition,
    VisitPhoto,
)
from projects.plan import add_months, line_amount, plan_totals, totals_limit_error
from projects.workflow import RULES, acts_as
from reintegration.models import User
from reintegration.money import format_amount
from reintegration.services import model_update
from reintegration.uploads import clean_photo

# What each form may change (the forms list the same names).
PROJECT_FIELDS = (
    "social_needs",
    "health_needs",
    "administrative_needs",
    "professional_needs",
    "diagnosis_notes",
    "goals",
    "trade",
    "province",
    "description",
    "cash_aid",
)
LINE_FIELDS = ("item_fr", "item_ar", "quantity", "unit", "unit_price", "supplier")
VISIT_FIELDS = (
    "done_on",
    "activity_running",
    "equipment_in_use",
    "monthly_income",
    "jobs_created",
    "problems",
    "support_needed",
)


# --- Life projects ------------------------------------------------------------------


@transaction.atomic
def project_create(*, case: Beneficiary, by: User, **fields) -> LifeProject:
    """Open a life project for a person who has no project in progress."""
    if not case.writable_by(by):
        raise PermissionDenied
    if case.life_projects.active().exists():
        raise ValidationError(_("This person already has a life project in progress."))
    project = LifeProject(beneficiary=case, created_by=by, province=case.province, **fields)
    project.full_clean(exclude=["created_by"])
    project._history_user = by
    try:
        with transaction.atomic():
            project.save()
    except IntegrityError as error:  # opened meanwhile in another tab
        raise ValidationError(_("This person already has a life project in progress.")) from error
    return project


@transaction.atomic
def project_update(*, project: LifeProject, by: User, fields: dict, lines: Iterable[dict] | None = None) -> LifeProject:
    """Save the diagnosis, goals and plan. ``lines`` rows with an ``id`` update or (``delete``)
    remove that line; rows without one are new. Totals are recomputed from the plan."""
    project = LifeProject.objects.select_for_update(of=("self",)).select_related("beneficiary").get(pk=project.pk)
    if not project.writable_by(by):
        raise PermissionDenied
    if lines is not None:
        _apply_lines(project, lines)
    totals = _totals(project, fields.get("cash_aid", project.cash_aid))
    data = {**fields, "equipment_total": totals.equipment, "cash_aid": totals.cash_aid, "total": totals.total}
    model_update(
        project, data=data, fields=(*PROJECT_FIELDS, "equipment_total", "total"), by=by, clean_exclude=["created_by"]
    )
    return project


def _apply_lines(project: LifeProject, rows: Iterable[dict]) -> None:
    existing = {line.pk: line for line in project.lines.all()}
    for row in rows:
        line = existing.get(row.get("id")) if row.get("id") else None
        if row.get("delete"):
            if line is not None:
                line.delete()
            continue
        data = {field: row.get(field) if row.get(field) is not None else "" for field in LINE_FIELDS}
        data["amount"] = line_amount(data["quantity"], data["unit_price"])
        if line is None:
            line = EquipmentLine(project=project, **data)
            line.full_clean(exclude=["project"])
            line.save()
        else:
            model_update(line, data=data, fields=(*LINE_FIELDS, "amount"), clean_exclude=["project"])


def _totals(project: LifeProject, cash_aid):
    totals = plan_totals(project.lines.values_list("quantity", "unit_price"), cash_aid)
    error = totals_limit_error(totals)
    if error:  # said in words, rather than by the amount column's digit count
        raise error
    return totals


def _check_ready_for_approval(project: LifeProject) -> None:
    missing = {}
    if not project.trade_id:
        missing["trade"] = _("Choose the trade.")
    if not project.province_id:
        missing["province"] = _("Choose where the activity will run.")
    if not project.description.strip():
        missing["description"] = _("Describe the project.")
    if project.total <= 0:
        missing["lines"] = _("Add at least one equipment line or a cash aid.")
    if missing:
        raise ValidationError(missing)


def project_submit_refusal(project: LifeProject) -> ValidationError | None:
    """What a submit would be refused for now, keyed by the edit form's fields (``lines`` for
    the plan as a whole), or None: the edit page shows it at those fields."""
    try:
        _check_ready_for_approval(project)
    except ValidationError as error:
        return error
    return None


# The milestone each status sets the first time it is reached (the dashboards count and date them).
MILESTONES = {
    ProjectStatus.SUBMITTED: "submitted_on",
    ProjectStatus.APPROVED: "approved_on",
    ProjectStatus.FUNDED: "funded_on",
    ProjectStatus.DELIVERED: "handed_over_on",
    ProjectStatus.SUCCEEDED: "closed_on",
    ProjectStatus.ABANDONED: "closed_on",
}


def _move(
    project: LifeProject, target: str, by: User, comment: str = "", *, on: datetime.date | None = None
) -> LifeProject:
    """Record a status change and its milestone (``on``, today by default); callers hold the
    project's row lock. A cancelled commitment (funded → approved) clears the funding day."""
    ProjectTransition.objects.create(project=project, source=project.status, target=target, by=by, comment=comment)
    changed = ["status", "updated_at"]
    if project.status == ProjectStatus.FUNDED and target == ProjectStatus.APPROVED:
        project.funded_on = None
        changed.append("funded_on")
    milestone = MILESTONES.get(target)
    if milestone and getattr(project, milestone) is None:
        setattr(project, milestone, on or timezone.localdate())
        changed.append(milestone)
    project.status = target
    project._history_user = by
    project.save(update_fields=changed)
    return project


@transaction.atomic
def project_transition(*, project: LifeProject, target: str, by: User, comment: str = "") -> LifeProject:
    """Move the project along its workflow, if this user may make this move now."""
    project = LifeProject.objects.select_for_update(of=("self",)).select_related("beneficiary").get(pk=project.pk)
    rule = RULES.get((project.status, target))
    if rule is None or not (rule.by & acts_as(by, project)):
        raise PermissionDenied
    if rule.comment_required and not comment.strip():
        raise ValidationError({"comment": _("Say why, in a few words.")})
    if target == ProjectStatus.SUBMITTED:
        _check_ready_for_approval(project)
    if target == ProjectStatus.ABANDONED and project.commitments.filter(status=CommitmentStatus.ACTIVE).exists():
        raise ValidationError(_("Cancel the commitment first, so that its amount returns to the envelope."))
    return _move(project, target, by, comment.strip())


@transaction.atomic
def projects_transition(
    *, projects: Sequence[LifeProject], target: str, by: User, comment: str = ""
) -> list[LifeProject]:
    """Make the same move on several projects, all or none; each is recorded as its own
    transition, exactly as if it had been made alone. Rows are locked in the order of their
    keys first, so that two batches sharing projects wait for each other rather than deadlock."""
    if not projects:
        raise ValidationError(_("Choose at least one project."))
    locked = LifeProject.objects.select_for_update(of=("self",)).filter(pk__in=[p.pk for p in projects])
    moved = []
    for project in locked.order_by("pk"):
        if (project.status, target) not in RULES:  # moved meanwhile, by someone else
            raise ValidationError(
                _("%(project)s is now “%(status)s”: reload the page.")
                % {"project": project.number, "status": project.get_status_display()}
            )
        try:
            moved.append(project_transition(project=project, target=target, by=by, comment=comment))
        except ValidationError as error:
            raise ValidationError(
                _("%(project)s: %(reason)s") % {"project": project.number, "reason": " ".join(error.messages)}
            ) from error
    return moved


@transaction.atomic
def planned_action_add(*, project: LifeProject, by: User, **fields) -> PlannedAction:
    if not project.followed_by(by):
        raise PermissionDenied
    planned = PlannedAction(project=project, **fields)
    planned.full_clean()
    planned.save()
    return planned


@transaction.atomic
def planned_action_done(*, planned: PlannedAction, by: User, **action_fields) -> PlannedAction:
    """Record the accompaniment action in the case's log and tick it off the plan."""
    planned = (
        PlannedAction.objects.select_for_update(of=("self",)).select_related("project__beneficiary").get(pk=planned.pk)
    )
    if planned.done_as_id:
        raise ValidationError(_("This action is already recorded."))
    action = action_record(case=planned.project.beneficiary, by=by, **action_fields)
    planned.done_as = action
    planned.save(update_fields=["done_as"])
    return planned


# --- Envelopes ------------------------------------------------------------------------


@transaction.atomic
def envelope_save(*, envelope: Envelope, funders: Iterable[dict], by: User) -> Envelope:
    """Create or change an envelope and its funders' shares, which must add up to its amount."""
    if not by.is_hq:
        raise PermissionDenied
    if envelope.pk:
        locked = Envelope.objects.select_for_update().get(pk=envelope.pk)
        envelope.committed, envelope.delivered = locked.committed, locked.delivered
        moved = [
            f
            for f in ("program_id", "fiscal_year", "region_id", "province_id")
            if getattr(locked, f) != getattr(envelope, f)
        ]
        if moved and locked.commitments.exclude(status=CommitmentStatus.CANCELLED).exists():
            raise ValidationError(_("Projects are committed on this envelope: its program, year and territory stay."))
    envelope.full_clean()
    rows = list(funders)
    shares = sum((row["share"] for row in rows), Decimal("0.00"))
    if rows and shares != envelope.amount:
        raise ValidationError(
            _("The funders' shares add up to %(shares)s, not to the envelope's %(amount)s.")
            % {"shares": format_amount(shares), "amount": format_amount(envelope.amount)}
        )
    envelope._history_user = by
    envelope.save()
    kept = []
    for row in rows:
        funder, _created = EnvelopeFunder.objects.update_or_create(
            envelope=envelope, partner=row["partner"], defaults={"share": row["share"]}
        )
        kept.append(funder.pk)
    for stale in envelope.funders.exclude(pk__in=kept):
        stale._history_user = by
        stale.delete()
    return envelope


# --- Commitments ------------------------------------------------------------------------


def _check_not_a_duplicate(project: LifeProject) -> None:
    """A second file of one person never gets a second grant: not while HQ has yet to check a
    possible duplicate, nor once the file is found to be the same person's."""
    flag = DuplicateFlag.objects.filter(beneficiary_id=project.beneficiary_id).first()
    if flag is None or not flag.blocks_funding:
        return
    if flag.is_pending:
        raise ValidationError(
            _("This person may already have a case file: decide on the possible duplicate before funding."),
            code="possible_duplicate",
        )
    raise ValidationError(
        _("This case file is a second file of the same person: it cannot be funded."), code="second_file"
    )


@transaction.atomic
def commitment_create(*, project: LifeProject, envelope: Envelope, by: User) -> Commitment:
    """Fund an approved project: commit its total against an envelope that covers its province.

    The envelope row is locked first (every commitment on it waits its turn), then the
    check and the update happen inside the same transaction; the database also refuses
    a committed amount above the envelope's, should anything slip past.
    """
    if not by.is_hq:
        raise PermissionDenied
    envelope = Envelope.objects.select_for_update().get(pk=envelope.pk)
    project = (
        LifeProject.objects.select_for_update(of=("self",))
        .select_related("province", "beneficiary__program")
        .get(pk=project.pk)
    )
    if project.status != ProjectStatus.APPROVED:
        raise ValidationError(_("Only an approved project can be funded."))
    refused = funding.rule_refusal(envelope, project)
    if refused:
        raise ValidationError(refused, code="refused")
    if project.total > envelope.available:
        raise ValidationError(funding.over_budget(envelope, project.total), code="over_budget")
    _check_not_a_duplicate(project)
    commitment = Commitment(envelope=envelope, project=project, amount=project.total, created_by=by)
    commitment.full_clean()
    commitment.save()
    envelope.committed += project.total
    envelope._history_user = by
    envelope.save(update_fields=["committed", "updated_at"])
    _move(project, ProjectStatus.FUNDED, by, str(envelope))
    return commitment


@transaction.atomic
def commitments_create(*, projects: Sequence[LifeProject], envelope: Envelope, by: User) -> list[Commitment]:
    """Fund several approved projects from one envelope, all or none: the envelope row is
    locked first, then the projects in the order of their keys (two batches sharing projects
    wait for each other rather than deadlock), and each is funded as a single one would be.
    The first refusal undoes the whole batch; its message names the project."""
    if not by.is_hq:
        raise PermissionDenied
    if not projects:
        raise ValidationError(_("Choose at least one project."))
    envelope = Envelope.objects.select_for_update().get(pk=envelope.pk)
    locked = list(
        LifeProject.objects.select_for_update(of=("self",)).filter(pk__in=[p.pk for p in projects]).order_by("pk")
    )
    needed = sum((project.total for project in locked), Decimal("0.00"))
    if len(locked) > 1 and needed > envelope.available:  # one project: commitment_create says it
        raise ValidationError(
            ngettext(
                "Over budget: %(envelope)s has %(available)s left, and %(count)s project needs %(needed)s.",
                "Over budget: %(envelope)s has %(available)s left, and these %(count)s projects need %(needed)s.",
                len(locked),
            )
            % {
                "envelope": envelope.name,
                "available": format_amount(envelope.available),
                "count": len(locked),
                "needed": format_amount(needed),
            },
            code="over_budget",
        )
    commitments = []
    for project in locked:
        try:
            commitments.append(commitment_create(project=project, envelope=envelope, by=by))
        except ValidationError as error:
            raise ValidationError(
                _("%(project)s: %(reason)s") % {"project": project.number, "reason": " ".join(error.messages)},
                code=error.error_list[0].code if hasattr(error, "error_list") else "invalid",
            ) from error
    return commitments


@transaction.atomic
def commitment_cancel(*, commitment: Commitment, by: User, reason: str) -> Commitment:
    """Release a commitment: its amount returns to the envelope, the project to 'approved'."""
    if not by.is_hq:
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("Say why, in a few words.")})
    envelope = Envelope.objects.select_for_update().get(pk=commitment.envelope_id)
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    project = LifeProject.objects.select_for_update().get(pk=commitment.project_id)
    if commitment.status != CommitmentStatus.ACTIVE:
        raise ValidationError(_("Only a commitment not yet delivered can be cancelled."))
    if hasattr(project, "handover"):
        raise ValidationError(_("Take the project off its distribution event first."))
    commitment.status = CommitmentStatus.CANCELLED
    commitment.closed_by, commitment.closed_at, commitment.reason = by, timezone.now(), reason.strip()
    commitment.save()
    envelope.committed -= commitment.amount
    envelope._history_user = by
    envelope.save(update_fields=["committed", "updated_at"])
    _move(project, ProjectStatus.APPROVED, by, reason.strip())
    return commitment


@transaction.atomic
def commitment_deliver(*, project: LifeProject, delivered: Decimal, by: User, on: datetime.date) -> Commitment:
    """Record what was actually handed over: the envelope keeps the actual amount and gets
    back any difference (or gives more, if it has it); follow-up visits are scheduled."""
    current = Commitment.objects.filter(project=project, status=CommitmentStatus.ACTIVE).first()
    if current is None:
        raise ValidationError(_("Only a funded project can be delivered."))
    envelope = Envelope.objects.select_for_update().get(pk=current.envelope_id)
    commitment = Commitment.objects.select_for_update().get(pk=current.pk)
    project = LifeProject.objects.select_for_update().get(pk=project.pk)
    # Checked again under the locks: it may have been cancelled meanwhile.
    if commitment.status != CommitmentStatus.ACTIVE or project.status != ProjectStatus.FUNDED:
        raise ValidationError(_("Only a funded project can be delivered."))
    extra = delivered - commitment.amount
    if extra > envelope.available:
        raise ValidationError(funding.over_budget(envelope, extra), code="over_budget")
    commitment.status = CommitmentStatus.DELIVERED
    commitment.delivered_amount = delivered
    commitment.closed_by, commitment.closed_at = by, timezone.now()
    commitment.save()
    envelope.committed += extra
    envelope.delivered += delivered
    envelope._history_user = by
    envelope.save(update_fields=["committed", "delivered", "updated_at"])
    _move(project, ProjectStatus.DELIVERED, by, on=on)
    followups_schedule(project=project, handed_over_on=on)
    return commitment


# --- Follow-up ---------------------------------------------------------------------------


def followups_schedule(*, project: LifeProject, handed_over_on: datetime.date) -> list[FollowUpVisit]:
    """Visits due 3, 6, 12 and 24 months (``FOLLOW_UP_MONTHS``) after the handover."""
    return [
        FollowUpVisit.objects.get_or_create(
            project=project, months_after=months, defaults={"due_on": add_months(handed_over_on, months)}
        )[0]
        for months in settings.FOLLOW_UP_MONTHS
    ]


@transaction.atomic
def visit_record(*, visit: FollowUpVisit, by: User, **fields) -> FollowUpVisit:
    visit = (
        FollowUpVisit.objects.select_for_update(of=("self",)).select_related("project__beneficiary").get(pk=visit.pk)
    )
    project = visit.project
    if not project.followed_by(by) or project.status not in (ProjectStatus.DELIVERED, ProjectStatus.FOLLOW_UP):
        raise PermissionDenied
    model_update(visit, data={**fields, "recorded_by": by}, fields=(*VISIT_FIELDS, "recorded_by"), by=by)
    if project.status == ProjectStatus.DELIVERED:
        locked = LifeProject.objects.select_for_update().get(pk=project.pk)
        _move(locked, ProjectStatus.FOLLOW_UP, by)
    return visit


@transaction.atomic
def visit_photo_add(*, visit: FollowUpVisit, upload, by: User) -> VisitPhoto:
    if not visit.project.followed_by(by):
        raise PermissionDenied
    image, content_type = clean_photo(upload)
    return VisitPhoto.objects.create(visit=visit, image=image, content_type=content_type, uploaded_by=by)
