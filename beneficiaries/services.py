"""Writes on case files. Views, commands and imports all come through here."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from beneficiaries.choices import CaseStatus, TransferStatus, ViewedPage
from beneficiaries.models import (
    AccompanimentAction,
    Beneficiary,
    CaseExport,
    CaseView,
    Document,
    DuplicateOverride,
    Training,
    Transfer,
)
from beneficiaries.retention import erase_everywhere
from reintegration.models import Centre, User
from reintegration.uploads import check_upload, delete_file_on_commit

TRAINING_FIELDS = ("title", "institution", "year", "certificate")


def _save_case(case: Beneficiary, by: User) -> Beneficiary:
    """Save, turning a CIN taken meanwhile by someone else into an error on the field."""
    case.full_clean(exclude=["created_by"])
    case._history_user = by  # the history says who, also outside a request (commands, imports)
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError as error:
        if "cin" in str(error).lower():
            raise ValidationError({"cin": _("A case file with this CIN already exists.")}) from error
        raise
    return case


def _apply_trainings(case: Beneficiary, trainings: Iterable[dict], by: User) -> None:
    """Rows with an ``id`` update or (``delete``) remove that training; rows without one are new."""
    existing = {t.pk: t for t in case.trainings.all()}
    for row in trainings:
        training = existing.get(row.get("id")) if row.get("id") else None
        if row.get("delete"):
            if training is not None:
                training._history_user = by
                training.delete()
            continue
        training = training or Training(beneficiary=case)
        training._history_user = by
        for field in TRAINING_FIELDS:
            setattr(training, field, row.get(field))
        training.full_clean(exclude=["beneficiary"])
        training.save()


@transaction.atomic
def beneficiary_register(
    *,
    by: User,
    fields: dict,
    trainings: Iterable[dict] = (),
    duplicate_reason: str = "",
    duplicates: Iterable[Beneficiary] = (),
) -> Beneficiary:
    """Open a case file. Going ahead despite probable duplicates needs a reason, which is kept."""
    duplicates = list(duplicates)
    if duplicates and not duplicate_reason.strip():
        raise ValidationError({"duplicate_reason": _("Say why this is a different person.")})
    centre = fields.pop("centre", None) or by.centre
    if by.is_coordinator and centre != by.centre:
        raise PermissionDenied
    case = Beneficiary(**fields, centre=centre, created_by=by)
    _save_case(case, by)
    _apply_trainings(case, trainings, by)
    if duplicates:
        override = DuplicateOverride.objects.create(beneficiary=case, reason=duplicate_reason.strip(), recorded_by=by)
        override.candidates.set(duplicates)
    return case


@transaction.atomic
def beneficiary_update(*, case: Beneficiary, by: User, fields: dict, trainings: Iterable[dict] = ()) -> Beneficiary:
    if not case.writable_by(by):
        raise PermissionDenied
    fields.pop("centre", None)  # a case changes centre only by a transfer
    for name, value in fields.items():
        setattr(case, name, value)
    _save_case(case, by)
    _apply_trainings(case, trainings, by)
    return case


STATUS_CHANGES = {
    # (from, to): who may
    (CaseStatus.ACTIVE, CaseStatus.CLOSED): "writer",
    (CaseStatus.CLOSED, CaseStatus.ACTIVE): "writer",
    (CaseStatus.ACTIVE, CaseStatus.ARCHIVED): "writer",
    (CaseStatus.CLOSED, CaseStatus.ARCHIVED): "writer",
    (CaseStatus.ARCHIVED, CaseStatus.CLOSED): "administrator",
}


def allowed_status_changes(case: Beneficiary, user: User) -> list[str]:
    """The statuses this user may move this case to now."""
    return [
        target
        for (source, target), who in STATUS_CHANGES.items()
        if source == case.status
        and ((who == "writer" and case.writable_by(user)) or (who == "administrator" and user.is_administrator))
    ]


@transaction.atomic
def beneficiary_set_status(*, case: Beneficiary, status: str, by: User) -> Beneficiary:
    """Close, reopen, archive — never delete. Only an administrator takes a case out of the archive."""
    case = Beneficiary.objects.select_for_update().get(pk=case.pk)
    if status not in allowed_status_changes(case, by):
        raise PermissionDenied
    case.status = status
    case._history_user = by
    if status == CaseStatus.ACTIVE:
        case.closed_on = None
    elif case.closed_on is None:
        case.closed_on = timezone.localdate()
    case.save(update_fields=["status", "closed_on", "updated_at"])
    return case


# --- Accompaniment -------------------------------------------------------


@transaction.atomic
def action_record(*, case: Beneficiary, by: User, **fields) -> AccompanimentAction:
    if not case.writable_by(by):
        raise PermissionDenied
    action = AccompanimentAction(beneficiary=case, recorded_by=by, **fields)
    action._history_user = by
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def action_update(*, action: AccompanimentAction, by: User, **fields) -> AccompanimentAction:
    if not action.beneficiary.writable_by(by):
        raise PermissionDenied
    for name, value in fields.items():
        setattr(action, name, value)
    action._history_user = by
    action.full_clean()
    action.save()
    return action


# --- Documents -------------------------------------------------------------


@transaction.atomic
def document_attach(*, case: Beneficiary, kind: str, upload, by: User) -> Document:
    if not case.writable_by(by):
        raise PermissionDenied
    try:
        content_type = check_upload(upload)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    document = Document(
        beneficiary=case,
        kind=kind,
        file=upload,
        original_name=upload.name[:200],
        content_type=content_type,
        size=upload.size,
        uploaded_by=by,
    )
    document.full_clean(exclude=["file"])
    document._history_user = by
    document.save()
    return document


@transaction.atomic
def document_remove(*, document: Document, by: User) -> None:
    """Remove a document filed by mistake; the history keeps who removed what, and when."""
    if not document.beneficiary.writable_by(by):
        raise PermissionDenied
    stored = document.file
    document._history_user = by
    document.delete()
    delete_file_on_commit(stored)


# --- Transfers ---------------------------------------------------------------


@transaction.atomic
def transfer_request(*, case: Beneficiary, to_centre: Centre, reason: str, by: User) -> Transfer:
    if not case.transferable_by(by):
        raise PermissionDenied
    transfer = Transfer(beneficiary=case, from_centre=case.centre, to_centre=to_centre, reason=reason, requested_by=by)
    transfer.full_clean()
    try:
        with transaction.atomic():
            transfer.save()
    except IntegrityError as error:
        raise ValidationError(_("A transfer of this case file is already waiting for an answer.")) from error
    return transfer


def _decide(transfer: Transfer, *, by: User, status: str, note: str, allowed) -> Transfer:
    transfer = Transfer.objects.select_for_update(of=("self",)).select_related("beneficiary").get(pk=transfer.pk)
    if not allowed(transfer, by):
        raise PermissionDenied
    transfer.status = status
    transfer.decided_by = by
    transfer.decided_at = timezone.now()
    transfer.decision_note = note
    transfer.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    return transfer


@transaction.atomic
def transfer_accept(*, transfer: Transfer, by: User, note: str = "") -> Transfer:
    """The receiving centre takes the case over; the former centre loses access at once."""
    transfer = _decide(transfer, by=by, status=TransferStatus.ACCEPTED, note=note, allowed=Transfer.decidable_by)
    case = Beneficiary.objects.select_for_update().get(pk=transfer.beneficiary_id)
    case.centre_id = transfer.to_centre_id
    case._history_user = by
    case.save(update_fields=["centre", "updated_at"])
    return transfer


@transaction.atomic
def transfer_refuse(*, transfer: Transfer, by: User, note: str = "") -> Transfer:
    return _decide(transfer, by=by, status=TransferStatus.REFUSED, note=note, allowed=Transfer.decidable_by)


@transaction.atomic
def transfer_cancel(*, transfer: Transfer, by: User) -> Transfer:
    return _decide(transfer, by=by, status=TransferStatus.CANCELLED, note="", allowed=Transfer.cancellable_by)


# --- Audit and retention -------------------------------------------------------


def case_view_record(
    *, case: Beneficiary, user: User, page: str = ViewedPage.CASE, document: Document | None = None
) -> None:
    """Who saw this person's data, where: the case file, a document, a project, a handover, a receipt."""
    CaseView.objects.create(beneficiary=case, user=user, page=page, document=document)


