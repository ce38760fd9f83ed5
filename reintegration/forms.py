from decimal import Decimal

from crispy_forms.layout import Column, Fieldset, Layout, Row, Submit
from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm, BaseUserCreationForm
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from reintegration.forms_util import ServerFormHelper, name_empty_choices
from reintegration.models import Centre, Province, User
from reintegration.money import NotANumber, amount_limit, format_amount, format_number, parse_decimal
from reintegration.second_factor import normalise_code
from reintegration.territory import group_provinces
from reintegration.uploads import PHOTOS
from reintegration.widgets import LTR, AmountInput, DecimalTextInput, LanguageSelect

# --- Numbers as people type them --------------------------------------------------------


class TypedDecimalField(forms.DecimalField):
    """A decimal number typed in Arabic or French habits (``reintegration.money.parse_decimal``),
    held to its model field's ``max_digits`` and ``decimal_places``, with messages that say what
    to type. More decimals than allowed are refused, never rounded: a figure is not silently
    changed. Never negative; at least ``min_value`` (0, or 0.01 where zero makes no sense).

    Subclasses give the words (``default_error_messages``: invalid, decimals, negative, zero,
    max) and the way the example and the limit are written in them.
    """

    widget = DecimalTextInput
    example = Decimal("2.5")

    def __init__(self, *, max_digits: int, decimal_places: int = 2, min_value: Decimal = Decimal(0), **kwargs):
        kwargs.pop("max_value", None)  # the limit is the model field's
        super().__init__(max_digits=max_digits, decimal_places=decimal_places, **kwargs)
        self.min_value, self.max_value = Decimal(min_value), amount_limit(max_digits, decimal_places)

    def to_python(self, value):
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        try:
            if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
                number = Decimal(str(value))
            else:
                number = parse_decimal(str(value))
        except NotANumber:
            number = None
        if number is None or not number.is_finite():
            raise forms.ValidationError(
                self.error_messages["invalid"], code="invalid", params={"example": self.show_example()}
            )
        if number < 0:
            raise forms.ValidationError(self.error_messages["negative"], code="negative")
        if number.as_tuple().exponent < -self.decimal_places:
            raise forms.ValidationError(self.error_messages["decimals"], code="decimals")
        if number > self.max_value:
            raise forms.ValidationError(
                self.error_messages["max"], code="max", params={"maximum": self.show_limit(self.max_value)}
            )
        if number < self.min_value:
            raise forms.ValidationError(self.error_messages["zero"], code="zero")
        # Exact (the decimals were checked), and never "-0.00".
        return abs(number).quantize(Decimal(1).scaleb(-self.decimal_places))

    def validate(self, value):
        forms.Field.validate(self, value)  # to_python has checked the rest, in the words above

    def show_example(self) -> str:
        return format_number(self.example, decimals=1)

    def show_limit(self, value: Decimal) -> str:
        return format_number(value, decimals=self.decimal_places)


class AmountField(TypedDecimalField):
    """An amount in dirhams: 14 digits with 2 decimals by default (``projects.models.MONEY``)."""

    widget = AmountInput
    example = Decimal("1234.50")
    default_error_messages = {
        "invalid": _("Enter an amount in dirhams, for example %(example)s."),
        "decimals": _("Enter at most two decimals: the centimes."),
        "negative": _("The amount cannot be negative."),
        "zero": _("The amount must be more than zero."),
        "max": _("The amount may not exceed %(maximum)s."),
    }

    def __init__(self, *, max_digits: int = 14, decimal_places: int = 2, **kwargs):
        super().__init__(max_digits=max_digits, decimal_places=decimal_places, **kwargs)

    def show_example(self) -> str:
        return format_amount(self.example, unit=False)

    def show_limit(self, value: Decimal) -> str:
        return format_amount(value)


class PositiveAmountField(AmountField):
    """An amount that cannot be zero: an envelope, a funder's share."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", Decimal("0.01"))
        super().__init__(**kwargs)


class QuantityField(TypedDecimalField):
    """A quantity of an item: 10 digits with 2 decimals by default (``EquipmentLine.quantity``)."""

    default_error_messages = {
        "invalid": _("Enter a quantity, for example %(example)s."),
        "decimals": _("Enter at most two decimals."),
        "negative": _("The quantity cannot be negative."),
        "zero": _("The quantity must be more than zero."),
        "max": _("The quantity may not exceed %(maximum)s."),
    }

    def __init__(self, *, max_digits: int = 10, decimal_places: int = 2, **kwargs):
        super().__init__(max_digits=max_digits, decimal_places=decimal_places, **kwargs)


class PositiveQuantityField(QuantityField):
    """A quantity planned: more than zero."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", Decimal("0.01"))
        super().__init__(**kwargs)


# --- Forms ---------------------------------------------------------------------------------


