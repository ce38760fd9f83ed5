"""Writes on case files. Views, commands and imports all come through here."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Collection, Iterable
from contextlib import contextmanager
from itertools import groupby
from operator import itemgetter

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from beneficiaries import names
from beneficiaries.choices import CaseStatus, DuplicateDecision, DuplicateSource, TransferStatus, ViewedPage
from beneficiaries.cin import cin_digest
from beneficiaries.models import (
    NAME_FIELDS,
    AccompanimentAction,
    Beneficiary,
    CaseExport,
    CaseView,
    CinLookup,
    Document,
    DuplicateFlag,
    Training,
    Transfer,
)
from beneficiaries.retention import erase_everywhere
from beneficiaries.selectors import DUPLICATE_THRESHOLD, DuplicateCandidate, find_duplicates
from reintegration import throttle
from reintegration.db import lock_for_transaction
from reintegration.models import Centre, User
from reintegration.services import model_update
from reintegration.uploads import clean_upload, delete_file_on_commit

# What the case file's form may change, in the order a coordinator asks the questions.
CASE_FIELDS = (
    *NAME_FIELDS,
    "cin",
    "sex",
    "birth_date",
    "phone",
    "address",
    "province",
    "establishment",
    "release_date",
    "release_type",
    "program",
    "education_level",
    "skills",
    "work_experience",
    "family_situation",
    "dependants",
    "notice_given_on",
    "consent_signed_on",
)
TRAINING_FIELDS = ("title", "institution", "year", "certificate")
ACTION_FIELDS = ("kind", "date", "description", "outcome", "next_step", "next_step_on")


@contextmanager
def _cin_taken_is_a_field_error():
    """A CIN registered meanwhile by someone else (the unique index) becomes an error on the field."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as error:
        if "cin" in str(error).lower():
            raise ValidationError({"cin": _("A case file with this CIN already exists.")}) from error
        raise


def _apply_trainings(case: Beneficiary, trainings: Iterable[dict], by: User) -> None:
    """Rows with an ``id`` update or (``delete``) remove that training; rows without one are new."""
    existing = {t.pk: t for t in case.trainings.all()}
    for row in trainings:
        training = existing.get(row.get("id")) if row.get("id") else None
        data = {field: row.get(field) for field in TRAINING_FIELDS}
        if row.get("delete"):
            if training is not None:
                training._history_user = by
                training.delete()
        elif training is not None:
            model_update(training, data=data, fields=TRAINING_FIELDS, by=by)
        else:
            training = Training(beneficiary=case, **data)
            training._history_user = by
            training.full_clean(exclude=["beneficiary"])
            training.save()


class ProbableDuplicates(Exception):
    """The person may already have a case file: candidates the user has not yet been shown, or
    shown but registered over without saying why (``reason_error``)."""

    def __init__(self, candidates: list[DuplicateCandidate], reason_error: str = ""):
        super().__init__("probable duplicates")
        self.candidates = candidates
        self.reason_error = reason_error


@transaction.atomic
def beneficiary_register(
    *,
    by: User,
    fields: dict,
    trainings: Iterable[dict] = (),
    acknowledged: Collection[int] = (),
    duplicate_reason: str = "",
) -> Beneficiary:
    """Open a case file, unless the person may already have one.

    The duplicate check and the insert hold one lock (per date of birth, and per CIN), so two
    registrations of one person sent at the same moment cannot both pass the check. Candidates
    the user has not been shown raise ``ProbableDuplicates``; going ahead over candidates shown
    (``acknowledged``) needs a reason, kept as a ``DuplicateFlag`` for HQ to resolve.
    """
    centre = fields.pop("centre", None) or by.centre
    if by.is_coordinator and centre != by.centre:
        raise PermissionDenied
    birth_date, cin = fields.get("birth_date"), fields.get("cin", "")
    lock_for_transaction(f"register:birth:{birth_date}", *([f"register:cin:{cin}"] if cin else []))
    candidates = find_duplicates(
        user=by, cin=cin, birth_date=birth_date, names_=tuple(fields.get(name, "") for name in NAME_FIELDS)
    )
    if not {candidate.beneficiary.pk for candidate in candidates} <= set(acknowledged):
        raise ProbableDuplicates(candidates)
    reason = duplicate_reason.strip()
    if candidates and not reason:
        raise ProbableDuplicates(candidates, _("Say why this is a different person."))
    case = Beneficiary(**fields, centre=centre, created_by=by)
    case.full_clean(exclude=["created_by"])
    case._history_user = by  # the history says who, also outside a request (commands, imports)
    with _cin_taken_is_a_field_error():
        case.save()
    _apply_trainings(case, trainings, by)
    if candidates:
        flag = DuplicateFlag.objects.create(beneficiary=case, reason=reason, recorded_by=by)
        flag.candidates.set([candidate.beneficiary for candidate in candidates])
    return case


