from dataclasses import dataclass

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class ServerFormHelper(FormHelper):
    """A crispy helper whose ``<form>`` leaves validation to the server (``novalidate``): the
    browser's own pop-ups would speak its language, not the user's; the fields keep their
    ``required`` for assistive technology."""

    def __init__(self, form=None):
        super().__init__(form)
        self.attrs = {"novalidate": "", **self.attrs}


CHOOSE = gettext_lazy("Choose…")


def name_empty_choices(form: forms.BaseForm) -> None:
    """Each select's empty choice says what to do ("Choose…"), not Django's "---------"."""
    for field in form.fields.values():
        if isinstance(field, forms.ModelChoiceField):
            if field.empty_label == "---------":
                field.empty_label = CHOOSE
        elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.MultipleChoiceField):
            choices = list(field.choices)
            if any(value == "" and label == "---------" for value, label in choices):
                field.choices = [
                    (value, CHOOSE if value == "" and label == "---------" else label) for value, label in choices
                ]


def errors_text(form: forms.BaseForm) -> str:
    """A form's errors as one line for a message, each after its field's label (not its name)."""
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        text = " ".join(str(error) for error in errors)
        parts.append(f"{label}: {text}" if label else text)
    return " ".join(parts)


def attach_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's ``ValidationError`` on the form: next to its field when the form has it."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        target = field if field in form.fields else None
        if field == NON_FIELD_ERRORS:
            target = None
        form.add_error(target, errors)


def refuse_at_fields(form: forms.BaseForm, error: ValidationError) -> dict[str, list[str]]:
    """Show a refused workflow step (a ``ValidationError`` keyed by field) on a form that was not
    sent, the saved values being what was checked: each message at its field. What concerns no
    field of the form is returned, by key, for the page to show where it belongs."""
    if not form.is_bound:
        form.full_clean()  # an unbound form: an empty error list, nothing cleaned
        form.cleaned_data = {}
    elsewhere: dict[str, list[str]] = {}
    for field, messages in error.message_dict.items():
        if field in form.fields:
            form.add_error(field, messages)
        else:
            elsewhere.setdefault(field, []).extend(messages)
    return elsewhere


@dataclass(frozen=True)
class ErrorLink:
    """One line of the summary at the top of a refused form: what is wrong, and a link to it."""

    anchor: str  # the id of the field (or of the part of the page) concerned, "" for the whole form
    label: str
    message: str


def error_links(*forms_, elsewhere: dict[str, tuple[str, str, list[str]]] | None = None) -> list[ErrorLink]:
    """The errors of ``forms_`` (forms or formsets) for the summary, in the order of their fields;
    ``elsewhere``: key -> (anchor, label, messages) for what is shown at no field (a plan's lines)."""
    links = []
    for form in forms_:
        if isinstance(form, forms.BaseFormSet):
            links += [ErrorLink("", "", str(error)) for error in form.non_form_errors()]
            for number, row in enumerate(form.forms, start=1):
                links += _field_links(row, _("Line %(number)s: %(field)s"), number)
        else:
            links += [ErrorLink("", "", str(error)) for error in form.non_field_errors()]
            links += _field_links(form)
    for anchor, label, messages in (elsewhere or {}).values():
        links += [ErrorLink(anchor, str(label), str(message)) for message in messages]
    return links


def _field_links(form: forms.BaseForm, label_format: str = "", number: int = 0) -> list[ErrorLink]:
    links = []
    for name in form.fields:
        bound = form[name]
        label = str(bound.label or "")
        if label_format:
            label = label_format % {"number": number, "field": label}
        links += [ErrorLink(bound.id_for_label or bound.auto_id, label, str(error)) for error in bound.errors]
    return links


# The hidden one-time token of a create form, for crispy layouts (see ``reintegration.once``).
SUBMISSION_TOKEN = HTML("{% load ui %}{% submission_token %}")


def formset_rows(formset, fields) -> list[dict]:
    """A valid formset's rows as the services take them: each row's ``fields``, its ``id`` (None
    for a new row) and ``delete`` (ticked for removal); new rows left empty are skipped."""
    removed = {id(form) for form in formset.deleted_forms} if formset.can_delete else set()
    return [
        {
            **{field: form.cleaned_data.get(field) for field in fields},
            "id": form.instance.pk,
            "delete": id(form) in removed,
        }
        for form in formset.forms
        if form.has_changed() or form.instance.pk
    ]


class ListedModelChoices(ModelChoiceIterator):
    """A model select's choices read by one plain query. Django's iterator reads them through
    ``QuerySet.iterator()``, which on PostgreSQL is a server-side cursor (declared, fetched,
    closed: three round trips) and costs more than the query itself for a select of a few rows
    drawn on every visit of a page. For small reference lists (centres, programs) only.

    ``listed_choices(field)`` puts it on a field (Django's or django-filter's)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if getattr(self.field, "null_label", None) is not None:  # django-filter's "null" choice
            yield (self.field.null_value, self.field.null_label)
        for obj in self.queryset:
            yield self.choice(obj)


def listed_choices(field: forms.ModelChoiceField) -> None:
    field.iterator = ListedModelChoices
    field.widget.choices = field.choices