class LoginForm(AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update(autocomplete="username", autofocus=True, **LTR)
        name_empty_choices(self)
        self.helper = ServerFormHelper()
        self.helper.layout = Layout("username", "password")
        self.helper.add_input(Submit("submit", _("Sign in"), css_class="w-100"))

    def clean(self):
        # Django sets the field's max_length without its validator: a name longer than any
        # account's gets the wrong-credentials answer here, before the lockout log (whose
        # column holds 255 characters) is written.
        if len(self.cleaned_data.get("username") or "") > self.username_field.max_length:
            raise self.get_invalid_login_error()
        return super().clean()


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's, with the address typed left to right in an Arabic page."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs.update(LTR)


class LanguageSwitchForm(forms.Form):
    """The language switch: one of the site's languages, and the page of this site to go back to."""

    language = forms.ChoiceField(choices=settings.LANGUAGES)
    next = forms.CharField(required=False)

    def __init__(self, *args, host: str, secure: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.host, self.secure = host, secure

    def clean_next(self) -> str:
        """A path on this site, or nothing (home): never another site, and never a bare word,
        which ``redirect()`` would try as a view's name."""
        url = self.cleaned_data["next"]
        local = url.startswith("/") and url_has_allowed_host_and_scheme(url, {self.host}, require_https=self.secure)
        return url if local else ""


class SecondFactorForm(forms.Form):
    """A code after the password: six digits from the app, or (``recovery=True``) a recovery code;
    ``next``, the page asked for before, is kept as the language switch keeps it."""

    code = forms.CharField(label=_("Code"), max_length=32, strip=True)
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, host: str, secure: bool, recovery: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.host, self.secure = host, secure
        self.fields["code"].widget.attrs.update(autocomplete="one-time-code", autofocus=True, dir="ltr")
        if recovery:
            self.fields["code"].help_text = _("The 6 digits shown in your app, or one of your recovery codes.")
        else:
            self.fields["code"].widget.attrs.update(inputmode="numeric")
            self.fields["code"].help_text = _("The 6 digits your app shows now.")
        name_empty_choices(self)
        self.helper = ServerFormHelper()
        self.helper.layout = Layout("code", "next")
        self.helper.add_input(Submit("submit", _("Confirm"), css_class="w-100"))

    def clean_code(self) -> str:
        code = normalise_code(self.cleaned_data["code"])
        if not code or len(code) > 16 or not code.isascii() or not code.isalnum():
            raise forms.ValidationError(_("Type the code as it is shown: digits and letters only."))
        return code

    clean_next = LanguageSwitchForm.clean_next


class CentreForm(forms.ModelForm):
    provinces = forms.ModelMultipleChoiceField(
        label=_("Provinces covered"),
        queryset=Province.objects.select_related("region"),
        widget=forms.SelectMultiple(attrs={"size": 14}),
        required=False,
        help_text=_("Hold Ctrl (or Cmd) to select several."),
    )

    class Meta:
        model = Centre
        fields = ["code", "name_ar", "name_fr", "city_ar", "city_fr", "address", "phone", "provinces", "is_active"]
        widgets = {
            "code": forms.TextInput(attrs=LTR),
            "name_ar": forms.TextInput(attrs={"dir": "rtl"}),
            "city_ar": forms.TextInput(attrs={"dir": "rtl"}),
            "phone": forms.TextInput(attrs={**LTR, "type": "tel", "inputmode": "tel"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        group_provinces(self.fields["provinces"], label=lambda p: f"{p.code} — {p.name}")
        name_empty_choices(self)
        self.helper = ServerFormHelper()
        self.helper.layout = Layout(
            Row(Column("name_ar"), Column("name_fr")),
            Row(Column("city_ar"), Column("city_fr"), Column("code")),
            Row(Column("address"), Column("phone")),
            "provinces",
            "is_active",
        )
        self.helper.add_input(Submit("submit", _("Save")))


class _UserFieldsMixin:
    """Role and centre go together: coordinators need a centre, HQ roles have none."""

    def _build_helper(self, *extra):
        self.fields["centre"].queryset = Centre.objects.filter(is_active=True)
        for name in ("username", "email"):
            self.fields[name].widget.attrs.update(LTR)
        name_empty_choices(self)
        self.helper = ServerFormHelper()
        self.helper.layout = Layout(
            Fieldset(_("Account"), Row(Column("username"), Column("email")), *extra),
            Fieldset(_("Person"), Row(Column("first_name"), Column("last_name"))),
            Fieldset(_("Role"), Row(Column("role"), Column("centre"), Column("language"))),
        )
        self.helper.add_input(Submit("submit", _("Save")))


class UserCreateForm(_UserFieldsMixin, BaseUserCreationForm):
    class Meta:
        model = User
        fields = ["username", "email", "first_name", "last_name", "role", "centre", "language"]
        widgets = {"language": LanguageSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._build_helper(Row(Column("password1"), Column("password2")))


class UserUpdateForm(_UserFieldsMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["username", "email", "first_name", "last_name", "role", "centre", "language", "is_active"]
        widgets = {"language": LanguageSelect}
        help_texts = {"is_active": _("Accounts are never deleted: deactivate one to close it.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._build_helper("is_active")


class UserFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    role = forms.ChoiceField(label=_("Role"), required=False)
    centre = forms.ModelChoiceField(label=_("Centre"), queryset=Centre.objects.all(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", _("All roles")), *User._meta.get_field("role").choices]
        self.fields["centre"].empty_label = _("All centres")


class PhotoForm(forms.Form):
    image = forms.FileField(
        label=_("Photo"),
        help_text=_("JPEG, PNG or WebP, 10 MB at most."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(PHOTOS)}),
    )
