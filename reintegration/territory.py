"""Provinces in forms: the user's own centre's first, then the others under their region.

Every province select calls ``group_provinces`` on its field, so a coordinator in Meknès finds
Meknès at the top rather than Assa-Zag, and HQ finds each province under its region.
"""

from collections.abc import Callable
from functools import partial

from django import forms
from django.db.models import Exists, OuterRef, QuerySet
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext as _

from reintegration.i18n import name_order
from reintegration.models import Centre, Province, User


def centre_first(user: User | None) -> Centre | None:
    """The centre whose provinces come first for this user: a coordinator's own; none for HQ."""
    return user.centre if user is not None and user.is_coordinator and user.centre_id else None


def province_choices(
    provinces: QuerySet[Province] | None = None,
    *,
    centre: Centre | None = None,
    value: Callable[[Province], object] = lambda province: province.pk,
    label: Callable[[Province], str] = str,
) -> list[tuple[str, list[tuple[object, str]]]]:
    """``provinces`` (all by default) as option groups: first those the ``centre`` covers (when
    given), then one group per region, regions in their official (HCP code) order, provinces by
    name in the user's language within each group. One query.
    """
    provinces = (Province.objects.all() if provinces is None else provinces).select_related("region")
    if centre is not None:
        covered = Centre.provinces.through.objects.filter(centre_id=centre.pk, province_id=OuterRef("pk"))
        provinces = provinces.annotate(covered=Exists(covered))
    first: list[tuple[object, str]] = []
    regions: dict[int, tuple[str, list[tuple[object, str]]]] = {}
    for province in provinces.order_by("region__code", name_order()):
        choice = (value(province), label(province))
        if getattr(province, "covered", False):
            first.append(choice)
        else:
            regions.setdefault(province.region_id, (province.region.name, []))[1].append(choice)
    groups = list(regions.values())
    if first:
        groups.insert(0, (_("Provinces covered by %(centre)s") % {"centre": centre.name}, first))
    return groups


def group_provinces(
    field: forms.ModelChoiceField, *, centre: Centre | None = None, label: Callable[[Province], str] = str
) -> None:
    """Draw ``field``'s provinces (its queryset, as restricted) grouped as ``province_choices``.

    Read when the select is drawn, in one query as before; the field still validates against
    its queryset, so what may be chosen does not change. Works on Django's and django-filter's
    model choice fields alike (both ask ``field.iterator`` for their choices).
    """
    field.iterator = partial(_ProvinceGroups, centre=centre, label=label)
    field.widget.choices = field.choices


class _ProvinceGroups(ModelChoiceIterator):
    def __init__(self, field, *, centre: Centre | None, label: Callable[[Province], str]):
        super().__init__(field)
        self.centre, self.label = centre, label

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from province_choices(self.queryset, centre=self.centre, value=self.field.prepare_value, label=self.label)
