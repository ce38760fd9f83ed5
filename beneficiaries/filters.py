"""The case-file list's search, filters and sort, all carried in the URL."""

import datetime

import django_filters
from django.db.models import QuerySet
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from beneficiaries.choices import CaseStatus, CinLookupKind, Sex
from beneficiaries.cin import cin_search
from beneficiaries.models import Beneficiary
from beneficiaries.selectors import beneficiary_search
from beneficiaries.services import CinLookupRefused, cin_lookup_record
from reintegration.forms_util import listed_choices
from reintegration.i18n import is_arabic, name_order
from reintegration.models import Centre, Program, Province
from reintegration.territory import centre_first, group_provinces
from reintegration.widgets import QuickSelect

SORTS = {
    "name": ("last_name_latin", "first_name_latin", "id"),
    "name_ar": ("last_name_ar", "first_name_ar", "id"),
    "release": ("-release_date", "id"),
    "registered": ("-created_at", "-id"),
}


class CaseSearch:
    """The "Name or CIN" box, shared by the case list, its CSV export and the project list.

    A search by CIN is a lookup (``cin_lookup_record``): counted in the user's budget and
    recorded. Over the budget, the search lists nothing and ``refusal`` says why; when a role
    that sees CINs masked typed more than the mask shows, ``notice`` says what was searched.
    """

    lookup_kind = CinLookupKind.CASE_SEARCH
    refusal = notice = ""

    def search_cases(self, cases: QuerySet[Beneficiary], text: str) -> QuerySet[Beneficiary]:
        cin = cin_search(text, full=self.user.sees_full_cin)
        if cin is not None:
            try:
                cin_lookup_record(user=self.user, kind=self.lookup_kind, cin=text)
            except CinLookupRefused as refused:
                self.refusal = str(refused)
                return cases.none()
            if cin.reduced:
                masked = format_html('<span class="ltr-value">{}</span>', cin.masked)
                # Safe: the sentence is escaped here, the CIN by format_html.
                self.notice = mark_safe(  # nosec B308, B703 # escaped below, the CIN by format_html
                    conditional_escape(
                        gettext(
                            "CINs are masked for your role, so this search lists every case file "
                            "whose CIN reads %(cin)s."
                        )
                    )
                    % {"cin": masked}
                )
        return beneficiary_search(cases, text, user=self.user)


class BeneficiaryFilter(CaseSearch, django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name or CIN"), method="filter_search")
    # The selects are drawn by QuickSelect: the list opens many times a day, and Django's
    # template per option cost more than the page's queries (83 provinces under their regions).
    province = django_filters.ModelChoiceFilter(
        label=_("Province"), queryset=Province.objects.none(), widget=QuickSelect
    )
    centre = django_filters.ModelChoiceFilter(label=_("Centre"), queryset=Centre.objects.none(), widget=QuickSelect)
    program = django_filters.ModelChoiceFilter(label=_("Program"), queryset=Program.objects.none(), widget=QuickSelect)
    sex = django_filters.ChoiceFilter(label=_("Sex"), choices=Sex.choices, widget=QuickSelect)
    release_year = django_filters.NumberFilter(
        label=_("Release year"), method="filter_release_year", min_value=1980, max_value=2100, decimal_places=0
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=CaseStatus.choices, empty_label=_("Active and closed"), widget=QuickSelect
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        method="filter_sort",
        empty_label=None,
        widget=QuickSelect,
        choices=[
            ("name", _("Name")),
            ("release", _("Release date, newest first")),
            ("registered", _("Registration, newest first")),
        ],
    )

    def __init__(self, data=None, *args, user, lookup_kind: str = CinLookupKind.CASE_SEARCH, **kwargs):
        data = {} if data is None else data  # always bound: the default sort and status apply
        super().__init__(data, *args, **kwargs)
        self.user, self.lookup_kind = user, lookup_kind
        self.filters["province"].queryset = Province.objects.order_by(name_order())
        self.filters["program"].queryset = Program.objects.all()
        if user.is_coordinator:
            del self.filters["centre"]
        else:
            self.filters["centre"].queryset = Centre.objects.order_by(name_order())
        group_provinces(self.form.fields["province"], centre=centre_first(user))
        for name in ("centre", "program"):  # a few rows each: one plain query, no server-side cursor
            if name in self.form.fields:
                listed_choices(self.form.fields[name])

    @property
    def qs(self):
        queryset = super().qs
        if "sort" not in self.form.cleaned_data or not self.form.cleaned_data.get("sort"):
            queryset = self.filter_sort(queryset, "sort", "name")
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.exclude(status=CaseStatus.ARCHIVED)
        return queryset

    def filter_search(self, queryset, name, value):
        return self.search_cases(queryset, value)

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
