import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from beneficiaries.choices import CinLookupKind
from beneficiaries.filters import CaseSearch
from beneficiaries.models import Beneficiary
from projects.choices import ProjectStatus
from projects.models import Envelope, Trade
from reintegration.i18n import name_order
from reintegration.models import Centre, Program, Province, Region
from reintegration.territory import centre_first, group_provinces


class ProjectFilter(CaseSearch, django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name or CIN"), method="filter_search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ProjectStatus.choices)
    trade = django_filters.ModelChoiceFilter(label=_("Trade"), queryset=Trade.objects.none())
    province = django_filters.ModelChoiceFilter(label=_("Location"), queryset=Province.objects.none())
    centre = django_filters.ModelChoiceFilter(
        label=_("Centre"), queryset=Centre.objects.none(), field_name="beneficiary__centre"
    )

    def __init__(self, data=None, *args, user, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.user = user
        self.filters["trade"].queryset = Trade.objects.order_by(name_order())
        self.filters["province"].queryset = Province.objects.order_by(name_order())
        if user.is_coordinator:
            del self.filters["centre"]
        else:
            self.filters["centre"].queryset = Centre.objects.order_by(name_order())
        group_provinces(self.form.fields["province"], centre=centre_first(user))

    lookup_kind = CinLookupKind.PROJECT_SEARCH

    def filter_search(self, queryset, name, value):
        cases = self.search_cases(Beneficiary.objects.visible_to(self.user), value)
        return queryset.filter(beneficiary__in=cases)


class EnvelopeFilter(django_filters.FilterSet):
    program = django_filters.ModelChoiceFilter(label=_("Program"), queryset=Program.objects.all())
    fiscal_year = django_filters.NumberFilter(
        label=_("Fiscal year"), widget=forms.NumberInput(attrs={"step": "1", "min": "2010", "max": "2100"})
    )
    region = django_filters.ModelChoiceFilter(label=_("Region"), queryset=Region.objects.all())
    is_active = django_filters.ChoiceFilter(
        label=_("Open for new commitments"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        empty_label=_("All"),
        method="filter_open",
    )

    class Meta:
        model = Envelope
        fields = ["program", "fiscal_year", "region"]

    def filter_open(self, queryset, name, value):
        return queryset.filter(is_active=value == "yes")