@transaction.atomic
def beneficiary_update(*, case: Beneficiary, by: User, fields: dict, trainings: Iterable[dict] = ()) -> Beneficiary:
    if not case.writable_by(by):
        raise PermissionDenied
    fields.pop("centre", None)  # a case changes centre only by a transfer
    with _cin_taken_is_a_field_error():
        model_update(case, data=fields, fields=CASE_FIELDS, by=by, clean_exclude=["created_by"])
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


# --- Possible duplicates -----------------------------------------------------


@transaction.atomic
def duplicate_decide(
    *, flag: DuplicateFlag, by: User, decision: str, note: str, same_as: Beneficiary | None = None
) -> DuplicateFlag:
    """HQ's answer to a possible duplicate, once: "not the same person" clears the flag; "same
    person" closes this later file, linked to the earlier one (``same_as``, one of the candidates).
    Either way the case's history and the flag keep who decided, when and why."""
    if not by.is_hq:
        raise PermissionDenied
    flag = DuplicateFlag.objects.select_for_update().get(pk=flag.pk)
    if not flag.is_pending:
        raise ValidationError(_("This possible duplicate has already been decided."))
    errors = {}
    if decision not in (DuplicateDecision.DIFFERENT, DuplicateDecision.SAME):
        errors["decision"] = _("Choose an answer.")
    if not note.strip():
        errors["note"] = _("Say what you checked, in a few words.")
    if decision == DuplicateDecision.SAME and (same_as is None or not flag.candidates.filter(pk=same_as.pk).exists()):
        errors["same_as"] = _("Choose the earlier case file of this person.")
    if errors:
        raise ValidationError(errors)
    flag.decision = decision
    flag.same_as = same_as if decision == DuplicateDecision.SAME else None
    flag.decision_note = note.strip()
    flag.decided_by, flag.decided_at = by, timezone.now()
    flag.save(update_fields=["decision", "same_as", "decision_note", "decided_by", "decided_at"])
    if decision == DuplicateDecision.SAME:
        case = Beneficiary.objects.select_for_update().get(pk=flag.beneficiary_id)
        if case.status == CaseStatus.ACTIVE:
            case.status, case.closed_on = CaseStatus.CLOSED, timezone.localdate()
            case._history_user = by
            case.save(update_fields=["status", "closed_on", "updated_at"])
    return flag


def duplicates_scan() -> int:
    """Compare every two case files of people born the same day, in every centre, by their names.

    The later file of a close pair is flagged for HQ (``DuplicateFlag``, source "scan"), unless
    the pair was already weighed; a file already found to be a second file stays as it is. Nothing
    of this reaches a centre: the flags are HQ's to decide. Returns how many files it (re)flagged.
    """
    shared_birthdays = (
        Beneficiary.objects.filter(anonymised_at__isnull=True)
        .values("birth_date")
        .annotate(files=Count("pk"))
        .filter(files__gt=1)
        .values("birth_date")
    )
    rows = (
        Beneficiary.objects.filter(anonymised_at__isnull=True, birth_date__in=shared_birthdays)
        .order_by("birth_date", "created_at", "pk")
        .values_list("pk", "birth_date", *NAME_FIELDS)
    )
    weighed = defaultdict(set)
    for case_id, candidate_id in DuplicateFlag.candidates.through.objects.values_list(
        "duplicateflag__beneficiary_id", "beneficiary_id"
    ):
        weighed[case_id].add(candidate_id)
    second_files = DuplicateFlag.objects.filter(decision=DuplicateDecision.SAME)
    settled = set(second_files.values_list("beneficiary_id", flat=True))
    flagged = 0
    for _day, group in groupby(rows.iterator(chunk_size=5000), key=itemgetter(1)):
        group = list(group)
        keys = [names.name_keys(tuple(row[2:])) for row in group]
        for (case_id, *_rest), alike in zip(group, names.alike_earlier(keys, DUPLICATE_THRESHOLD), strict=True):
            if case_id in settled:
                continue
            new = [group[position][0] for position in alike if group[position][0] not in weighed[case_id]]
            if new:
                _flag_from_scan(case_id, new)
                flagged += 1
    return flagged


