"""Writes on events and handovers. Recording a delivery goes through the projects' service,
so the project's workflow and the envelope's actual amount move with it."""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from distributions.choices import EventStatus, HandoverStatus
from distributions.models import Event, EventPhoto, Handover, HandoverItem, Operation, ReceiptSequence
from projects.choices import ProjectStatus
from projects.models import LifeProject
from projects.plan import line_amount
from projects.services import commitment_deliver
from reintegration.models import User
from reintegration.services import model_update
from reintegration.uploads import clean_photo, clean_upload, delete_file_on_commit

ITEM_FIELDS = ("quantity", "brand", "serial_number")


@transaction.atomic
def operation_save(*, operation: Operation, by: User) -> Operation:
    if not by.is_hq:
        raise PermissionDenied
    operation.full_clean()
    operation.save()
    return operation


@transaction.atomic
def event_save(*, event: Event, partners: Iterable, by: User) -> Event:
    if not (by.is_hq or (by.is_coordinator and event.province.centres.filter(pk=by.centre_id).exists())):
        raise PermissionDenied
    if event.pk:
        saved = Event.objects.select_for_update().get(pk=event.pk)
        if not saved.writable_by(by):
            raise PermissionDenied
        numbered = saved.handovers.exclude(status=HandoverStatus.PLANNED).exists()
        if numbered and (saved.date != event.date or saved.province_id != event.province_id):
            raise ValidationError(
                _("Handovers are already recorded at this event: its date and province can no longer change.")
            )
    event.created_by = event.created_by or by
    event.full_clean()
    event._history_user = by
    event.save()
    event.partners.set(partners)
    return event


EVENT_MOVES = {(EventStatus.PLANNED, EventStatus.HELD), (EventStatus.HELD, EventStatus.CLOSED)}


@transaction.atomic
def event_set_status(*, event: Event, status: str, by: User) -> Event:
    event = Event.objects.select_for_update().get(pk=event.pk)
    if (event.status, status) not in EVENT_MOVES or not event.writable_by(by):
        raise PermissionDenied
    if status == EventStatus.CLOSED and event.handovers.filter(status=HandoverStatus.PLANNED).exists():
        raise ValidationError(_("Record or remove the planned handovers before closing the event."))
    event.status = status
    event._history_user = by
    event.save(update_fields=["status", "updated_at"])
    return event


@transaction.atomic
def event_photo_add(*, event: Event, upload, by: User) -> EventPhoto:
    if not event.writable_by(by):
        raise PermissionDenied
    image, content_type = clean_photo(upload)
    return EventPhoto.objects.create(event=event, image=image, content_type=content_type, uploaded_by=by)


# --- Handovers ------------------------------------------------------------------------


@transaction.atomic
def handover_plan(*, project: LifeProject, event: Event, by: User) -> Handover:
    """Put a funded project on an event's list, its items prefilled from the equipment plan.

    The event is locked first (as closing it does), so a project never lands on an event
    being closed; the project is locked so it lands on one list only.
    """
    event = Event.objects.select_for_update(of=("self",)).select_related("province").get(pk=event.pk)
    project = (
        LifeProject.objects.select_for_update(of=("self",)).select_related("beneficiary", "province").get(pk=project.pk)
    )
    if event.status == EventStatus.CLOSED:
        raise ValidationError(_("This event is closed."))
    if not (event.writable_by(by) and Handover(project=project).writable_by(by)):
        raise PermissionDenied
    if project.status != ProjectStatus.FUNDED:
        raise ValidationError(_("Only a funded project can be handed over."))
    if project.province is None or project.province.region_id != event.province.region_id:
        raise ValidationError(_("The project is located outside the event's region."))
    try:
        with transaction.atomic():
            handover = Handover.objects.create(event=event, project=project, cash_aid_delivered=project.cash_aid)
    except IntegrityError as error:
        raise ValidationError(_("This project is already on an event's list.")) from error
    HandoverItem.objects.bulk_create(
        HandoverItem(
            handover=handover,
            equipment_line=line,
            item_fr=line.item_fr,
            item_ar=line.item_ar,
            unit=line.unit,
            planned_quantity=line.quantity,
            quantity=line.quantity,
            unit_price=line.unit_price,
            amount=line.amount,
        )
        for line in project.lines.all()
    )
    return handover


@transaction.atomic
def handover_remove(*, handover: Handover, by: User) -> None:
    handover = (
        Handover.objects.select_for_update(of=("self",)).select_related("project__beneficiary").get(pk=handover.pk)
    )
    if not handover.writable_by(by):
        raise PermissionDenied
    if handover.status != HandoverStatus.PLANNED:
        raise ValidationError(_("A handover already recorded stays on the event."))
    handover.delete()


