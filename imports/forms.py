from crispy_forms.layout import Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from distributions.choices import EventStatus
from distributions.models import Event
from imports.choices import Encoding, ImportKind, OnExisting, OnProbable
from reintegration.forms_util import ServerFormHelper, name_empty_choices
from reintegration.models import Centre


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=ImportKind.choices, initial=ImportKind.CASES)
    centre = forms.ModelChoiceField(
        label=_("Centre"), queryset=Centre.objects.none(), help_text=_("The centre the records belong to.")
    )
    event = forms.ModelChoiceField(
        label=_("Distribution event"),
        queryset=Event.objects.none(),
        required=False,
        help_text=_("For handovers only: the event they took place at."),
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("An .xlsx workbook or a .csv file, made from the template."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,text/csv"}),
    )
    encoding = forms.ChoiceField(
        label=_("Encoding of a CSV file"),
        choices=Encoding.choices,
        initial=Encoding.AUTO,
        help_text=_("Older Excel versions save CSV in Windows-1256 (Arabic) or Windows-1252 (French)."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if user.is_hq:
            self.fields["centre"].queryset = Centre.objects.order_by("name_fr")
        else:
            del self.fields["centre"]
        # The events still open that this user sees (their centre's, and those its people attend).
        events = Event.objects.visible_to(user).exclude(status=EventStatus.CLOSED).select_related("province")
        self.fields["event"].queryset = events.order_by("-date", "id")
        # The kinds this version can read (imports.kinds)
        from imports.kinds import KINDS

        self.fields["kind"].choices = [(value, label) for value, label in ImportKind.choices if value in KINDS]
        name_empty_choices(self)
        self.helper = ServerFormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(*self.fields)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == ImportKind.HANDOVERS and not cleaned.get("event"):
            self.add_error("event", _("Choose the event these handovers took place at."))
        elif cleaned.get("kind") != ImportKind.HANDOVERS:
            cleaned["event"] = None
        return cleaned

    def centre_chosen(self):
        return self.cleaned_data["centre"] if "centre" in self.fields else self.user.centre


class ConfirmForm(forms.Form):
    on_existing = forms.ChoiceField(
        label=_("Rows of people already registered, with other values"),
        choices=OnExisting.choices,
        initial=OnExisting.REPORT,
        widget=forms.RadioSelect,
    )
    on_probable = forms.ChoiceField(
        label=_("Rows that are possible duplicates (same date of birth, close name)"),
        choices=OnProbable.choices,
        initial=OnProbable.SKIP,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, kind: str = ImportKind.CASES, **kwargs):
        super().__init__(*args, **kwargs)
        # Only case files have possible duplicates; handovers never replace what is recorded.
        if kind != ImportKind.CASES:
            del self.fields["on_probable"]
        if kind == ImportKind.PROJECTS:
            self.fields["on_existing"].label = _("Case files whose draft project has other content")
            self.fields["on_existing"].choices = [
                (OnExisting.UPDATE, _("Replace the draft's content and lines with the sheet's")),
                (OnExisting.REPORT, _("Leave the draft as it is and list it in the report")),
            ]
        elif kind == ImportKind.HANDOVERS:
            del self.fields["on_existing"]
        self.helper = ServerFormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(*self.fields)

    def choices(self) -> dict:
        """The importer's choices, the defaults for those this kind does not ask."""
        return {
            "on_existing": self.cleaned_data.get("on_existing", OnExisting.REPORT),
            "on_probable": self.cleaned_data.get("on_probable", OnProbable.SKIP),
        }
