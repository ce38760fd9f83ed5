from dataclasses import dataclass
from decimal import Decimal

from crispy_forms.layout import Column, Fieldset, Layout, Row, Submit
from django import forms
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from beneficiaries.forms import provinces_in_language
from projects.choices import AdministrativeNeed, HealthNeed, ProfessionalNeed, SocialNeed
from projects.models import (
    Envelope,
    EnvelopeFunder,
    EquipmentLine,
    FollowUpVisit,
    KitLine,
    LifeProject,
    PlannedAction,
    StandardKit,
    Trade,
)
from projects.plan import PlanTotals, line_amount, line_limit_error, plan_totals, totals_limit_error
from projects.services import LINE_FIELDS, PROJECT_FIELDS, VISIT_FIELDS
from reintegration.forms import AmountField, PositiveAmountField, PositiveQuantityField
from reintegration.forms_util import CHOOSE, ServerFormHelper, formset_rows, name_empty_choices
from reintegration.i18n import is_arabic, name_order
from reintegration.models import Partner, Program, Province, Region
from reintegration.territory import group_provinces
from reintegration.uploads import clean_upload
from reintegration.widgets import AmountInput, ArabicTextInput, DateInput, DecimalTextInput, LatinTextInput

NEED_FIELDS = {
    "social_needs": SocialNeed,
    "health_needs": HealthNeed,
    "administrative_needs": AdministrativeNeed,
    "professional_needs": ProfessionalNeed,
}


def trade_choices() -> list:
    """Trades grouped under their sector, sorted in the user's language."""
    by_sector: dict[str, list] = {}
    for trade in Trade.objects.select_related("sector"):
        by_sector.setdefault(trade.sector.name, []).append((trade.pk, trade.name))
    return [("", CHOOSE)] + [
        (sector, sorted(trades, key=lambda choice: choice[1])) for sector, trades in sorted(by_sector.items())
    ]


class ProjectForm(forms.ModelForm):
    """The life project: diagnosis, goals, and the income-generating project (the plan is a formset)."""

    class Meta:
        model = LifeProject
        fields = list(PROJECT_FIELDS)
        field_classes = {"cash_aid": AmountField}
        widgets = {
            "diagnosis_notes": forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
            "goals": forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
            "description": forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, choices in NEED_FIELDS.items():
            self.fields[name] = forms.MultipleChoiceField(
                label=self.Meta.model._meta.get_field(name).verbose_name.capitalize(),
                choices=choices.choices,
                widget=forms.CheckboxSelectMultiple,
                required=False,
                initial=getattr(self.instance, name) or [],
            )
        self.fields["province"].queryset = provinces_in_language()
        # The case's centre's provinces first: the activity usually runs where the person lives.
        case = self.instance.beneficiary if self.instance.beneficiary_id else None
        group_provinces(self.fields["province"], centre=case.centre if case else None)
        self.fields["trade"].choices = trade_choices()
        # Not needed to save a draft, needed to submit it (projects.services._check_ready_for_approval).
        for name in ("trade", "province", "description"):
            field = self.fields[name]
            needed = _("Needed to submit the project for approval.")
            field.help_text = format_lazy("{} {}", field.help_text, needed) if field.help_text else needed
        name_empty_choices(self)
        self.helper = ServerFormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(
                _("Diagnosis"),
                Row(
                    Column("social_needs"),
                    Column("health_needs"),
                    Column("administrative_needs"),
                    Column("professional_needs"),
                ),
                "diagnosis_notes",
                "goals",
            ),
            Fieldset(
                _("Income-generating project"),
                Row(Column("trade"), Column("province")),
                "description",
            ),
        )


