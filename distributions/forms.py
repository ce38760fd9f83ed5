from crispy_forms.layout import Column, Fieldset, Layout, Row, Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from distributions.models import MONEY, Event, HandoverItem, Operation
from projects.plan import line_amount, line_limit_error
from reintegration.forms import AmountField, QuantityField
from reintegration.forms_util import SUBMISSION_TOKEN, ServerFormHelper, name_empty_choices
from reintegration.i18n import name_order
from reintegration.models import Partner, Province
from reintegration.territory import centre_first, group_provinces
from reintegration.widgets import ArabicTextInput, DateInput, DecimalTextInput, LatinTextInput


class EventForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = [
            "operation",
            "date",
            "province",
            "venue_fr",
            "venue_ar",
            "town_fr",
            "town_ar",
            "presiding_name_fr",
            "presiding_name_ar",
            "presiding_title_fr",
            "presiding_title_ar",
            "officials_present",
            "partners",
            "notes",
        ]
        widgets = {
            "date": DateInput(),
            "venue_fr": LatinTextInput(),
            "venue_ar": ArabicTextInput(),
            "town_fr": LatinTextInput(),
            "town_ar": ArabicTextInput(),
            "presiding_name_fr": LatinTextInput(),
            "presiding_name_ar": ArabicTextInput(),
            "presiding_title_fr": LatinTextInput(),
            "presiding_title_ar": ArabicTextInput(),
            "officials_present": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 2}),
            "partners": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        provinces = Province.objects.order_by(name_order())
        if user.is_coordinator:
            provinces = provinces.filter(centres=user.centre_id)
        self.fields["province"].queryset = provinces
        group_provinces(self.fields["province"], centre=centre_first(user))
        self.fields["partners"].queryset = Partner.objects.filter(is_active=True)
        self.fields["operation"].queryset = Operation.objects.all()
        name_empty_choices(self)
        self.helper = ServerFormHelper()
        self.helper.layout = Layout(
            Row(Column("operation"), Column("date"), Column("province")),
            Row(Column("venue_fr"), Column("venue_ar")),
            Row(Column("town_fr"), Column("town_ar")),
            Fieldset(
                _("Presided by"),
                Row(Column("presiding_title_fr"), Column("presiding_title_ar")),
                Row(Column("presiding_name_fr"), Column("presiding_name_ar")),
                "officials_present",
            ),
            "partners",
            "notes",
            SUBMISSION_TOKEN,
        )
        self.helper.add_input(Submit("submit", _("Save")))


class OperationForm(forms.ModelForm):
    class Meta:
        model = Operation
        fields = ["name_fr", "name_ar", "program", "year", "notes"]
        widgets = {
            "name_fr": LatinTextInput(),
            "name_ar": ArabicTextInput(),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name_empty_choices(self)
        self.helper = ServerFormHelper()
        self.helper.layout = Layout(
            Row(Column("name_fr"), Column("name_ar")), Row(Column("program"), Column("year")), "notes", SUBMISSION_TOKEN
        )
        self.helper.add_input(Submit("submit", _("Save")))


class AttachForm(forms.Form):
    projects = forms.ModelMultipleChoiceField(
        label=_("Funded projects"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["projects"].queryset = projects
        self.fields["projects"].label_from_instance = lambda p: f"{p.number} — {p.beneficiary.full_name} — {p.trade}"


class HandoverItemForm(forms.ModelForm):
    class Meta:
        model = HandoverItem
        fields = ["quantity", "brand", "serial_number"]
        field_classes = {"quantity": QuantityField}
        widgets = {"quantity": DecimalTextInput(attrs={"class": "input-quantity"})}

    def clean(self):
        cleaned = super().clean()
        quantity = cleaned.get("quantity")
        if quantity is not None and self.instance.unit_price is not None:
            error = line_limit_error(line_amount(quantity, self.instance.unit_price))
            if error:
                self.add_error("quantity", error)
        return cleaned


HandoverItemFormSet = forms.modelformset_factory(HandoverItem, form=HandoverItemForm, extra=0)


class DeliveryForm(forms.Form):
    delivered_on = forms.DateField(label=_("Handed over on"), widget=DateInput())
    cash_aid = AmountField(label=_("Cash aid handed over (DH)"), **MONEY)

    def clean_delivered_on(self):
        day = self.cleaned_data["delivered_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("A handover is recorded once made: the date cannot be in the future."))
        return day


class SignedScanForm(forms.Form):
    file = forms.FileField(label=_("Signed receipt"), help_text=_("PDF, JPEG or PNG, 10 MB at most."))
