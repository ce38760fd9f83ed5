from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Fieldset, Layout, Row, Submit
from django import forms
from django.forms import inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from beneficiaries.choices import DocumentKind
from beneficiaries.cin import normalize_cin, validate_cin
from beneficiaries.models import AccompanimentAction, Beneficiary, Training, Transfer
from beneficiaries.services import TRAINING_FIELDS
from reintegration.i18n import name_order
from reintegration.models import Centre, Program, Province
from reintegration.phones import normalize_phone
from reintegration.uploads import check_upload
from reintegration.widgets import ArabicTextInput, DateInput, LatinTextInput

IDENTITY_FIELDS = ["first_name_ar", "last_name_ar", "first_name_latin", "last_name_latin", "cin", "sex", "birth_date"]


def provinces_in_language():
    """Provinces sorted by their name in the user's language."""
    return Province.objects.select_related("region").order_by(name_order())


class BeneficiaryForm(forms.ModelForm):
    """Registration and editing of a case file, in the order a coordinator asks the questions."""

    class Meta:
        model = Beneficiary
        fields = [
            *IDENTITY_FIELDS,
            "phone",
            "address",
            "province",
            "establishment",
            "release_date",
            "release_type",
            "program",
            "education_level",
            "skills",
            "work_experience",
            "family_situation",
            "dependants",
            "notice_given_on",
            "consent_signed_on",
        ]
        widgets = {
            "first_name_ar": ArabicTextInput(attrs={"autocomplete": "off"}),
            "last_name_ar": ArabicTextInput(attrs={"autocomplete": "off"}),
            "first_name_latin": LatinTextInput(attrs={"autocomplete": "off"}),
            "last_name_latin": LatinTextInput(attrs={"autocomplete": "off"}),
            "cin": forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off", "spellcheck": "false"}),
            "phone": forms.TextInput(attrs={"dir": "ltr", "type": "tel", "inputmode": "tel"}),
            "birth_date": DateInput(),
            "release_date": DateInput(),
            "notice_given_on": DateInput(),
            "consent_signed_on": DateInput(),
            "skills": forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
            "work_experience": forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
            "address": forms.TextInput(attrs={"dir": "auto"}),
            "establishment": forms.TextInput(attrs={"dir": "auto"}),
            "dependants": forms.NumberInput(attrs={"min": 0, "max": 30}),
        }

    centre = forms.ModelChoiceField(label=_("Centre"), queryset=Centre.objects.none(), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["province"].queryset = provinces_in_language()
        self.fields["program"].queryset = Program.objects.filter(is_active=True)
        self.fields["dependants"].max_value = 30
        if not self.instance.pk:
            today = timezone.localdate()
            self.initial.setdefault("notice_given_on", today)
            self.initial.setdefault("consent_signed_on", today)
        registering_for_a_centre = user.is_administrator and not self.instance.pk
        if registering_for_a_centre:
            self.fields["centre"].queryset = Centre.objects.filter(is_active=True)
            self.fields["centre"].required = True
        else:
            del self.fields["centre"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(
                _("Identity"),
                Row(Column("first_name_ar"), Column("last_name_ar")),
                Row(Column("first_name_latin"), Column("last_name_latin")),
                Row(Column("cin"), Column("sex"), Column("birth_date")),
                css_id="identity",
            ),
            Fieldset(
                _("Contact and residence"),
                Row(Column("phone"), Column("province")),
                "address",
            ),
            Fieldset(
                _("Release"),
                Row(Column("establishment"), Column("release_date"), Column("release_type")),
                Row(Column("program"), *([Column("centre")] if registering_for_a_centre else [])),
            ),
            Fieldset(
                _("Education, skills and family"),
                Row(Column("education_level"), Column("family_situation"), Column("dependants")),
                Row(Column("skills"), Column("work_experience")),
            ),
            Fieldset(
                _("Consent (law 09-08)"),
                HTML(
                    '<p class="small text-body-secondary">'
                    + str(_("Give the information notice and have the consent form signed before registering."))
                    + "</p>"
                ),
                Row(Column("notice_given_on"), Column("consent_signed_on")),
            ),
        )

    def clean_cin(self):
        cin = normalize_cin(self.cleaned_data.get("cin", ""))
        validate_cin(cin)
        if cin:
            holder = Beneficiary.objects.filter(cin=cin).exclude(pk=self.instance.pk).select_related("centre").first()
            if holder is not None:
                raise forms.ValidationError(
                    _("This CIN is already registered, at %(centre)s.") % {"centre": holder.centre},
                    code="cin_taken",
                )
        return cin

    def clean_phone(self):
        return normalize_phone(self.cleaned_data.get("phone", ""))

    def clean_first_name_latin(self):
        return " ".join(self.cleaned_data["first_name_latin"].split()).title()

    def clean_last_name_latin(self):
        return " ".join(self.cleaned_data["last_name_latin"].split()).title()

    def clean_first_name_ar(self):
        return " ".join(self.cleaned_data["first_name_ar"].split())

    def clean_last_name_ar(self):
        return " ".join(self.cleaned_data["last_name_ar"].split())

    def case_fields(self) -> dict:
        """The cleaned values the services take."""
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        if "centre" in self.fields:
            data["centre"] = self.cleaned_data["centre"]
        return data


class TrainingForm(forms.ModelForm):
    class Meta:
        model = Training
        fields = TRAINING_FIELDS
        widgets = {"year": forms.NumberInput(attrs={"min": 1970, "max": 2100, "style": "max-width: 7rem"})}

    def clean_year(self):
        year = self.cleaned_data.get("year")
        if year and not 1970 <= year <= timezone.localdate().year:
            raise forms.ValidationError(_("Enter a year between 1970 and this year."))
        return year


TrainingFormSet = inlineformset_factory(
    Beneficiary, Training, form=TrainingForm, extra=0, can_delete=True, max_num=30, validate_max=True
)


def training_rows(formset) -> list[dict]:
    """The formset's rows as the services take them."""
    rows = []
    for form in formset.forms:
        if not form.has_changed() and not form.instance.pk:
            continue
        row = {field: form.cleaned_data.get(field) for field in TRAINING_FIELDS}
        row["id"] = form.instance.pk
        row["delete"] = formset.can_delete and formset._should_delete_form(form)
        rows.append(row)
    return rows


class ActionForm(forms.ModelForm):
    class Meta:
        model = AccompanimentAction
        fields = ["kind", "date", "description", "outcome", "next_step", "next_step_on"]
        widgets = {
            "date": DateInput(),
            "next_step_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
            "outcome": forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
            "next_step": forms.TextInput(attrs={"dir": "auto"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.initial.setdefault("date", timezone.localdate())
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(Column("kind"), Column("date")),
            "description",
            "outcome",
            Row(Column("next_step", css_class="col-md-8"), Column("next_step_on", css_class="col-md-4")),
        )
        self.helper.add_input(Submit("submit", _("Save the action")))

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("An action is recorded once done: the date cannot be in the future."))
        return date


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, JPEG or PNG, 10 MB at most."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(Row(Column("kind"), Column("file")))
        self.helper.add_input(Submit("submit", _("Upload")))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_upload(upload)
        return upload


class TransferRequestForm(forms.ModelForm):
    class Meta:
        model = Transfer
        fields = ["to_centre", "reason"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 3, "dir": "auto"})}
        labels = {"to_centre": _("Receiving centre")}
        help_texts = {"reason": _("For example: the person has moved to another city.")}

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_centre"].queryset = Centre.objects.filter(is_active=True).exclude(pk=case.centre_id)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Request the transfer")))


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
