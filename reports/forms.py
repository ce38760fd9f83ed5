"""The reports' forms (the dashboard's filters are in ``reports.filters``)."""

from crispy_forms.layout import Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from reintegration.forms_util import SUBMISSION_TOKEN, ServerFormHelper
from reports.full_export import DEFAULT_FORMAT, FORMATS


class FullExportForm(forms.Form):
    """HQ's national export: the file's format, then Start (``reports.full_export``)."""

    format = forms.ChoiceField(
        label=_("File format"),
        choices=list(FORMATS.items()),
        initial=DEFAULT_FORMAT,
        widget=forms.RadioSelect,
        help_text=_(
            "The workbook opens as it is in a spreadsheet, dates and amounts ready to add up; "
            "the CSV files suit other programs (a statistics tool, a database)."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = ServerFormHelper()
        self.helper.layout = Layout("format", SUBMISSION_TOKEN)
        self.helper.add_input(Submit("submit", _("Start the export")))