@transaction.atomic
def handover_record(
    *, handover: Handover, items: Iterable[dict], cash_aid: Decimal, delivered_on: datetime.date, by: User
) -> Handover:
    """Record what was actually handed over: quantities, brands, serial numbers, cash.

    The project becomes 'delivered' and its envelope keeps the actual amount (releasing
    any difference) through ``commitment_deliver``; follow-up visits are scheduled.
    """
    handover = (
        Handover.objects.select_for_update(of=("self",))
        .select_related("project__beneficiary", "event")
        .get(pk=handover.pk)
    )
    if not handover.writable_by(by):
        raise PermissionDenied
    if handover.status != HandoverStatus.PLANNED:
        raise ValidationError(_("This handover is already recorded."))
    if delivered_on > timezone.localdate():
        raise ValidationError(
            {"delivered_on": _("A handover is recorded once made: the date cannot be in the future.")}
        )
    if delivered_on < handover.event.date:
        raise ValidationError({"delivered_on": _("The handover cannot come before the event.")})
    if handover.event.status == EventStatus.CLOSED:
        raise ValidationError(_("This event is closed."))
    by_id = {row["id"]: row for row in items}
    partial = cash_aid < handover.project.cash_aid
    for item in handover.items.all():
        row = by_id.get(item.pk, {})
        data = {field: row[field] for field in ITEM_FIELDS if row.get(field) is not None}
        quantity = data.get("quantity", item.quantity)
        data["amount"] = line_amount(quantity, item.unit_price)
        model_update(
            item, data=data, fields=(*ITEM_FIELDS, "amount"), by=by, clean_exclude=["handover", "equipment_line"]
        )
        partial = partial or item.quantity < item.planned_quantity
    model_update(
        handover,
        data={
            "cash_aid_delivered": cash_aid,
            "delivered_on": delivered_on,
            "is_partial": partial,
            "status": HandoverStatus.DELIVERED,
            "recorded_by": by,
        },
        fields=("cash_aid_delivered", "delivered_on", "is_partial", "status", "recorded_by"),
        by=by,
    )
    commitment_deliver(project=handover.project, delivered=handover.total_delivered, by=by, on=delivered_on)
    if handover.event.status == EventStatus.PLANNED:
        Event.objects.filter(pk=handover.event_id).update(status=EventStatus.HELD)  # it has taken place
    return handover


@transaction.atomic
def handover_attach_signed(*, handover: Handover, upload, by: User) -> Handover:
    """File the receipt signed on paper; the verification page then says so."""
    handover = (
        Handover.objects.select_for_update(of=("self",)).select_related("project__beneficiary").get(pk=handover.pk)
    )
    if not handover.writable_by(by):
        raise PermissionDenied
    if handover.status == HandoverStatus.PLANNED:
        raise ValidationError(_("Record the handover before filing its signed receipt."))
    try:
        kept, content_type = clean_upload(upload)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    replaced = handover.signed_scan
    handover.signed_scan = kept
    handover.signed_scan_type = content_type
    handover.status = HandoverStatus.SIGNED
    handover._history_user = by
    handover.save()
    delete_file_on_commit(replaced)  # a better scan replaces the first: the person's data is not kept twice
    return handover


# --- Receipt numbers --------------------------------------------------------------------


@transaction.atomic
def receipt_print(*, handover: Handover) -> Handover:
    return receipts_print(pks=[handover.pk])[0]


# Letters only, without look-alikes (no i, l, o): a reference is never all digits, unlike the
# ids in the QR codes of receipts printed before references existed (which still verify).
REFERENCE_ALPHABET = "abcdefghjkmnpqrstuvwxyz"


def public_reference() -> str:
    """A receipt's random public reference: 16 letters, about 72 bits."""
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(16))


@transaction.atomic
def receipts_print(*, pks: list[int]) -> list[Handover]:
    """Count a print of each receipt; give each its number at its first print.

    With its number a receipt gets its random public reference, which its QR code names.
    The number is ``PV-<year>-<province code>-<sequence>``: the event's year and province,
    then the next value of that pair's sequence, read and advanced under a row lock so that
    two first prints at the same moment get two numbers. A number is never given twice and
    never changes (the column is unique; a receipt is never deleted once numbered).
    """
    by_pk = _receipts_locked(pks)
    sequences: dict[tuple[int, str], ReceiptSequence] = {}

    def last(key: tuple[int, str]) -> int:
        sequences[key] = _sequence_locked(key)
        return sequences[key].last

    printed, lasts = _receipts_count(by_pk, pks, sequence_last=last)
    for key, sequence in sequences.items():
        sequence.last = lasts[key][1]
        sequence.save(update_fields=["last"])
    Handover.objects.bulk_update(by_pk.values(), RECEIPT_FIELDS)
    return printed


