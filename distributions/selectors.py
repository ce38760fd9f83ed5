"""Reads on events and handovers, through their scopes."""

from django.db.models import Count, Prefetch, Q, QuerySet

from distributions.choices import HandoverStatus
from distributions.models import Event, Handover, HandoverItem
from projects.choices import ProjectStatus
from projects.models import LifeProject
from reintegration.models import User
from reintegration.scoping import get_for_user


def event_list(*, user: User) -> QuerySet[Event]:
    return (
        Event.objects.visible_to(user)
        .select_related("province", "operation")
        .annotate(
            handover_count=Count("handovers", distinct=True),
            delivered_count=Count("handovers", filter=~Q(handovers__status=HandoverStatus.PLANNED), distinct=True),
        )
    )


def event_get_for_user(user: User, pk: int, *, write: bool = False) -> Event:
    queryset = Event.objects.select_related("province", "operation").prefetch_related("partners", "photos")
    return get_for_user(queryset, user, pk, write=write)


def event_handovers(event: Event, *, user: User) -> QuerySet[Handover]:
    """The event's handovers this user may see (a centre sees its own people only)."""
    return (
        Handover.objects.visible_to(user)
        .filter(event=event)
        .select_related("project__beneficiary__centre", "project__trade", "project__province")
        .prefetch_related("items")
        .order_by("project__beneficiary__last_name_latin", "id")
    )


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
