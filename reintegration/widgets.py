from django import forms


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