def case_views_record(*, case_ids: Iterable[int], user: User, page: str) -> None:
    """``case_view_record`` for many people at once: an event's receipts printed together."""
    CaseView.objects.bulk_create(CaseView(beneficiary_id=pk, user=user, page=page) for pk in case_ids)


def case_export_record(*, user: User, filters: QueryDict, rows: int) -> CaseExport:
    """Log an export with its filters; a searched name or CIN is replaced by a mark, never kept."""
    filters = filters.copy()
    if filters.get("q"):
        filters["q"] = "*"
    return CaseExport.objects.create(user=user, filters=filters.urlencode(safe="*")[:500], rows=rows)


ANONYMISED = "—"


def retention_cutoff(today: datetime.date | None = None) -> datetime.date:
    today = today or timezone.localdate()
    years = settings.RETENTION_YEARS_AFTER_CLOSURE
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


@transaction.atomic
def beneficiary_anonymise(*, case: Beneficiary) -> Beneficiary:
    """Erase what identifies the person, keep what the statistics count.

    Kept: sex, birth year, province, centre, program, establishment, release date and type, education,
    family situation, dependants, status, dates of actions and their kinds (and, in their
    apps, trades, amounts, statuses and visit answers). Erased: names, CIN, phone, address,
    free text, documents, photos and scans, and the change history that still holds the old
    values — here and, through ``beneficiaries.retention``, in the other apps.
    """
    case = Beneficiary.objects.select_for_update().get(pk=case.pk)
    for field in ("first_name_ar", "last_name_ar", "first_name_latin", "last_name_latin"):
        setattr(case, field, ANONYMISED)
    case.cin = case.phone = case.address = ""
    case.skills = case.work_experience = ""
    case.birth_date = case.birth_date.replace(month=1, day=1)
    case.anonymised_at = timezone.now()
    case.save()
    case.actions.update(description=ANONYMISED, outcome="", next_step="")
    case.transfers.update(reason=ANONYMISED, decision_note="")
    DuplicateOverride.objects.filter(beneficiary=case).update(reason=ANONYMISED)
    for document in case.documents.all():
        delete_file_on_commit(document.file)
        document.delete()
    case.history.exclude(history_id=case.history.latest().history_id).delete()
    for model in (AccompanimentAction, Document, Training):
        model.history.filter(beneficiary_id=case.pk).delete()
    erase_everywhere(case)  # life projects, visits, handovers: see each app's retention hook
    return case
