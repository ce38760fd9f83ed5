"""Presentation helpers shared by every app's templates."""

from datetime import timedelta

from django import forms, template
from django.utils.html import format_html

from reintegration import once
from reintegration.forms_util import error_links
from reintegration.money import amount_style, format_amount
from reintegration.pdf import SCHEME as PDF_SCHEME

register = template.Library()


@register.filter
def dh(value) -> str:
    """An amount in dirhams in the user's language: ``{{ envelope.amount|dh }}``."""
    return format_amount(value)


@register.filter
def amount(value) -> str:
    """The number alone, without the currency: for table cells under a "DH" header."""
    return format_amount(value, unit=False)


@register.filter
def minutes(value: timedelta | None) -> int:
    return int(value.total_seconds() // 60) if value else 0


@register.filter
def percent(part, whole) -> int:
    """``part`` as a whole percentage of ``whole`` (0 when there is no whole)."""
    if not whole:
        return 0
    return int(part * 100 / whole)


@register.filter
def percent_width(part, whole) -> int:
    """``percent`` kept within 0..100, for the ``w-pct-N`` width classes of static/css/app.css
    (the Content Security Policy refuses ``style="width: …"``)."""
    return max(0, min(100, percent(part, whole)))


@register.filter
def bs(field, where: str = "") -> str:
    """A bare form widget with Bootstrap's classes (for filter bars and table rows).

    ``{{ field|bs:"row" }}`` in a table row, where no ``<label>`` stands beside the widget: its
    label is given as ``aria-label``. With errors, the widget is marked invalid and described by
    the message the template prints beside it, with the id ``<widget id>_errors``."""
    widget = field.field.widget
    input_type = getattr(widget, "input_type", "")
    if input_type == "checkbox":
        css = "form-check-input"
    elif isinstance(widget, forms.Select):
        css = "form-select"
    else:
        css = "form-control"
    attrs = {}
    if where == "row" and "aria-label" not in widget.attrs and field.label:
        attrs["aria-label"] = str(field.label)
    if field.errors:
        css += " is-invalid"
        attrs |= {"aria-invalid": "true", "aria-describedby": f"{field.auto_id}_errors"}
    existing = widget.attrs.get("class", "")
    return field.as_widget(attrs={**attrs, "class": f"{existing} {css}".strip()})


@register.filter
def index(sequence, position: int):
    """``sequence[position]``, or "" when there is no such item."""
    try:
        return sequence[position]
    except (IndexError, TypeError, KeyError):
        return ""


@register.simple_tag
def pdf_static(path: str) -> str:
    """An asset for a PDF template, read by ``reintegration.pdf``'s fetcher from the static files."""
    return f"{PDF_SCHEME}{path}"


@register.simple_tag(takes_context=True)
def submission_token(context) -> str:
    """The hidden one-time token of a create form (see ``reintegration.once``), beside ``{% csrf_token %}``."""
    token = once.token_for_form(context["request"])
    return format_html('<input type="hidden" name="{}" value="{}">', once.FIELD, token)


@register.simple_tag
def amount_format() -> str:
    """`` data-decimal="," data-thousands=" " data-unit="DH"``: how the page writes amounts, for
    static/js/batch.js."""
    decimal, thousands, unit = amount_style()
    return format_html(' data-decimal="{}" data-thousands="{}" data-unit="{}"', decimal, thousands, unit)


@register.inclusion_tag("includes/_error_summary.html")
def error_summary(*forms_) -> dict:
    """The summary of a refused form at its top, each error linked to its field:
    ``{% error_summary form formset %}`` (forms and formsets)."""
    return {"links": error_links(*(form for form in forms_ if form))}