RECEIPT_FIELDS = ["receipt_number", "public_ref", "first_printed_at", "print_count"]


def _receipts_locked(pks: list[int]) -> dict[int, Handover]:
    locked = (
        Handover.objects.select_for_update(of=("self",))
        .select_related("event__province")
        .filter(pk__in=pks)
        .order_by("pk")  # always lock in the same order: no deadlock between two prints
    )
    return {handover.pk: handover for handover in locked}


def _sequence_locked(key: tuple[int, str]) -> ReceiptSequence:
    ReceiptSequence.objects.get_or_create(year=key[0], province_code=key[1])
    return ReceiptSequence.objects.select_for_update().get(year=key[0], province_code=key[1])


def _receipts_count(by_pk: dict[int, Handover], pks: list[int], *, sequence_last) -> tuple[list[Handover], dict]:
    """Number (in memory) the receipts not numbered yet, in print order, and count a print of each;
    returns them and, for each (year, province), its sequence's last value as read and as advanced."""
    if any(handover.status == HandoverStatus.PLANNED for handover in by_pk.values()):
        raise ValidationError(_("A receipt is printed once the handover is recorded."))
    now = timezone.now()
    lasts: dict[tuple[int, str], tuple[int, int]] = {}
    for pk in pks:  # numbers in the order the receipts are printed
        handover = by_pk[pk]
        if not handover.receipt_number:
            key = (handover.event.date.year, handover.event.province.code)
            if key not in lasts:
                read = sequence_last(key)
                lasts[key] = (read, read)
            lasts[key] = (lasts[key][0], lasts[key][1] + 1)
            handover.receipt_number = f"PV-{key[0]}-{key[1]}-{lasts[key][1]:05d}"
            handover.public_ref = public_reference()
            handover.first_printed_at = now
        handover.print_count += 1
    return [by_pk[pk] for pk in pks], lasts


class ReceiptsChanged(ValidationError):
    """Receipts planned by ``receipts_plan`` were printed, or their sequence moved, meanwhile."""


@dataclass
class ReceiptPlan:
    """Receipts numbered and counted as ``receipts_print`` would, in memory only (``receipts_plan``)."""

    printed: list[Handover]
    counts: dict[int, int]  # each receipt's print count as read
    sequences: dict[tuple[int, str], tuple[int, int]]  # (year, province): the last value as read, as advanced


def receipts_plan(*, pks: list[int]) -> ReceiptPlan:
    """What printing these receipts will give them, saving nothing and locking nothing: a job
    lays the receipts out with these numbers and references for minutes, then saves them all at
    once with ``receipts_plan_commit`` (so that a job stopped halfway numbers no receipt)."""
    read = Handover.objects.select_related("event__province").filter(pk__in=pks)
    by_pk = {handover.pk: handover for handover in read}
    counts = {pk: handover.print_count for pk, handover in by_pk.items()}

    def last(key: tuple[int, str]) -> int:
        found = ReceiptSequence.objects.filter(year=key[0], province_code=key[1]).values_list("last", flat=True)
        return found.first() or 0

    printed, lasts = _receipts_count(by_pk, pks, sequence_last=last)
    return ReceiptPlan(printed=printed, counts=counts, sequences=lasts)


@transaction.atomic
def receipts_plan_commit(plan: ReceiptPlan) -> list[Handover]:
    """Save a plan's numbers and print counts, under the same row locks, in the same order, as
    ``receipts_print``; ``ReceiptsChanged`` if any of its receipts was printed, or a number of its
    sequences given, since the plan was made (the numbers laid out would then be wrong)."""
    by_pk = _receipts_locked([handover.pk for handover in plan.printed])
    if len(by_pk) != len(plan.counts) or any(by_pk[pk].print_count != count for pk, count in plan.counts.items()):
        raise ReceiptsChanged(_("Some of these receipts were printed while they were being prepared."))
    for key, (read, advanced) in plan.sequences.items():
        sequence = _sequence_locked(key)
        if sequence.last != read:
            raise ReceiptsChanged(_("Other receipts of the province were numbered while these were being prepared."))
        sequence.last = advanced
        sequence.save(update_fields=["last"])
    Handover.objects.bulk_update(plan.printed, RECEIPT_FIELDS)
    return plan.printed
