from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row, Submit
from django import forms
from django.forms import inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from beneficiaries.forms import provinces_in_language
from projects.choices import AdministrativeNeed, HealthNeed, ProfessionalNeed, SocialNeed
from projects.models import (
    Envelope,
    EnvelopeFunder,
    EquipmentLine,
    FollowUpVisit,
    LifeProject,
    PlannedAction,
    StandardKit,
    Trade,
)
from reintegration.i18n import name_order
from reintegration.models import Partner, Program, Province, Region
from reintegration.uploads import check_upload
from reintegration.widgets import DateInput

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
    return [("", "---------")] + [
        (sector, sorted(trades, key=lambda choice: choice[1])) for sector, trades in sorted(by_sector.items())
    ]


class ProjectForm(forms.ModelForm):
    """The life project: diagnosis, goals, and the income-generating project (the plan is a formset)."""

    class Meta:
        model = LifeProject
        fields = [
            "social_needs",
            "health_needs",
            "administrative_needs",
            "professional_needs",
            "diagnosis_notes",
            "goals",
            "trade",
            "province",
            "description",
            "cash_aid",
        ]
        widgets = {
            "diagnosis_notes": forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
            "goals": forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
            "description": forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
            "cash_aid": forms.NumberInput(attrs={"step": "0.01", "min": "0", "inputmode": "decimal"}),
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
        self.fields["trade"].choices = trade_choices()
        self.helper = FormHelper()
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
        fields = ["item", "quantity", "unit", "unit_price", "supplier"]
        widgets = {
            "quantity": forms.NumberInput(
                attrs={
                    "step": "0.01",
                    "min": "0.01",
                    "inputmode": "decimal",
                    "style": "min-width: 5rem; max-width: 7rem",
                }
            ),
            "unit_price": forms.NumberInput(
                attrs={"step": "0.01", "min": "0", "inputmode": "decimal", "style": "min-width: 7rem; max-width: 9rem"}
            ),
        }


EquipmentLineFormSet = inlineformset_factory(
    LifeProject, EquipmentLine, form=EquipmentLineForm, extra=0, can_delete=True, max_num=100, validate_max=True
)


def line_rows(formset) -> list[dict]:
    rows = []
    for form in formset.forms:
        if not form.has_changed() and not form.instance.pk:
            continue
        row = {field: form.cleaned_data.get(field) for field in EquipmentLineForm.Meta.fields}
        row["id"] = form.instance.pk
        row["delete"] = formset._should_delete_form(form)
        rows.append(row)
    return rows


class KitChoiceForm(forms.Form):
    kit = forms.ModelChoiceField(
        label=_("Standard kit"), queryset=StandardKit.objects.select_related("trade"), required=True
    )


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class FundForm(forms.Form):
    envelope = forms.ModelChoiceField(label=_("Envelope"), queryset=Envelope.objects.none())

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
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(
                Column("kind", css_class="col-md-3"),
                Column("description", css_class="col-md-6"),
                Column("due_on", css_class="col-md-3"),
            )
        )
        self.helper.add_input(Submit("submit", _("Add to the plan")))


class VisitForm(forms.ModelForm):
    class Meta:
        model = FollowUpVisit
        fields = [
            "done_on",
            "activity_running",
            "equipment_in_use",
            "monthly_income",
            "jobs_created",
            "problems",
            "support_needed",
        ]
        widgets = {
            "done_on": DateInput(),
            "monthly_income": forms.NumberInput(attrs={"step": "0.01", "min": "0"}),
            "problems": forms.Textarea(attrs={"rows": 2}),
            "support_needed": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("done_on", "activity_running", "equipment_in_use"):
            self.fields[name].required = True
        self.helper = FormHelper()
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
        widgets = {
            "agreement_signed_on": DateInput(),
            "amount": forms.NumberInput(attrs={"step": "0.01", "min": "0.01"}),
            "notes": forms.Textarea(attrs={"rows": 2}),
            "fiscal_year": forms.NumberInput(attrs={"min": 2010, "max": 2100}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = Province.objects.order_by(name_order())
        self.fields["region"].queryset = Region.objects.order_by(name_order())
        self.fields["program"].queryset = Program.objects.all()
        self.fields["agreement_partner"].queryset = Partner.objects.filter(is_active=True)
        self.helper = FormHelper()
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
        if document and hasattr(document, "content_type"):  # a new upload
            check_upload(document)
        return document


class FunderForm(forms.ModelForm):
    class Meta:
        model = EnvelopeFunder
        fields = ["partner", "share"]
        widgets = {"share": forms.NumberInput(attrs={"step": "0.01", "min": "0.01"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.filter(is_active=True)


FunderFormSet = inlineformset_factory(
    Envelope, EnvelopeFunder, form=FunderForm, extra=0, can_delete=True, max_num=10, validate_max=True
)


def funder_rows(formset) -> list[dict]:
    """The funders kept (rows ticked for removal, or left empty, are not)."""
    return [
        {"partner": form.cleaned_data["partner"], "share": form.cleaned_data["share"]}
        for form in formset.forms
        if (form.has_changed() or form.instance.pk) and not formset._should_delete_form(form)
    ]
