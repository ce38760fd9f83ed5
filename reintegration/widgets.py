from decimal import Decimal

from django import forms
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from reintegration.money import format_amount, format_number

# The attributes of a field typed left to right whatever the page's language: a username, an
# e-mail address, a phone number, a CIN, a code. Aligned and typed as in Latin script.
LTR = {"dir": "ltr", "autocapitalize": "none", "spellcheck": "false"}


class DateInput(forms.DateInput):
    """The browser's date picker; the value travels as ISO (yyyy-mm-dd), whatever the language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class ArabicTextInput(forms.TextInput):
    def __init__(self, attrs=None):
        super().__init__(attrs={"dir": "rtl", "lang": "ar", **(attrs or {})})


class LatinTextInput(forms.TextInput):
    def __init__(self, attrs=None):
        super().__init__(attrs={"dir": "ltr", "lang": "fr", **(attrs or {})})


class DecimalTextInput(forms.TextInput):
    """A number typed the way people write it (``1 234,50``), not ``type="number"``: browsers
    refuse spaces there and, in some languages, the comma. The value on display is written
    like every number on the page (``display``); what was typed is shown back as typed."""

    def __init__(self, attrs=None):
        defaults = {"inputmode": "decimal", "autocomplete": "off", "spellcheck": "false", "dir": "ltr"}
        super().__init__(attrs={**defaults, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, (Decimal, int, float)) and not isinstance(value, bool):
            return self.display(Decimal(str(value)))
        return super().format_value(value)

    def display(self, value: Decimal) -> str:
        return format_number(value, decimals=0 if value == value.to_integral_value() else 2)


class AmountInput(DecimalTextInput):
    """An amount in dirhams, shown as on the rest of the page: ``3 200,00``."""

    def display(self, value: Decimal) -> str:
        return format_amount(value, unit=False)


class LanguageSelect(forms.Select):
    """Each language named in itself ("Français", "العربية"), its option marked with its ``lang``:
    a screen reader says it right, and nobody takes it for a label left untranslated."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value:
            option["attrs"]["lang"] = str(value)
        return option


def _attrs_html(attrs: dict) -> str:
    """Django's ``django/forms/widgets/attrs.html`` in Python, attributes in the same order:
    ``True`` draws the bare name, ``False`` leaves the attribute out."""
    return "".join(
        format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value)
        for name, value in attrs.items()
        if value is not False
    )


class QuickSelect(forms.Select):
    """A ``<select>`` drawn in Python: the very HTML Django's ``select.html`` and
    ``select_option.html`` templates draw, some twenty times faster. For selects of many
    options drawn on every visit of a page (the case list's filters: 83 provinces under their
    regions), where including a template per option cost more than the page's queries.

    A subclass that draws its options with templates of its own is drawn by them, as usual."""

    def render(self, name, value, attrs=None, renderer=None):
        if self.template_name != forms.Select.template_name or self.option_template_name != (
            forms.Select.option_template_name
        ):
            return super().render(name, value, attrs, renderer)
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"', widget["name"]), _attrs_html(widget["attrs"]), ">"]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('\n  <optgroup label="{}">', group_name))
            for option in options:
                parts.append(
                    format_html(
                        '\n  <option value="{}"{}>{}</option>\n',  # the option template ends with a newline
                        str(option["value"]),
                        mark_safe(_attrs_html(option["attrs"])),  # nosec B308, B703 # escaped by format_html
                        option["label"],
                    )
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # nosec B308, B703 # every value escaped by format_html above
