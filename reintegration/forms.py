from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row, Submit
from django import forms
from django.contrib.auth.forms import AuthenticationForm, BaseUserCreationForm
from django.utils.translation import gettext_lazy as _

from reintegration.models import Centre, Province, User
from reintegration.uploads import PHOTOS


class LoginForm(AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update(autocomplete="username", autofocus=True)
        self.helper = FormHelper()
        self.helper.layout = Layout("username", "password")
        self.helper.add_input(Submit("submit", _("Sign in"), css_class="w-100"))


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
        widgets = {"name_ar": forms.TextInput(attrs={"dir": "rtl"}), "city_ar": forms.TextInput(attrs={"dir": "rtl"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provinces"].label_from_instance = lambda p: f"{p.code} — {p.name}"
        self.helper = FormHelper()
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
        self.helper = FormHelper()
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._build_helper(Row(Column("password1"), Column("password2")))


class UserUpdateForm(_UserFieldsMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["username", "email", "first_name", "last_name", "role", "centre", "language", "is_active"]
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


class PhotoForm(forms.Form):
    image = forms.FileField(
        label=_("Photo"),
        help_text=_("JPEG, PNG or WebP, 10 MB at most."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(PHOTOS)}),
    )
