from crispy_forms.layout import HTML, Column, Fieldset, Layout, Row, Submit
from django import forms
from django.forms import inlineformset_factory
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from beneficiaries.choices import CinLookupKind, DocumentKind, DuplicateDecision
from beneficiaries.cin import looks_like_cin, normalize_cin, validate_cin
from beneficiaries.models import NAME_FIELDS, AccompanimentAction, Beneficiary, Training, Transfer
from beneficiaries.services import (
    ACTION_FIELDS,
    CASE_FIELDS,
    TRAINING_FIELDS,
    CinLookupRefused,
    cin_lookup_record,
)
from reintegration.forms_util import SUBMISSION_TOKEN, ServerFormHelper, formset_rows, name_empty_choices
from reintegration.i18n import name_order
from reintegration.models import Centre, Program, Province
from reintegration.phones import normalize_phone
from reintegration.territory import centre_first, group_provinces
from reintegration.uploads import check_upload
from reintegration.widgets import ArabicTextInput, DateInput, LatinTextInput


def provinces_in_language():
    """Provinces sorted by their name in the user's language."""
    return Province.objects.select_related("region").order_by(name_order())


class BeneficiaryForm(forms.ModelForm):
    """Registration and editing of a case file, in the order a coordinator asks the questions."""

    class Meta:
        model = Beneficiary
        fields = list(CASE_FIELDS)
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
        group_provinces(self.fields["province"], centre=centre_first(user))
        self.fields["program"].queryset = Program.objects.filter(is_active=True)
        self.fields["dependants"].max_value = 30
        # No default: the days are those written on the signed forms, or the file is not opened.
        self.fields["notice_given_on"].error_messages["required"] = _(
            "Enter the day the information notice was given: no case file is opened without it (law 09-08)."
        )
        self.fields["consent_signed_on"].error_messages["required"] = _(
            "Enter the day the consent form was signed: no case file is opened without it (law 09-08)."
        )
        registering_for_a_centre = user.is_administrator and not self.instance.pk
        if registering_for_a_centre:
            self.fields["centre"].queryset = Centre.objects.filter(is_active=True)
            self.fields["centre"].required = True
        else:
            del self.fields["centre"]
        name_empty_choices(self)
        self.helper = ServerFormHelper()
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
        if cin and cin != self.instance.cin:
            # Telling whether a number is registered is a lookup, even when the rest of the form
            # is refused: counted and recorded like the live duplicate check (the same number
            # just checked there is not counted twice).
            try:
                cin_lookup_record(user=self.user, kind=CinLookupKind.CASE_FILE_FORM, cin=cin)
            except CinLookupRefused as refused:
                raise forms.ValidationError(str(refused), code="cin_lookups") from None
            holder = Beneficiary.objects.filter(cin=cin).exclude(pk=self.instance.pk).select_related("centre").first()
            if holder is not None and Beneficiary.objects.visible_to(self.user).filter(pk=holder.pk).exists():
                # The user may open that file: name it and link to it, rather than register again.
                raise forms.ValidationError(
                    format_html(
                        _("This CIN is already registered: {link} ({centre})."),
                        link=format_html(
                            '<a href="{}">{} · {}</a>',
                            reverse("beneficiaries:detail", args=[holder.pk]),
                            holder.number,
                            holder.full_name,
                        ),
                        centre=holder.centre,
                    ),
                    code="cin_taken",
                )
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
        widgets = {"year": forms.NumberInput(attrs={"min": 1970, "max": 2100, "class": "input-year"})}

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
    return formset_rows(formset, TRAINING_FIELDS)


class ActionForm(forms.ModelForm):
    class Meta:
        model = AccompanimentAction
        fields = list(ACTION_FIELDS)
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
        name_empty_choices(self)
        self.helper = ServerFormHelper()
        self.helper.layout = Layout(
            Row(Column("kind"), Column("date")),
            "description",
            "outcome",
            Row(Column("next_step", css_class="col-md-8"), Column("next_step_on", css_class="col-md-4")),
            SUBMISSION_TOKEN,
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
        name_empty_choices(self)
        self.helper = ServerFormHelper()
        self.helper.layout = Layout(Row(Column("kind"), Column("file")), SUBMISSION_TOKEN)
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
        name_empty_choices(self)
        self.helper = ServerFormHelper()
        self.helper.layout = Layout("to_centre", "reason", SUBMISSION_TOKEN)
        self.helper.add_input(Submit("submit", _("Request the transfer")))


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class _CaseIds(forms.Field):
    """The ids of hidden inputs sharing one name; anything that is not an id is dropped."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> set[int]:
        return {int(v) for v in value or () if isinstance(v, str) and v.isascii() and v.isdigit() and len(v) < 10}


class DuplicateAnswerForm(forms.Form):
    """The registration's answer to a duplicate warning: the files it was shown, and why this is
    a different person (``beneficiaries/_duplicates.html`` renders both fields)."""

    acknowledged = _CaseIds(required=False)
    duplicate_reason = forms.CharField(required=False)


class DuplicateCheckForm(forms.Form):
    """What the registration form holds so far, for the live duplicate check (htmx).

    Lenient on purpose: a field not valid yet is left out of the check rather than answered
    with errors (a half-typed date checks the names without it; an incomplete CIN is not looked
    up), and a value the database could not take (a NUL byte) is not valid.
    """

    cin = forms.CharField(required=False, max_length=20)
    birth_date = forms.DateField(required=False)
    first_name_ar = forms.CharField(required=False, max_length=100)
    last_name_ar = forms.CharField(required=False, max_length=100)
    first_name_latin = forms.CharField(required=False, max_length=100)
    last_name_latin = forms.CharField(required=False, max_length=100)

    def clean_cin(self) -> str:
        cin = normalize_cin(self.cleaned_data["cin"])
        return cin if looks_like_cin(cin) else ""

    def typed(self) -> dict:
        """``find_duplicates``' arguments (but the user) from what is valid."""
        self.is_valid()
        data = self.cleaned_data
        return {
            "cin": data.get("cin", ""),
            "birth_date": data.get("birth_date"),
            "names_": tuple(data.get(name, "") for name in NAME_FIELDS),
        }


class DuplicateDecisionForm(forms.Form):
    """HQ's answer to a possible duplicate (``beneficiaries.services.duplicate_decide``)."""

    decision = forms.ChoiceField(
        label=_("Is this the same person?"),
        choices=[
            (DuplicateDecision.DIFFERENT, _("No: a different person, both files stay open")),
            (DuplicateDecision.SAME, _("Yes: the same person, this later file is closed")),
        ],
        widget=forms.RadioSelect,
    )
    same_as = forms.ModelChoiceField(
        label=_("The person's earlier case file"),
        queryset=Beneficiary.objects.none(),
        required=False,
        empty_label=_("Choose the earlier file"),
    )
    note = forms.CharField(
        label=_("What you checked"),
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
        help_text=_("For example: called the centre, compared the CIN copies and the parents' names."),
    )

    def __init__(self, *args, flag, **kwargs):
        super().__init__(*args, **kwargs)
        candidates = flag.candidates.select_related("centre")
        self.fields["same_as"].queryset = candidates
        self.fields["same_as"].label_from_instance = lambda b: f"{b.number} · {b.full_name} · {b.centre.name}"
        if len(candidates) == 1:
            self.initial.setdefault("same_as", candidates[0].pk)
        name_empty_choices(self)
        self.helper = ServerFormHelper()
        self.helper.layout = Layout("decision", "same_as", "note")
        self.helper.add_input(Submit("submit", _("Record the decision")))
