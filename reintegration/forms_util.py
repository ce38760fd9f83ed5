from crispy_forms.layout import HTML
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


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