@transaction.atomic
def _flag_from_scan(case_id: int, candidate_ids: list[int]) -> None:
    """Flag a file for new candidates; a flag cleared before ("not the same person") waits again."""
    flag, _created = DuplicateFlag.objects.select_for_update().get_or_create(
        beneficiary_id=case_id, defaults={"source": DuplicateSource.SCAN}
    )
    flag.candidates.add(*candidate_ids)
    if flag.decision == DuplicateDecision.DIFFERENT:
        flag.decision, flag.decided_by, flag.decided_at = DuplicateDecision.PENDING, None, None
        flag.save(update_fields=["decision", "decided_by", "decided_at"])


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
    model_update(action, data=fields, fields=ACTION_FIELDS, by=by)
    return action


# --- Documents -------------------------------------------------------------


@transaction.atomic
def document_attach(*, case: Beneficiary, kind: str, upload, by: User) -> Document:
    if not case.writable_by(by):
        raise PermissionDenied
    try:
        kept, content_type = clean_upload(upload)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    document = Document(
        beneficiary=case,
        kind=kind,
        file=kept,
        original_name=kept.name,
        content_type=content_type,
        size=kept.size,
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


class CinLookupRefused(Exception):
    """Over the user's budget of CIN lookups; ``str()`` is the message to show them."""


def cin_lookup_record(*, user: User, kind: str, cin: str) -> CinLookup | None:
    """Count and record one CIN lookup, or refuse it (``CinLookupRefused``), recorded too.

    Whether a number belongs to a registered person is itself sensitive: each user may look up
    ``CIN_LOOKUP_LIMIT`` numbers per ``CIN_LOOKUP_PERIOD`` seconds, plenty for a coordinator
    registering a dozen people an hour, too few to try numbers one after another. The number
    the user looked up last is not counted or recorded again (the registration form sends it
    with every change, and each page of a search repeats it). Kept: who, when, where, and a
    keyed hash of the number (``cin_digest``), never the number.
    """
    digest = cin_digest(cin)
    last = f"cin-lookup:last:{user.pk}"
    if cache.get(last) == digest:
        return None
    allowed = throttle.spend("cin-lookup", user.pk, limit=settings.CIN_LOOKUP_LIMIT, period=settings.CIN_LOOKUP_PERIOD)
    lookup = CinLookup.objects.create(user=user, kind=kind, cin_hash=digest, refused=not allowed)
    if not allowed:
        raise CinLookupRefused(
            _(
                "You have looked up many ID numbers (CIN) in a short time: to protect the people "
                "registered, looking up another one is paused for a while. Searching by name still works."
            )
        )
    cache.set(last, digest, settings.CIN_LOOKUP_PERIOD)
    return lookup


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
    DuplicateFlag.objects.filter(beneficiary=case).update(reason=ANONYMISED, decision_note="")
    for document in case.documents.all():
        delete_file_on_commit(document.file)
        document.delete()
    case.history.exclude(history_id=case.history.latest().history_id).delete()
    for model in (AccompanimentAction, Document, Training):
        model.history.filter(beneficiary_id=case.pk).delete()
    erase_everywhere(case)  # life projects, visits, handovers: see each app's retention hook
    return case
