"""The case-file list's search, filters and sort, all carried in the URL."""

import datetime

import django_filters
from django.utils.translation import gettext_lazy as _

from beneficiaries.choices import CaseStatus, Sex
from beneficiaries.selectors import beneficiary_search
from reintegration.i18n import is_arabic, name_order
from reintegration.models import Centre, Program, Province

SORTS = {
    "name": ("last_name_latin", "first_name_latin", "id"),
    "name_ar": ("last_name_ar", "first_name_ar", "id"),
    "release": ("-release_date", "id"),
    "registered": ("-created_at", "-id"),
}


class BeneficiaryFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name or CIN"), method="filter_search")
    province = django_filters.ModelChoiceFilter(label=_("Province"), queryset=Province.objects.none())
    centre = django_filters.ModelChoiceFilter(label=_("Centre"), queryset=Centre.objects.none())
    program = django_filters.ModelChoiceFilter(label=_("Program"), queryset=Program.objects.none())
    sex = django_filters.ChoiceFilter(label=_("Sex"), choices=Sex.choices)
    release_year = django_filters.NumberFilter(
        label=_("Release year"), method="filter_release_year", min_value=1980, max_value=2100, decimal_places=0
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=CaseStatus.choices, empty_label=_("Active and closed")
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        method="filter_sort",
        empty_label=None,
        choices=[
            ("name", _("Name")),
            ("release", _("Release date, newest first")),
            ("registered", _("Registration, newest first")),
        ],
    )

    def __init__(self, data=None, *args, user, **kwargs):
        data = {} if data is None else data  # always bound: the default sort and status apply
        super().__init__(data, *args, **kwargs)
        self.filters["province"].queryset = Province.objects.order_by(name_order())
        self.filters["program"].queryset = Program.objects.all()
        if user.is_coordinator:
            del self.filters["centre"]
        else:
            self.filters["centre"].queryset = Centre.objects.order_by(name_order())

    @property
    def qs(self):
        queryset = super().qs
        if "sort" not in self.form.cleaned_data or not self.form.cleaned_data.get("sort"):
            queryset = self.filter_sort(queryset, "sort", "name")
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.exclude(status=CaseStatus.ARCHIVED)
        return queryset

    def filter_search(self, queryset, name, value):
        return beneficiary_search(queryset, value)

    def filter_release_year(self, queryset, name, value):
        year = int(value)
        # A range, not release_date__year, so that the index on release_date is used.
        return queryset.filter(
            release_date__gte=datetime.date(year, 1, 1), release_date__lte=datetime.date(year, 12, 31)
        )

    def filter_sort(self, queryset, name, value):
        if value == "name" and is_arabic():
            value = "name_ar"
        return queryset.order_by(*SORTS.get(value, SORTS["name"]))
