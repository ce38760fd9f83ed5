"""Reads on the organisation, with their joins already made."""

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from reintegration.models import Centre, User
from reintegration.scoping import get_for_user


def centre_list(*, user: User) -> QuerySet[Centre]:
    return (
        Centre.objects.visible_to(user)
        .annotate(
            province_count=Count("provinces", distinct=True),
            coordinator_count=Count("staff", filter=Q(staff__is_active=True), distinct=True),
        )
        .order_by("name_fr")
    )


def centre_get_for_user(user: User, pk: int, *, write: bool = False) -> Centre:
    return get_for_user(Centre.objects.prefetch_related("provinces__region"), user, pk, write=write)


def centre_coordinators(centre: Centre) -> QuerySet[User]:
    return centre.staff.filter(is_active=True).order_by("last_name", "first_name")


def user_list(*, q: str = "", role: str = "", centre: Centre | None = None) -> QuerySet[User]:
    users = User.objects.select_related("centre").order_by("username")
    if q:
        users = users.filter(
            Q(username__icontains=q) | Q(first_name__icontains=q) | Q(last_name__icontains=q) | Q(email__icontains=q)
        )
    if role:
        users = users.filter(role=role)
    if centre:
        users = users.filter(centre=centre)
    return users


def account_get(pk: int) -> User:
    """An account, for the administrators' pages (accounts are not scoped: only administrators manage them)."""
    return get_object_or_404(User.objects.select_related("centre"), pk=pk)
