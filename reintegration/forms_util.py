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