class EquipmentLineForm(forms.ModelForm):
    class Meta:
        model = EquipmentLine
        fields = list(LINE_FIELDS)
        field_classes = {"quantity": PositiveQuantityField, "unit_price": AmountField}
        widgets = {
            "item_fr": LatinTextInput(),
            "item_ar": ArabicTextInput(),
            "quantity": DecimalTextInput(attrs={"class": "input-quantity"}),
            "unit_price": AmountInput(attrs={"class": "input-amount"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Both names are printed on the receipt the person signs; lines typed before kept one.
        self.fields["item_ar"].required = True
        for name, placeholder in (("item_fr", _("In French")), ("item_ar", _("In Arabic"))):
            self.fields[name].widget.attrs.update({"placeholder": placeholder, "aria-label": self.fields[name].label})

    def clean(self):
        cleaned = super().clean()
        quantity, price = cleaned.get("quantity"), cleaned.get("unit_price")
        if quantity is not None and price is not None:
            error = line_limit_error(line_amount(quantity, price))
            if error:
                self.add_error("unit_price", error)
        return cleaned


class BaseEquipmentLineFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        pairs = [
            (form.cleaned_data["quantity"], form.cleaned_data["unit_price"])
            for form in self.forms
            if form.cleaned_data.get("quantity") is not None
            and form.cleaned_data.get("unit_price") is not None
            and not form.cleaned_data.get("DELETE")
        ]
        error = totals_limit_error(plan_totals(pairs))
        if error:
            raise error


EquipmentLineFormSet = inlineformset_factory(
    LifeProject,
    EquipmentLine,
    form=EquipmentLineForm,
    formset=BaseEquipmentLineFormSet,
    extra=0,
    can_delete=True,
    max_num=100,
    validate_max=True,
)


@dataclass(frozen=True)
class TypedPlan:
    """The plan as typed so far, for the live preview: its totals (what cannot be read counts
    as zero) and, for each figure's message box (``id_<field>_errors``), what to fix there."""

    totals: PlanTotals
    rows: list[tuple[str, Decimal]]
    errors: list[tuple[str, list[str]]]


def plan_typed(data, *, prefix: str = "lines") -> TypedPlan:
    """Read the editor's figures as the forms do, whatever was sent: never an exception.

    A figure left empty is not an error yet (it is being typed); one that cannot be read, or
    breaks a limit, gets the same message as on saving.
    """
    quantity_field = EquipmentLineForm.base_fields["quantity"]
    price_field = EquipmentLineForm.base_fields["unit_price"]
    errors: list[tuple[str, list[str]]] = []

    def read(field, name: str) -> tuple[Decimal, list[str]]:
        if not str(data.get(name) or "").strip():
            return Decimal(0), []
        try:
            return field.clean(data.get(name)), []
        except forms.ValidationError as error:
            return Decimal(0), error.messages

    pairs = []
    for index in range(_form_count(data.get(f"{prefix}-TOTAL_FORMS"))):
        row = f"{prefix}-{index}"
        if data.get(f"{row}-DELETE"):  # removed: counts for nothing, says nothing
            (quantity, quantity_errors), (price, price_errors) = (Decimal(0), []), (Decimal(0), [])
        else:
            quantity, quantity_errors = read(quantity_field, f"{row}-quantity")
            price, price_errors = read(price_field, f"{row}-unit_price")
        limit = line_limit_error(line_amount(quantity, price))
        errors += [(f"id_{row}-quantity_errors", quantity_errors), (f"id_{row}-unit_price_errors", price_errors)]
        if limit:
            price_errors.extend(limit.messages)
        pairs.append((quantity, price))
    cash_aid, cash_aid_errors = read(ProjectForm.base_fields["cash_aid"], "cash_aid")
    totals = plan_totals(pairs, cash_aid)
    limit = totals_limit_error(totals)
    errors += [("id_cash_aid_errors", cash_aid_errors), ("id_plan_errors", limit.messages if limit else [])]
    rows = [(f"{prefix}-{index}", amount) for index, amount in enumerate(totals.line_amounts)]
    return TypedPlan(totals, rows, errors)


def _form_count(value) -> int:
    """``TOTAL_FORMS`` as sent: a whole number up to the formset's maximum, else zero."""
    text = str(value or "").strip()
    if not (text.isascii() and text.isdigit() and len(text) <= 6):
        return 0
    return min(int(text), EquipmentLineFormSet.max_num)


def line_rows(formset) -> list[dict]:
    return formset_rows(formset, EquipmentLineForm.Meta.fields)


class KitChoiceForm(forms.Form):
    """A standard kit to add to the plan: the trade's own kits first, then the others.

    Bound to the editor's ``?kit=&trade=`` (the trade as chosen on the page, which may not be
    saved yet), it tells whether the kit fits that trade: another trade's kit is allowed, with
    a warning (``warning``), since a project may well need it.
    """

    kit = forms.ModelChoiceField(
        label=_("Standard kit"), queryset=StandardKit.objects.prefetch_related("lines", "trades")
    )
    trade = forms.ModelChoiceField(label=_("Trade"), queryset=Trade.objects.all(), required=False)

    def __init__(self, *args, trade: Trade | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.trade = trade
        self.fields["kit"].choices = self._kit_choices  # read when the select is drawn
        if trade is not None and not self.is_bound:
            self.initial.setdefault("kit", trade.kits.order_by(name_order()).values_list("pk", flat=True).first())

    def _kit_choices(self) -> list:
        kits = list(StandardKit.objects.prefetch_related("trades").order_by(name_order()))
        trade = self.trade
        blank = [("", CHOOSE)]
        if trade is None:
            return blank + [(kit.pk, kit.name) for kit in kits]
        own = [(kit.pk, kit.name) for kit in kits if _fits(kit, trade)]
        others = [(kit.pk, kit.name) for kit in kits if not _fits(kit, trade)]
        groups = [(_("Kits for this trade"), own)] if own else []
        return blank + groups + ([(_("Other kits"), others)] if others else [])

    def chosen_trade(self) -> Trade | None:
        """The trade on the page when it was sent, else the project's saved one."""
        return self.cleaned_data.get("trade") if "trade" in self.data else self.trade

    def warning(self) -> str:
        """What to say when the kit chosen (the form being valid) is not one of the trade's."""
        kit, trade = self.cleaned_data["kit"], self.chosen_trade()
        if trade is None or _fits(kit, trade) or not kit.trades.all():
            return ""
        separator = "، " if is_arabic() else ", "
        return _("“%(kit)s” is meant for %(trades)s, not for %(trade)s: check that its lines suit this project.") % {
            "kit": kit.name,
            "trades": separator.join(sorted(str(fit) for fit in kit.trades.all())),
            "trade": trade.name,
        }


def _fits(kit: StandardKit, trade: Trade) -> bool:
    return any(fit.pk == trade.pk for fit in kit.trades.all())  # prefetched


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class SaveChoiceForm(forms.Form):
    """Which of the plan editor's buttons sent it: "Save as a draft" (no ``then``) or "Save and
    submit for approval" (``then=submit``)."""

    then = forms.ChoiceField(choices=[("", ""), ("submit", "")], required=False)

    @property
    def submits(self) -> bool:
        return self.is_valid() and self.cleaned_data["then"] == "submit"


class ProjectBatchForm(forms.Form):
    """Several projects of one of HQ's queues, chosen by their boxes."""

    projects = forms.ModelMultipleChoiceField(
        label=_("Projects"),
        queryset=LifeProject.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one project."),
            "invalid_choice": _("One of the projects chosen is no longer in this list: reload the page."),
            "invalid_pk_value": _("One of the projects chosen is no longer in this list: reload the page."),
        },
    )

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["projects"].queryset = projects


class FundBatchForm(ProjectBatchForm):
    """Approved projects and the one envelope that funds them all."""

    envelope = forms.ModelChoiceField(
        label=_("Envelope"),
        queryset=Envelope.objects.none(),
        error_messages={
            "required": _("Choose the envelope."),
            "invalid_choice": _("This envelope is closed to new commitments or no longer exists."),
        },
    )

    def __init__(self, *args, envelopes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["envelope"].queryset = envelopes


class CancelCommitmentForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class PlannedActionForm(forms.ModelForm):
    class Meta:
        model = PlannedAction
        fields = ["kind", "description", "due_on"]
        widgets = {"due_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name_empty_choices(self)
        self.helper = ServerFormHelper()
        self.helper.layout = Layout(
            Row(
                Column("kind", css_class="col-md-3"),
                Column("description", css_class="col-md-6"),
                Column("due_on", css_class="col-md-3"),
            )
        )
        # Secondary on the project page, whose one primary action is the next move of the workflow.
        add = Submit("submit", _("Add to the plan"))
        add.field_classes = "btn btn-outline-primary"
        self.helper.add_input(add)


class VisitForm(forms.ModelForm):
    class Meta:
        model = FollowUpVisit
        fields = list(VISIT_FIELDS)
        field_classes = {"monthly_income": AmountField}
        widgets = {
            "done_on": DateInput(),
            "problems": forms.Textarea(attrs={"rows": 2}),
            "support_needed": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("done_on", "activity_running", "equipment_in_use"):
            self.fields[name].required = True
        name_empty_choices(self)
        self.helper = ServerFormHelper()
        self.helper.layout = Layout(
            Row(Column("done_on"), Column("activity_running"), Column("equipment_in_use")),
            Row(Column("monthly_income"), Column("jobs_created")),
            Row(Column("problems"), Column("support_needed")),
        )
        self.helper.add_input(Submit("submit", _("Save the visit")))

    def clean_done_on(self):
        done_on = self.cleaned_data["done_on"]
        if done_on and done_on > timezone.localdate():
            raise forms.ValidationError(_("A visit is recorded once made: the date cannot be in the future."))
        return done_on


class EnvelopeForm(forms.ModelForm):
    class Meta:
        model = Envelope
        fields = [
            "name",
            "program",
            "fiscal_year",
            "region",
            "province",
            "amount",
            "agreement_partner",
            "agreement_signed_on",
            "agreement_document",
            "notes",
            "is_active",
        ]
        field_classes = {"amount": PositiveAmountField}
        widgets = {
            "agreement_signed_on": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 2}),
            "fiscal_year": forms.NumberInput(attrs={"min": 2010, "max": 2100}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = Province.objects.order_by(name_order())
        group_provinces(self.fields["province"])
        self.fields["region"].queryset = Region.objects.order_by(name_order())
        self.fields["program"].queryset = Program.objects.all()
        self.fields["agreement_partner"].queryset = Partner.objects.filter(is_active=True)
        name_empty_choices(self)
        self.helper = ServerFormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Row(Column("name", css_class="col-md-6"), Column("program"), Column("fiscal_year")),
            Row(Column("region"), Column("province"), Column("amount")),
            Fieldset(
                _("Partnership agreement"),
                Row(Column("agreement_partner"), Column("agreement_signed_on"), Column("agreement_document")),
            ),
            "notes",
            "is_active",
        )

    def clean_agreement_document(self):
        document = self.cleaned_data.get("agreement_document")
        if document and hasattr(document, "content_type"):  # a new upload: kept renamed, an image encoded again
            document, _content_type = clean_upload(document)
        return document


class FunderForm(forms.ModelForm):
    class Meta:
        model = EnvelopeFunder
        fields = ["partner", "share"]
        field_classes = {"share": PositiveAmountField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.filter(is_active=True)
        name_empty_choices(self)


FunderFormSet = inlineformset_factory(
    Envelope, EnvelopeFunder, form=FunderForm, extra=0, can_delete=True, max_num=10, validate_max=True
)


def funder_rows(formset) -> list[dict]:
    """The funders kept (rows ticked for removal, or left empty, are not)."""
    return [
        {"partner": row["partner"], "share": row["share"]}
        for row in formset_rows(formset, ("partner", "share"))
        if not row["delete"]
    ]


class KitLineForm(forms.ModelForm):
    """A standard kit's line in the admin, its figures typed as in the plan editor."""

    class Meta:
        model = KitLine
        fields = ["item_fr", "item_ar", "quantity", "unit", "unit_price"]
        widgets = {"item_fr": LatinTextInput(), "item_ar": ArabicTextInput()}
        field_classes = {"quantity": PositiveQuantityField, "unit_price": AmountField}
