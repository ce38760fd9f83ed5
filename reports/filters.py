"""The dashboard's filters: read from the URL, applied to every figure of the page the same way.

One ``DashboardFilters`` holds the user's scope (a coordinator reads their centre only) and the
chosen filters; every selector in ``reports.figures`` asks it for the conditions to apply:

- ``case_q(path)``: on the case file (program, territory of residence, centre, sex), from any model;
- ``project_q(path)``: on the project (sector, trade, operation of its handover);
- ``in_period(field)``: each figure's own date in the period (registration, approval, funding,
  handover, visit...), so that "2021" means what happened in 2021;
- ``people_q()`` and ``projects_q(path)``: all of it for the case-file and project bases.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from beneficiaries.choices import Sex
from distributions.models import Operation
from projects.models import LifeProject, Sector, Trade
from reintegration.i18n import name_order
from reintegration.models import Centre, Program, Province, Region, User
from reintegration.territory import centre_first, group_provinces

FIRST_YEAR, LAST_YEAR = 2000, 2100
YEARS = {"first": FIRST_YEAR, "last": LAST_YEAR}


class DashboardFilterForm(forms.Form):
    """The filter bar. Every field is optional; a wrong value is reported next to its field and
    left out, the other filters still apply."""

    year = forms.IntegerField(label=_("Year"), required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR)
    start = forms.DateField(
        label=pgettext_lazy("period", "From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=pgettext_lazy("period", "To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    program = forms.ModelChoiceField(
        label=_("Program"), queryset=Program.objects.none(), required=False, to_field_name="code"
    )
    operation = forms.ModelChoiceField(label=_("Operation"), queryset=Operation.objects.none(), required=False)
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.none(), required=False, to_field_name="code"
    )
    province = forms.ModelChoiceField(
        label=_("Prefecture or province"), queryset=Province.objects.none(), required=False, to_field_name="code"
    )
    centre = forms.ModelChoiceField(
        label=_("Centre"), queryset=Centre.objects.none(), required=False, to_field_name="code"
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", _("Women and men")), *Sex.choices], required=False)
    sector = forms.ModelChoiceField(
        label=_("Sector"), queryset=Sector.objects.none(), required=False, to_field_name="code"
    )
    trade = forms.ModelChoiceField(
        label=_("Trade"), queryset=Trade.objects.none(), required=False, to_field_name="code"
    )

    def __init__(self, data, *args, user: User, **kwargs):
        super().__init__(data, *args, **kwargs)
        order = name_order()
        self.fields["program"].queryset = Program.objects.all()
        self.fields["operation"].queryset = Operation.objects.all()
        self.fields["region"].queryset = Region.objects.order_by("code")
        self.fields["province"].queryset = Province.objects.select_related("region").order_by("region__code", order)
        self.fields["sector"].queryset = Sector.objects.order_by(order)
        self.fields["trade"].queryset = Trade.objects.order_by(order)
        for name in ("program", "operation", "region", "province", "sector", "trade"):
            self.fields[name].empty_label = _("All")
        group_provinces(self.fields["province"], centre=centre_first(user))
        if user.is_coordinator:
            del self.fields["centre"]  # always their own centre
        else:
            self.fields["centre"].queryset = Centre.objects.order_by(order)
            self.fields["centre"].empty_label = _("All")

    def clean(self):
        data = super().clean()
        for name in ("start", "end"):
            day = data.get(name)
            if day and not FIRST_YEAR <= day.year <= LAST_YEAR:
                self.add_error(name, _("Choose a date between %(first)s and %(last)s.") % YEARS)
                data.pop(name, None)
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end of the period comes before its start."))
            data.pop("end", None)
        return data


@dataclass(frozen=True)
class DashboardFilters:
    """The scope and filters every figure of one dashboard is computed with."""

    scope_centre: Centre | None = None  # a coordinator's own centre; None for HQ (national)
    year: int | None = None
    start: datetime.date | None = None
    end: datetime.date | None = None
    program: Program | None = None
    operation: Operation | None = None
    region: Region | None = None
    province: Province | None = None
    centre: Centre | None = None
    sex: str = ""
    sector: Sector | None = None
    trade: Trade | None = None
    publication: bool = False  # small cells hidden (reports.publication); carried by every link
    today: datetime.date = field(default_factory=timezone.localdate)

    @classmethod
    def for_request(cls, user: User, data) -> tuple[DashboardFilters, DashboardFilterForm]:
        form = DashboardFilterForm(data, user=user)
        form.is_valid()  # errors are shown next to their fields; the valid filters apply
        values = {name: value for name, value in form.cleaned_data.items() if value not in (None, "")}
        scope = user.centre if user.is_coordinator else None
        filters = cls(scope_centre=scope, publication=data.get("publication") == "1", **values)
        return filters, form

    # --- The period ---------------------------------------------------------------

    @property
    def period(self) -> tuple[datetime.date | None, datetime.date | None]:
        """The first and last day, from the year or the dates (the year wins); None is open."""
        if self.year:
            return datetime.date(self.year, 1, 1), datetime.date(self.year, 12, 31)
        return self.start, self.end

    def in_period(self, path: str, *, moment: bool = False) -> Q:
        """``path``'s date in the period; ``moment=True`` for a date-time (registration)."""
        first, last = self.period
        q = Q()
        if moment:
            if first:
                q &= Q(**{f"{path}__gte": _midnight(first)})
            if last:
                q &= Q(**{f"{path}__lt": _midnight(last + datetime.timedelta(days=1))})
            return q
        if first:
            q &= Q(**{f"{path}__gte": first})
        if last:
            q &= Q(**{f"{path}__lte": last})
        return q

    @property
    def period_end(self) -> datetime.date:
        """The day trends end on: the period's last day, else the end of the operation's year, else today."""
        last = self.period[1]
        if last is None and self.operation is not None:
            last = datetime.date(self.operation.year, 12, 31)
        return min(last, self.today) if last else self.today

    # --- Conditions on case files and projects -------------------------------------

    def case_q(self, path: str = "") -> Q:
        """Scope and case-file filters on the case file at ``path`` (``""``, ``"beneficiary__"``...)."""
        q = Q()
        if self.scope_centre is not None:
            q &= Q(**{f"{path}centre": self.scope_centre})
        if self.centre is not None:
            q &= Q(**{f"{path}centre": self.centre})
        if self.program is not None:
            q &= Q(**{f"{path}program": self.program})
        if self.sex:
            q &= Q(**{f"{path}sex": self.sex})
        if self.province is not None:
            # A prefecture also holds its prefectures of arrondissements (Casablanca).
            q &= Q(**{f"{path}province": self.province}) | Q(**{f"{path}province__parent": self.province})
        if self.region is not None:
            q &= Q(**{f"{path}province__region": self.region})
        return q

    @property
    def filters_projects(self) -> bool:
        return bool(self.sector or self.trade or self.operation)

    def project_q(self, path: str = "") -> Q:
        """Project filters (sector, trade, operation) on the project at ``path``."""
        q = Q()
        if self.trade is not None:
            q &= Q(**{f"{path}trade": self.trade})
        if self.sector is not None:
            q &= Q(**{f"{path}trade__sector": self.sector})
        if self.operation is not None:
            q &= Q(**{f"{path}handover__event__operation": self.operation})
        return q

    def people_q(self) -> Q:
        """Every condition on a case file (the people base): with a project filter, only the
        people who have such a project."""
        q = self.case_q()
        if self.filters_projects:
            q &= Exists(LifeProject.objects.filter(self.project_q(), beneficiary=OuterRef("pk")))
        return q

    def projects_q(self, path: str = "") -> Q:
        """Every condition on a project at ``path``."""
        return self.case_q(f"{path}beneficiary__") & self.project_q(path)

    # --- Links ----------------------------------------------------------------------

    def params(self) -> dict[str, str]:
        """The filters as URL parameters (the scope is the user's, never a parameter)."""
        values = {
            "year": self.year,
            "start": self.start.isoformat() if self.start and not self.year else None,
            "end": self.end.isoformat() if self.end and not self.year else None,
            "program": self.program and self.program.code,
            "operation": self.operation and self.operation.pk,
            "region": self.region and self.region.code,
            "province": self.province and self.province.code,
            "centre": self.centre and self.centre.code,
            "sex": self.sex,
            "sector": self.sector and self.sector.code,
            "trade": self.trade and self.trade.code,
            "publication": "1" if self.publication else None,
        }
        return {key: str(value) for key, value in values.items() if value}

    def query_string(self, **changes) -> str:
        """The URL query for these filters with some changed (``None`` removes one)."""
        params = self.params()
        for key, value in changes.items():
            if value is None:
                params.pop(key, None)
            else:
                params[key] = str(value)
        return urlencode(params)

    @property
    def active(self) -> list[tuple[str, str]]:
        """The filters in force, as (label, value) for the page and the report's header."""
        labels = {
            "program": _("Program"),
            "operation": _("Operation"),
            "region": _("Region"),
            "province": _("Prefecture or province"),
            "centre": _("Centre"),
            "sector": _("Sector"),
            "trade": _("Trade"),
        }
        shown = []
        if self.scope_centre is not None:
            shown.append((_("Centre"), str(self.scope_centre)))
        first, last = self.period
        if first or last:
            shown.append((_("Period"), f"{_day(first)} – {_day(last)}"))
        for name, label in labels.items():
            value = getattr(self, name)
            if value is not None:
                shown.append((label, str(value)))
        if self.sex:
            shown.append((_("Sex"), str(Sex(self.sex).label)))
        return shown


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _day(day: datetime.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "…"
