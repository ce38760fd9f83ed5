"""Reads on events and handovers, through their scopes."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404

from distributions.choices import HandoverStatus
from distributions.models import Event, EventPhoto, Handover, HandoverItem, Operation
from projects.choices import CommitmentStatus, ProjectStatus
from projects.models import ZERO, Commitment, LifeProject
from reintegration.models import Centre, User
from reintegration.scoping import get_for_user


def event_list(*, user: User, operation: int | None = None) -> QuerySet[Event]:
    """The events this user sees, with their handovers counted. The counts are taken over the
    rows the scope keeps (the same joins): a centre counts every handover of its own events, but
    only its own people at an event held by another centre."""
    events = (
        Event.objects.visible_to(user)
        .select_related("province", "operation")
        .annotate(
            handover_count=Count("handovers", distinct=True),
            delivered_count=Count("handovers", filter=~Q(handovers__status=HandoverStatus.PLANNED), distinct=True),
        )
    )
    return events.filter(operation_id=operation) if operation is not None else events


def event_list_totals(events: QuerySet[Event]) -> dict[str, int]:
    """The handover counts summed over the filtered events (one query)."""
    return events.aggregate(handovers=Coalesce(Sum("handover_count"), 0), delivered=Coalesce(Sum("delivered_count"), 0))


def national_operations() -> QuerySet[Operation]:
    """Operations are national: every role that sees events sees them all."""
    return Operation.objects.select_related("program")


def event_get_for_user(user: User, pk: int, *, write: bool = False, whole: bool = False) -> Event:
    """The event through the user's scope, with ``hosted``: whether it is theirs (HQ, or the
    centre of its province: ``Event.hosted_by``), read in the same query.

    A centre that only has people on the event's list sees its date, place and operation and
    those people's handovers; ``whole=True`` (the summary of the whole ceremony) is a 403 for it.
    """
    if user.is_coordinator:
        covers = Centre.provinces.through.objects.filter(province_id=OuterRef("province_id"), centre_id=user.centre_id)
        hosted = Exists(covers)
    else:
        hosted = Value(user.is_hq)
    queryset = (
        Event.objects.select_related("province", "operation").prefetch_related("partners").annotate(hosted=hosted)
    )
    event = get_for_user(queryset, user, pk, write=write)
    if whole and not event.hosted:
        raise PermissionDenied
    return event


def event_photos(event: Event) -> list[EventPhoto]:
    """The photos of an event read by ``event_get_for_user``: none unless it is the user's own
    (they show the whole ceremony, other centres' people too)."""
    return list(event.photos.all()) if event.hosted else []


def event_photo_get(event: Event, pk: int) -> EventPhoto:
    """One photo of an event read by ``event_get_for_user``; a 404 unless it is the user's own."""
    if not event.hosted:
        raise Http404
    return get_object_or_404(EventPhoto.objects.filter(event=event), pk=pk)


def _shown_total():
    """What a handover's row shows: the project's planned total until it is handed over, then
    what was delivered (the items' amounts and the cash aid: ``Handover.total_delivered``)."""
    items = (
        HandoverItem.objects.filter(handover=OuterRef("pk"))
        .order_by()
        .values("handover")
        .annotate(sum=Sum("amount"))
        .values("sum")
    )
    delivered = F("cash_aid_delivered") + Coalesce(Subquery(items), ZERO)
    return Case(When(status=HandoverStatus.PLANNED, then=F("project__total")), default=delivered)


def event_handovers(event: Event, *, user: User) -> QuerySet[Handover]:
    """The event's handovers this user may see (a centre sees its own people only), each with
    ``shown_total`` (``_shown_total``) for sorting and the total row."""
    return (
        Handover.objects.visible_to(user)
        .filter(event=event)
        .select_related("project__beneficiary__centre", "project__trade", "project__province")
        .prefetch_related("items")
        .annotate(shown_total=_shown_total())
        .order_by("project__beneficiary__last_name_latin", "id")
    )


def event_handovers_total(handovers: QuerySet[Handover]) -> Decimal:
    """The sum of the rows' totals (``shown_total``), in one query."""
    return handovers.prefetch_related(None).aggregate(sum=Coalesce(Sum("shown_total"), ZERO))["sum"]


def attachable_projects(*, user: User, event: Event) -> QuerySet[LifeProject]:
    """Funded projects of the user's scope, located in the event's region, on no event's list yet."""
    return (
        LifeProject.objects.visible_to(user)
        .filter(status=ProjectStatus.FUNDED, handover__isnull=True, province__region_id=event.province.region_id)
        .select_related("beneficiary", "trade")
        .order_by("beneficiary__last_name_latin", "id")
    )


def handover_get_for_user(user: User, pk: int) -> Handover:
    queryset = Handover.objects.select_related(
        "event__province", "project__beneficiary__centre", "project__trade", "recorded_by"
    ).prefetch_related(Prefetch("items", queryset=HandoverItem.objects.order_by("id")))
    return get_for_user(queryset, user, pk)


def event_recorded_for_user(event: Event, *, user: User) -> list[tuple[int, int]]:
    """(handover, person) ids of the event's recorded handovers this user may see, in list order."""
    return list(
        event_handovers(event, user=user)
        .exclude(status=HandoverStatus.PLANNED)
        .prefetch_related(None)
        .values_list("pk", "project__beneficiary_id")
    )


# --- For the printed papers -------------------------------------------------------------------
# These read beyond a user's scope on purpose: their callers have already read the handovers or
# the event through it (or, for the public check, hold a signed token).


def receipts_for_printing(pks) -> dict[int, Handover]:
    """The handovers whose receipts are being printed, with everything the receipt shows."""
    return (
        Handover.objects.select_related(
            "event__province",
            "event__operation",
            "project__beneficiary__centre",
            "project__trade",
            "project__province",
            "recorded_by",
        )
        .prefetch_related(
            Prefetch("items", queryset=HandoverItem.objects.order_by("id")),
            Prefetch(
                "project__commitments",
                queryset=Commitment.objects.exclude(status=CommitmentStatus.CANCELLED).select_related(
                    "envelope__program", "envelope__agreement_partner"
                ),
                to_attr="funding",
            ),
        )
        .in_bulk(list(pks))
    )


def handover_for_verification(*, reference: str = "", pk: int | None = None) -> Handover | None:
    """A printed receipt's handover, for the public page its QR code opens (signed token checked):
    by its public reference, or by its id for receipts printed before references existed."""
    lookup = {"public_ref": reference} if reference else {"pk": pk}
    return (
        Handover.objects.select_related("event__province", "project__beneficiary")
        .prefetch_related("items")
        .filter(**lookup, receipt_number__isnull=False)
        .first()
    )


def event_ceremony(event: Event) -> tuple[list[Handover], int]:
    """The whole ceremony, every centre's people together, for its summary: the recorded
    handovers with what the figures need, and how many are still planned."""
    recorded = list(
        event.handovers.exclude(status=HandoverStatus.PLANNED)
        .select_related("project__beneficiary", "project__province", "project__trade__sector")
        .prefetch_related("items")
    )
    return recorded, event.handovers.filter(status=HandoverStatus.PLANNED).count()
